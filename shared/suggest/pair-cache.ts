// Values keyed by a dense number (group × entitlement + entitlement, entitlement × days...): slot tables in pages
// allocated on first write, a Map only beyond 2^31. Measured (cpu-prof, 1M manager-heavy assignments): Map lookups
// by these keys were the hottest lines of the peer views; one flat table sized to the range held 11 MiB of zeros
// per worker for the disuse signals (entitlements × 2 × days, a few thousand keys used).
const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;
const PAGED_LIMIT = 2 ** 31;

export class PairCache<T> {
  private readonly pages: (Int32Array | undefined)[] | null;
  private readonly values: T[] = [];
  private readonly map: Map<number, T> | null;

  constructor(range: number) {
    const paged = range <= PAGED_LIMIT;
    this.pages = paged ? new Array<Int32Array | undefined>(Math.ceil(Math.max(0, range) / PAGE)).fill(undefined) : null;
    this.map = paged ? null : new Map();
  }

  get(key: number): T | undefined {
    if (!this.pages) return this.map!.get(key);
    const page = this.pages[key >>> PAGE_BITS];
    if (!page) return undefined;
    const at = page[key & (PAGE - 1)]!;
    return at ? this.values[at - 1] : undefined;
  }

  set(key: number, value: T): void {
    if (!this.pages) {
      this.map!.set(key, value);
      return;
    }
    const p = key >>> PAGE_BITS;
    const page = (this.pages[p] ??= new Int32Array(PAGE));
    const slot = key & (PAGE - 1);
    const at = page[slot]!;
    if (at) this.values[at - 1] = value;
    else {
      this.values.push(value);
      page[slot] = this.values.length;
    }
  }
}

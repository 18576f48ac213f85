// Values keyed by a dense number (group × entitlement + entitlement): a slot array while that range is small, a
// Map beyond. Measured (cpu-prof, 1M manager-heavy assignments): the Map lookups by these keys were the hottest
// lines of the peer views, several per assignment.
const DENSE_LIMIT = 1 << 22;

export class PairCache<T> {
  private readonly slot: Int32Array | null;
  private readonly values: T[] = [];
  private readonly map: Map<number, T> | null;

  constructor(range: number) {
    this.slot = range <= DENSE_LIMIT ? new Int32Array(Math.max(0, range)) : null;
    this.map = this.slot ? null : new Map();
  }

  get(key: number): T | undefined {
    if (!this.slot) return this.map!.get(key);
    const at = this.slot[key]!;
    return at ? this.values[at - 1] : undefined;
  }

  set(key: number, value: T): void {
    if (!this.slot) {
      this.map!.set(key, value);
      return;
    }
    const at = this.slot[key]!;
    if (at) this.values[at - 1] = value;
    else {
      this.values.push(value);
      this.slot[key] = this.values.length;
    }
  }
}

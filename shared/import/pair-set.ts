// A set of (identity, entitlement) index pairs in two typed arrays: the duplicate-grant check of a large
// assignments file without a Set per identity (300,000 of them at 3,000,000 rows) for the collector to trace.

const EMPTY = 0;

export class PairSet {
  /** Slot i holds the pair (first[i] - 1, second[i]); first 0 marks an empty slot. */
  private first: Uint32Array;
  private second: Uint32Array;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.first = new Uint32Array(capacity);
    this.second = new Uint32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  has(a: number, b: number): boolean {
    return this.first[this.slot(a, b)] !== EMPTY;
  }

  add(a: number, b: number): void {
    const i = this.slot(a, b);
    if (this.first[i] !== EMPTY) return;
    this.first[i] = a + 1;
    this.second[i] = b;
    if (++this.count * 2 > this.first.length) this.grow();
  }

  /**
   * Where (a, b) is: its slot when present (≥ 0), else the complement (~slot) of the empty slot it would take, for
   * addAt: a row checked and then added probes the table once (at 10M pairs each probe is a cache miss).
   */
  locate(a: number, b: number): number {
    const i = this.slot(a, b);
    return this.first[i] !== EMPTY ? i : ~i;
  }

  /** Adds the absent pair `locate` found, nothing having been added since. */
  addAt(located: number, a: number, b: number): void {
    const i = ~located;
    this.first[i] = a + 1;
    this.second[i] = b;
    if (++this.count * 2 > this.first.length) this.grow();
  }

  /** The slot that holds (a, b), or the empty slot where it would go (linear probing, at most half full). */
  private slot(a: number, b: number): number {
    const mask = this.first.length - 1;
    let i = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
    i = (i ^ (i >>> 15)) & mask;
    const key = a + 1;
    for (;;) {
      const f = this.first[i]!;
      if (f === EMPTY || (f === key && this.second[i] === b)) return i;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const first = this.first;
    const second = this.second;
    this.first = new Uint32Array(first.length * 2);
    this.second = new Uint32Array(second.length * 2);
    this.count = 0;
    for (let i = 0; i < first.length; i++) if (first[i] !== EMPTY) this.add(first[i]! - 1, second[i]!);
  }
}

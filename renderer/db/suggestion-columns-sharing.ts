// What the format 3 encoder (suggestion-columns.ts) keeps per signal id while it encodes a chunk: whether looking its
// objects up pays.
/** Lookups of one kind (a signal id's Signal objects, messages or peer references) before deciding whether looking
 * them up pays in this chunk. */
const PROBE = 2_048;

/**
 * Whether looking up the objects of one kind, to write each once, pays in this chunk: a lookup of an object seen once
 * costs a hash and an insert for nothing (most peer signals are new objects with a message of their own). After
 * PROBE lookups with fewer than 1 in 16 found, the rest of the chunk writes them without looking: a value that does
 * recur is written again, and reads back the same.
 */
export class Sharing {
  on = true;
  private lookups = 0;
  private hits = 0;
  saw(hit: boolean): void {
    if (hit) this.hits++;
    if (++this.lookups >= PROBE && this.hits * 16 < this.lookups) this.on = false;
  }
}

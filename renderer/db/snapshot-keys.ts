// Per snapshot chunk, the sorted 32-bit hashes of the identity ids it holds (an identity chunk: its records'; an
// assignment chunk: its rows'), written at import beside the chunks. One item's detail then reads only the chunks that
// may hold its identity and its peers (#19: the whole snapshot is about 11 s to read at 10,000,000 assignments). A hash
// says where an id cannot be; the chunks it points to are read and compared exactly, so a collision costs a read only.
// Per identity, not per pair: an assignment chunk's keys are about 4 bytes per identity it holds (20 KB at 50,000 rows
// of 5,000 identities), not per row.
import { NO_STRING, type Identity } from '../../shared/model';
import type { AssignmentColumns } from './chunk-codec';

/** The keys of one snapshot chunk (table snapshotKeys, keyed like snapshotChunks). */
export interface SnapshotKeysRecord {
  snapshotId: string;
  kind: 'identities' | 'assignments';
  index: number;
  /** The hashes of the identity ids of the chunk's records or rows, ascending, each once. */
  keys: Uint32Array;
  /** An assignment chunk with an inherited row (a grant path). */
  inherited?: boolean;
}

/** FNV-1a with murmur3's finaliser (every input bit reaches every output bit). */
export function idKey(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function sortedOnce(keys: Uint32Array): Uint32Array {
  keys.sort();
  let n = 0;
  for (let k = 0; k < keys.length; k++) if (k === 0 || keys[k] !== keys[n - 1]) keys[n++] = keys[k]!;
  return keys.slice(0, n);
}

export function identityKeys(rows: readonly Identity[]): Uint32Array {
  return sortedOnce(Uint32Array.from(rows, (i) => idKey(i.id)));
}

export function assignmentKeys(c: AssignmentColumns): { keys: Uint32Array; inherited: boolean } {
  // Each dictionary string an identity column points to, hashed once.
  const seen = new Uint8Array(c.strings.length);
  const keys: number[] = [];
  for (let r = 0; r < c.identity.length; r++) {
    const s = c.identity[r]!;
    if (seen[s]) continue;
    seen[s] = 1;
    keys.push(idKey(c.strings[s]!));
  }
  return { keys: sortedOnce(Uint32Array.from(keys)), inherited: Boolean(c.path?.some((p) => p !== NO_STRING)) };
}

/** Whether a chunk's sorted keys hold `key` (if not, the chunk surely holds no id of that hash). */
export function holdsKey(keys: Uint32Array, key: number): boolean {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid]!;
    if (k === key) return true;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

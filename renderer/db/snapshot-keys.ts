// Per snapshot chunk, the sorted 53-bit hashes of what it holds (an identity chunk: its ids; an assignment chunk: its
// (identity, entitlement) pairs), written at import beside the chunks. One item's detail then reads only the chunks
// that may hold its identity, its peers and their pairs (#19: the whole snapshot is about 11 s to read at 10,000,000
// assignments). A hash says where a key cannot be; the chunks it points to are read and compared exactly.
import type { Identity } from '../../shared/model';
import { NO_STRING } from '../../shared/model';
import type { AssignmentColumns } from './chunk-codec';

/** The keys of one snapshot chunk (table snapshotKeys, keyed like snapshotChunks). */
export interface SnapshotKeysRecord {
  snapshotId: string;
  kind: 'identities' | 'assignments';
  index: number;
  /** The hashes of the chunk's ids (identities) or pairs (assignments), ascending, each once. */
  keys: Float64Array;
  /** An assignment chunk with an inherited row (a grant path). */
  inherited?: boolean;
}

/** murmur3's finaliser: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Two independent 32-bit lanes of a string's hash. */
function lanes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [fmix(a ^ s.length), fmix(b + s.length)];
}

/** Two lanes as one number below 2^53 (exact in a double, so Float64Array holds it). */
const join53 = (a: number, b: number) => (b & 0x1fffff) * 0x100000000 + a;

export function idKey(id: string): number {
  const [a, b] = lanes(id);
  return join53(a, b);
}

/** An ordered pair's key made from its two strings' lanes (an assignment chunk hashes each dictionary string once). */
function pairOf(i: [number, number], e: [number, number]): number {
  return join53(fmix(i[0] ^ fmix(e[0] + 0x9e3779b9)), fmix(i[1] + Math.imul(fmix(e[1] ^ 0x7f4a7c15), 0x27d4eb2f)));
}

export function pairKey(identityId: string, entitlementId: string): number {
  return pairOf(lanes(identityId), lanes(entitlementId));
}

function sortedOnce(keys: Float64Array): Float64Array {
  keys.sort();
  let n = 0;
  for (let k = 0; k < keys.length; k++) if (k === 0 || keys[k] !== keys[n - 1]) keys[n++] = keys[k]!;
  return keys.slice(0, n);
}

export function identityKeys(rows: readonly Identity[]): Float64Array {
  return sortedOnce(Float64Array.from(rows, (i) => idKey(i.id)));
}

export function assignmentKeys(c: AssignmentColumns): { keys: Float64Array; inherited: boolean } {
  const hashed: ([number, number] | undefined)[] = new Array(c.strings.length);
  const of = (s: number) => (hashed[s] ??= lanes(c.strings[s]!));
  const keys = new Float64Array(c.identity.length);
  for (let r = 0; r < keys.length; r++) keys[r] = pairOf(of(c.identity[r]!), of(c.entitlement[r]!));
  return { keys: sortedOnce(keys), inherited: Boolean(c.path?.some((p) => p !== NO_STRING)) };
}

/** Whether a chunk's sorted keys hold `key` (if not, the chunk surely does not hold what it hashes). */
export function holdsKey(keys: Float64Array, key: number): boolean {
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

// The suggestion encoder's working parts (suggestion-columns.ts writes the chunks with them): growable typed columns
// kept from one chunk to the next, the narrowing of index columns to the smallest width, and the shape of an object's
// keys found without building text.
import type { Suggestion } from '../../shared/suggest';
import { K_FALSE, K_NULL, K_NUMBER, K_STRING, K_TRUE, LITERAL_ROW, NONE } from './suggestion-columns-legacy';
import type { Ints } from './suggestion-columns-format';

/** Growable typed array, written from the start again for each chunk: the buffer stays for the next chunk, and
 * only the exact copy done() makes is new (fewer off-heap buffers, whose growth is what starts a full collection of
 * the whole heap — a million suggestions — in the middle of storing). */
export class Column<T extends Uint32Array | Float64Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    const out = this.data.slice(0, this.length) as T;
    this.length = 0;
    return out;
  }
  ints(this: Column<Uint32Array>): Ints {
    const out = narrow(this.data, this.length);
    this.length = 0;
    return out;
  }
}

export function narrow(data: Uint32Array, length: number): Ints {
  let max = 0;
  let marked = false;
  for (let i = 0; i < length; i++) {
    const v = data[i]!;
    if (v >= LITERAL_ROW) marked = true;
    else if (v > max) max = v;
  }
  if (max >= 0xfffe) return data.slice(0, length);
  const out = max < 0xfe ? new Uint8Array(length) : new Uint16Array(length);
  // Without NONE or LITERAL_ROW every value fits and the native copy converts: the loop with its per-value test
  // took about 0.9 s of a part's CPU at a million assignments (worker profile), most columns having neither.
  if (!marked) out.set(data.subarray(0, length));
  else if (out instanceof Uint8Array) narrowInto(out, data, length, 0xff);
  else narrowInto(out, data, length, 0xffff);
  return out;
}

function narrowInto<T extends Uint8Array | Uint16Array>(out: T, data: Uint32Array, length: number, top: number): void {
  for (let i = 0; i < length; i++) {
    const v = data[i]!;
    out[i] = v === NONE ? top : v === LITERAL_ROW ? top - 1 : v;
  }
}

export const u32 = (n: number) => new Column(new Uint32Array(n), (m) => new Uint32Array(m));
export const f64 = (n: number) => new Column(new Float64Array(n), (m) => new Float64Array(m));
export const u8 = (n: number) => new Column(new Uint8Array(n), (m) => new Uint8Array(m));

/** Whether the item id is the one derivedItemId gives, compared in place (no string built per suggestion). */
export function isDerivedItemId(s: Suggestion): boolean {
  const id = s.itemId;
  const who = s.identityId;
  const ent = s.entitlementId !== undefined && s.credentialId === undefined;
  const cred = s.credentialId !== undefined && s.entitlementId === undefined;
  const prefix = ent ? 'a:' : cred ? 'c:' : 'i:';
  const rest = ent ? s.entitlementId : cred ? s.credentialId : undefined;
  if (rest === undefined) return id.length === 2 + who.length && id.startsWith(prefix) && id.startsWith(who, 2);
  return (
    id.length === 3 + who.length + rest.length &&
    id.startsWith(prefix) &&
    id.startsWith(who, 2) &&
    id.charCodeAt(2 + who.length) === 0x1f &&
    id.endsWith(rest)
  );
}

/** Keys whose value is not undefined, in the object's order (what JSON.stringify writes), or null when one is not
 * among `known`. The list is looked up by a number built from the keys' positions, so no text is built per object. */
export function keysOf(o: object, known: readonly string[], lists: Map<number, string>): string | null {
  let code = 0;
  for (const k in o) {
    if ((o as Record<string, unknown>)[k] === undefined) continue;
    const at = known.indexOf(k);
    if (at < 0) return null;
    code = code * 16 + at + 1;
  }
  let out = lists.get(code);
  if (out === undefined) {
    out = '';
    for (const k in o) if ((o as Record<string, unknown>)[k] !== undefined) out = out ? `${out},${k}` : k;
    lists.set(code, out);
  }
  return out;
}

export const STRING_FIELDS = ['entitlementId', 'credentialId', 'action', 'riskTier', 'decisionClass', 'engine', 'policyDigest'] as const;
export const scalarKind = (v: unknown): number =>
  v === null || v === undefined
    ? K_NULL
    : typeof v === 'number'
      ? K_NUMBER
      : typeof v === 'string'
        ? K_STRING
        : v === true
          ? K_TRUE
          : v === false
            ? K_FALSE
            : -1;

export function perRowColumns(capacity: number) {
  return {
    capacity,
    shape: new Uint32Array(capacity),
    itemId: new Uint32Array(capacity),
    identityId: new Uint32Array(capacity),
    entitlementId: new Uint32Array(capacity),
    credentialId: new Uint32Array(capacity),
    action: new Uint32Array(capacity),
    confidence: new Float64Array(capacity),
    riskTier: new Uint32Array(capacity),
    decisionClass: new Uint32Array(capacity),
    engine: new Uint32Array(capacity),
    policyDigest: new Uint32Array(capacity),
    riskReasons: new Uint32Array(capacity),
    signalStart: new Uint32Array(capacity),
  };
}

export function scratchColumns() {
  return {
    perRow: perRowColumns(0),
    columns: {
      signalRefs: u32(1 << 16),
      sigShape: u32(1 << 16),
      sigId: u32(1 << 16),
      sigMessage: u32(1 << 16),
      sigValueKind: u8(1 << 16),
      sigValue: f64(1 << 16),
      sigThresholdKind: u8(1 << 16),
      sigThreshold: f64(1 << 16),
      sigVerdict: u32(1 << 16),
      sigConfidence: f64(1 << 16),
      sigPeers: u32(1 << 16),
      msgTemplate: u32(1 << 14),
      msgFlags: u8(1 << 14),
      msgNumbers: u32(1 << 14),
      numbers: u32(1 << 16),
      peerShape: u32(1 << 14),
      peerGroup: u32(1 << 14),
      peerSize: f64(1 << 14),
      peerHolders: u32(1 << 14),
      peerHolderSkip: u32(1 << 14),
      peerMembers: u32(1 << 14),
      listCount: u32(1 << 14),
    },
  };
}

// Suggestions stored as typed columns: a million suggestions as JSON text are gigabytes (every signal message is
// a unique sentence) and take tens of seconds to write. Here strings are dictionary-encoded per chunk, numbers are
// typed arrays, and each signal message is split into a shared template and its digit runs, so a chunk is a few
// typed arrays and one string list. Decoding gives back the same JSON value (same keys, same order, same text).
import type { Signal, Suggestion } from '../../shared/suggest';

export interface SuggestionColumns {
  format: 1;
  count: number;
  /** Every string of the chunk once: ids, engine, digests, signal ids, message templates, JSON of shared parts. */
  strings: string[];
  /** Per suggestion: index (into strings) of its key list ("itemId,identityId,..."), or LITERAL_ROW. */
  shape: Uint32Array;
  /** Per suggestion: 0 item id derived from the ids (a:/c:/i:), else strings index + 1 of the item id as given. */
  itemId: Uint32Array;
  identityId: Uint32Array;
  entitlementId: Uint32Array;
  credentialId: Uint32Array;
  action: Uint32Array;
  confidence: Float64Array;
  riskTier: Uint32Array;
  decisionClass: Uint32Array;
  engine: Uint32Array;
  policyDigest: Uint32Array;
  /** JSON of the risk reasons (shared arrays are written once). */
  riskReasons: Uint32Array;
  /** Signals of suggestion i: signalStart[i] .. signalStart[i + 1]. */
  signalStart: Uint32Array;
  sigShape: Uint32Array;
  sigId: Uint32Array;
  /** The message with each short digit run replaced by MARK; sigFlags & LITERAL_MESSAGE: the message as is. */
  sigTemplate: Uint32Array;
  sigFlags: Uint8Array;
  sigValueKind: Uint8Array;
  sigValue: Float64Array;
  sigThresholdKind: Uint8Array;
  sigThreshold: Float64Array;
  sigVerdict: Uint32Array;
  sigConfidence: Float64Array;
  /** Index of the signal's peer group reference in the peer columns below (shared objects are written once). */
  sigPeers: Uint32Array;
  peerShape: Uint32Array;
  peerGroup: Uint32Array;
  peerSize: Float64Array;
  /** Holders (and members) of peer reference p: their ids joined by ID_SEPARATOR, and how many there are. Joining
   * is native and cheap; a dictionary lookup per id (tens of millions at a million suggestions) is not. */
  peerHolders: string[];
  peerHolderCount: Uint32Array;
  peerMembers: string[];
  peerMemberCount: Uint32Array;
  /** The digit runs taken out of the messages, in order. */
  numbers: Uint32Array;
}

const NONE = 0xffffffff;
const LITERAL_ROW = 0xfffffffe;
const MARK = '\u0001';
const ID_SEPARATOR = '\u001e';
const LITERAL_MESSAGE = 1;
// At most 15 keys each: keysOf numbers them in base 16 (12 suggestion keys give 12 digits, within exact doubles).
const SUGGESTION_KEYS = ['itemId', 'identityId', 'entitlementId', 'credentialId', 'action', 'confidence', 'riskTier', 'decisionClass', 'signals', 'engine', 'policyDigest', 'riskReasons'];
const SIGNAL_KEYS = ['id', 'message', 'value', 'threshold', 'verdict', 'confidence', 'peers'];
const PEER_KEYS = ['group', 'size', 'holders', 'members'];
/** Scalar kinds of Signal.value / threshold. */
const K_NULL = 0, K_NUMBER = 1, K_STRING = 2, K_TRUE = 3, K_FALSE = 4;

class Dictionary {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** Growable typed array. */
class Column<T extends Uint32Array | Float64Array | Uint8Array> {
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
    return this.data.slice(0, this.length) as T;
  }
}
const u32 = (n: number) => new Column(new Uint32Array(n), (m) => new Uint32Array(m));
const f64 = (n: number) => new Column(new Float64Array(n), (m) => new Float64Array(m));
const u8 = (n: number) => new Column(new Uint8Array(n), (m) => new Uint8Array(m));

function derivedItemId(s: Suggestion): string {
  if (s.entitlementId !== undefined && s.credentialId === undefined) return `a:${s.identityId}\u001f${s.entitlementId}`;
  if (s.credentialId !== undefined && s.entitlementId === undefined) return `c:${s.identityId}\u001f${s.credentialId}`;
  return `i:${s.identityId}`;
}

/** Whether the item id is the one derivedItemId gives, compared in place (no string built per suggestion). */
function isDerivedItemId(s: Suggestion): boolean {
  const id = s.itemId;
  const who = s.identityId;
  const ent = s.entitlementId !== undefined && s.credentialId === undefined;
  const cred = s.credentialId !== undefined && s.entitlementId === undefined;
  const prefix = ent ? 'a:' : cred ? 'c:' : 'i:';
  const rest = ent ? s.entitlementId : cred ? s.credentialId : undefined;
  if (rest === undefined) return id.length === 2 + who.length && id.startsWith(prefix) && id.startsWith(who, 2);
  return id.length === 3 + who.length + rest.length && id.startsWith(prefix) && id.startsWith(who, 2) && id.charCodeAt(2 + who.length) === 0x1f && id.endsWith(rest);
}

/** Keys whose value is not undefined, in the object's order (what JSON.stringify writes), or null when one is not
 * among `known`. The list is looked up by a number built from the keys' positions, so no text is built per object. */
function keysOf(o: object, known: readonly string[], lists: Map<number, string>): string | null {
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

export function encodeSuggestions(rows: readonly Suggestion[]): SuggestionColumns {
  const n = rows.length;
  const dict = new Dictionary();
  const shared = new Map<object, number>();
  const json = (o: object) => {
    let i = shared.get(o);
    if (i === undefined) shared.set(o, (i = dict.of(JSON.stringify(o))));
    return i;
  };
  const c = {
    shape: new Uint32Array(n), itemId: new Uint32Array(n), identityId: new Uint32Array(n), entitlementId: new Uint32Array(n), credentialId: new Uint32Array(n),
    action: new Uint32Array(n), confidence: new Float64Array(n), riskTier: new Uint32Array(n), decisionClass: new Uint32Array(n), engine: new Uint32Array(n),
    policyDigest: new Uint32Array(n), riskReasons: new Uint32Array(n), signalStart: new Uint32Array(n + 1),
  };
  const guess = Math.max(16, n * 6);
  const sigShape = u32(guess), sigId = u32(guess), sigTemplate = u32(guess), sigFlags = u8(guess), sigValueKind = u8(guess), sigValue = f64(guess);
  const sigThresholdKind = u8(guess), sigThreshold = f64(guess), sigVerdict = u32(guess), sigConfidence = f64(guess), sigPeers = u32(guess);
  const numbers = u32(guess * 4);
  const peerShape = u32(1024), peerGroup = u32(1024), peerSize = f64(1024), peerHolderCount = u32(1024), peerMemberCount = u32(1024);
  const peerHolders: string[] = [];
  const peerMembers: string[] = [];
  const peerIndex = new Map<object, number>();
  const peerLists = new Map<number, string>();
  const signalLists = new Map<number, string>();
  const suggestionLists = new Map<number, string>();
  /** A list of ids as one text, or null when it is not a list of strings free of the separator. */
  const joined = (list: unknown): string | null => {
    if (list === undefined) return '';
    if (!Array.isArray(list)) return null;
    for (const x of list) if (typeof x !== 'string' || x.includes(ID_SEPARATOR)) return null;
    return list.join(ID_SEPARATOR);
  };
  /** The peer reference's index, or -1 when it has a form the columns do not foresee. */
  const peers = (p: Signal['peers']): number => {
    const known = peerIndex.get(p!);
    if (known !== undefined) return known;
    const shape = keysOf(p!, PEER_KEYS, peerLists);
    if (shape === null || typeof p!.group !== 'string' || typeof p!.size !== 'number') return -1;
    const holders = joined(p!.holders);
    const members = joined(p!.members);
    if (holders === null || members === null) return -1;
    const index = peerShape.length;
    peerShape.push(dict.of(shape));
    peerGroup.push(dict.of(p!.group));
    peerSize.push(p!.size);
    peerHolders.push(holders);
    peerHolderCount.push(p!.holders?.length ?? 0);
    peerMembers.push(members);
    peerMemberCount.push(p!.members?.length ?? 0);
    peerIndex.set(p!, index);
    return index;
  };
  const scalar = (v: unknown, kinds: Column<Uint8Array>, values: Column<Float64Array>): boolean => {
    let kind: number;
    let value = 0;
    if (v === null || v === undefined) kind = K_NULL;
    else if (typeof v === 'number') {
      kind = K_NUMBER;
      value = v;
    } else if (typeof v === 'string') {
      kind = K_STRING;
      value = dict.of(v);
    } else if (v === true) kind = K_TRUE;
    else if (v === false) kind = K_FALSE;
    else return false;
    kinds.push(kind);
    values.push(value);
    return true;
  };
  const template = (message: string): number => {
    // Digit runs of 1–9 digits without a leading zero go to `numbers` (parsed in the same pass); the rest of the
    // text, joined by MARK, is the template. Pieces are joined once: concatenating as we go costs twice as much.
    let parts: string[] | null = null;
    let last = 0;
    const len = message.length;
    for (let i = 0; i < len; ) {
      const ch = message.charCodeAt(i);
      if (ch < 48 || ch > 57) {
        i++;
        continue;
      }
      let j = i + 1;
      let value = ch - 48;
      while (j < len) {
        const d = message.charCodeAt(j);
        if (d < 48 || d > 57) break;
        value = value * 10 + d - 48;
        j++;
      }
      if (j - i <= 9 && (j - i === 1 || ch !== 48)) {
        (parts ??= []).push(message.slice(last, i));
        numbers.push(value);
        last = j;
      }
      i = j;
    }
    if (!parts) return dict.of(message);
    parts.push(message.slice(last));
    return dict.of(parts.join(MARK));
  };
  const signal = (g: Signal): boolean => {
    const shape = keysOf(g, SIGNAL_KEYS, signalLists);
    if (shape === null || typeof g.id !== 'string' || typeof g.message !== 'string') return false;
    if ((g.verdict !== undefined && typeof g.verdict !== 'string') || (g.confidence !== undefined && typeof g.confidence !== 'number')) return false;
    const peerRef = g.peers === undefined ? NONE : typeof g.peers === 'object' && g.peers !== null ? peers(g.peers) : -1;
    if (peerRef === -1) return false;
    const kinds = sigValueKind.length;
    if (!scalar(g.value, sigValueKind, sigValue) || !scalar(g.threshold, sigThresholdKind, sigThreshold)) {
      sigValueKind.length = sigValue.length = sigThresholdKind.length = sigThreshold.length = kinds;
      return false;
    }
    sigShape.push(dict.of(shape));
    sigId.push(dict.of(g.id));
    if (g.message.includes(MARK)) {
      sigFlags.push(LITERAL_MESSAGE);
      sigTemplate.push(dict.of(g.message));
    } else {
      sigFlags.push(0);
      sigTemplate.push(template(g.message));
    }
    sigVerdict.push(g.verdict === undefined ? NONE : dict.of(g.verdict));
    sigConfidence.push(g.confidence ?? 0);
    sigPeers.push(peerRef);
    return true;
  };
  for (let i = 0; i < n; i++) {
    const s = rows[i]!;
    c.signalStart[i] = sigId.length;
    const shape = keysOf(s, SUGGESTION_KEYS, suggestionLists);
    const marks = { signals: sigId.length, numbers: numbers.length };
    let ok = shape !== null && typeof s.identityId === 'string' && typeof s.itemId === 'string' && Array.isArray(s.signals) && typeof s.confidence === 'number';
    for (const k of ['entitlementId', 'credentialId', 'action', 'riskTier', 'decisionClass', 'engine', 'policyDigest'] as const) if (s[k] !== undefined && typeof s[k] !== 'string') ok = false;
    if (s.riskReasons !== undefined && !Array.isArray(s.riskReasons)) ok = false;
    if (ok) for (const g of s.signals) if (!(ok = signal(g))) break;
    if (!ok) {
      // Anything the columns do not foresee is kept whole, as JSON.
      for (const col of [sigShape, sigId, sigTemplate, sigFlags, sigValueKind, sigValue, sigThresholdKind, sigThreshold, sigVerdict, sigConfidence, sigPeers]) col.length = marks.signals;
      numbers.length = marks.numbers;
      c.shape[i] = LITERAL_ROW;
      c.itemId[i] = dict.of(JSON.stringify(s));
      continue;
    }
    c.shape[i] = dict.of(shape!);
    c.itemId[i] = isDerivedItemId(s) ? 0 : dict.of(s.itemId) + 1;
    c.identityId[i] = dict.of(s.identityId);
    c.entitlementId[i] = s.entitlementId === undefined ? NONE : dict.of(s.entitlementId);
    c.credentialId[i] = s.credentialId === undefined ? NONE : dict.of(s.credentialId);
    c.action[i] = dict.of(s.action);
    c.confidence[i] = s.confidence;
    c.riskTier[i] = dict.of(s.riskTier);
    c.decisionClass[i] = dict.of(s.decisionClass);
    c.engine[i] = dict.of(s.engine);
    c.policyDigest[i] = dict.of(s.policyDigest);
    c.riskReasons[i] = s.riskReasons === undefined ? NONE : json(s.riskReasons);
  }
  c.signalStart[n] = sigId.length;
  return {
    format: 1,
    count: n,
    strings: dict.list,
    ...c,
    sigShape: sigShape.done(), sigId: sigId.done(), sigTemplate: sigTemplate.done(), sigFlags: sigFlags.done(), sigValueKind: sigValueKind.done(), sigValue: sigValue.done(),
    sigThresholdKind: sigThresholdKind.done(), sigThreshold: sigThreshold.done(), sigVerdict: sigVerdict.done(), sigConfidence: sigConfidence.done(), sigPeers: sigPeers.done(),
    numbers: numbers.done(),
    peerShape: peerShape.done(), peerGroup: peerGroup.done(), peerSize: peerSize.done(), peerHolders, peerHolderCount: peerHolderCount.done(), peerMembers, peerMemberCount: peerMemberCount.done(),
  };
}

export function decodeSuggestions(c: SuggestionColumns): Suggestion[] {
  const { strings } = c;
  const parsed = new Map<number, unknown>();
  const shared = (i: number) => {
    let v = parsed.get(i);
    if (v === undefined) parsed.set(i, (v = JSON.parse(strings[i]!)));
    return v;
  };
  const split = new Map<number, string[]>();
  const parts = (i: number) => {
    let p = split.get(i);
    if (!p) split.set(i, (p = strings[i]!.split(MARK)));
    return p;
  };
  const shapes = new Map<number, string[]>();
  const keys = (i: number) => {
    let k = shapes.get(i);
    if (!k) shapes.set(i, (k = strings[i]!.split(',')));
    return k;
  };
  const peerObjects = new Map<number, unknown>();
  const peerRef = (p: number) => {
    let o = peerObjects.get(p);
    if (o === undefined) {
      const r: Record<string, unknown> = {};
      for (const key of keys(c.peerShape[p]!)) {
        if (key === 'group') r.group = strings[c.peerGroup[p]!];
        else if (key === 'size') r.size = c.peerSize[p];
        else if (key === 'holders') r.holders = c.peerHolderCount[p] ? c.peerHolders[p]!.split(ID_SEPARATOR) : [];
        else if (key === 'members') r.members = c.peerMemberCount[p] ? c.peerMembers[p]!.split(ID_SEPARATOR) : [];
      }
      peerObjects.set(p, (o = r));
    }
    return o;
  };
  const scalar = (kind: number, v: number): number | string | boolean | null => (kind === K_NUMBER ? v : kind === K_STRING ? strings[v]! : kind === K_TRUE ? true : kind === K_FALSE ? false : null);
  let cursor = 0;
  const message = (k: number): string => {
    if (c.sigFlags[k]! & LITERAL_MESSAGE) return strings[c.sigTemplate[k]!]!;
    const p = parts(c.sigTemplate[k]!);
    let out = p[0]!;
    for (let j = 1; j < p.length; j++) out += String(c.numbers[cursor++]!) + p[j]!;
    return out;
  };
  const out: Suggestion[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) {
    if (c.shape[i] === LITERAL_ROW) {
      out[i] = JSON.parse(strings[c.itemId[i]!]!) as Suggestion;
      continue;
    }
    const signals: Signal[] = [];
    for (let k = c.signalStart[i]!; k < c.signalStart[i + 1]!; k++) {
      const g: Record<string, unknown> = {};
      for (const key of keys(c.sigShape[k]!)) {
        if (key === 'id') g.id = strings[c.sigId[k]!];
        else if (key === 'message') g.message = message(k);
        else if (key === 'value') g.value = scalar(c.sigValueKind[k]!, c.sigValue[k]!);
        else if (key === 'threshold') g.threshold = scalar(c.sigThresholdKind[k]!, c.sigThreshold[k]!);
        else if (key === 'verdict') g.verdict = strings[c.sigVerdict[k]!];
        else if (key === 'confidence') g.confidence = c.sigConfidence[k];
        else if (key === 'peers') g.peers = peerRef(c.sigPeers[k]!);
      }
      signals.push(g as unknown as Signal);
    }
    const s: Record<string, unknown> = {};
    for (const key of keys(c.shape[i]!)) {
      switch (key) {
        case 'itemId':
          s.itemId = c.itemId[i] ? strings[c.itemId[i]! - 1] : undefined;
          break;
        case 'identityId':
          s.identityId = strings[c.identityId[i]!];
          break;
        case 'entitlementId':
          s.entitlementId = strings[c.entitlementId[i]!];
          break;
        case 'credentialId':
          s.credentialId = strings[c.credentialId[i]!];
          break;
        case 'action':
          s.action = strings[c.action[i]!];
          break;
        case 'confidence':
          s.confidence = c.confidence[i];
          break;
        case 'riskTier':
          s.riskTier = strings[c.riskTier[i]!];
          break;
        case 'decisionClass':
          s.decisionClass = strings[c.decisionClass[i]!];
          break;
        case 'signals':
          s.signals = signals;
          break;
        case 'engine':
          s.engine = strings[c.engine[i]!];
          break;
        case 'policyDigest':
          s.policyDigest = strings[c.policyDigest[i]!];
          break;
        case 'riskReasons':
          s.riskReasons = shared(c.riskReasons[i]!);
          break;
      }
    }
    if (s.itemId === undefined) s.itemId = derivedItemId(s as unknown as Suggestion);
    out[i] = s as unknown as Suggestion;
  }
  return out;
}

// The format 2 writer of suggestion columns, as the app shipped it: kept in the tests only, to make the chunks that
// users' databases still hold and check that they are read.
import { StringDictionary as Dictionary } from '../../shared/codec';
import type { Signal, Suggestion } from '../../shared/suggest';
import {
  ID_SEPARATOR,
  K_FALSE,
  K_NULL,
  K_NUMBER,
  K_STRING,
  K_TRUE,
  LITERAL_MESSAGE,
  LITERAL_ROW,
  MARK,
  NONE,
  PEER_KEYS,
  SIGNAL_KEYS,
  SUGGESTION_KEYS,
  type SuggestionColumnsV2,
} from '../../renderer/db/suggestion-columns-legacy';

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

/** Whether the item id is the one derivedItemId gives, compared in place (no string built per suggestion). */
function isDerivedItemId(s: Suggestion): boolean {
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

export function encodeSuggestionsV2(rows: readonly Suggestion[]): SuggestionColumnsV2 {
  const n = rows.length;
  const dict = new Dictionary();
  const shared = new Map<object, number>();
  const json = (o: object) => {
    let i = shared.get(o);
    if (i === undefined) shared.set(o, (i = dict.of(JSON.stringify(o))));
    return i;
  };
  const c = {
    shape: new Uint32Array(n),
    itemId: new Uint32Array(n),
    identityId: new Uint32Array(n),
    entitlementId: new Uint32Array(n),
    credentialId: new Uint32Array(n),
    action: new Uint32Array(n),
    confidence: new Float64Array(n),
    riskTier: new Uint32Array(n),
    decisionClass: new Uint32Array(n),
    engine: new Uint32Array(n),
    policyDigest: new Uint32Array(n),
    riskReasons: new Uint32Array(n),
    signalStart: new Uint32Array(n + 1),
  };
  const guess = Math.max(16, n * 6);
  const sigShape = u32(guess),
    sigId = u32(guess),
    sigTemplate = u32(guess),
    sigFlags = u8(guess),
    sigValueKind = u8(guess),
    sigValue = f64(guess);
  const sigThresholdKind = u8(guess),
    sigThreshold = f64(guess),
    sigVerdict = u32(guess),
    sigConfidence = f64(guess),
    sigPeers = u32(guess);
  const numbers = u32(guess * 4);
  const peerShape = u32(1024),
    peerGroup = u32(1024),
    peerSize = f64(1024),
    peerHolders = u32(1024),
    peerHolderSkip = u32(1024),
    peerMembers = u32(1024);
  const peerIndex = new Map<object, number>();
  const peerLists = new Map<number, string>();
  const signalLists = new Map<number, string>();
  const suggestionLists = new Map<number, string>();
  const lists: string[] = [];
  const listCount = u32(1024);
  const listOf = new Map<readonly string[], number>();
  /** Per group and entitlement: the full holder list last written (the subject's holders plus the subject). */
  const fullLists = new Map<string, Map<string, { ids: string[]; index: number; hits: number }>>();
  // The suggestion being encoded: its holder lists are read as "the group's holders but this identity".
  let subject = '';
  let subjectEnt: string | undefined;
  const clean = (list: unknown): list is string[] => {
    if (!Array.isArray(list)) return false;
    for (const x of list) if (typeof x !== 'string' || x.includes(ID_SEPARATOR)) return false;
    return true;
  };
  const addList = (ids: readonly string[]): number => {
    lists.push(ids.join(ID_SEPARATOR));
    listCount.push(ids.length);
    return lists.length - 1;
  };
  /** A list shared by several references (a person's nearest neighbours) is written once. */
  const sharedList = (ids: string[]): number => {
    let index = listOf.get(ids);
    if (index === undefined) listOf.set(ids, (index = addList(ids)));
    return index;
  };
  /** Position k when `h` is `full` without its k-th id, NONE when it is `full`, -1 otherwise (ids compared in place). */
  const without = (full: readonly string[], h: readonly string[]): number => {
    const n = h.length;
    if (n === full.length) {
      for (let k = 0; k < n; k++) if (full[k] !== h[k]) return -1;
      return NONE;
    }
    if (n + 1 !== full.length) return -1;
    let k = 0;
    while (k < n && full[k] === h[k]) k++;
    for (let q = k; q < n; q++) if (full[q + 1] !== h[q]) return -1;
    return k;
  };
  /** Holders of a group reference. Measured (1M manager-heavy assignments): one joined list per reference was
   * most of the 747 MiB written; every holder lists the same group holders but itself, so each is the full list
   * less one position. Correct for any input: a list that does not match is written as a full list of its own. */
  const holderList = (group: string, h: unknown): boolean => {
    if (subjectEnt !== undefined && Array.isArray(h) && !group.startsWith('nearest-neighbours:')) {
      let byEnt = fullLists.get(group);
      if (!byEnt) fullLists.set(group, (byEnt = new Map()));
      const known = byEnt.get(subjectEnt);
      const skip = known ? without(known.ids, h as string[]) : -1;
      if (skip !== -1) {
        known!.hits++;
        peerHolders.push(known!.index);
        peerHolderSkip.push(skip);
        return true;
      }
      if (!clean(h)) return false;
      let at = 0;
      while (at < h.length && h[at]! < subject) at++;
      const full = h[at] === subject ? h : [...h.slice(0, at), subject, ...h.slice(at)];
      const index = addList(full);
      // A list that matched before stays the group's (an odd list, e.g. of an identity outside the group, does not
      // displace it); one that never matched gives way to the next.
      if (!known || known.hits === 0) byEnt.set(subjectEnt, { ids: full, index, hits: 0 });
      peerHolders.push(index);
      peerHolderSkip.push(full === h ? NONE : at);
      return true;
    }
    if (!clean(h)) return false;
    peerHolders.push(addList(h));
    peerHolderSkip.push(NONE);
    return true;
  };
  /** The peer reference's index, or -1 when it has a form the columns do not foresee. */
  const peers = (p: Signal['peers']): number => {
    const known = peerIndex.get(p!);
    if (known !== undefined) return known;
    const shape = keysOf(p!, PEER_KEYS, peerLists);
    if (shape === null || typeof p!.group !== 'string' || typeof p!.size !== 'number') return -1;
    const members = p!.members;
    if (members !== undefined && !listOf.has(members) && !clean(members)) return -1;
    if (p!.holders === undefined) {
      peerHolders.push(NONE);
      peerHolderSkip.push(NONE);
    } else if (!holderList(p!.group, p!.holders)) return -1;
    const index = peerShape.length;
    peerShape.push(dict.of(shape));
    peerGroup.push(dict.of(p!.group));
    peerSize.push(p!.size);
    peerMembers.push(members === undefined ? NONE : sharedList(members));
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
    for (let i = 0; i < len;) {
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
    if ((g.verdict !== undefined && typeof g.verdict !== 'string') || (g.confidence !== undefined && typeof g.confidence !== 'number'))
      return false;
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
    subject = typeof s.identityId === 'string' ? s.identityId : '';
    subjectEnt = typeof s.entitlementId === 'string' ? s.entitlementId : undefined;
    const shape = keysOf(s, SUGGESTION_KEYS, suggestionLists);
    const marks = { signals: sigId.length, numbers: numbers.length };
    let ok =
      shape !== null &&
      typeof s.identityId === 'string' &&
      typeof s.itemId === 'string' &&
      Array.isArray(s.signals) &&
      typeof s.confidence === 'number';
    for (const k of ['entitlementId', 'credentialId', 'action', 'riskTier', 'decisionClass', 'engine', 'policyDigest'] as const)
      if (s[k] !== undefined && typeof s[k] !== 'string') ok = false;
    if (s.riskReasons !== undefined && !Array.isArray(s.riskReasons)) ok = false;
    if (ok) for (const g of s.signals) if (!(ok = signal(g))) break;
    if (!ok) {
      // Anything the columns do not foresee is kept whole, as JSON.
      for (const col of [
        sigShape,
        sigId,
        sigTemplate,
        sigFlags,
        sigValueKind,
        sigValue,
        sigThresholdKind,
        sigThreshold,
        sigVerdict,
        sigConfidence,
        sigPeers,
      ])
        col.length = marks.signals;
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
    format: 2,
    count: n,
    strings: dict.list,
    ...c,
    sigShape: sigShape.done(),
    sigId: sigId.done(),
    sigTemplate: sigTemplate.done(),
    sigFlags: sigFlags.done(),
    sigValueKind: sigValueKind.done(),
    sigValue: sigValue.done(),
    sigThresholdKind: sigThresholdKind.done(),
    sigThreshold: sigThreshold.done(),
    sigVerdict: sigVerdict.done(),
    sigConfidence: sigConfidence.done(),
    sigPeers: sigPeers.done(),
    numbers: numbers.done(),
    peerShape: peerShape.done(),
    peerGroup: peerGroup.done(),
    peerSize: peerSize.done(),
    peerHolders: peerHolders.done(),
    peerHolderSkip: peerHolderSkip.done(),
    peerMembers: peerMembers.done(),
    lists,
    listCount: listCount.done(),
  };
}

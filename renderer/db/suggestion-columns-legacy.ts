// Suggestion chunks of column formats 1 and 2, as earlier versions wrote them to users' databases: read, never
// written. Format 3 (suggestion-columns.ts) shares the constants and the derived item ids defined here.
import type { Signal, Suggestion } from '../../shared/suggest';

export interface SuggestionColumnsV2 {
  format: 2;
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
  /** Id lists of the chunk, each once: the ids joined by ID_SEPARATOR (joining is native and cheap; a dictionary
   * lookup per id, tens of millions at a million suggestions, is not), and how many ids each holds. */
  lists: string[];
  listCount: Uint32Array;
  /** Holders of peer reference p: a list (NONE: no holders) and the position left out of it (NONE: none). Every
   * holder of an entitlement in a group lists the others: one full list per group and entitlement, not one each. */
  peerHolders: Uint32Array;
  peerHolderSkip: Uint32Array;
  /** Members of peer reference p (nearest neighbours): a list, NONE when none. */
  peerMembers: Uint32Array;
  /** The digit runs taken out of the messages, in order. */
  numbers: Uint32Array;
}

/** Chunks written before format 2: each peer reference's holders and members joined on their own. */
export type SuggestionColumnsV1 = Omit<
  SuggestionColumnsV2,
  'format' | 'lists' | 'listCount' | 'peerHolders' | 'peerHolderSkip' | 'peerMembers'
> & {
  format: 1;
  peerHolders: string[];
  peerHolderCount: Uint32Array;
  peerMembers: string[];
  peerMemberCount: Uint32Array;
};

export const NONE = 0xffffffff;
export const LITERAL_ROW = 0xfffffffe;
export const MARK = '\u0001';
export const ID_SEPARATOR = '\u001e';
export const LITERAL_MESSAGE = 1;
// At most 15 keys each: keysOf numbers them in base 16 (12 suggestion keys give 12 digits, within exact doubles).
export const SUGGESTION_KEYS = [
  'itemId',
  'identityId',
  'entitlementId',
  'credentialId',
  'action',
  'confidence',
  'riskTier',
  'decisionClass',
  'signals',
  'engine',
  'policyDigest',
  'riskReasons',
];
export const SIGNAL_KEYS = ['id', 'message', 'value', 'threshold', 'verdict', 'confidence', 'peers'];
export const PEER_KEYS = ['group', 'size', 'holders', 'members'];
/** Scalar kinds of Signal.value / threshold. */
export const K_NULL = 0,
  K_NUMBER = 1,
  K_STRING = 2,
  K_TRUE = 3,
  K_FALSE = 4;

export function derivedItemId(s: Suggestion): string {
  if (s.entitlementId !== undefined && s.credentialId === undefined) return `a:${s.identityId}\u001f${s.entitlementId}`;
  if (s.credentialId !== undefined && s.entitlementId === undefined) return `c:${s.identityId}\u001f${s.credentialId}`;
  return `i:${s.identityId}`;
}

export function decodeLegacySuggestions(c: SuggestionColumnsV2 | SuggestionColumnsV1): Suggestion[] {
  const { strings } = c;
  const listSplit = new Map<number, string[]>();
  const list = (l: number): string[] => {
    const v2 = c as SuggestionColumnsV2;
    let ids = listSplit.get(l);
    if (!ids) listSplit.set(l, (ids = v2.listCount[l] ? v2.lists[l]!.split(ID_SEPARATOR) : []));
    return ids;
  };
  const holdersOf = (p: number): string[] => {
    if (c.format === 1) return c.peerHolderCount[p] ? c.peerHolders[p]!.split(ID_SEPARATOR) : [];
    const all = list(c.peerHolders[p]!);
    const skip = c.peerHolderSkip[p]!;
    if (skip === NONE) return all.slice();
    const out = new Array<string>(all.length - 1);
    for (let k = 0; k < skip; k++) out[k] = all[k]!;
    for (let k = skip + 1; k < all.length; k++) out[k - 1] = all[k]!;
    return out;
  };
  // Members lists are shared between references as the engine shares them (suggestions are immutable values).
  const membersOf = (p: number): string[] =>
    c.format === 1 ? (c.peerMemberCount[p] ? c.peerMembers[p]!.split(ID_SEPARATOR) : []) : list(c.peerMembers[p]!);
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
        else if (key === 'holders') r.holders = holdersOf(p);
        else if (key === 'members') r.members = membersOf(p);
      }
      peerObjects.set(p, (o = r));
    }
    return o;
  };
  const scalar = (kind: number, v: number): number | string | boolean | null =>
    kind === K_NUMBER ? v : kind === K_STRING ? strings[v]! : kind === K_TRUE ? true : kind === K_FALSE ? false : null;
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

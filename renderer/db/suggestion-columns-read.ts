// Reading suggestion chunks: format 3 here (see suggestion-columns.ts), formats 1 and 2 by the legacy reader.
import type { Signal, Suggestion } from '../../shared/suggest';
import {
  ID_SEPARATOR,
  K_FALSE,
  K_NUMBER,
  K_STRING,
  K_TRUE,
  LITERAL_MESSAGE,
  LITERAL_ROW,
  MARK,
  NONE,
  decodeLegacySuggestions,
  derivedItemId,
  type SuggestionColumnsV1,
  type SuggestionColumnsV2,
} from './suggestion-columns-legacy';
import type { Ints, SuggestionColumns } from './suggestion-columns-format';

/** A narrow column read back with NONE and LITERAL_ROW as themselves. */
function wide(col: Ints): Uint32Array {
  if (col instanceof Uint32Array) return col;
  const top = col instanceof Uint8Array ? 0xff : 0xffff;
  const out = new Uint32Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    out[i] = v === top ? NONE : v === top - 1 ? LITERAL_ROW : v;
  }
  return out;
}

export function decodeSuggestions(c: SuggestionColumns | SuggestionColumnsV2 | SuggestionColumnsV1): Suggestion[] {
  if (c.format !== 3) return decodeLegacySuggestions(c);
  const read = suggestionReader(c);
  const out: Suggestion[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) out[i] = read(i);
  return out;
}

/** Suggestion i of a format 3 chunk, decoded alone (signals, messages and peer references built on first use and
 * shared by the rows read after it): one item's detail reads one row, not the chunk. */
export function suggestionReader(c: SuggestionColumns): (i: number) => Suggestion {
  const { strings } = c;
  // The two columns read for their sentinels (LITERAL_ROW, NONE); the others' NONE is never read (the key is absent).
  const shape = wide(c.shape);
  const holderSkip = wide(c.peerHolderSkip);
  const listSplit: (string[] | undefined)[] = [];
  const list = (l: number): string[] => (listSplit[l] ??= c.listCount[l] ? c.lists[l]!.split(ID_SEPARATOR) : []);
  const holdersOf = (p: number): string[] => {
    const all = list(c.peerHolders[p]!);
    const skip = holderSkip[p]!;
    if (skip === NONE) return all.slice();
    const out = new Array<string>(all.length - 1);
    for (let k = 0; k < skip; k++) out[k] = all[k]!;
    for (let k = skip + 1; k < all.length; k++) out[k - 1] = all[k]!;
    return out;
  };
  const keyLists = new Map<number, string[]>();
  const keys = (i: number) => {
    let k = keyLists.get(i);
    if (!k) keyLists.set(i, (k = strings[i]!.split(',')));
    return k;
  };
  const parsed = new Map<number, unknown>();
  const shared = (i: number) => {
    let v = parsed.get(i);
    if (v === undefined) parsed.set(i, (v = JSON.parse(strings[i]!)));
    return v;
  };
  // Peer references, messages and signals are built once each and shared, as the engine shared them (suggestions
  // are immutable values).
  const peerObjects: (Record<string, unknown> | undefined)[] = [];
  const peerRef = (p: number) => {
    let r = peerObjects[p];
    if (r === undefined) {
      r = {};
      for (const key of keys(c.peerShape[p]!)) {
        if (key === 'group') r.group = strings[c.peerGroup[p]!];
        else if (key === 'size') r.size = c.peerSize[p];
        else if (key === 'holders') r.holders = holdersOf(p);
        else if (key === 'members') r.members = list(c.peerMembers[p]!);
      }
      peerObjects[p] = r;
    }
    return r;
  };
  const templates = new Map<number, string[]>();
  const messages: (string | undefined)[] = [];
  const message = (m: number): string => {
    let text = messages[m];
    if (text !== undefined) return text;
    if (c.msgFlags[m]! & LITERAL_MESSAGE) text = strings[c.msgTemplate[m]!]!;
    else {
      let p = templates.get(c.msgTemplate[m]!);
      if (!p) templates.set(c.msgTemplate[m]!, (p = strings[c.msgTemplate[m]!]!.split(MARK)));
      text = p[0]!;
      for (let j = 1, at = c.msgNumbers[m]!; j < p.length; j++) text += String(c.numbers[at++]!) + p[j]!;
    }
    return (messages[m] = text);
  };
  const scalar = (kind: number, v: number): number | string | boolean | null =>
    kind === K_NUMBER ? v : kind === K_STRING ? strings[v]! : kind === K_TRUE ? true : kind === K_FALSE ? false : null;
  const signals: (Signal | undefined)[] = [];
  const signal = (k: number): Signal => {
    const g = signals[k];
    if (g !== undefined) return g;
    const r: Record<string, unknown> = {};
    for (const key of keys(c.sigShape[k]!)) {
      if (key === 'id') r.id = strings[c.sigId[k]!];
      else if (key === 'message') r.message = message(c.sigMessage[k]!);
      else if (key === 'value') r.value = scalar(c.sigValueKind[k]!, c.sigValue[k]!);
      else if (key === 'threshold') r.threshold = scalar(c.sigThresholdKind[k]!, c.sigThreshold[k]!);
      else if (key === 'verdict') r.verdict = strings[c.sigVerdict[k]!];
      else if (key === 'confidence') r.confidence = c.sigConfidence[k];
      else if (key === 'peers') r.peers = peerRef(c.sigPeers[k]!);
    }
    return (signals[k] = r as unknown as Signal);
  };
  return (i) => {
    if (i < 0 || i >= c.count) throw new Error(`no suggestion ${i} in a chunk of ${c.count}`);
    if (shape[i] === LITERAL_ROW) return JSON.parse(strings[c.itemId[i]!]!) as Suggestion;
    const s: Record<string, unknown> = {};
    for (const key of keys(shape[i]!)) {
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
        case 'signals': {
          const end = c.signalStart[i + 1]!;
          const list = new Array<Signal>(end - c.signalStart[i]!);
          for (let k = c.signalStart[i]!, j = 0; k < end; k++, j++) list[j] = signal(c.signalRefs[k]!);
          s.signals = list;
          break;
        }
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
    return s as unknown as Suggestion;
  };
}

// Suggestions stored as typed columns: a million suggestions as JSON text are gigabytes. Strings are dictionary-encoded
// per chunk, numbers are typed arrays, each message is a shared template and its digit runs. Format 3 writes each
// distinct Signal object, message and peer reference once per chunk (the engine shares them; found by identity and
// by text, no key text built); suggestions list their signals by index. Decoding (suggestion-columns-read.ts) gives
// back the same JSON value, with the engine's sharing. Formats 1 and 2: suggestion-columns-legacy.ts.
import { StringDictionary } from '../../shared/codec';
import type { Signal, Suggestion } from '../../shared/suggest';
import {
  ID_SEPARATOR,
  K_NUMBER,
  K_STRING,
  LITERAL_MESSAGE,
  LITERAL_ROW,
  MARK,
  NONE,
  PEER_KEYS,
  SIGNAL_KEYS,
  SUGGESTION_KEYS,
} from './suggestion-columns-legacy';

export type { SuggestionColumnsV1, SuggestionColumnsV2 } from './suggestion-columns-legacy';
export { decodeSuggestions } from './suggestion-columns-read';
import type { SuggestionColumns } from './suggestion-columns-format';
import { Sharing } from './suggestion-columns-sharing';
import { STRING_FIELDS, isDerivedItemId, keysOf, narrow, perRowColumns, scalarKind, scratchColumns } from './suggestion-columns-scratch';
export type { Ints, SuggestionColumns } from './suggestion-columns-format';

/** An encoder for the chunks of one set: its working columns are kept from one chunk to the next. */
export function suggestionEncoder(): (rows: readonly Suggestion[], from?: number, to?: number) => SuggestionColumns {
  const scratch = scratchColumns();
  return (rows, from = 0, to = rows.length) => encode(scratch, rows, from, to);
}

/** Suggestions rows[from .. to) as one chunk of columns. */
export function encodeSuggestions(rows: readonly Suggestion[], from = 0, to = rows.length): SuggestionColumns {
  return encode(scratchColumns(), rows, from, to);
}

function encode(scratch: Scratch, rows: readonly Suggestion[], from: number, to: number): SuggestionColumns {
  const chunk = startChunk(scratch, to - from);
  chunk.add(rows, from, to);
  return chunk.finish();
}

/** One chunk being written, its suggestions added in order as they come; `finish()` gives the chunk. */
export interface ChunkWriter {
  add(rows: readonly Suggestion[], from?: number, to?: number): void;
  /** Suggestions added so far. */
  readonly count: number;
  finish(): SuggestionColumns;
}

/**
 * A writer of consecutive chunks of one set (its working columns kept from one chunk to the next), fed as the engine
 * hands suggestions over. Adding a chunk's suggestions a few thousand at a time gives the same bytes as encoding
 * them at once (the encoder reads them in order and keeps nothing of what comes after), and lets each suggestion die
 * young: at a million assignments, a 50,000-suggestion batch held until encoded survived into the old generation
 * (collector 5.9 s of a part's 21 s CPU).
 */
export function suggestionChunkWriter(): () => ChunkWriter {
  const scratch = scratchColumns();
  return () => startChunk(scratch, 0);
}

type Scratch = ReturnType<typeof scratchColumns>;

function startChunk(scratch: Scratch, expected: number): ChunkWriter {
  let n = 0;
  const dict = new StringDictionary();
  // Strings most suggestions share (engine, digest, tiers) are found by the last one seen: no hashing per suggestion.
  const memo = (): ((s: string) => number) => {
    let last: string | undefined;
    let index = 0;
    return (s) => {
      if (s !== last) {
        index = dict.of(s);
        last = s;
      }
      return index;
    };
  };
  const sharedJson = new Map<object, number>();
  const json = (o: object) => {
    let i = sharedJson.get(o);
    if (i === undefined) sharedJson.set(o, (i = dict.of(JSON.stringify(o))));
    return i;
  };
  if (scratch.perRow.capacity < expected + 1) scratch.perRow = perRowColumns(expected + 1);
  let c = scratch.perRow;
  /** Room for `more` rows and the end of the last one's signals. */
  const reserve = (more: number) => {
    if (c.capacity >= n + more + 1) return;
    const grown = perRowColumns(Math.max(n + more + 1, c.capacity * 2));
    for (const key of Object.keys(grown) as (keyof typeof grown)[]) if (key !== 'capacity') grown[key].set(c[key].subarray(0, n));
    scratch.perRow = c = grown;
  };
  const identityOf = memo(),
    actionOf = memo(),
    tierOf = memo(),
    classOf = memo(),
    engineOf = memo(),
    digestOf = memo(),
    shapeOf = memo(),
    sigIdOf = memo(),
    sigShapeOf = memo(),
    verdictOf = memo(),
    peerShapeOf = memo(),
    peerGroupOf = memo();
  const {
    signalRefs,
    sigShape,
    sigId,
    sigMessage,
    sigValueKind,
    sigValue,
    sigThresholdKind,
    sigThreshold,
    sigVerdict,
    sigConfidence,
    sigPeers,
    msgTemplate,
    msgFlags,
    msgNumbers,
    numbers,
    peerShape,
    peerGroup,
    peerSize,
    peerHolders,
    peerHolderSkip,
    peerMembers,
    listCount,
  } = scratch.columns;
  for (const col of Object.values(scratch.columns)) col.length = 0;
  msgNumbers.push(0);
  /** Distinct Signal objects, messages and peer references: index in their columns, or -1 when the columns do not
   * foresee their form (the suggestion is then kept whole, as JSON). */
  const signalIndex = new Map<object, number>();
  /** Per signal id (signals of one id are alike: all fresh, or shared by the suggestions of an entitlement). */
  const sharingById = new Map<unknown, { signals: Sharing; messages: Sharing; peers: Sharing }>();
  const sharingOf = (id: unknown) => {
    let sharing = sharingById.get(id);
    if (!sharing) sharingById.set(id, (sharing = { signals: new Sharing(), messages: new Sharing(), peers: new Sharing() }));
    return sharing;
  };
  /** Where the message being split is cut: the start and end of each piece around its digit runs. */
  const cuts: number[] = [];
  const messageIndex = new Map<string, number>();
  /** The chunk's message templates by their hash (30 bits: a small integer key). */
  const templatesByHash = new Map<number, { text: string; index: number }>();
  const peerIndex = new Map<object, number>();
  const peerLists = new Map<number, string>();
  const signalLists = new Map<number, string>();
  const suggestionLists = new Map<number, string>();
  const lists: string[] = [];
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
  /** Holders of a group reference: every holder lists the same group holders but itself, so each is the full list
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
      let full = h;
      if (h[at] !== subject) {
        // One array, not three (slices and a spread): a list is made for most rare grants.
        full = new Array<string>(h.length + 1);
        for (let k = 0; k < at; k++) full[k] = h[k]!;
        full[at] = subject;
        for (let k = at; k < h.length; k++) full[k + 1] = h[k]!;
      }
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
  /** The peer reference's index, or -1. A reference is written once per chunk, read as its first holder saw it. */
  const peers = (p: NonNullable<Signal['peers']>, sharing: Sharing): number => {
    const look = sharing.on;
    if (look) {
      const known = peerIndex.get(p);
      sharing.saw(known !== undefined);
      if (known !== undefined) return known;
    }
    const shape = keysOf(p, PEER_KEYS, peerLists);
    const members = p.members;
    if (
      shape === null ||
      typeof p.group !== 'string' ||
      typeof p.size !== 'number' ||
      (members !== undefined && !listOf.has(members) && !clean(members))
    ) {
      peerIndex.set(p, -1);
      return -1;
    }
    if (p.holders === undefined) {
      peerHolders.push(NONE);
      peerHolderSkip.push(NONE);
    } else if (!holderList(p.group, p.holders)) {
      // Whether a list fits does not depend on the subject: a list is refused only for what it holds.
      peerIndex.set(p, -1);
      return -1;
    }
    const index = peerShape.length;
    peerShape.push(peerShapeOf(shape));
    peerGroup.push(peerGroupOf(p.group));
    peerSize.push(p.size);
    peerMembers.push(members === undefined ? NONE : sharedList(members));
    if (look) peerIndex.set(p, index);
    return index;
  };
  /** The message's index: each distinct text once, split into its template and digit runs. */
  const message = (text: string, sharing: Sharing): number => {
    let m: number | undefined;
    if (sharing.on) {
      m = messageIndex.get(text);
      sharing.saw(m !== undefined);
      if (m !== undefined) return m;
      m = msgTemplate.length;
      messageIndex.set(text, m);
    } else m = msgTemplate.length;
    // Digit runs of 1–9 digits without a leading zero go to `numbers` (parsed in the same pass); the rest of the
    // text, joined by MARK, is the template. The same pass hashes the template, which finds it among the chunk's
    // templates (a few hundred) once compared in place: no piece is cut, joined or looked up by text for a template
    // seen before. A text holding MARK is kept whole.
    cuts.length = 0;
    const numbersFrom = numbers.length;
    let hash = 0;
    let last = 0;
    const len = text.length;
    for (let i = 0; i < len;) {
      const ch = text.charCodeAt(i);
      if (ch < 48 || ch > 57) {
        if (ch === 1) {
          numbers.length = numbersFrom;
          msgFlags.push(LITERAL_MESSAGE);
          msgTemplate.push(dict.of(text));
          msgNumbers.push(numbers.length);
          return m;
        }
        hash = (Math.imul(hash, 31) + ch) | 0;
        i++;
        continue;
      }
      let j = i + 1;
      let value = ch - 48;
      while (j < len) {
        const d = text.charCodeAt(j);
        if (d < 48 || d > 57) break;
        value = value * 10 + d - 48;
        j++;
      }
      if (j - i <= 9 && (j - i === 1 || ch !== 48)) {
        cuts.push(last, i);
        numbers.push(value);
        last = j;
        hash = (Math.imul(hash, 31) + 1) | 0;
      } else {
        // A run kept in the template (too long, or a leading zero): its digits are template text.
        for (let q = i; q < j; q++) hash = (Math.imul(hash, 31) + text.charCodeAt(q)) | 0;
      }
      i = j;
    }
    cuts.push(last, len);
    msgFlags.push(0);
    msgTemplate.push(template(text, hash & 0x3fffffff));
    msgNumbers.push(numbers.length);
    return m;
  };
  /** The template of the text cut at `cuts`: the chunk's template of that hash when it is the same text, else the
   * pieces joined (a hash met first keeps its template). */
  const template = (text: string, hash: number): number => {
    const known = templatesByHash.get(hash);
    if (known !== undefined && sameTemplate(text, known.text)) return known.index;
    const segments = cuts.length / 2;
    let joined = text;
    if (segments > 1) {
      joined = text.slice(cuts[0]!, cuts[1]!);
      for (let k = 1; k < segments; k++) joined += MARK + text.slice(cuts[2 * k]!, cuts[2 * k + 1]!);
    }
    const index = dict.of(joined);
    if (known === undefined) templatesByHash.set(hash, { text: joined, index });
    return index;
  };
  /** Whether the text cut at `cuts` has the template `t` (its pieces joined by MARK), compared in place. */
  const sameTemplate = (text: string, t: string): boolean => {
    let p = 0;
    for (let k = 0; k < cuts.length; k += 2) {
      if (k > 0 && t.charCodeAt(p++) !== 1) return false;
      const to = cuts[k + 1]!;
      for (let q = cuts[k]!; q < to; q++) if (t.charCodeAt(p++) !== text.charCodeAt(q)) return false;
    }
    return p === t.length;
  };
  /** The distinct signal's index, or -1. Nothing is written for a signal that does not fit. */
  const signal = (g: Signal): number => {
    const sharing = sharingOf(g.id);
    const look = sharing.signals.on;
    let index: number | undefined;
    if (look) {
      index = signalIndex.get(g);
      sharing.signals.saw(index !== undefined);
      if (index !== undefined) return index;
    }
    index = -1;
    const shape = keysOf(g, SIGNAL_KEYS, signalLists);
    const valueKind = scalarKind(g.value);
    const thresholdKind = scalarKind(g.threshold);
    const peerRef =
      shape === null ||
      typeof g.id !== 'string' ||
      typeof g.message !== 'string' ||
      (g.verdict !== undefined && typeof g.verdict !== 'string') ||
      (g.confidence !== undefined && typeof g.confidence !== 'number') ||
      valueKind < 0 ||
      thresholdKind < 0
        ? -1
        : g.peers === undefined
          ? NONE
          : typeof g.peers === 'object' && g.peers !== null
            ? peers(g.peers, sharing.peers)
            : -1;
    if (peerRef !== -1) {
      index = sigId.length;
      sigShape.push(sigShapeOf(shape!));
      sigId.push(sigIdOf(g.id));
      sigMessage.push(message(g.message, sharing.messages));
      sigValueKind.push(valueKind);
      sigValue.push(valueKind === K_NUMBER ? (g.value as number) : valueKind === K_STRING ? dict.of(g.value as string) : 0);
      sigThresholdKind.push(thresholdKind);
      sigThreshold.push(
        thresholdKind === K_NUMBER ? (g.threshold as number) : thresholdKind === K_STRING ? dict.of(g.threshold as string) : 0,
      );
      sigVerdict.push(g.verdict === undefined ? NONE : verdictOf(g.verdict));
      sigConfidence.push(g.confidence ?? 0);
      sigPeers.push(peerRef);
    }
    if (look) signalIndex.set(g, index);
    return index;
  };
  const add = (rows: readonly Suggestion[], from = 0, to = rows.length): void => {
    reserve(to - from);
    for (let r = from; r < to; r++) {
      const s = rows[r]!;
      const i = n++;
      c.signalStart[i] = signalRefs.length;
      subject = typeof s.identityId === 'string' ? s.identityId : '';
      subjectEnt = typeof s.entitlementId === 'string' ? s.entitlementId : undefined;
      const shape = keysOf(s, SUGGESTION_KEYS, suggestionLists);
      let ok =
        shape !== null &&
        typeof s.identityId === 'string' &&
        typeof s.itemId === 'string' &&
        Array.isArray(s.signals) &&
        typeof s.confidence === 'number' &&
        (s.riskReasons === undefined || Array.isArray(s.riskReasons));
      for (let k = 0; ok && k < STRING_FIELDS.length; k++) {
        const v = s[STRING_FIELDS[k]!];
        if (v !== undefined && typeof v !== 'string') ok = false;
      }
      if (ok)
        for (const g of s.signals) {
          const index = signal(g);
          if (index < 0) {
            ok = false;
            break;
          }
          signalRefs.push(index);
        }
      if (!ok) {
        // Anything the columns do not foresee is kept whole, as JSON.
        signalRefs.length = c.signalStart[i]!;
        c.shape[i] = LITERAL_ROW;
        c.itemId[i] = dict.of(JSON.stringify(s));
        c.identityId[i] = c.entitlementId[i] = c.credentialId[i] = c.action[i] = c.confidence[i] = c.riskTier[i] = 0;
        c.decisionClass[i] = c.engine[i] = c.policyDigest[i] = c.riskReasons[i] = 0;
        continue;
      }
      c.shape[i] = shapeOf(shape!);
      c.itemId[i] = isDerivedItemId(s) ? 0 : dict.of(s.itemId) + 1;
      c.identityId[i] = identityOf(s.identityId);
      c.entitlementId[i] = s.entitlementId === undefined ? NONE : dict.of(s.entitlementId);
      c.credentialId[i] = s.credentialId === undefined ? NONE : dict.of(s.credentialId);
      c.action[i] = actionOf(s.action);
      c.confidence[i] = s.confidence;
      c.riskTier[i] = tierOf(s.riskTier);
      c.decisionClass[i] = classOf(s.decisionClass);
      c.engine[i] = engineOf(s.engine);
      c.policyDigest[i] = digestOf(s.policyDigest);
      c.riskReasons[i] = s.riskReasons === undefined ? NONE : json(s.riskReasons);
    }
  };
  const finish = (): SuggestionColumns => {
    c.signalStart[n] = signalRefs.length;
    return {
      format: 3,
      count: n,
      strings: dict.list,
      shape: narrow(c.shape, n),
      itemId: narrow(c.itemId, n),
      identityId: narrow(c.identityId, n),
      entitlementId: narrow(c.entitlementId, n),
      credentialId: narrow(c.credentialId, n),
      action: narrow(c.action, n),
      confidence: c.confidence.slice(0, n),
      riskTier: narrow(c.riskTier, n),
      decisionClass: narrow(c.decisionClass, n),
      engine: narrow(c.engine, n),
      policyDigest: narrow(c.policyDigest, n),
      riskReasons: narrow(c.riskReasons, n),
      signalStart: narrow(c.signalStart, n + 1),
      signalRefs: signalRefs.ints(),
      sigShape: sigShape.ints(),
      sigId: sigId.ints(),
      sigMessage: sigMessage.ints(),
      sigValueKind: sigValueKind.done(),
      sigValue: sigValue.done(),
      sigThresholdKind: sigThresholdKind.done(),
      sigThreshold: sigThreshold.done(),
      sigVerdict: sigVerdict.ints(),
      sigConfidence: sigConfidence.done(),
      sigPeers: sigPeers.ints(),
      msgTemplate: msgTemplate.ints(),
      msgFlags: msgFlags.done(),
      msgNumbers: msgNumbers.ints(),
      numbers: numbers.ints(),
      peerShape: peerShape.ints(),
      peerGroup: peerGroup.ints(),
      peerSize: peerSize.done(),
      peerHolders: peerHolders.ints(),
      peerHolderSkip: peerHolderSkip.ints(),
      peerMembers: peerMembers.ints(),
      lists,
      listCount: listCount.ints(),
    };
  };
  return {
    add,
    get count() {
      return n;
    },
    finish,
  };
}

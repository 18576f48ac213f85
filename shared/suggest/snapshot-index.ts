// The index every signal reads, built once per run: identities and entitlements by position, assignments as typed
// arrays (identity, entitlement, last use, grant date, source, usage known, the link inherited through), entitlement
// sets per identity and, on demand, holders per entitlement. Signals never look anything up by string in their hot
// loops. Assignments are read from their column chunks (a snapshot's rows arrive so in the app's workers; plain rows
// are encoded first): no object per assignment.
import type { AssignmentColumns, ColumnarSnapshotData, Entitlement, Identity, SnapshotData } from '../model';
import { DAY_MS, NO_STRING, PATH_SEPARATOR, encodeAssignmentChunks, parseInstant } from '../model';
import { buildEntitlementSets, type EntitlementSets } from './peers';
import { PRIV_LEVEL, fastDate } from './helpers';

/** What the engine reads: a snapshot's records with its assignments as rows or as column chunks. */
export type SuggestInput = SnapshotData | ColumnarSnapshotData;

export interface SnapshotIndex {
  /** The records (identities, entitlements, credentials, links); assignments only through the arrays below. */
  data: Omit<SnapshotData, 'assignments'>;
  asOf: number;
  identities: Identity[];
  entitlements: Entitlement[];
  nI: number;
  nE: number;
  nA: number;
  identIndex: Map<string, number>;
  entIndex: Map<string, number>;
  /** Entitlement → privilege level 0..3. */
  entLevel: Uint8Array;
  /** Entitlement → application index (into `applications`). */
  entApp: Int32Array;
  applications: string[];
  /** Assignment → identity / entitlement index (-1: not in the snapshot). */
  aIdent: Int32Array;
  aEnt: Int32Array;
  /** Assignment → its last use / grant date as an index into `dates` (epoch ms; slot 0 is NaN: none). Dates repeat
   * across millions of rows: two bytes a row where fewer than 65,536 differ, instead of eight. */
  aLastUsed: Uint16Array | Uint32Array;
  aGranted: Uint16Array | Uint32Array;
  dates: Float64Array;
  /** Assignment → its source (index into `sources`; an absent source reads as ''). */
  aSource: Uint16Array | Int32Array;
  sources: string[];
  /** Assignment → 0 field absent, 1 usage known, 2 the source reports no usage data for it. */
  aUsageKnown: Uint8Array;
  /** Assignment → the direct grant it inherits through (the path's last id, index into `vias`; -1 direct); null when
   * no assignment is inherited. */
  aVia: Int32Array | null;
  vias: string[];
  /** An assignment's identity and entitlement ids (read from its chunk when not in the snapshot). */
  identityIdOf: (a: number) => string;
  entitlementIdOf: (a: number) => string;
  sets: EntitlementSets;
  /** Identity → highest privilege level held (-1: none) and the entitlement behind it. */
  maxLevel: Int8Array;
  maxLevelEnt: Int32Array;
  /** Identity → 1 when an active person (the only peers compared with). */
  activeHuman: Uint8Array;
  /** ISO date or instant → epoch ms (NaN when absent or unreadable). */
  ms: (text: string | undefined) => number;
  /** Whole days from an epoch ms to asOf. */
  daysSince: (t: number) => number;
  /** Entitlement → identities holding it (CSR), built on first use. */
  holders: () => { start: Int32Array; ids: Int32Array };
  /** Identity → rank by id and back (ties by position), built on first use: lists sorted by id without comparing strings. */
  idRanks: () => { rankOf: Int32Array; byRank: Int32Array; idByRank: string[] };
}

export function buildIndex(input: SuggestInput, asOf: number): SnapshotIndex {
  const { data, chunks } = columnar(input);
  const dateCache = new Map<string, number>();
  const ms = (text: string | undefined): number => {
    if (text === undefined || text === '') return Number.NaN;
    if (text.length === 10) {
      const d = fastDate(text);
      if (d === d) return d; // not NaN
    }
    let v = dateCache.get(text);
    if (v === undefined) {
      v = parseInstant(text);
      dateCache.set(text, v);
    }
    return v;
  };
  const daysSince = (t: number) => Math.floor((asOf - t) / DAY_MS);
  const identities = data.identities;
  const nI = identities.length;
  const identIndex = new Map<string, number>();
  for (let i = 0; i < nI; i++) if (!identIndex.has(identities[i]!.id)) identIndex.set(identities[i]!.id, i);
  const entitlements = data.entitlements;
  const nE = entitlements.length;
  const entIndex = new Map<string, number>();
  for (let e = 0; e < nE; e++) if (!entIndex.has(entitlements[e]!.id)) entIndex.set(entitlements[e]!.id, e);
  const entLevel = new Uint8Array(nE);
  const entApp = new Int32Array(nE);
  const appIndex = new Map<string, number>();
  const applications: string[] = [];
  for (let e = 0; e < nE; e++) {
    const x = entitlements[e]!;
    entLevel[e] = PRIV_LEVEL[x.privilege] ?? 1;
    let k = appIndex.get(x.application);
    if (k === undefined) {
      appIndex.set(x.application, (k = applications.length));
      applications.push(x.application);
    }
    entApp[e] = k;
  }
  const rows = readAssignments(chunks, identIndex, entIndex, ms);
  const { nA, aIdent, aEnt } = rows;
  const sets = buildEntitlementSets(nI, aIdent, aEnt);
  const maxLevel = new Int8Array(nI).fill(-1);
  const maxLevelEnt = new Int32Array(nI).fill(-1);
  for (let a = 0; a < nA; a++) {
    const i = aIdent[a]!;
    const e = aEnt[a]!;
    if (i < 0 || e < 0) continue;
    if (entLevel[e]! > maxLevel[i]!) {
      maxLevel[i] = entLevel[e]!;
      maxLevelEnt[i] = e;
    }
  }
  const activeHuman = new Uint8Array(nI);
  for (let i = 0; i < nI; i++) activeHuman[i] = identities[i]!.type === 'human' && identities[i]!.status === 'active' ? 1 : 0;
  let holderCsr: { start: Int32Array; ids: Int32Array } | null = null;
  const holders = () => {
    if (!holderCsr) {
      const start = new Int32Array(nE + 1);
      for (let k = 0; k < sets.ents.length; k++) start[sets.ents[k]! + 1]!++;
      for (let x = 0; x < nE; x++) start[x + 1]! += start[x]!;
      const fill = start.slice(0, nE);
      const ids = new Int32Array(sets.ents.length);
      for (let who = 0; who < nI; who++) for (let k = sets.start[who]!; k < sets.start[who + 1]!; k++) ids[fill[sets.ents[k]!]!++] = who;
      holderCsr = { start, ids };
    }
    return holderCsr;
  };
  let ranks: { rankOf: Int32Array; byRank: Int32Array; idByRank: string[] } | null = null;
  const idRanks = () => {
    if (!ranks) {
      const byRank = Int32Array.from({ length: nI }, (_, k) => k).sort((x, y) =>
        identities[x]!.id < identities[y]!.id ? -1 : identities[x]!.id > identities[y]!.id ? 1 : x - y,
      );
      const rankOf = new Int32Array(nI);
      const idByRank = new Array<string>(nI);
      for (let r = 0; r < nI; r++) {
        rankOf[byRank[r]!] = r;
        idByRank[r] = identities[byRank[r]!]!.id;
      }
      ranks = { rankOf, byRank, idByRank };
    }
    return ranks;
  };
  return {
    data,
    asOf,
    identities,
    entitlements,
    nI,
    nE,
    nA,
    identIndex,
    entIndex,
    entLevel,
    entApp,
    applications,
    aIdent,
    aEnt,
    aLastUsed: rows.aLastUsed,
    aGranted: rows.aGranted,
    dates: rows.dates,
    aSource: rows.aSource,
    sources: rows.sources,
    aUsageKnown: rows.aUsageKnown,
    aVia: rows.aVia,
    vias: rows.vias,
    identityIdOf: (a) => (aIdent[a]! >= 0 ? identities[aIdent[a]!]!.id : rows.cell(a, 'identity')),
    entitlementIdOf: (a) => (aEnt[a]! >= 0 ? entitlements[aEnt[a]!]!.id : rows.cell(a, 'entitlement')),
    sets,
    maxLevel,
    maxLevelEnt,
    activeHuman,
    ms,
    daysSince,
    holders,
    idRanks,
  };
}

/** The records and the assignments' chunks: a columnar snapshot as it is, plain rows encoded. */
function columnar(input: SuggestInput): { data: Omit<SnapshotData, 'assignments'>; chunks: readonly AssignmentColumns[] } {
  if ('assignmentChunks' in input) {
    const { assignmentChunks, ...data } = input;
    return { data, chunks: assignmentChunks };
  }
  const { assignments, ...data } = input;
  return { data, chunks: encodeAssignmentChunks(assignments) };
}

const UNSEEN = -2;

/**
 * The assignments' typed arrays, filled chunk by chunk: each chunk's dictionary indexes are mapped to identity,
 * entitlement and source positions, and its dates parsed, once per distinct string of the chunk.
 */
function readAssignments(
  chunks: readonly AssignmentColumns[],
  identIndex: Map<string, number>,
  entIndex: Map<string, number>,
  ms: (text: string | undefined) => number,
) {
  const starts = new Int32Array(chunks.length + 1);
  chunks.forEach((c, k) => (starts[k + 1] = starts[k]! + c.identity.length));
  const nA = starts[chunks.length]!;
  const aIdent = new Int32Array(nA);
  const aEnt = new Int32Array(nA);
  let aLastUsed: Uint16Array | Uint32Array = new Uint16Array(nA);
  let aGranted: Uint16Array | Uint32Array = new Uint16Array(nA);
  const dateSlot = new Map<number, number>();
  const dates: number[] = [Number.NaN];
  const aUsageKnown = new Uint8Array(nA);
  const sourceIndex = new Map<string, number>();
  const sources: string[] = [];
  const sourceRows = new Int32Array(nA);
  const viaIndex = new Map<string, number>();
  const vias: string[] = [];
  let aVia: Int32Array | null = null;
  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k]!;
    const s = c.strings;
    const base = starts[k]!;
    const n = c.identity.length;
    const identOf = new Int32Array(s.length).fill(UNSEEN);
    const entOf = new Int32Array(s.length).fill(UNSEEN);
    const sourceOf = new Int32Array(s.length).fill(UNSEEN);
    const dateOf = new Int32Array(s.length).fill(UNSEEN);
    const date = (x: number): number => {
      if (x === NO_STRING) return 0;
      let k = dateOf[x]!;
      if (k === UNSEEN) {
        const v = ms(s[x]);
        k = v !== v ? 0 : (dateSlot.get(v) ?? -1);
        if (k < 0) {
          dateSlot.set(v, (k = dates.length));
          dates.push(v);
          // The 65,537th distinct date: four bytes a row from here on.
          if (k === 0x10000) {
            aLastUsed = Uint32Array.from(aLastUsed);
            aGranted = Uint32Array.from(aGranted);
          }
        }
        dateOf[x] = k;
      }
      return k;
    };
    const { identity, entitlement, grantedAt, lastUsedAt, source } = c;
    for (let r = 0; r < n; r++) {
      const a = base + r;
      const x = identity[r]!;
      let i = identOf[x]!;
      if (i === UNSEEN) identOf[x] = i = identIndex.get(s[x]!) ?? -1;
      aIdent[a] = i;
      const y = entitlement[r]!;
      let e = entOf[y]!;
      if (e === UNSEEN) entOf[y] = e = entIndex.get(s[y]!) ?? -1;
      aEnt[a] = e;
      // Read first: date() may widen the arrays, and an assignment's target is taken before its value.
      const l = date(lastUsedAt[r]!);
      const g = date(grantedAt[r]!);
      aLastUsed[a] = l;
      aGranted[a] = g;
      const z = source[r]!;
      let src = z === NO_STRING ? UNSEEN : sourceOf[z]!;
      if (src === UNSEEN) {
        const text = z === NO_STRING ? '' : s[z]!;
        src = sourceIndex.get(text) ?? -1;
        if (src < 0) {
          sourceIndex.set(text, (src = sources.length));
          sources.push(text);
        }
        if (z !== NO_STRING) sourceOf[z] = src;
      }
      sourceRows[a] = src;
    }
    aUsageKnown.set(c.usageKnown, base);
    const path = c.path;
    if (path) {
      aVia ??= new Int32Array(nA).fill(-1);
      const viaOf = new Int32Array(s.length).fill(UNSEEN);
      for (let r = 0; r < n; r++) {
        const p = path[r]!;
        if (p === NO_STRING) continue;
        let v = viaOf[p]!;
        if (v === UNSEEN) {
          const text = s[p]!;
          const last = text.slice(text.lastIndexOf(PATH_SEPARATOR) + 1);
          v = viaIndex.get(last) ?? -1;
          if (v < 0) {
            viaIndex.set(last, (v = vias.length));
            vias.push(last);
          }
          viaOf[p] = v;
        }
        aVia[base + r] = v;
      }
    }
  }
  // Sources are few: two bytes a row where they fit.
  const aSource = sources.length <= 0xffff ? Uint16Array.from(sourceRows) : sourceRows;
  /** A row's id string from its chunk (rows whose identity or entitlement is not in the snapshot). */
  const cell = (a: number, column: 'identity' | 'entitlement'): string => {
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= a) lo = mid;
      else hi = mid - 1;
    }
    const c = chunks[lo]!;
    return c.strings[c[column][a - starts[lo]!]!]!;
  };
  return {
    nA,
    aIdent,
    aEnt,
    aLastUsed,
    aGranted,
    dates: Float64Array.from(dates),
    aUsageKnown,
    aSource,
    sources,
    aVia,
    vias,
    cell,
  };
}

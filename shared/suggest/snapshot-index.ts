// The index every signal reads, built once per run: identities and entitlements by position, assignments as typed
// arrays (identity, entitlement, last use, grant date), entitlement sets per identity and, on demand, holders per
// entitlement. Signals never look anything up by string in their hot loops.
import type { Assignment, Entitlement, Identity, SnapshotData } from '../model';
import { DAY_MS, parseInstant } from '../model';
import { buildEntitlementSets, type EntitlementSets } from './peers';
import { PRIV_LEVEL, fastDate } from './helpers';

export interface SnapshotIndex {
  data: SnapshotData;
  asOf: number;
  identities: Identity[];
  entitlements: Entitlement[];
  assignments: Assignment[];
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
  /** Assignment → epoch ms of last use / grant (NaN: none). */
  lastUsed: Float64Array;
  granted: Float64Array;
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

export function buildIndex(data: SnapshotData, asOf: number): SnapshotIndex {
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
  const assignments = data.assignments;
  const nA = assignments.length;
  const aIdent = new Int32Array(nA);
  const aEnt = new Int32Array(nA);
  const lastUsed = new Float64Array(nA);
  const granted = new Float64Array(nA);
  // Exports list an identity's grants together: reuse the previous row's lookup when the id repeats.
  let prevIdentity = '';
  let prevIndex = -1;
  for (let a = 0; a < nA; a++) {
    const x = assignments[a]!;
    if (x.identityId !== prevIdentity) {
      prevIdentity = x.identityId;
      prevIndex = identIndex.get(prevIdentity) ?? -1;
    }
    aIdent[a] = prevIndex;
    aEnt[a] = entIndex.get(x.entitlementId) ?? -1;
    lastUsed[a] = ms(x.lastUsedAt);
    granted[a] = ms(x.grantedAt);
  }
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
    assignments,
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
    lastUsed,
    granted,
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

// The direct grant behind inherited access: a group (or role, or rule) whose members mostly do not use what it
// grants. For each nesting link X → E, the members of X who hold E and whose use of E is judged by the disuse
// signal (usage covered for their application and source, as unused-access decides it) are counted; when enough of
// them have not used E within its window, every item inheriting E through X says so, naming the link to cut.
// The signal states evidence about the group's grant, not about the person: it carries no verdict of its own.
import type { Policy } from './policy';
import { buildIndex, type SnapshotIndex, type SuggestInput } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import { buildUsage, type UsageModel } from './usage';
import { flat, pct, round } from './helpers';

/** Members with usage data needed before their share says anything about the group's grant. */
export const GROUP_GRANT_MIN_MEMBERS = 5;
/** Share of those members who have not used what the group grants, from which the grant is questioned. */
export const GROUP_GRANT_UNUSED_SHARE = 0.8;

export interface GroupGrantFigures {
  /** The link's member side (group, role or rule) and the entitlement it grants. */
  via: string;
  entitlementId: string;
  /** Active members holding the entitlement; of them, those whose use is judged; of those, the ones who did not use it. */
  members: number;
  covered: number;
  unused: number;
  windowDays: number;
}

/** Assignment index → the group-grant signal of the link it inherits through (undefined: none). */
export type GroupGrantSignals = (a: number) => Signal | undefined;

const NONE: GroupGrantSignals = () => undefined;

export function buildGroupGrants(ix: SnapshotIndex, policy: Policy, usage: UsageModel): GroupGrantSignals {
  const found = questioned(ix, policy, usage);
  if (!found.size) return NONE;
  const { aVia, vias, aEnt } = ix;
  if (!aVia) return NONE;
  return (a) => {
    const v = aVia[a]!;
    if (v < 0 || aEnt[a]! < 0) return undefined;
    return found.get(linkKey(vias[v]!, aEnt[a]!))?.signal;
  };
}

/**
 * The links whose grant is questioned, with their figures: what a screen shows at the group link ("38 of 41 members
 * have not used it in 90 days: consider removing the group's grant"). Same rules as the signal.
 */
export function questionedGroupGrants(data: SuggestInput, policy: Policy, asOf: number): (GroupGrantFigures & { message: string })[] {
  const ix = buildIndex(data, asOf);
  return [...questioned(ix, policy, buildUsage(ix, policy)).values()].map((q) => ({ ...q.figures, message: q.signal.message }));
}

const linkKey = (via: string, e: number) => `${via}\u001f${e}`;

function questioned(ix: SnapshotIndex, policy: Policy, usage: UsageModel): Map<string, { figures: GroupGrantFigures; signal: Signal }> {
  const found = new Map<string, { figures: GroupGrantFigures; signal: Signal }>();
  const links = ix.data.links;
  if (!policy.unusedAccess.enabled || !links?.length) return found;
  const { nA, aEnt, aIdent, aVia, vias, identities, entitlements, entIndex } = ix;
  // The links X → E, keyed by X and E's index; and who holds each X.
  const targets = new Map<string, { via: string; e: number }>();
  const sides = new Set<string>();
  const granted = new Uint8Array(ix.nE);
  for (const l of links) {
    const e = entIndex.get(l.groupId);
    if (e === undefined) continue;
    targets.set(linkKey(l.memberId, e), { via: l.memberId, e });
    sides.add(l.memberId);
    granted[e] = 1;
  }
  if (!targets.size) return found;
  const holdersOf = new Map<string, Set<number>>();
  const grantOf = new Map<string, number>(); // identity and entitlement index → assignment
  const hold = (via: string, i: number) => {
    let s = holdersOf.get(via);
    if (!s) holdersOf.set(via, (s = new Set()));
    s.add(i);
  };
  for (let a = 0; a < nA; a++) {
    const i = aIdent[a]!;
    const e = aEnt[a]!;
    if (i < 0 || e < 0) continue;
    // entitlements[e].id is the row's entitlement id (the index maps each id to its first position).
    const entId = entitlements[e]!.id;
    if (sides.has(entId)) hold(entId, i);
    // Only grants of what a link grants are looked up again (a string key per row would cost on large snapshots).
    if (!granted[e]) continue;
    grantOf.set(`${i}\u001f${e}`, a);
    // A member the importer already knew to inherit through X (a rule, an implicit group) counts as one.
    const v = aVia ? aVia[a]! : -1;
    if (v >= 0 && targets.has(linkKey(vias[v]!, e))) hold(vias[v]!, i);
  }
  for (const [key, { via, e }] of targets) {
    const members = holdersOf.get(via);
    if (!members) continue;
    const name = ix.entitlements[e]!.name;
    let n = 0;
    let covered = 0;
    let unused = 0;
    for (const i of members) {
      // Disuse while a person cannot sign in is no evidence about the grant.
      if (identities[i]!.status !== 'active') continue;
      const a = grantOf.get(`${i}\u001f${e}`);
      if (a === undefined) continue;
      n++;
      const verdict = usage.signal(a, name).verdict;
      if (verdict === 'keep' || verdict === 'revoke') covered++;
      if (verdict === 'revoke') unused++;
    }
    if (covered < GROUP_GRANT_MIN_MEMBERS || unused < GROUP_GRANT_UNUSED_SHARE * covered) continue;
    const figures: GroupGrantFigures = {
      via,
      entitlementId: ix.entitlements[e]!.id,
      members: n,
      covered,
      unused,
      windowDays: usage.effectiveWindow[e]!,
    };
    found.set(key, { figures, signal: groupGrantSignal(figures, nameOf(ix, via), name) });
  }
  return found;
}

function nameOf(ix: SnapshotIndex, id: string): string {
  const e = ix.entIndex.get(id);
  if (e !== undefined) return ix.entitlements[e]!.name;
  const i = ix.identIndex.get(id);
  return i !== undefined ? ix.identities[i]!.displayName : id;
}

/** The signal for one link's figures, in words with the numbers. */
export function groupGrantSignal(f: GroupGrantFigures, viaName: string, entName: string): Signal {
  const share = f.covered ? f.unused / f.covered : 0;
  const without = f.members - f.covered;
  return {
    id: SIGNAL_IDS.groupGrantUnused,
    message: flat(
      `the grant comes through ${viaName}; ${f.unused} of ${f.covered} members with usage data have not used ${entName} in ${f.windowDays} days (${pct(share)})${without ? `; ${without} more ${without === 1 ? 'member has' : 'members have'} no usage data` : ''}: consider removing ${viaName}'s grant of ${entName}`,
    ),
    value: round(share),
    threshold: GROUP_GRANT_UNUSED_SHARE,
  };
}

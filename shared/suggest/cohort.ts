// Cohort moves: a person (or a whole team) moved to another department and kept access that belongs to the old
// one. The team that moved together makes that access look common in its new group, so peers cannot see it; the
// figures that do are where the entitlement lives and when its holders there last used it.
import type { PeerModel } from './peer-signals';
import type { Policy } from './policy';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import type { UsageModel } from './usage';
import { daysText, flat, pct } from './helpers';

export type CohortCheck = (a: number, i: number, e: number, entName: string) => Signal | null;

export function buildCohort(ix: SnapshotIndex, policy: Policy, usage: UsageModel, peers: PeerModel): CohortCheck {
  const p = policy.cohortMove;
  const { sets, aLastUsed, dates, activeHuman, daysSince } = ix;
  const dept = peers.deptGroups;
  const holders = peers.globalHolders;
  // Entitlement → the department holding it (-1: spread out, held by no department with homeShare of its holders).
  const home = new Int32Array(ix.nE).fill(-1);
  for (let e = 0; e < ix.nE; e++)
    if (holders[e]! > 0 && dept.homeGroup[e]! >= 0 && dept.homeCount[e]! / holders[e]! >= p.homeShare) home[e] = dept.homeGroup[e]!;
  return (a, i, e, entName) => {
    if (!p.enabled || !activeHuman[i]) return null;
    const own = dept.groupOf[i]!;
    const h = home[e]!;
    if (own < 0 || h < 0 || h === own) return null;
    const l = dates[aLastUsed[a]!]!;
    if (l !== l) return null;
    const d = daysSince(l);
    if (d < p.minDays || d <= Math.max(0, usage.cadence[e]!)) return null;
    const n = usage.dated(e) - 1;
    if (n <= 0) return null;
    const k = usage.usedWithin(e, d - 1);
    if (k / n < p.recentShare) return null;
    // A move leaves several of the old department's entitlements behind; one foreign grant is a collaboration.
    let fromThere = 0;
    for (let q = sets.start[i]!; q < sets.start[i + 1]!; q++) if (home[sets.ents[q]!] === h) fromThere++;
    if (fromThere < 2) return null;
    const where = dept.keys[h]!;
    return {
      id: SIGNAL_IDS.cohortMove,
      message: flat(
        `${entName} belongs to ${where} (${dept.homeCount[e]} of its ${holders[e]} holders, ${pct(dept.homeCount[e]! / holders[e]!)}), not ${dept.keys[own]}; unused ${daysText(d)} while ${k} of ${n} holders used it since; ${fromThere} of this identity's entitlements belong to ${where}: left over from a move`,
      ),
      value: d,
      threshold: p.minDays,
      verdict: 'revoke',
      confidence: 0.8,
    };
  };
}

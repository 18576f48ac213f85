// Usage: evidence coverage (per source, application and entitlement, inferred or set in the policy), the
// entitlement's own cadence (its holders' last uses), and the disuse signal that compares an identity's last use
// with both. A revoke for disuse says it in figures; where usage is unknown nothing reads as "never used".
import type { Policy } from './policy';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import { daysText, flat, globToRegExp, pct, round } from './helpers';
import { PairCache } from './pair-cache';

const ROUND_PERIODS = [7, 14, 30, 60, 90, 180, 365];

export interface UsageModel {
  /** Entitlement → why its usage is unknown (null: known). */
  unknownReason: (string | null)[];
  /** Entitlement → the policy's window for it (application or entitlement rule, else the default). */
  window: Int32Array;
  /** Entitlement → the window after the cadence widened it (≥ window). */
  effectiveWindow: Int32Array;
  /** Entitlement → age (days) within which the cadence quantile of its holders last used it (-1: too few). */
  cadence: Int32Array;
  /** Dated holders of an entitlement (active identities) who last used it at most `days` ago. */
  usedWithin: (e: number, days: number) => number;
  /** Dated holders of an entitlement (active identities). */
  dated: (e: number) => number;
  /** The disuse signal of one assignment. */
  signal: (a: number, entName: string) => Signal;
}

/** Per source: its rows, the earliest recorded use (coverage horizon), why it carries no usage (null: it does), and
 * `tails`: the never-used sentence after its day count, per entitlement, when the source's horizon bounds it. */
interface SourceStats {
  rows: number;
  used: number;
  earliest: number;
  tails: (string | undefined)[] | null;
  noUsage: string | null;
}

export function buildUsage(ix: SnapshotIndex, policy: Policy): UsageModel {
  const p = policy.unusedAccess;
  const { nA, nE, aEnt, aIdent, aLastUsed, aGranted, dates, aSource, aUsageKnown, sources, entitlements, applications, entApp, daysSince } =
    ix;
  // ---- per source: the rows and the earliest recorded use (coverage horizon) ----
  const noUsageGlobs = p.sourcesWithoutUsage.map(globToRegExp);
  // Per source index (ix.sources): rows come grouped by source, but an array needs no string hashing at all.
  const sourceStats: SourceStats[] = sources.map(() => ({
    rows: 0,
    used: 0,
    earliest: Number.POSITIVE_INFINITY,
    tails: null,
    noUsage: null,
  }));
  for (let a = 0; a < nA; a++) {
    const st = sourceStats[aSource[a]!]!;
    st.rows++;
    const l = dates[aLastUsed[a]!]!;
    if (l === l) {
      st.used++;
      if (l < st.earliest) st.earliest = l;
    }
  }
  for (let k = 0; k < sources.length; k++) {
    const src = sources[k]!;
    const st = sourceStats[k]!;
    let why: string | null = null;
    if (noUsageGlobs.some((g) => g.test(src))) why = `the policy lists source "${src}" as carrying no usage data`;
    else if (st.used === 0 && st.rows >= p.inferMissingUsageMinRows)
      why = `source "${src}" has no last-use date on any of its ${st.rows} assignments, so it carries no usage data`;
    st.noUsage = why;
  }
  // ---- per entitlement and application: holders, dated holders, ages ----
  const holders = new Int32Array(nE);
  const datedAll = new Int32Array(nE);
  const appRows = new Int32Array(applications.length);
  const appDated = new Int32Array(applications.length);
  const ageStart = new Int32Array(nE + 1);
  const active = (i: number) => i >= 0 && ix.identities[i]!.status === 'active';
  for (let a = 0; a < nA; a++) {
    const e = aEnt[a]!;
    if (e < 0) continue;
    holders[e]!++;
    appRows[entApp[e]!]!++;
    const l = dates[aLastUsed[a]!]!;
    if (l === l) {
      datedAll[e]!++;
      appDated[entApp[e]!]!++;
      if (active(aIdent[a]!)) ageStart[e + 1]!++;
    }
  }
  for (let e = 0; e < nE; e++) ageStart[e + 1]! += ageStart[e]!;
  const ages = new Int32Array(ageStart[nE]!);
  const fill = ageStart.slice(0, nE);
  for (let a = 0; a < nA; a++) {
    const e = aEnt[a]!;
    const l = dates[aLastUsed[a]!]!;
    if (e >= 0 && l === l && active(aIdent[a]!)) ages[fill[e]!++] = daysSince(l);
  }
  for (let e = 0; e < nE; e++) if (ageStart[e + 1]! - ageStart[e]! > 1) ages.subarray(ageStart[e]!, ageStart[e + 1]!).sort();
  const dated = (e: number) => ageStart[e + 1]! - ageStart[e]!;
  const usedWithin = (e: number, days: number): number => {
    // Ages are sorted: the count of ages ≤ days by binary search.
    let lo = ageStart[e]!;
    let hi = ageStart[e + 1]!;
    const base = lo;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ages[mid]! <= days) lo = mid + 1;
      else hi = mid;
    }
    return lo - base;
  };
  const quantile = (e: number, q: number) => ages[ageStart[e]! + Math.min(dated(e) - 1, Math.floor(q * (dated(e) - 1) + 0.5))]!;

  // ---- rules, coverage and windows per entitlement ----
  const rules = p.rules.map((r) => ({
    rule: r,
    app: r.application ? globToRegExp(r.application) : null,
    ent: r.entitlement ? globToRegExp(r.entitlement) : null,
  }));
  const unknownReason: (string | null)[] = new Array<string | null>(nE).fill(null);
  const window = new Int32Array(nE);
  const effectiveWindow = new Int32Array(nE);
  const cadence = new Int32Array(nE).fill(-1);
  const cad = p.cadence;
  for (let e = 0; e < nE; e++) {
    const x = entitlements[e]!;
    const app = applications[entApp[e]!]!;
    let usage: 'reported' | 'not-reported' | undefined;
    let w: number | undefined;
    for (const r of rules) {
      if (r.app && !r.app.test(app)) continue;
      if (r.ent && !r.ent.test(x.id) && !r.ent.test(x.name)) continue;
      usage ??= r.rule.usage;
      w ??= r.rule.windowDays;
      if (usage !== undefined && w !== undefined) break;
    }
    window[e] = w ?? p.windowDays;
    if (usage === 'not-reported') unknownReason[e] = `the policy says application "${app}" reports no usage for ${x.name}`;
    else if (usage !== 'reported' && datedAll[e] === 0) {
      if (appDated[entApp[e]!] === 0)
        unknownReason[e] =
          `no assignment in application "${app}" has a last-use date (${appRows[entApp[e]!]} assignments), so its usage is not reported`;
      else if (holders[e]! >= p.inferMissingUsageMinHolders)
        unknownReason[e] = `none of the ${holders[e]} holders of ${x.name} has a last-use date, so its usage is not reported`;
    }
    let eff = window[e]!;
    if (cad.enabled && dated(e) >= cad.minHolders) {
      const hi = quantile(e, cad.quantile);
      const lo = quantile(e, 1 - cad.quantile);
      cadence[e] = hi;
      // Periodic work: the holders' last uses sit together in one season, older than the window.
      if (hi > eff && hi - lo <= cad.seasonDays) eff = Math.min(cad.maxDays, Math.max(eff, Math.ceil(hi + 1.5 * (hi - lo) + 14)));
    }
    effectiveWindow[e] = eff;
  }

  // Disuse signals depend only on (window, days) or (entitlement, days): shared, in slot arrays while the range is
  // small (days capped at 65535 as in the keys: beyond that, one signal per cap).
  let maxDays = 0;
  for (let a = 0; a < nA; a++) {
    const l = dates[aLastUsed[a]!]!;
    if (l === l) maxDays = Math.max(maxDays, Math.min(65535, daysSince(l)));
  }
  const dayRange = maxDays + 1;
  // Windows in use (a handful: the default and the rules'), numbered for the keep signals' slots.
  const windowSlot = new Map<number, number>([[p.windowDays, 0]]);
  const entWindowSlot = new Int32Array(nE);
  for (let e = 0; e < nE; e++) {
    let k = windowSlot.get(window[e]!);
    if (k === undefined) windowSlot.set(window[e]!, (k = windowSlot.size));
    entWindowSlot[e] = k;
  }
  const keepSignals = new PairCache<Signal>(windowSlot.size * dayRange);
  // Past-window signals by (entitlement, whether the identity is an active holder, days): the figures count the
  // other holders, so the identity's own state is part of the key (the signal must not depend on who came first).
  const revokeSignals = new PairCache<Signal>((nE + 1) * 2 * dayRange);
  const id = SIGNAL_IDS.unused;
  /** The other holders' use, in figures: "41 of 44 holders used it in the last 30 days" (null with no other dated holder). */
  // Depends only on the entitlement and whether the identity is a dated holder itself: computed once per pair.
  const figures: ({ k: number; n: number; text: string } | null | undefined)[] = new Array(2 * nE).fill(undefined);
  const peersFigure = (e: number, self: boolean): { k: number; n: number; text: string } | null => {
    const slot = 2 * e + (self ? 1 : 0);
    let fig = figures[slot];
    if (fig === undefined) figures[slot] = fig = computeFigure(e, self);
    return fig;
  };
  const computeFigure = (e: number, self: boolean): { k: number; n: number; text: string } | null => {
    const n = dated(e) - (self ? 1 : 0);
    // With one or two other holders a share says nothing: the plain days and window do.
    if (n < 3) return null;
    const c = cadence[e]!;
    let ref = effectiveWindow[e]!;
    if (c >= 0)
      for (const r of ROUND_PERIODS)
        if (r >= c) {
          ref = Math.min(ref, r);
          break;
        }
    const k = usedWithin(e, ref);
    return { k, n, text: `${k} of ${n} ${n === 1 ? 'holder' : 'holders'} used it in the last ${ref} days` };
  };

  const signal = (a: number, entName: string): Signal => {
    const e = aEnt[a]!;
    const l = dates[aLastUsed[a]!]!;
    const g = dates[aGranted[a]!]!;
    const w = e >= 0 ? window[e]! : p.windowDays;
    let missing: string | null = null;
    if (aUsageKnown[a] === 2) missing = 'the source reports no usage data for this assignment';
    else if (l !== l) {
      missing = sourceStats[aSource[a]!]!.noUsage ?? (e >= 0 ? unknownReason[e]! : null);
      if (!missing && g !== g) missing = 'no last-use date and no grant date';
    }
    if (missing) return { id, message: flat(`usage unknown: ${missing}; not treated as never used`), value: null, threshold: w };
    if (l === l) {
      const d = daysSince(l);
      const eff = e >= 0 ? effectiveWindow[e]! : w;
      if (d <= w) {
        // Depends only on the days and the window: one shared object per pair (a day count out of the keys' range,
        // a use dated in the future, gets its own).
        const key = d >= 0 && d <= 65535 ? (e >= 0 ? entWindowSlot[e]! : 0) * dayRange + d : -1;
        let sig = key >= 0 ? keepSignals.get(key) : undefined;
        if (sig) return sig;
        sig = {
          id,
          message: flat(`last used ${daysText(d)} ago, within the ${w}-day window`),
          value: d,
          threshold: w,
          verdict: 'keep',
          confidence: round(0.6 + 0.3 * (1 - Math.max(0, d) / w)),
        };
        if (key >= 0) keepSignals.set(key, sig);
        return sig;
      }
      // Past the window (d > w >= 0 for a valid policy); a day count out of the keys' range is not shared.
      const self = active(aIdent[a]!);
      const key = d >= 0 && d <= 65535 ? ((e + 1) * 2 + (self ? 1 : 0)) * dayRange + d : -1;
      let sig = key >= 0 ? revokeSignals.get(key) : undefined;
      if (sig) return sig;
      const fig = e >= 0 ? peersFigure(e, self) : null;
      if (d <= eff) {
        sig = {
          id,
          message: flat(
            `last used ${daysText(d)} ago: past the ${w}-day window, but in step with the other holders of ${entName}, whose last uses cluster ${cadence[e]} days back or less (periodic use); window for it ${eff} days`,
          ),
          value: d,
          threshold: eff,
          verdict: 'keep',
          confidence: 0.55,
        };
      } else {
        const over = eff > w ? `; ${entName}'s cadence widens the ${w}-day window to ${eff} days` : '';
        sig = {
          id,
          message: flat(
            fig
              ? `unused ${daysText(d)} while ${fig.text}; window ${eff} days${over}`
              : `last used ${daysText(d)} ago; policy window ${w} days${over}`,
          ),
          value: d,
          threshold: eff,
          verdict: 'revoke',
          confidence: round(0.7 + 0.25 * Math.min(1, (d - eff) / eff)),
        };
      }
      if (key >= 0) revokeSignals.set(key, sig);
      return sig;
    }
    const gd = daysSince(g);
    if (gd <= p.graceDays)
      return {
        id,
        message: flat(`never used; granted ${daysText(gd)} ago, within the ${p.graceDays}-day grace period`),
        value: gd,
        threshold: p.graceDays,
      };
    const st = sourceStats[aSource[a]!];
    const horizon = st && st.used > 0 ? daysSince(st.earliest) : gd;
    const observed = Math.min(gd, horizon);
    const coverage = Math.min(1, observed / w);
    // Grants older than the source's horizon (most) read the same after their day count: written once per entitlement.
    const shared = st && st.used > 0 && observed === horizon && e >= 0 && coverage >= p.minCoverage;
    let tail = shared ? (st.tails ??= new Array<string | undefined>(nE).fill(undefined))[e] : undefined;
    if (tail !== undefined)
      return {
        id,
        message: flat(`never used; granted ${daysText(gd)} ago; ${tail}`),
        value: gd,
        threshold: p.graceDays,
        verdict: 'revoke',
        confidence: round(0.5 + 0.4 * coverage),
      };
    const cov = `usage data covers ${observed} days (${pct(coverage)} of the ${w}-day window)`;
    if (coverage < p.minCoverage)
      return {
        id,
        message: flat(`never used; granted ${daysText(gd)} ago, but ${cov}: below ${pct(p.minCoverage)}, not enough to judge`),
        value: gd,
        threshold: p.graceDays,
      };
    const fig = e >= 0 ? peersFigure(e, false) : null;
    tail = flat(`grace period ${p.graceDays} days; ${cov}${fig ? `; ${fig.text}` : ''}`);
    if (shared) st.tails![e] = tail;
    return {
      id,
      message: flat(`never used; granted ${daysText(gd)} ago; ${tail}`),
      value: gd,
      threshold: p.graceDays,
      verdict: 'revoke',
      confidence: round(0.5 + 0.4 * coverage),
    };
  };

  return { unknownReason, window, effectiveWindow, cadence, usedWithin, dated, signal };
}

// Decision-boundary drift, per reviewer: how often the suggestion was accepted, how long each decision took, and
// streaks of fast accepts. Reported in the package so an auditor sees where human judgment may have been compressed.
import { isDecided, isOverridden } from './certification-rules';
import type { AuditEvent } from '../review';
import type { PackageItem, PackageReviewer, ReviewerMetrics } from './types';
import type { DecisionPace } from './event-signatures';

/** A decision made in less time than this is "fast". */
export const FAST_DECISION_SECONDS = 5;
/** Acceptance rate above which a reviewer with enough decisions gets a drift warning. */
export const HIGH_ACCEPTANCE_RATE = 0.95;
export const MIN_DECISIONS_FOR_RATE = 20;
/** A run of this many consecutive fast accepts gets a drift warning. */
export const FAST_ACCEPT_STREAK = 10;

/** The drift thresholds in force: the policy's (`drift.fastAcceptSeconds`, `drift.fastAcceptStreak`) when it has them. */
export interface DriftThresholds {
  fastSeconds: number;
  streak: number;
}

export function driftThresholds(policyDocument: object): DriftThresholds {
  const drift = (policyDocument as { drift?: { fastAcceptSeconds?: unknown; fastAcceptStreak?: unknown } }).drift;
  return {
    fastSeconds: typeof drift?.fastAcceptSeconds === 'number' ? drift.fastAcceptSeconds : FAST_DECISION_SECONDS,
    streak: typeof drift?.fastAcceptStreak === 'number' ? drift.fastAcceptStreak : FAST_ACCEPT_STREAK,
  };
}

export function reviewerMetrics(
  reviewers: readonly PackageReviewer[],
  items: readonly PackageItem[],
  events: readonly AuditEvent[],
  thresholds: DriftThresholds = { fastSeconds: FAST_DECISION_SECONDS, streak: FAST_ACCEPT_STREAK },
): ReviewerMetrics[] {
  return reviewerMetricsFromPace(reviewers, items, decisionPaces(events), thresholds);
}

/** Each reviewer's decision pace, from the events (the verifier gathers the same from the log as it walks it). */
export function decisionPaces(events: readonly AuditEvent[]): DecisionPace[] {
  const paces = new Map<string, DecisionPace>();
  const pace = (id: string): DecisionPace => {
    let p = paces.get(id);
    if (!p) paces.set(id, (p = { reviewerId: id, seconds: [], accepted: [], warningsShown: 0 }));
    return p;
  };
  for (const e of events) {
    if (e.type === 'decision') {
      const p = pace(e.actor.id);
      p.seconds.push(typeof e.secondsOnScreen === 'number' ? e.secondsOnScreen : null);
      p.accepted.push(e.acceptedSuggestion === true);
    } else if (e.type === 'note' && e.details?.['drift'] !== undefined) pace(e.actor.id).warningsShown++;
  }
  return [...paces.values()];
}

/** reviewerMetrics, given each reviewer's decision pace rather than the events. */
export function reviewerMetricsFromPace(
  reviewers: readonly Pick<PackageReviewer, 'id' | 'name' | 'keyFingerprint'>[],
  items: readonly PackageItem[],
  paces: readonly DecisionPace[],
  thresholds: DriftThresholds,
): ReviewerMetrics[] {
  // One pass over the items for all reviewers (100,000 items).
  const tallies = new Map<string, Tally>();
  const tally = (id: string): Tally => {
    let t = tallies.get(id);
    if (!t) tallies.set(id, (t = { decisions: 0, accepted: 0, overrides: 0, approvalsGiven: 0 }));
    return t;
  };
  for (const item of items) {
    if (isDecided(item)) {
      const t = tally(item.decision.reviewerId);
      t.decisions++;
      if (item.decision.acceptedSuggestion) t.accepted++;
      if (isOverridden(item)) t.overrides++;
    }
    const approver = item.decision?.approver?.id;
    if (approver !== undefined) tally(approver).approvalsGiven++;
  }
  const paceOf = new Map(paces.map((p) => [p.reviewerId, p]));
  return reviewers.map((reviewer) => {
    const { decisions, accepted, overrides, approvalsGiven } = tallies.get(reviewer.id) ?? tally(reviewer.id);
    const p = paceOf.get(reviewer.id);
    const pace = decisionPace(p ?? { reviewerId: reviewer.id, seconds: [], accepted: [], warningsShown: 0 }, thresholds.fastSeconds);
    const acceptanceRate = decisions ? accepted / decisions : null;
    const metrics: ReviewerMetrics = {
      reviewerId: reviewer.id,
      name: reviewer.name,
      fingerprint: reviewer.keyFingerprint,
      decisions,
      accepted,
      overrides,
      acceptanceRate,
      ...pace,
      approvalsGiven,
      thresholds: {
        fastAcceptSeconds: thresholds.fastSeconds,
        fastAcceptStreak: thresholds.streak,
        highAcceptanceRate: HIGH_ACCEPTANCE_RATE,
        minDecisionsForRate: MIN_DECISIONS_FOR_RATE,
      },
      driftWarnings: [],
    };
    metrics.driftWarnings = driftWarnings(metrics, thresholds);
    if (p?.warningsShown) metrics.driftWarnings.push(`${p.warningsShown} drift warning(s) shown to the reviewer during review`);
    return metrics;
  });
}

interface Tally {
  decisions: number;
  accepted: number;
  overrides: number;
  approvalsGiven: number;
}

function decisionPace(
  p: DecisionPace,
  fastSeconds: number,
): Pick<ReviewerMetrics, 'medianSecondsPerDecision' | 'fastAccepts' | 'longestFastAcceptStreak'> {
  const seconds: number[] = [];
  let fastAccepts = 0;
  let streak = 0;
  let longest = 0;
  for (let i = 0; i < p.seconds.length; i++) {
    const s = p.seconds[i];
    if (typeof s === 'number') seconds.push(s);
    const fastAccept = p.accepted[i] === true && typeof s === 'number' && s < fastSeconds;
    if (fastAccept) fastAccepts++;
    streak = fastAccept ? streak + 1 : 0;
    longest = Math.max(longest, streak);
  }
  return { medianSecondsPerDecision: median(seconds), fastAccepts, longestFastAcceptStreak: longest };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort(); // numeric order, natively
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function driftWarnings(m: ReviewerMetrics, t: DriftThresholds): string[] {
  const warnings: string[] = [];
  if (m.acceptanceRate !== null && m.decisions >= MIN_DECISIONS_FOR_RATE && m.acceptanceRate > HIGH_ACCEPTANCE_RATE) {
    warnings.push(`accepted ${Math.round(m.acceptanceRate * 100)}% of ${m.decisions} suggestions (above ${HIGH_ACCEPTANCE_RATE * 100}%)`);
  }
  if (m.medianSecondsPerDecision !== null && m.medianSecondsPerDecision < t.fastSeconds) {
    warnings.push(`median ${m.medianSecondsPerDecision} s per decision (under ${t.fastSeconds} s)`);
  }
  if (m.longestFastAcceptStreak >= t.streak) {
    warnings.push(`${m.longestFastAcceptStreak} fast accepts in a row (each under ${t.fastSeconds} s; the policy warns from ${t.streak})`);
  }
  return warnings;
}

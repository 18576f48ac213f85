// The package reports drift per reviewer with the thresholds of the policy in force, and counts the drift
// warnings the reviewer was shown (recorded as note events in the audit log).
import { describe, expect, it } from 'vitest';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody, ReviewerRef } from '../../shared/review/types';
import { driftThresholds, reviewerMetrics } from '../../shared/package/reviewer-metrics';
import { DEFAULT_POLICY } from '../../shared/suggest';

const alice: ReviewerRef = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aa' };

function log(bodies: AuditEventBody[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const b of bodies) out.push(chainEvent(out[out.length - 1] ?? null, b));
  return out;
}

describe('reviewer drift in the package', () => {
  it('takes its thresholds from the policy document', () => {
    expect(driftThresholds(DEFAULT_POLICY)).toEqual({
      fastSeconds: DEFAULT_POLICY.drift.fastAcceptSeconds,
      streak: DEFAULT_POLICY.drift.fastAcceptStreak,
    });
    expect(driftThresholds({ drift: { fastAcceptSeconds: 2, fastAcceptStreak: 4 } })).toEqual({ fastSeconds: 2, streak: 4 });
  });

  it('counts fast accepts against the policy and reports warnings shown during review', () => {
    const decisions: AuditEventBody[] = Array.from({ length: 5 }, (_, i) => ({
      campaignId: 'c',
      type: 'decision',
      at: `2026-11-22T10:00:0${i}Z`,
      actor: alice,
      itemId: `i${i}`,
      action: 'keep',
      acceptedSuggestion: true,
      secondsOnScreen: 2.5,
    }));
    const events = log([
      ...decisions,
      { campaignId: 'c', type: 'note', at: '2026-11-22T10:00:06Z', actor: alice, details: { drift: 'fast-accept-streak', streak: 4 } },
    ]);
    const reviewers = [{ ...alice, publicKey: 'AAAA' }];
    const strict = reviewerMetrics(reviewers, [], events, { fastSeconds: 3, streak: 4 })[0]!;
    expect(strict.longestFastAcceptStreak).toBe(5);
    // One type for the report's metrics and the verifier's behaviour: each carries the thresholds it was judged by.
    expect(strict.thresholds).toEqual({ fastAcceptSeconds: 3, fastAcceptStreak: 4, highAcceptanceRate: 0.95, minDecisionsForRate: 20 });
    expect(strict.driftWarnings.join('\n')).toMatch(/5 fast accepts in a row \(each under 3 s; the policy warns from 4\)/);
    expect(strict.driftWarnings.join('\n')).toMatch(/1 drift warning\(s\) shown/);
    const lenient = reviewerMetrics(reviewers, [], events, { fastSeconds: 2, streak: 4 })[0]!;
    expect(lenient.longestFastAcceptStreak).toBe(0);
  });
});

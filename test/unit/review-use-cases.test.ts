// The review's use cases in the core (shared/review): the events a decision, a bulk accept, an undo, an approval and
// a drift warning record, and the per-campaign progress the campaign list shows, derived from a chained log.
import { describe, expect, it } from 'vitest';
import {
  bulkAcceptEvent,
  campaignProgress,
  chainEvent,
  decisionEvent,
  driftNote,
  followUpEvent,
  type AuditEvent,
  type AuditEventBody,
  type SuggestionSnapshot,
} from '../../shared/review';

const jun = { id: 'jun', name: 'Jun Tanaka', keyFingerprint: 'SHA256:jun' };
const ana = { id: 'ana', name: 'Ana Silva', keyFingerprint: 'SHA256:ana' };
const suggestion: SuggestionSnapshot = {
  action: 'revoke',
  confidence: 0.9,
  riskTier: 'high',
  decisionClass: 'suggest',
  signals: [],
  engine: 'arw-engine/0.3.0',
  policyDigest: 'p1',
};
const at = '2026-11-22T10:00:00.000Z';

function chain(bodies: AuditEventBody[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const b of bodies) out.push(chainEvent(out.at(-1) ?? null, b));
  return out;
}

describe('review events built in the core', () => {
  it('a decision records whether it followed the suggestion, and a reason category only with a rationale', () => {
    const accepted = decisionEvent({ campaignId: 'c', actor: jun, at, itemId: 'i1', action: 'revoke', suggestion, secondsOnScreen: 3.2 });
    expect(accepted).toMatchObject({
      type: 'decision',
      itemId: 'i1',
      action: 'revoke',
      acceptedSuggestion: true,
      secondsOnScreen: 3.2,
      at,
    });
    expect(accepted).not.toHaveProperty('rationale');
    const overridden = decisionEvent({
      campaignId: 'c',
      actor: jun,
      at,
      itemId: 'i1',
      action: 'keep',
      suggestion,
      rationale: 'needed for payroll',
      reasonCategory: 'business-need',
      keepUntil: '2027-01-01',
      secondsOnScreen: 9,
    });
    expect(overridden).toMatchObject({
      acceptedSuggestion: false,
      rationale: 'needed for payroll',
      reasonCategory: 'business-need',
      keepUntil: '2027-01-01',
    });
    expect(
      decisionEvent({
        campaignId: 'c',
        actor: jun,
        at,
        itemId: 'i1',
        action: 'keep',
        suggestion,
        rationale: '',
        reasonCategory: 'business-need',
        secondsOnScreen: 1,
      }),
    ).not.toHaveProperty('reasonCategory');
  });

  it('bulk accepts, follow-ups and drift notes carry what the package reports', () => {
    expect(bulkAcceptEvent({ campaignId: 'c', actor: jun, at, itemId: 'i2', suggestion, bulkSize: 7 })).toMatchObject({
      action: 'revoke',
      acceptedSuggestion: true,
      secondsOnScreen: 0,
      details: { bulk: true, bulkSize: 7 },
    });
    expect(
      followUpEvent({
        campaignId: 'c',
        actor: ana,
        at,
        type: 'approval',
        itemId: 'i1',
        refersTo: 4,
        rationale: 'ok',
        reasonCategory: 'owner-confirmed',
      }),
    ).toStrictEqual({
      campaignId: 'c',
      type: 'approval',
      at,
      actor: ana,
      itemId: 'i1',
      refersTo: 4,
      rationale: 'ok',
      reasonCategory: 'owner-confirmed',
    });
    expect(followUpEvent({ campaignId: 'c', actor: jun, at, type: 'undo', itemId: 'i1', refersTo: 2 })).toStrictEqual({
      campaignId: 'c',
      type: 'undo',
      at,
      actor: jun,
      itemId: 'i1',
      refersTo: 2,
    });
    expect(driftNote({ campaignId: 'c', actor: jun, at, streak: 10, fastAcceptSeconds: 2 })).toMatchObject({
      type: 'note',
      details: { drift: 'fast-accept-streak', streak: 10, fastAcceptSeconds: 2 },
    });
  });
});

describe('campaign progress from the log', () => {
  it('counts standing decisions per campaign and reviewer, undo taken into account', () => {
    const a = chain([
      decisionEvent({ campaignId: 'a', actor: jun, at, itemId: 'i1', action: 'revoke', suggestion, secondsOnScreen: 1 }),
      decisionEvent({ campaignId: 'a', actor: ana, at, itemId: 'i2', action: 'revoke', suggestion, secondsOnScreen: 1 }),
      decisionEvent({ campaignId: 'a', actor: jun, at, itemId: 'i3', action: 'revoke', suggestion, secondsOnScreen: 1 }),
    ]);
    const undo = chainEvent(a.at(-1)!, followUpEvent({ campaignId: 'a', actor: jun, at, type: 'undo', itemId: 'i3', refersTo: a[2]!.seq }));
    const b = chain([
      decisionEvent({
        campaignId: 'b',
        actor: ana,
        at,
        itemId: 'i1',
        action: 'keep',
        suggestion,
        rationale: 'still needed',
        secondsOnScreen: 1,
      }),
    ]);
    const progress = campaignProgress([...a, undo, ...b]);
    expect(progress.get('a')?.decided).toBe(2);
    expect([...progress.get('a')!.byReviewer]).toStrictEqual([
      ['jun', 1],
      ['ana', 1],
    ]);
    expect(progress.get('b')?.decided).toBe(1);
    expect(progress.has('c')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Entitlement, Identity } from '../../shared/model';
import { chainEvent } from '../../shared/review/audit-log';
import { ReviewerDirectory, assignReviewer } from '../../shared/review/assignment';
import { campaignDashboard, type DashboardItem } from '../../shared/review/dashboard';
import { deriveItemStates } from '../../shared/review/state';
import type { AuditEvent, AuditEventBody, ReviewerRef } from '../../shared/review/types';
import type { Suggestion } from '../../shared/suggest/types';

const identities = new Map<string, Identity>([
  ['u1', { id: 'u1', displayName: 'Ann', type: 'human', status: 'active', managerId: 'u2' }],
  ['u2', { id: 'u2', displayName: 'Boss', email: 'Boss@Example.com', type: 'human', status: 'active' }],
  ['svc', { id: 'svc', displayName: 'svc', type: 'service', status: 'active', ownerId: 'u2' }],
  ['orphan', { id: 'orphan', displayName: 'Orphan', type: 'human', status: 'active' }],
]);
const ent: Entitlement = { id: 'e1', name: 'E1', application: 'App', privilege: 'low', ownerId: 'u9' };
const sug = (identityId: string): Suggestion => ({
  itemId: `a:${identityId}`,
  identityId,
  entitlementId: 'e1',
  action: 'keep',
  confidence: 0.9,
  riskTier: 'low',
  decisionClass: 'suggest',
  signals: [],
  engine: 'e',
  policyDigest: 'p',
});
const directory = new ReviewerDirectory(
  [
    { id: 'boss-profile', name: 'Boss', email: 'boss@example.com' },
    { id: 'lead', name: 'Lead' },
  ],
  identities,
);

describe('reviewer assignment', () => {
  it('routes to the manager by email, the NHI owner, and says why', () => {
    expect(assignReviewer({ rule: 'manager', fallbackReviewerId: 'lead' }, sug('u1'), identities.get('u1'), ent, directory)).toEqual({
      reviewerId: 'boss-profile',
      reason: 'manager Boss (u2)',
    });
    expect(
      assignReviewer({ rule: 'identity-owner', fallbackReviewerId: 'lead' }, sug('svc'), identities.get('svc'), ent, directory).reviewerId,
    ).toBe('boss-profile');
  });
  it('falls back, with the reason, when the rule finds nobody', () => {
    const a = assignReviewer({ rule: 'manager', fallbackReviewerId: 'lead' }, sug('orphan'), identities.get('orphan'), ent, directory);
    expect(a.reviewerId).toBe('lead');
    expect(a.reason).toMatch(/^fallback reviewer: no manager/);
    const b = assignReviewer({ rule: 'entitlement-owner', fallbackReviewerId: 'lead' }, sug('u1'), identities.get('u1'), ent, directory);
    expect(b).toEqual({ reviewerId: 'lead', reason: 'fallback reviewer: entitlement owner u9 has no reviewer profile on this machine' });
  });
});

describe('campaign dashboard', () => {
  const alice: ReviewerRef = { id: 'alice', name: 'Alice', keyFingerprint: 'x' };
  it('counts items by tier and action, decisions per day, and per-reviewer work, from the log', () => {
    const items: DashboardItem[] = [
      { itemId: 'i1', riskTier: 'low', action: 'keep', decisionClass: 'suggest', assignedReviewerId: 'alice' },
      { itemId: 'i2', riskTier: 'high', action: 'revoke', decisionClass: 'step-up', assignedReviewerId: 'alice' },
      { itemId: 'i3', riskTier: 'high', action: 'revoke', decisionClass: 'step-up', assignedReviewerId: 'bob' },
      { itemId: 'i4', riskTier: 'critical', action: 'revoke', decisionClass: 'never-delegate', assignedReviewerId: 'bob' },
    ];
    const bodies: AuditEventBody[] = [
      {
        campaignId: 'c',
        type: 'decision',
        at: '2026-11-20T10:00:00Z',
        actor: alice,
        itemId: 'i1',
        action: 'keep',
        acceptedSuggestion: true,
      },
      {
        campaignId: 'c',
        type: 'decision',
        at: '2026-11-21T10:00:00Z',
        actor: alice,
        itemId: 'i2',
        action: 'keep',
        acceptedSuggestion: false,
        rationale: 'needed for payroll',
      },
      {
        campaignId: 'c',
        type: 'decision',
        at: '2026-11-21T11:00:00Z',
        actor: alice,
        itemId: 'i4',
        action: 'revoke',
        acceptedSuggestion: true,
        rationale: 'not needed any more',
      },
      { campaignId: 'c', type: 'undo', at: '2026-11-21T11:01:00Z', actor: alice, itemId: 'i4', refersTo: 3 },
    ];
    const events: AuditEvent[] = [];
    for (const b of bodies) events.push(chainEvent(events[events.length - 1] ?? null, b));
    const d = campaignDashboard(
      items,
      deriveItemStates(events),
      events,
      new Map([
        ['alice', 'Alice'],
        ['bob', 'Bob'],
      ]),
    );
    expect(d.byTierAndAction.find((r) => r.tier === 'high')!.revoke).toBe(2);
    expect(d.byTierAndAction.find((r) => r.tier === 'low')!.keep).toBe(1);
    expect(d.decisionsPerDay).toEqual([
      { day: '2026-11-20', decisions: 1 },
      { day: '2026-11-21', decisions: 1 },
    ]);
    expect(d.totals).toEqual({ items: 4, decided: 1, pendingApproval: 1, escalated: 0, open: 2, noSuggestion: 0 });
    expect(d.perReviewer).toEqual([
      { reviewerId: 'alice', name: 'Alice', accepted: 1, overridden: 1, remaining: 0 },
      { reviewerId: 'bob', name: 'Bob', accepted: 0, overridden: 0, remaining: 2 },
    ]);
  });
  it("counts the engine's 'none' (no suggestion) apart from its suggestions", () => {
    const items: DashboardItem[] = [
      { itemId: 'n1', riskTier: 'low', action: 'none', decisionClass: 'suggest' },
      { itemId: 'n2', riskTier: 'medium', action: 'none', decisionClass: 'suggest' },
      { itemId: 'k1', riskTier: 'low', action: 'keep', decisionClass: 'suggest' },
    ];
    const d = campaignDashboard(items, new Map(), [], new Map());
    expect(d.totals).toMatchObject({ items: 3, open: 3, noSuggestion: 2 });
    expect(d.byTierAndAction.find((r) => r.tier === 'low')).toMatchObject({ none: 1, keep: 1 });
  });
});

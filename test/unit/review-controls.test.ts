// The review rules of issue #16, through shared/review alone: decision classes for every tier, who may approve,
// reject, escalation and the one campaign count, the actions that apply, keyboard order, bulk eligibility and undo.
import { describe, expect, it } from 'vitest';
import {
  applicableActions,
  approvalProblem,
  bulkEligible,
  campaignCounts,
  campaignDashboard,
  chainEvent,
  decisionClassFor,
  decisionProblem,
  deriveItemStates,
  escalationTarget,
  itemStanding,
  nextUndecided,
  rejectProblem,
  requiresApproval,
  standingInputOf,
  undoProblem,
  type AuditEvent,
  type AuditEventBody,
  type DashboardItem,
  type ReviewerRef,
} from '../../shared/review';
import { DEFAULT_POLICY, parsePolicy } from '../../shared/suggest/policy';

const alice: ReviewerRef = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aa' };
const bob: ReviewerRef = { id: 'bob', name: 'Bob', keyFingerprint: 'SHA256:bb' };
const bobWithAlicesKey: ReviewerRef = { id: 'bob', name: 'Bob', keyFingerprint: 'SHA256:aa' };

function log(bodies: Array<Partial<AuditEventBody> & Pick<AuditEventBody, 'type' | 'actor'>>): AuditEvent[] {
  const events: AuditEvent[] = [];
  bodies.forEach((b, i) =>
    events.push(chainEvent(events.at(-1) ?? null, { campaignId: 'c1', at: `2026-12-01T10:00:${String(i).padStart(2, '0')}.000Z`, ...b })),
  );
  return events;
}

describe('decision classes from the policy, for every tier (observation 2)', () => {
  it('critical is at least step-up, whatever the policy says, and needs a second person', () => {
    expect(decisionClassFor('critical', DEFAULT_POLICY)).toBe('never-delegate');
    const lax = parsePolicy({ schema: 'arw-policy', version: 1, decisionClasses: { critical: 'suggest' }, privileged: { enabled: false } });
    expect(lax.ok).toBe(true);
    if (lax.ok) expect(decisionClassFor('critical', lax.policy)).toBe('step-up');
    expect(requiresApproval('never-delegate')).toBe(true);
    expect(requiresApproval('step-up')).toBe(true);
    expect(requiresApproval('suggest')).toBe(false);
    expect(decisionClassFor('low', DEFAULT_POLICY)).toBe('suggest');
  });

  it('a critical decision by one reviewer waits for approval in the dashboard, as a high one does', () => {
    const items: DashboardItem[] = [
      { itemId: 'high', riskTier: 'high', action: 'keep', decisionClass: 'step-up' },
      { itemId: 'crit', riskTier: 'critical', action: 'keep', decisionClass: 'never-delegate' },
    ];
    const events = log([
      { type: 'decision', actor: alice, itemId: 'high', action: 'keep', acceptedSuggestion: true },
      {
        type: 'decision',
        actor: alice,
        itemId: 'crit',
        action: 'keep',
        acceptedSuggestion: true,
        rationale: 'Runs the AD forest migration CHG-2291 until 31 Jan',
      },
    ]);
    const d = campaignDashboard(items, deriveItemStates(events), events, new Map());
    expect(d.totals).toMatchObject({ decided: 0, pendingApproval: 2 });
  });
});

describe("can't decide: escalated to a named person, never decided (observation 7)", () => {
  const items = [
    { itemId: 'a', cls: 'suggest' as const },
    { itemId: 'b', cls: 'suggest' as const },
  ];
  const events = log([
    { type: 'decision', actor: alice, itemId: 'a', action: 'keep', acceptedSuggestion: true },
    {
      type: 'decision',
      actor: alice,
      itemId: 'b',
      action: 'cant-decide',
      acceptedSuggestion: false,
      rationale: 'Cannot tell who owns svc-legacy-ftp; asking Bob',
      escalatedTo: 'bob',
    },
  ]);
  const states = deriveItemStates(events);

  it('counts as escalated, not decided: 50 %, never 100 %', () => {
    const c = campaignCounts(
      items,
      (i) => i.cls,
      (i) => standingInputOf(states.get(i.itemId)?.current),
    );
    expect(c).toMatchObject({ items: 2, decided: 1, escalated: 1, open: 0, awaitingApproval: 0, undecided: 1, percentDecided: 50 });
    expect(itemStanding('suggest', standingInputOf(states.get('b')!.current))).toBe('escalated');
    expect(states.get('b')!.current!.escalatedTo).toBe('bob');
  });

  it('the dashboard does not count it as decided either', () => {
    const d = campaignDashboard(
      items.map((i) => ({ itemId: i.itemId, riskTier: 'low', action: 'keep', decisionClass: i.cls })),
      states,
      events,
      new Map(),
    );
    expect(d.totals.decided).toBe(1);
    expect(d.totals.open + d.totals.escalated).toBe(1);
  });

  it('goes to the campaign owner, else the fallback, never to the reviewer themself', () => {
    expect(escalationTarget('alice', { ownerId: 'olivia', fallbackReviewerId: 'bob' })).toBe('olivia');
    expect(escalationTarget('olivia', { ownerId: 'olivia', fallbackReviewerId: 'bob' })).toBe('bob');
    expect(escalationTarget('bob', { ownerId: null, fallbackReviewerId: 'bob' })).toBeNull();
  });

  it('needs a person to go to and a rationale; only that person decides it next', () => {
    const ctx = { item: { itemId: 'a:u1\u001fent-1' }, suggested: 'keep' as const, decisionClass: 'suggest' as const, actor: alice };
    expect(
      decisionProblem(
        { action: 'cant-decide', rationale: 'Cannot tell who owns svc-legacy-ftp; HR ticket pending', reasonCategory: 'other' },
        ctx,
      ),
    ).toMatch(/named person/);
    expect(decisionProblem({ action: 'cant-decide', rationale: '', escalatedTo: 'bob' }, ctx)).toMatch(/what is missing to decide/);
    expect(
      decisionProblem(
        {
          action: 'cant-decide',
          rationale: 'Cannot tell who owns svc-legacy-ftp; HR ticket pending',
          reasonCategory: 'other',
          escalatedTo: 'bob',
        },
        ctx,
      ),
    ).toBeNull();
    const escalated = { action: 'cant-decide' as const, escalatedTo: 'bob', reviewer: alice };
    const carol: ReviewerRef = { id: 'carol', name: 'Carol', keyFingerprint: 'SHA256:cc' };
    expect(decisionProblem({ action: 'keep', rationale: '' }, { ...ctx, actor: carol, current: escalated })).toMatch(/escalated to bob/);
    expect(decisionProblem({ action: 'keep', rationale: '' }, { ...ctx, actor: bob, current: escalated })).toBeNull();
  });
});

describe('only actions that apply; assign-owner names the owner; time-bound exceptions (observation 8)', () => {
  it('a group membership is never rotated; a credential is', () => {
    expect(applicableActions({ itemId: 'a:u1\u001fgrp-admins', suggested: 'revoke' })).not.toContain('rotate');
    expect(applicableActions({ itemId: 'a:u1\u001fgrp-admins', suggested: 'revoke' })).not.toContain('assign-owner');
    expect(applicableActions({ itemId: 'c:svc1\u001fkey-1', suggested: 'rotate' })).toEqual(
      expect.arrayContaining(['rotate', 'revoke', 'keep']),
    );
    expect(applicableActions({ itemId: 'i:svc1', identityType: 'service', suggested: 'assign-owner' })).toContain('assign-owner');
    expect(applicableActions({ itemId: 'i:u1', identityType: 'human', suggested: 'disable-login' })).not.toContain('assign-owner');
  });

  it('refuses an action that does not apply, and assign-owner without an owner', () => {
    const ctx = { item: { itemId: 'a:u1\u001fgrp-admins' }, suggested: 'revoke' as const, decisionClass: 'suggest' as const, actor: alice };
    expect(
      decisionProblem({ action: 'rotate', rationale: 'Key is 500 days old, rotate per SEC-12', reasonCategory: 'other' }, ctx),
    ).toMatch(/does not apply/);
    const idCtx = {
      item: { itemId: 'i:svc1', identityType: 'service' },
      suggested: 'assign-owner' as const,
      decisionClass: 'suggest' as const,
      actor: alice,
    };
    expect(decisionProblem({ action: 'assign-owner', rationale: '' }, idCtx)).toMatch(/Choose the owner/);
    expect(decisionProblem({ action: 'assign-owner', rationale: '', ownerId: 'u1005' }, idCtx)).toBeNull();
    const events = log([
      { type: 'decision', actor: alice, itemId: 'i:svc1', action: 'assign-owner', acceptedSuggestion: true, ownerId: 'u1005' },
    ]);
    expect(deriveItemStates(events).get('i:svc1')!.current!.ownerId).toBe('u1005');
  });

  it('a time-bound exception is a keep until a later date, with a rationale', () => {
    const ctx = {
      item: { itemId: 'a:u1\u001fent-1' },
      suggested: 'revoke' as const,
      decisionClass: 'suggest' as const,
      actor: alice,
      today: '2026-12-06',
    };
    const why = 'Kept for the SAP S/4 cutover tests, then removed (CHG-4410)';
    expect(
      decisionProblem({ action: 'keep', rationale: why, reasonCategory: 'time-bound-exception', keepUntil: '2027-03-31' }, ctx),
    ).toBeNull();
    expect(
      decisionProblem({ action: 'keep', rationale: why, reasonCategory: 'time-bound-exception', keepUntil: '2026-12-01' }, ctx),
    ).toMatch(/after today/);
    expect(
      decisionProblem({ action: 'keep', rationale: why, reasonCategory: 'time-bound-exception', keepUntil: '31/03/2027' }, ctx),
    ).toMatch(/YYYY-MM-DD/);
    expect(
      decisionProblem({ action: 'revoke', rationale: why, reasonCategory: 'time-bound-exception', keepUntil: '2027-03-31' }, ctx),
    ).toMatch(/Only a keep/);
    expect(decisionProblem({ action: 'keep', rationale: '', keepUntil: '2027-03-31' }, { ...ctx, suggested: 'keep' })).toMatch(
      /time-bound exception needs a rationale/,
    );
    expect(decisionProblem({ action: 'keep', rationale: why, keepUntil: '2027-03-31' }, ctx)).toMatch(/reason category/);
  });
});

describe('approval needs a different person with a different key, a rationale on never-delegate; reject sends back (observation 9)', () => {
  const decision = { reviewer: alice, action: 'keep' as const };
  const why = 'Second check: Domain Admins kept for the AD migration, confirmed with the CISO on 3 Dec';

  it('refuses self-approval and one key acting as two people', () => {
    expect(approvalProblem({ decision, approver: alice, decisionClass: 'step-up' })).toMatch(/self-approval/);
    expect(approvalProblem({ decision, approver: bobWithAlicesKey, decisionClass: 'step-up' })).toMatch(/one key acting as two people/);
    expect(approvalProblem({ decision, approver: bob, decisionClass: 'step-up' })).toBeNull();
  });

  it('on a never-delegate item the approver gives their own, specific rationale', () => {
    expect(approvalProblem({ decision, approver: bob, decisionClass: 'never-delegate' })).toMatch(/own rationale/);
    expect(approvalProblem({ decision, approver: bob, decisionClass: 'never-delegate', rationale: 'looks good' })).not.toBeNull();
    expect(approvalProblem({ decision, approver: bob, decisionClass: 'never-delegate', rationale: why })).toBeNull();
    expect(approvalProblem({ decision: { ...decision, action: 'cant-decide' }, approver: bob, decisionClass: 'step-up' })).toMatch(
      /not a decision to approve/,
    );
  });

  it('a reject needs a reason, withdraws the decision and sends the item back to its reviewer', () => {
    expect(rejectProblem({ decision, approver: bob, reason: '' })).toMatch(/Say why/);
    expect(rejectProblem({ decision, approver: alice, reason: 'Wrong, the CAB ticket CHG-1 was refused' })).toMatch(/send back their own/);
    const events = log([
      {
        type: 'decision',
        actor: alice,
        itemId: 'x',
        action: 'keep',
        acceptedSuggestion: true,
        rationale: 'Runs the AD forest migration CHG-2291 until 31 Jan',
      },
      { type: 'reject', actor: bob, itemId: 'x', refersTo: 1, rationale: 'The migration ended on 30 Nov per CHG-2291 closure' },
    ]);
    const state = deriveItemStates(events).get('x')!;
    expect(state.current).toBeNull();
    expect(state.returned).toMatchObject({
      reviewerId: 'alice',
      reason: 'The migration ended on 30 Nov per CHG-2291 closure',
      by: { id: 'bob' },
      refersTo: 1,
    });
    expect(state.history.map((e) => e.type)).toEqual(['decision', 'reject']);
    const again = log([
      ...events.map(({ seq: _s, prevHash: _p, hash: _h, ...b }) => b),
      {
        type: 'decision',
        actor: alice,
        itemId: 'x',
        action: 'revoke',
        acceptedSuggestion: false,
        rationale: 'Removed: migration CHG-2291 closed on 30 Nov',
      },
    ]);
    expect(deriveItemStates(again).get('x')!.returned).toBeUndefined();
  });

  it('an approval records the approver and their rationale on the decision', () => {
    const events = log([
      {
        type: 'decision',
        actor: alice,
        itemId: 'x',
        action: 'keep',
        acceptedSuggestion: true,
        rationale: 'Runs the AD forest migration CHG-2291 until 31 Jan',
      },
      { type: 'approval', actor: bob, itemId: 'x', refersTo: 1, rationale: why, reasonCategory: 'owner-confirmed' },
    ]);
    expect(deriveItemStates(events).get('x')!.current!.approval).toMatchObject({
      approver: { id: 'bob' },
      rationale: why,
      reasonCategory: 'owner-confirmed',
    });
  });
});

describe('keyboard order, bulk eligibility, undo', () => {
  it('nextUndecided: the next undecided item in the view order, wrapping, the current one last', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const decided = new Set(['b', 'c']);
    const isDecided = (id: string) => decided.has(id);
    expect(nextUndecided(ids, isDecided, 0)).toBe(3);
    expect(nextUndecided(ids, isDecided, 4)).toBe(0);
    expect(nextUndecided(ids, isDecided, 4, { wrap: false })).toBe(-1);
    decided.add('a').add('d').add('e');
    expect(nextUndecided(ids, isDecided, 2)).toBe(-1);
    decided.delete('c');
    expect(nextUndecided(ids, isDecided, 2)).toBe(2);
  });

  it('in a filtered view ("open" only), deciding each item in turn visits every one', () => {
    const all = Array.from({ length: 12 }, (_, i) => `item-${i}`);
    const decided = new Set<string>();
    const visited: string[] = [];
    let at = 0;
    // The view shows open items only: it shrinks as items are decided, as a status filter does.
    for (let guard = 0; guard < 50; guard++) {
      const view = all.filter((id) => !decided.has(id));
      if (!view.length) break;
      const current = view[Math.min(at, view.length - 1)]!;
      visited.push(current);
      decided.add(current);
      const next = nextUndecided(view, (id) => decided.has(id), view.indexOf(current));
      if (next < 0) break;
      at = all.filter((id) => !decided.has(id)).indexOf(view[next]!);
    }
    expect(visited.sort()).toEqual([...all].sort());
  });

  it('bulk eligibility follows the policy class of the item, not a hard-coded tier', () => {
    expect(bulkEligible({ decisionClass: 'suggest', suggested: 'keep', decided: false })).toBe(true);
    expect(bulkEligible({ decisionClass: 'step-up', suggested: 'keep', decided: false })).toBe(false);
    expect(bulkEligible({ decisionClass: 'suggest', suggested: 'keep', decided: true })).toBe(false);
    expect(bulkEligible({ decisionClass: 'suggest', suggested: null, decided: false })).toBe(false);
    const lax = parsePolicy({ schema: 'arw-policy', version: 1, decisionClasses: { high: 'suggest' }, privileged: { enabled: false } });
    if (!lax.ok) throw new Error(lax.errors.join('; '));
    expect(bulkEligible({ decisionClass: decisionClassFor('high', lax.policy), suggested: 'keep', decided: false })).toBe(true);
    expect(bulkEligible({ decisionClass: decisionClassFor('critical', lax.policy), suggested: 'keep', decided: false })).toBe(false);
  });

  it('undo: only the decider; an undo of an unknown seq removes nothing; a note naming an item is not a decision', () => {
    expect(undoProblem({ reviewer: alice }, bob)).toMatch(/Only Alice/);
    expect(undoProblem(null, alice)).toMatch(/no decision/);
    expect(undoProblem({ reviewer: alice }, alice)).toBeNull();
    const events = log([
      { type: 'decision', actor: alice, itemId: 'x', action: 'keep', acceptedSuggestion: true },
      { type: 'undo', actor: alice, itemId: 'x', refersTo: 99 },
      { type: 'note', actor: alice, itemId: 'x', refersTo: 1, details: { drift: 'fast-accept-streak' } },
    ]);
    const state = deriveItemStates(events).get('x')!;
    expect(state.current!.seq).toBe(1);
    expect(state.current!.approval).toBeUndefined();
    expect(state.history.map((e) => e.type)).toEqual(['decision', 'undo']);
  });
});

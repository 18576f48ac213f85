// Carry-forward: each item of a new campaign against a hand-built baseline — unchanged, changed, new, removed —
// and the prior decision offered only where the evidence it rested on still holds.
import { describe, expect, it } from 'vitest';
import {
  bulkConfirmEligible,
  carryProblem,
  compareWithBaseline,
  needsFreshReview,
  reviewLoad,
  type BaselineItem,
  type ComparableItem,
  type PriorDecision,
} from '../../shared/review';

const AS_OF = Date.parse('2027-03-01T00:00:00Z');
/** Each build of an item gets other figures, as days since last use differ between two imports. */
let drift = 0;

function item(
  id: string,
  over: Partial<ComparableItem> = {},
  signals: { id: string; verdict?: 'keep' | 'revoke' }[] = [{ id: 'peer-common', verdict: 'keep' }],
): ComparableItem {
  return {
    itemId: `a:${id}\u001fgit`,
    identity: { id, displayName: id.toUpperCase(), type: 'human', status: 'active' },
    target: { kind: 'entitlement', id: 'git', name: 'GitHub write', application: 'GitHub', privilege: 'medium' },
    suggestion: {
      action: 'keep',
      riskTier: 'medium',
      decisionClass: 'suggest',
      policyDigest: 'sha256:p1',
      signals: signals.map((s) => ({ ...s, message: `${s.id}: last used ${++drift} days ago`, value: drift, threshold: null })),
    },
    ...over,
  };
}

const KEEP: PriorDecision = {
  action: 'keep',
  reviewerId: 'r1',
  at: '2026-12-01T10:00:00Z',
  rationale: 'Maintains the release pipeline repos.',
};

function baseline(current: ComparableItem, decision: PriorDecision | null = KEEP): BaselineItem {
  return { ...current, decision };
}

describe('compareWithBaseline', () => {
  it('classifies unchanged, changed, new and removed items', () => {
    const same = item('u1');
    const moved = item('u2');
    const gone = item('u3');
    const fresh = item('u4');
    const r = compareWithBaseline(
      [baseline(same), baseline(moved), baseline(gone)],
      [item('u1'), { ...moved, identity: { ...moved.identity, status: 'suspended' } }, fresh],
      { asOf: AS_OF },
    );
    const kinds = Object.fromEntries(r.items.map((e) => [e.current?.identity.id ?? e.baseline?.identity.id, e.kind]));
    expect(kinds).toEqual({ u1: 'unchanged', u2: 'changed', u3: 'removed', u4: 'new' });
    expect(r.counts).toEqual({ unchanged: 1, changed: 1, new: 1, removed: 1 });
    const changed = r.items.find((e) => e.kind === 'changed')!;
    expect(changed.changes).toEqual([{ field: 'status', before: 'active', after: 'suspended' }]);
  });

  it('ignores figures that drift with the calendar but not what they imply', () => {
    // The messages and values differ between the two builds: still unchanged.
    expect(compareWithBaseline([baseline(item('u1'))], [item('u1')], { asOf: AS_OF }).items[0]!.kind).toBe('unchanged');
    // The usage signal now says revoke: the evidence the keep rested on has changed.
    const r = compareWithBaseline(
      [baseline(item('u1'))],
      [
        item('u1', {}, [
          { id: 'peer-common', verdict: 'keep' },
          { id: 'unused-access', verdict: 'revoke' },
        ]),
      ],
      { asOf: AS_OF },
    );
    expect(r.items[0]!.kind).toBe('changed');
    expect(r.items[0]!.changes.map((c) => c.field)).toEqual(['signals']);
  });

  it('the same signals in another order are the same evidence; a suggestion gone is not', () => {
    const two = [
      { id: 'peer-common', verdict: 'keep' as const },
      { id: 'recent-use', verdict: 'keep' as const },
    ];
    const r = compareWithBaseline([baseline(item('u1', {}, two))], [item('u1', {}, [...two].reverse())], { asOf: AS_OF });
    expect(r.items[0]!.kind).toBe('unchanged');
    const bare = compareWithBaseline([baseline(item('u1'))], [item('u1', { suggestion: null })], { asOf: AS_OF });
    expect(bare.items[0]!.kind).toBe('changed');
    expect(bare.items[0]!.changes.map((c) => c.field)).toContain('suggestedAction');
  });

  it.each([
    ['class', { identity: { id: 'u1', displayName: 'U1', type: 'service' as const, status: 'active' as const } }, 'identityClass'],
    [
      'privilege',
      { target: { kind: 'entitlement' as const, id: 'git', name: 'GitHub write', application: 'GitHub', privilege: 'high' as const } },
      'privilege',
    ],
    ['grant path', { path: ['platform-team', 'github-writers'] }, 'path'],
  ])('a changed %s is a change', (_, over, field) => {
    const r = compareWithBaseline([baseline(item('u1'))], [item('u1', over)], { asOf: AS_OF });
    expect(r.items[0]!.kind).toBe('changed');
    expect(r.items[0]!.changes.map((c) => c.field)).toContain(field);
  });

  it('a new policy changes the evidence of every item', () => {
    const next = item('u1');
    next.suggestion = { ...next.suggestion!, policyDigest: 'sha256:p2' };
    const r = compareWithBaseline([baseline(item('u1'))], [next], { asOf: AS_OF });
    expect(r.items[0]!.changes).toEqual([{ field: 'policyDigest', before: 'sha256:p1', after: 'sha256:p2' }]);
  });

  it('a carried decision whose evidence is unchanged but which cannot stand is not carried', () => {
    const cases: [PriorDecision | null, RegExp][] = [
      [null, /no decision/],
      [{ ...KEEP, action: 'cant-decide' }, /escalated/],
      [{ ...KEEP, action: 'revoke' }, /revoke decided on 2026-12-01 but the grant is still there/],
      [{ ...KEEP, keepUntil: '2027-02-28' }, /exception expired on 2027-02-28/],
    ];
    for (const [decision, why] of cases) {
      const entry = compareWithBaseline([baseline(item('u1'), decision)], [item('u1')], { asOf: AS_OF }).items[0]!;
      expect(entry.kind).toBe('changed');
      expect(entry.reason).toMatch(why);
      expect(needsFreshReview(entry)).toBe(true);
    }
    // An exception still running carries.
    expect(carryProblem({ ...KEEP, keepUntil: '2027-03-01' }, AS_OF)).toBeNull();
  });
});

describe('review scope and bulk confirmation', () => {
  it('high and critical items are always in the fresh-review scope and never bulk-confirmed', () => {
    const critical = item('u9', {
      target: { kind: 'entitlement', id: 'git', name: 'Org owner', application: 'GitHub', privilege: 'critical' },
    });
    critical.suggestion = { ...critical.suggestion!, riskTier: 'critical', decisionClass: 'never-delegate' };
    const [entry] = compareWithBaseline([baseline(critical)], [critical], { asOf: AS_OF }).items;
    expect(entry!.kind).toBe('unchanged');
    expect(needsFreshReview(entry!)).toBe(true);
    expect(bulkConfirmEligible(entry!)).toBe(false);
  });

  it('bulk confirmation only for unchanged items whose class allows bulk', () => {
    const stepUp = item('u2');
    stepUp.suggestion = { ...stepUp.suggestion!, decisionClass: 'step-up' };
    const r = compareWithBaseline(
      [baseline(item('u1')), baseline(stepUp), baseline(item('u3'))],
      [item('u1'), stepUp, item('u3', { identity: { id: 'u3', displayName: 'U3', type: 'human', status: 'terminated' } })],
      { asOf: AS_OF },
    );
    expect(r.items.map(bulkConfirmEligible)).toEqual([true, false, false]);
  });

  it('removed items are listed for the record and never reviewed', () => {
    const r = compareWithBaseline([baseline(item('u1'))], [], { asOf: AS_OF });
    expect(r.items[0]!.kind).toBe('removed');
    expect(needsFreshReview(r.items[0]!)).toBe(false);
    expect(reviewLoad(r)).toEqual({ items: 0, needingReview: 0, highOrCritical: 0, share: 0 });
  });

  it('the review load counts what needs eyes apart from the always-reviewed high and critical items', () => {
    const high = item('h1');
    high.suggestion = { ...high.suggestion!, riskTier: 'high' };
    const base = [baseline(item('u1')), baseline(item('u2')), baseline(item('u3')), baseline(high)];
    const r = compareWithBaseline(
      base,
      [
        item('u1'),
        item('u2'),
        item('u3', { identity: { id: 'u3', displayName: 'U3', type: 'human', status: 'disabled' } }),
        high,
        item('u5'),
      ],
      { asOf: AS_OF },
    );
    expect(reviewLoad(r)).toEqual({ items: 5, needingReview: 2, highOrCritical: 1, share: 0.4 });
  });
});

// The owner's merge of the reviewers' decision sets, with real WebCrypto Ed25519 keys: the approval round for
// step-up items, provenance, any order of inputs, superseded sets, conflicts, and what the merge refuses.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { approvalWorkItems, buildWorkPackage, mergeDecisionSets, verifyWorkPackage, type MergeResult } from '../../shared/exchange';
import { chainEvent, verifyChain } from '../../shared/review/audit-log';
import { approvalEvents } from '../fixtures/packages/sample-work-package.kit';
import { exchangeFlow, ISSUED, type ExchangeFlow, type FullCampaign } from './exchange-flow-setup';

let kit: ExchangeFlow['kit'];
let wps: ExchangeFlow['wps'];
let wpReports: ExchangeFlow['wpReports'];
let answer: ExchangeFlow['answer'];
let sessionFor: ExchangeFlow['sessionFor'];
let fullCampaign: ExchangeFlow['fullCampaign'];

beforeAll(async () => {
  ({ kit, wps, wpReports, answer, sessionFor, fullCampaign } = await exchangeFlow());
});

describe('merge', () => {
  let flow: FullCampaign;
  let merged: MergeResult;
  beforeAll(async () => {
    flow = await fullCampaign();
    merged = await mergeDecisionSets(kit.campaign, flow.workPackages, flow.decisionSets, { trustedKeys: kit.trustedKeys });
  });

  it('first round: step-up and never-delegate (critical) items wait for approval and are listed as open', () => {
    const stepUp = kit.campaign.items.filter(
      (i) => i.suggestion?.decisionClass === 'step-up' || i.suggestion?.decisionClass === 'never-delegate',
    ).length;
    expect(kit.campaign.items.some((i) => i.suggestion?.decisionClass === 'never-delegate')).toBe(true);
    expect(stepUp).toBeGreaterThan(0);
    expect(flow.first.openItems.filter((o) => o.reason === 'awaiting-approval')).toHaveLength(stepUp);
    expect(flow.approvalReport.items).toHaveLength(stepUp);
    expect(flow.approvalReport.verdict).toBe('valid');
  });

  it('after the approval round every item is decided, with provenance to its decision set and signature', () => {
    expect(merged.rejected).toEqual([]);
    expect(merged.conflicts).toEqual([]);
    expect(merged.refusedApprovals).toEqual([]);
    expect(merged.openItems).toEqual([]);
    expect(merged.accepted).toHaveLength(3);
    const setDigests = new Map(flow.sets.map((s) => [s.statementDigest, s]));
    for (const item of merged.items) {
      expect(item.decision).not.toBeNull();
      expect(item.decidedBy!.reviewerId).toBe(item.reviewerId);
      const origin = setDigests.get(item.decidedBy!.decisionSet)!;
      expect(origin.statement.predicate.reviewer.id).toBe(item.reviewerId);
      expect(item.decidedBy!.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      if (item.decision!.approver) expect(item.approvedBy!.decisionSet).toBe(flow.approvalSet.statementDigest);
    }
    expect(merged.signersNeeded).toEqual(['alice', 'bob', 'carol']);
    // The merged chain is a valid chain by shared/review's own definition.
    expect(verifyChain(merged.auditEvents)).toEqual({
      ok: true,
      length: merged.auditEvents.length,
      head: merged.auditEvents[merged.auditEvents.length - 1]!.hash,
    });
  });

  it('gives the same result in any order, and importing a set twice changes nothing', async () => {
    const again = await mergeDecisionSets(
      kit.campaign,
      [...flow.workPackages].reverse(),
      [flow.decisionSets[2]!, flow.decisionSets[1]!, flow.decisionSets[0]!, flow.decisionSets[1]!],
      { trustedKeys: kit.trustedKeys },
    );
    expect(again.certificationInput).toEqual(merged.certificationInput);
    expect(again.items).toEqual(merged.items);
    expect(again.duplicates).toHaveLength(1);
  });

  it('any order of inputs, with an older set and repeats mixed in, gives the same merge (property)', async () => {
    const older = await answer(wpReports[0]!, sessionFor(wpReports[0]!, { decide: 4 }), '2026-10-05T12:00:00.000Z');
    const sets = [...flow.decisionSets, older.bytes];
    const reference = await mergeDecisionSets(kit.campaign, flow.workPackages, sets, { trustedKeys: kit.trustedKeys });
    expect(reference.superseded).toHaveLength(1);
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(flow.workPackages, { minLength: flow.workPackages.length }),
        fc.shuffledSubarray(sets, { minLength: sets.length }),
        fc.nat(sets.length - 1),
        async (w, d, repeat) => {
          const m = await mergeDecisionSets(kit.campaign, w, [...d, sets[repeat]!], { trustedKeys: kit.trustedKeys });
          expect(m.certificationInput).toEqual(reference.certificationInput);
          expect(m.items).toEqual(reference.items);
          expect(m.superseded).toEqual(reference.superseded);
          expect(m.openItems).toEqual(reference.openItems);
          expect(m.duplicates).toHaveLength(1);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('a newer set from the same reviewer supersedes the older one, visibly', async () => {
    const report = wpReports[0]!;
    const partial = sessionFor(report, { decide: 6 });
    const older = await answer(report, partial, '2026-10-05T12:00:00.000Z');
    const newer = await answer(report, sessionFor(report), '2026-10-06T17:00:00.000Z');
    for (const order of [
      [older.bytes, newer.bytes],
      [newer.bytes, older.bytes],
    ]) {
      const m = await mergeDecisionSets(
        kit.campaign,
        wps.map((w) => w.bytes),
        order,
        { trustedKeys: kit.trustedKeys },
      );
      expect(m.superseded).toEqual([
        expect.objectContaining({
          superseded: older.statementDigest,
          by: newer.statementDigest,
          extendsOlder: true,
          itemsDroppedByNewer: 0,
        }),
      ]);
      expect(m.accepted.map((a) => a.statementDigest)).toEqual([newer.statementDigest]);
    }
  });

  it('two decision sets deciding one item are a conflict: reported, the item left open, nothing guessed', async () => {
    const alice = kit.people.get('alice')!;
    const mine = kit.campaign.items.filter((i) => i.reviewerId === 'alice').slice(0, 3);
    const reissued = await buildWorkPackage(
      {
        kind: 'review',
        id: `${kit.campaign.info.id}/alice/review/2`,
        issuedAt: '2026-10-05T09:00:00.000Z',
        campaign: kit.campaign.info,
        owner: kit.campaign.owner,
        reviewer: alice,
        policy: kit.campaign.policy,
        sources: kit.campaign.sources,
        engineVersion: kit.campaign.engineVersion,
        items: mine.map(({ reviewerId: _r, ...i }) => i),
      },
      kit.owner,
    );
    const reissuedReport = await verifyWorkPackage(reissued.bytes, { trustedKeys: kit.trustedKeys });
    const aliceReport = wpReports.find((r) => r.statement!.predicate.reviewer.id === 'alice')!;
    const a = await answer(aliceReport, sessionFor(aliceReport));
    const b = await answer(reissuedReport, sessionFor(reissuedReport));
    const m = await mergeDecisionSets(kit.campaign, [...wps.map((w) => w.bytes), reissued.bytes], [a.bytes, b.bytes], {
      trustedKeys: kit.trustedKeys,
    });
    expect(m.conflicts.map((c) => c.itemId).sort()).toEqual(mine.map((i) => i.itemId).sort());
    expect(m.conflicts[0]!.sides.map((s) => s.decisionSet).sort()).toEqual([a.statementDigest, b.statementDigest].sort());
    for (const item of mine) {
      expect(m.openItems).toContainEqual({ itemId: item.itemId, reviewerId: 'alice', reason: 'conflict' });
      expect(m.items.find((i) => i.itemId === item.itemId)!.decision).toBeNull();
      expect(m.auditEvents.some((e) => e.itemId === item.itemId)).toBe(false);
    }
  });

  it('refuses a work package whose items are assigned to someone else', async () => {
    const alice = kit.people.get('alice')!;
    const bobsItem = kit.campaign.items.find((i) => i.reviewerId === 'bob')!;
    const { reviewerId: _r, ...item } = bobsItem;
    const wrong = await buildWorkPackage(
      {
        kind: 'review',
        id: 'x/alice/review/9',
        issuedAt: ISSUED,
        campaign: kit.campaign.info,
        owner: kit.campaign.owner,
        reviewer: alice,
        policy: kit.campaign.policy,
        sources: kit.campaign.sources,
        engineVersion: kit.campaign.engineVersion,
        items: [item],
      },
      kit.owner,
    );
    const m = await mergeDecisionSets(kit.campaign, [wrong.bytes], [], { trustedKeys: kit.trustedKeys });
    expect(m.rejected).toEqual([
      expect.objectContaining({ what: 'work-package', reasons: [`item ${bobsItem.itemId} is assigned to bob, not to alice`] }),
    ]);
  });

  it('refuses self-approval at merge, even when the approval work package let it through', async () => {
    const first = flow.first;
    const aliceItems = approvalWorkItems(kit.campaign, first, kit.people.get('carol')!.fingerprint).filter(
      (i) => i.pending!.decider.id === 'alice',
    );
    expect(aliceItems.length).toBeGreaterThan(0);
    // The owner's tool (wrongly) names bob as the decider, so the work package itself looks fine.
    const misnamed = aliceItems.map((i) => ({
      ...i,
      pending: { ...i.pending!, decider: { id: 'bob', fingerprint: kit.people.get('bob')!.fingerprint } },
    }));
    const alice = kit.people.get('alice')!;
    const wp = await buildWorkPackage(
      {
        kind: 'approval',
        id: 'x/alice/approval/1',
        issuedAt: ISSUED,
        campaign: kit.campaign.info,
        owner: kit.campaign.owner,
        reviewer: alice,
        policy: kit.campaign.policy,
        sources: kit.campaign.sources,
        engineVersion: kit.campaign.engineVersion,
        items: misnamed,
      },
      kit.owner,
    );
    const report = await verifyWorkPackage(wp.bytes, { trustedKeys: kit.trustedKeys });
    expect(report.verdict).toBe('valid');
    const selfApproval = await answer(
      report,
      approvalEvents({ predicate: report.statement!.predicate, items: report.items }, kit.refs.get('alice')!),
    );
    const m = await mergeDecisionSets(
      kit.campaign,
      [...flow.workPackages.slice(0, 2), wp.bytes],
      [...flow.decisionSets.slice(0, 2), selfApproval.bytes],
      { trustedKeys: kit.trustedKeys },
    );
    expect(m.refusedApprovals).toHaveLength(aliceItems.length);
    expect(m.refusedApprovals[0]!.reason).toMatch(/self-approval/);
    for (const i of aliceItems) expect(m.openItems).toContainEqual({ itemId: i.itemId, reviewerId: 'alice', reason: 'awaiting-approval' });
    // The builder refuses it outright when the decider is named right.
    await expect(
      buildWorkPackage(
        {
          kind: 'approval',
          id: 'x/alice/approval/2',
          issuedAt: ISSUED,
          campaign: kit.campaign.info,
          owner: kit.campaign.owner,
          reviewer: alice,
          policy: kit.campaign.policy,
          sources: kit.campaign.sources,
          engineVersion: kit.campaign.engineVersion,
          items: aliceItems,
        },
        kit.owner,
      ),
    ).rejects.toThrow(/own decision/);
  });

  it('rejects a decision set that answers a work package the owner did not give, and an approval of a decision that no longer stands', async () => {
    const m = await mergeDecisionSets(kit.campaign, flow.workPackages.slice(1), flow.decisionSets, { trustedKeys: kit.trustedKeys });
    const missing = wpReports[0]!.statement!.predicate.reviewer.id;
    expect(m.rejected).toEqual([
      expect.objectContaining({
        what: 'decision-set',
        reviewerId: missing,
        reasons: [expect.stringContaining("not one of this campaign's work packages")],
      }),
    ]);
    // The decider takes a decision back and makes it again after the approval package left: the approval is stale.
    const deciderReport = wpReports.find((r) => r.statement!.predicate.reviewer.id === flow.approvalReport.items[0]!.pending!.decider.id)!;
    const before = sessionFor(deciderReport);
    const approved = flow.approvalReport.items[0]!;
    const decisionEvent = before.find((e) => e.hash === approved.pending!.event.hash)!;
    const actor = kit.refs.get(deciderReport.statement!.predicate.reviewer.id)!;
    const undo = chainEvent(before[before.length - 1]!, {
      campaignId: kit.campaign.info.id,
      type: 'undo',
      at: '2026-10-09T08:00:00.000Z',
      actor,
      itemId: approved.itemId,
      refersTo: decisionEvent.seq,
    });
    const redo = chainEvent(undo, {
      campaignId: kit.campaign.info.id,
      type: 'decision',
      at: '2026-10-09T08:01:00.000Z',
      actor,
      itemId: approved.itemId,
      action: decisionEvent.action!,
      acceptedSuggestion: decisionEvent.acceptedSuggestion!,
      ...(decisionEvent.rationale ? { rationale: decisionEvent.rationale } : {}),
      ...(decisionEvent.suggestion ? { suggestion: decisionEvent.suggestion } : {}),
    });
    const newer = await answer(deciderReport, [...before, undo, redo], '2026-10-09T09:00:00.000Z');
    const m2 = await mergeDecisionSets(kit.campaign, flow.workPackages, [...flow.decisionSets, newer.bytes], {
      trustedKeys: kit.trustedKeys,
    });
    expect(m2.superseded).toHaveLength(1);
    expect(m2.refusedApprovals).toEqual([
      expect.objectContaining({ itemId: approved.itemId, reason: expect.stringContaining('no longer stands') }),
    ]);
    expect(m2.openItems).toContainEqual(expect.objectContaining({ itemId: approved.itemId, reason: 'awaiting-approval' }));
  });

  it('rejects sets from an unpinned key and reports every rejected input', async () => {
    const m = await mergeDecisionSets(kit.campaign, flow.workPackages, flow.decisionSets, {
      trustedKeys: kit.trustedKeys.filter((k) => k.name !== 'Bob Reviewer'),
    });
    expect(m.rejected.map((r) => [r.what, r.reviewerId])).toEqual([['decision-set', 'bob']]);
    expect(m.rejected[0]!.reasons.join(' ')).toMatch(/not in the trust list/);
    expect(m.openItems.filter((o) => o.reviewerId === 'bob').map((o) => o.reason)).toEqual(expect.arrayContaining(['no-decision-set']));
  });
});

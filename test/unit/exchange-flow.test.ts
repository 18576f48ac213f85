// Campaigns across laptops, end to end with real WebCrypto Ed25519 keys: work packages out, decision sets back,
// an approval round for step-up items, the owner's merge, and the certification package built from it.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCertificationPackage, verifyPackage, type PackageSigner } from '../../shared/package';
import {
  approvalWorkItems,
  assembleCertificationPackage,
  buildDecisionSet,
  certificationSignatureRequest,
  checkSignatureRequest,
  signCertificationRequest,
  buildWorkPackage,
  mergeDecisionSets,
  splitCampaign,
  verifyDecisionSet,
  verifyWorkPackage,
  verifyCertificationPackage,
  type BuiltExchange,
  type DecisionSetPredicate,
  type MergeResult,
  type WorkPackagePredicate,
  type WorkPackageReport,
} from '../../shared/exchange';
import { buildSignedArchive, describeSigner } from '../../shared/exchange/signed-archive';
import { DECISION_SET_PREDICATE } from '../../shared/exchange/layout';
import { driftMetrics } from '../../shared/exchange/decision-set';
import { canonicalText } from '../../shared/package/audit-chain-check';
import { chainEvent, verifyChain } from '../../shared/review/audit-log';
import type { AuditEvent } from '../../shared/review/types';
import { approvalEvents, exchangeKit, reviewEvents, type ExchangeKit } from '../fixtures/packages/sample-work-package.kit';
import { bytesOf, entriesOf, replaceEntry, rezip, text } from '../fixtures/packages/package-kit';
import { generateSigner } from '../fixtures/packages/webcrypto-signer';

const ISSUED = '2026-10-04T09:00:00.000Z';
let kit: ExchangeKit;
let wps: Array<BuiltExchange<WorkPackagePredicate>>;
let wpReports: WorkPackageReport[];

async function answer(report: WorkPackageReport, events: AuditEvent[], createdAt = '2026-10-06T17:00:00.000Z') {
  const p = report.statement!.predicate;
  return buildDecisionSet({ workPackage: { statementDigest: report.statementDigest!, predicate: p, items: report.items }, reviewer: kit.people.get(p.reviewer.id)!, createdAt, events }, kit.signers.get(p.reviewer.id)!);
}

function sessionFor(report: WorkPackageReport, options: { decide?: number; prior?: AuditEvent[]; startMs?: number } = {}) {
  const p = report.statement!.predicate;
  return reviewEvents({ predicate: p, items: report.items }, kit.refs.get(p.reviewer.id)!, options);
}

/** The whole flow: both reviewers decide everything, the step-up items go to carol, carol approves. */
async function fullCampaign() {
  const sets = await Promise.all(wpReports.map((r) => answer(r, sessionFor(r))));
  const first = await mergeDecisionSets(kit.campaign, wps.map((w) => w.bytes), sets.map((s) => s.bytes), { trustedKeys: kit.trustedKeys });
  const carol = kit.people.get('carol')!;
  const approvalWp = await buildWorkPackage(
    { kind: 'approval', id: `${kit.campaign.info.id}/carol/approval/1`, issuedAt: '2026-10-07T09:00:00.000Z', campaign: kit.campaign.info, owner: kit.campaign.owner, reviewer: carol, policy: kit.campaign.policy, sources: kit.campaign.sources, engineVersion: kit.campaign.engineVersion, items: approvalWorkItems(kit.campaign, first, carol.fingerprint) },
    kit.owner,
  );
  const approvalReport = await verifyWorkPackage(approvalWp.bytes, { trustedKeys: kit.trustedKeys });
  const approvalSet = await answer(approvalReport, approvalEvents({ predicate: approvalReport.statement!.predicate, items: approvalReport.items }, kit.refs.get('carol')!), '2026-10-08T17:00:00.000Z');
  return { sets, first, approvalWp, approvalReport, approvalSet, workPackages: [...wps.map((w) => w.bytes), approvalWp.bytes], decisionSets: [...sets.map((s) => s.bytes), approvalSet.bytes] };
}

/** The merged input with one of alice's decisions given another rationale (re-chained, decisions.json to match). */
function forgeAliceDecision(merged: MergeResult) {
  const input = structuredClone(merged.certificationInput);
  const victim = input.auditEvents.findIndex((e) => e.type === 'decision' && e.actor.id === 'alice');
  const events: AuditEvent[] = [];
  for (const [i, e] of input.auditEvents.entries()) {
    const { seq: _s, prevHash: _p, hash: _h, ...body } = e;
    events.push(chainEvent(events[i - 1] ?? null, i === victim ? { ...body, rationale: 'Decided by someone else entirely' } : body));
  }
  input.auditEvents = events;
  const item = input.items.find((x) => x.itemId === events[victim]!.itemId)!;
  item.decision = { ...item.decision!, rationale: 'Decided by someone else entirely' };
  return { input, victim, events };
}

beforeAll(async () => {
  kit = await exchangeKit({ items: 40, seed: 8 });
  const inputs = splitCampaign(kit.campaign, ISSUED, kit.people);
  wps = await Promise.all(inputs.map((i) => buildWorkPackage(i, kit.owner)));
  wpReports = await Promise.all(wps.map((w) => verifyWorkPackage(w.bytes, { trustedKeys: kit.trustedKeys })));
});

describe('work package', () => {
  it('verifies on the reviewer laptop: owner signature pinned, only that reviewer\'s items', () => {
    expect(wps).toHaveLength(2);
    for (const r of wpReports) {
      expect(r.reasons).toEqual([]);
      expect(r.verdict).toBe('valid');
      expect(r.kind).toBe('work-package');
      expect(r.signers).toEqual([expect.objectContaining({ signatureValid: true, pinned: true, trustedAs: { name: 'Olivia Owner', email: 'olivia@example.com' } })]);
      const reviewerId = r.statement!.predicate.reviewer.id;
      const assigned = kit.campaign.items.filter((i) => i.reviewerId === reviewerId).map((i) => i.itemId);
      expect(r.items.map((i) => i.itemId)).toEqual(assigned);
      expect(r.statement!.predicate.policyDigest).toBe(kit.campaign.policy.digest);
      expect(r.items.some((i) => i.suggestion && i.suggestion.signals.length > 0)).toBe(true);
    }
  });

  it('without a trust list, verifies with a warning that nothing pins the owner', async () => {
    const r = await verifyWorkPackage(wps[0]!.bytes);
    expect(r.verdict).toBe('valid');
    expect(r.warnings.map((w) => w.check)).toEqual(['trust']);
  });

  it('refuses a changed item, with the file named', async () => {
    const entries = await entriesOf(wps[0]!.bytes);
    const items = text(entries.find((e) => e.name === 'items.json')!.bytes).replace('"action":"revoke"', '"action":"keep"');
    const r = await verifyWorkPackage(await rezip(replaceEntry(entries, 'items.json', bytesOf(items))), { trustedKeys: kit.trustedKeys });
    expect(r.verdict).toBe('invalid');
    expect(r.reasons).toContainEqual(expect.objectContaining({ check: 'files', file: 'items.json', message: expect.stringContaining('was changed') }));
  });

  it('refuses a foreign package (someone else signs as the owner), and an extra file', async () => {
    const mallory = await generateSigner('mallory');
    const input = splitCampaign(kit.campaign, ISSUED, kit.people)[0]!;
    const foreign = await buildWorkPackage({ ...input, owner: { ...kit.campaign.owner, fingerprint: mallory.fingerprint, publicKey: Buffer.from(mallory.publicKey).toString('base64') } }, mallory);
    const r = await verifyWorkPackage(foreign.bytes, { trustedKeys: kit.trustedKeys });
    expect(r.verdict).toBe('invalid');
    expect(r.reasons).toContainEqual(expect.objectContaining({ check: 'trust', message: expect.stringContaining('not in the trust list') }));
    const extra = await rezip([...(await entriesOf(wps[0]!.bytes)), { name: 'payload.exe', bytes: bytesOf('MZ') }]);
    const r2 = await verifyWorkPackage(extra, { trustedKeys: kit.trustedKeys });
    expect(r2.reasons).toContainEqual(expect.objectContaining({ check: 'files', message: expect.stringContaining('unexpected file "payload.exe"') }));
  });

  it('refuses a signature swapped in from another work package', async () => {
    const a = await entriesOf(wps[0]!.bytes);
    const b = await entriesOf(wps[1]!.bytes);
    const r = await verifyWorkPackage(await rezip(replaceEntry(a, 'manifest.dsse.json', b.find((e) => e.name === 'manifest.dsse.json')!.bytes)), { trustedKeys: kit.trustedKeys });
    expect(r.verdict).toBe('invalid');
    expect(r.reasons.map((x) => x.check)).toEqual(expect.arrayContaining(['manifest']));
  });
});

describe('decision set', () => {
  it('round trip, partial: says how many items are left', async () => {
    const report = wpReports[0]!;
    const set = await answer(report, sessionFor(report, { decide: 5 }));
    const r = await verifyDecisionSet(set.bytes, { trustedKeys: kit.trustedKeys, workPackage: wps[0]!.bytes });
    expect(r.reasons).toEqual([]);
    expect(r.kind).toBe('decision-set');
    expect(r.itemsLeft).toBe(report.items.length - 5);
    expect(r.statement!.predicate.counts).toEqual({ items: report.items.length, decided: 5, open: report.items.length - 5 });
    expect(r.metrics).toEqual(driftMetrics(report.statement!.predicate.reviewer.id, r.events));
    expect(r.statement!.predicate.workPackage.statementDigest).toBe(wps[0]!.statementDigest);
  });

  it('is refused against another reviewer\'s work package', async () => {
    const set = await answer(wpReports[0]!, sessionFor(wpReports[0]!));
    const r = await verifyDecisionSet(set.bytes, { trustedKeys: kit.trustedKeys, workPackage: wps[1]!.bytes });
    expect(r.verdict).toBe('invalid');
    expect(r.reasons).toContainEqual(expect.objectContaining({ check: 'answers', message: expect.stringContaining('not this one') }));
  });

  it('the builder refuses a broken chain and items outside the work package', async () => {
    const report = wpReports[0]!;
    const events = sessionFor(report, { decide: 3 });
    events[1] = { ...events[1]!, rationale: 'changed afterwards' };
    await expect(answer(report, events)).rejects.toThrow(/chain is broken/);
    const foreignItem = wpReports[1]!.items[0]!.itemId;
    const alice = kit.refs.get(report.statement!.predicate.reviewer.id)!;
    const stray = [chainEvent(null, { campaignId: kit.campaign.info.id, type: 'decision', at: ISSUED, actor: alice, itemId: foreignItem, action: 'keep', acceptedSuggestion: false, rationale: 'not mine to decide at all' })];
    await expect(answer(report, stray)).rejects.toThrow(/not in the work package/);
  });

  it('a signed set whose chain was altered is rejected with the reason', async () => {
    const report = wpReports[0]!;
    const events = sessionFor(report, { decide: 4 });
    const altered = events.map((e, i) => (i === 1 ? { ...e, action: 'keep' as const } : e));
    const set = await signedSetBypassingTheBuilder(report, altered, events);
    const r = await verifyDecisionSet(set, { trustedKeys: kit.trustedKeys, workPackage: report });
    expect(r.verdict).toBe('invalid');
    expect(r.reasons).toContainEqual(expect.objectContaining({ check: 'chain', message: expect.stringContaining('was altered') }));
  });

  it('a signed set deciding another reviewer\'s item is rejected item by item', async () => {
    const report = wpReports[0]!;
    const alice = kit.refs.get(report.statement!.predicate.reviewer.id)!;
    const events = sessionFor(report, { decide: 2 });
    events.push(chainEvent(events[events.length - 1]!, { campaignId: kit.campaign.info.id, type: 'decision', at: ISSUED, actor: alice, itemId: wpReports[1]!.items[0]!.itemId, action: 'revoke', acceptedSuggestion: false, rationale: 'taking a decision that is not mine' }));
    const set = await signedSetBypassingTheBuilder(report, events, events);
    const r = await verifyDecisionSet(set, { trustedKeys: kit.trustedKeys, workPackage: report });
    expect(r.reasons).toContainEqual(expect.objectContaining({ check: 'answers', itemId: wpReports[1]!.items[0]!.itemId, message: expect.stringContaining('not in the work package') }));
    const merged = await mergeDecisionSets(kit.campaign, wps.map((w) => w.bytes), [set], { trustedKeys: kit.trustedKeys });
    expect(merged.rejected).toEqual([expect.objectContaining({ what: 'decision-set', reasons: expect.arrayContaining([expect.stringContaining('not in the work package')]) })]);
    expect(merged.auditEvents).toEqual([]);
  });
});

/** What a dishonest or buggy client could send: a validly signed set whose content the builder would refuse. */
async function signedSetBypassingTheBuilder(report: WorkPackageReport, events: AuditEvent[], claimed: AuditEvent[]): Promise<Uint8Array> {
  const p = report.statement!.predicate;
  const signer = kit.signers.get(p.reviewer.id)!;
  const last = claimed[claimed.length - 1]!;
  const predicate: DecisionSetPredicate = {
    formatVersion: 1,
    campaign: { id: p.campaign.id },
    workPackage: { id: p.id, kind: p.kind, statementDigest: report.statementDigest! },
    reviewer: kit.people.get(p.reviewer.id)!,
    createdAt: '2026-10-06T17:00:00.000Z',
    chain: { head: last.hash, length: claimed.length },
    counts: { items: report.items.length, decided: 0, open: report.items.length },
    signer: describeSigner(signer),
  };
  const lines = `${events.map((e) => canonicalText(e)).join('\n')}\n`;
  const built = await buildSignedArchive(DECISION_SET_PREDICATE, predicate, [['events.jsonl', bytesOf(lines)], ['metrics.json', bytesOf(`${JSON.stringify(driftMetrics(p.reviewer.id, events), null, 2)}\n`)]], signer);
  return built.bytes;
}

describe('merge', () => {
  let flow: Awaited<ReturnType<typeof fullCampaign>>;
  let merged: MergeResult;
  beforeAll(async () => {
    flow = await fullCampaign();
    merged = await mergeDecisionSets(kit.campaign, flow.workPackages, flow.decisionSets, { trustedKeys: kit.trustedKeys });
  });

  it('first round: step-up and never-delegate (critical) items wait for approval and are listed as open', () => {
    const stepUp = kit.campaign.items.filter((i) => i.suggestion?.decisionClass === 'step-up' || i.suggestion?.decisionClass === 'never-delegate').length;
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
    expect(verifyChain(merged.auditEvents)).toEqual({ ok: true, length: merged.auditEvents.length, head: merged.auditEvents[merged.auditEvents.length - 1]!.hash });
  });

  it('gives the same result in any order, and importing a set twice changes nothing', async () => {
    const again = await mergeDecisionSets(kit.campaign, [...flow.workPackages].reverse(), [flow.decisionSets[2]!, flow.decisionSets[1]!, flow.decisionSets[0]!, flow.decisionSets[1]!], { trustedKeys: kit.trustedKeys });
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
      fc.asyncProperty(fc.shuffledSubarray(flow.workPackages, { minLength: flow.workPackages.length }), fc.shuffledSubarray(sets, { minLength: sets.length }), fc.nat(sets.length - 1), async (w, d, repeat) => {
        const m = await mergeDecisionSets(kit.campaign, w, [...d, sets[repeat]!], { trustedKeys: kit.trustedKeys });
        expect(m.certificationInput).toEqual(reference.certificationInput);
        expect(m.items).toEqual(reference.items);
        expect(m.superseded).toEqual(reference.superseded);
        expect(m.openItems).toEqual(reference.openItems);
        expect(m.duplicates).toHaveLength(1);
      }),
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
      const m = await mergeDecisionSets(kit.campaign, wps.map((w) => w.bytes), order, { trustedKeys: kit.trustedKeys });
      expect(m.superseded).toEqual([expect.objectContaining({ superseded: older.statementDigest, by: newer.statementDigest, extendsOlder: true, itemsDroppedByNewer: 0 })]);
      expect(m.accepted.map((a) => a.statementDigest)).toEqual([newer.statementDigest]);
    }
  });

  it('two decision sets deciding one item are a conflict: reported, the item left open, nothing guessed', async () => {
    const alice = kit.people.get('alice')!;
    const mine = kit.campaign.items.filter((i) => i.reviewerId === 'alice').slice(0, 3);
    const reissued = await buildWorkPackage(
      { kind: 'review', id: `${kit.campaign.info.id}/alice/review/2`, issuedAt: '2026-10-05T09:00:00.000Z', campaign: kit.campaign.info, owner: kit.campaign.owner, reviewer: alice, policy: kit.campaign.policy, sources: kit.campaign.sources, engineVersion: kit.campaign.engineVersion, items: mine.map(({ reviewerId: _r, ...i }) => i) },
      kit.owner,
    );
    const reissuedReport = await verifyWorkPackage(reissued.bytes, { trustedKeys: kit.trustedKeys });
    const aliceReport = wpReports.find((r) => r.statement!.predicate.reviewer.id === 'alice')!;
    const a = await answer(aliceReport, sessionFor(aliceReport));
    const b = await answer(reissuedReport, sessionFor(reissuedReport));
    const m = await mergeDecisionSets(kit.campaign, [...wps.map((w) => w.bytes), reissued.bytes], [a.bytes, b.bytes], { trustedKeys: kit.trustedKeys });
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
    const wrong = await buildWorkPackage({ kind: 'review', id: 'x/alice/review/9', issuedAt: ISSUED, campaign: kit.campaign.info, owner: kit.campaign.owner, reviewer: alice, policy: kit.campaign.policy, sources: kit.campaign.sources, engineVersion: kit.campaign.engineVersion, items: [item] }, kit.owner);
    const m = await mergeDecisionSets(kit.campaign, [wrong.bytes], [], { trustedKeys: kit.trustedKeys });
    expect(m.rejected).toEqual([expect.objectContaining({ what: 'work-package', reasons: [`item ${bobsItem.itemId} is assigned to bob, not to alice`] })]);
  });

  it('refuses self-approval at merge, even when the approval work package let it through', async () => {
    const first = flow.first;
    const aliceItems = approvalWorkItems(kit.campaign, first, kit.people.get('carol')!.fingerprint).filter((i) => i.pending!.decider.id === 'alice');
    expect(aliceItems.length).toBeGreaterThan(0);
    // The owner's tool (wrongly) names bob as the decider, so the work package itself looks fine.
    const misnamed = aliceItems.map((i) => ({ ...i, pending: { ...i.pending!, decider: { id: 'bob', fingerprint: kit.people.get('bob')!.fingerprint } } }));
    const alice = kit.people.get('alice')!;
    const wp = await buildWorkPackage({ kind: 'approval', id: 'x/alice/approval/1', issuedAt: ISSUED, campaign: kit.campaign.info, owner: kit.campaign.owner, reviewer: alice, policy: kit.campaign.policy, sources: kit.campaign.sources, engineVersion: kit.campaign.engineVersion, items: misnamed }, kit.owner);
    const report = await verifyWorkPackage(wp.bytes, { trustedKeys: kit.trustedKeys });
    expect(report.verdict).toBe('valid');
    const selfApproval = await answer(report, approvalEvents({ predicate: report.statement!.predicate, items: report.items }, kit.refs.get('alice')!));
    const m = await mergeDecisionSets(kit.campaign, [...flow.workPackages.slice(0, 2), wp.bytes], [...flow.decisionSets.slice(0, 2), selfApproval.bytes], { trustedKeys: kit.trustedKeys });
    expect(m.refusedApprovals).toHaveLength(aliceItems.length);
    expect(m.refusedApprovals[0]!.reason).toMatch(/self-approval/);
    for (const i of aliceItems) expect(m.openItems).toContainEqual({ itemId: i.itemId, reviewerId: 'alice', reason: 'awaiting-approval' });
    // The builder refuses it outright when the decider is named right.
    await expect(buildWorkPackage({ kind: 'approval', id: 'x/alice/approval/2', issuedAt: ISSUED, campaign: kit.campaign.info, owner: kit.campaign.owner, reviewer: alice, policy: kit.campaign.policy, sources: kit.campaign.sources, engineVersion: kit.campaign.engineVersion, items: aliceItems }, kit.owner)).rejects.toThrow(/own decision/);
  });

  it('rejects a decision set that answers a work package the owner did not give, and an approval of a decision that no longer stands', async () => {
    const m = await mergeDecisionSets(kit.campaign, flow.workPackages.slice(1), flow.decisionSets, { trustedKeys: kit.trustedKeys });
    const missing = wpReports[0]!.statement!.predicate.reviewer.id;
    expect(m.rejected).toEqual([expect.objectContaining({ what: 'decision-set', reviewerId: missing, reasons: [expect.stringContaining("not one of this campaign's work packages")] })]);
    // The decider takes a decision back and makes it again after the approval package left: the approval is stale.
    const deciderReport = wpReports.find((r) => r.statement!.predicate.reviewer.id === flow.approvalReport.items[0]!.pending!.decider.id)!;
    const before = sessionFor(deciderReport);
    const approved = flow.approvalReport.items[0]!;
    const decisionEvent = before.find((e) => e.hash === approved.pending!.event.hash)!;
    const actor = kit.refs.get(deciderReport.statement!.predicate.reviewer.id)!;
    const undo = chainEvent(before[before.length - 1]!, { campaignId: kit.campaign.info.id, type: 'undo', at: '2026-10-09T08:00:00.000Z', actor, itemId: approved.itemId, refersTo: decisionEvent.seq });
    const redo = chainEvent(undo, { campaignId: kit.campaign.info.id, type: 'decision', at: '2026-10-09T08:01:00.000Z', actor, itemId: approved.itemId, action: decisionEvent.action!, acceptedSuggestion: decisionEvent.acceptedSuggestion!, ...(decisionEvent.rationale ? { rationale: decisionEvent.rationale } : {}), ...(decisionEvent.suggestion ? { suggestion: decisionEvent.suggestion } : {}) });
    const newer = await answer(deciderReport, [...before, undo, redo], '2026-10-09T09:00:00.000Z');
    const m2 = await mergeDecisionSets(kit.campaign, flow.workPackages, [...flow.decisionSets, newer.bytes], { trustedKeys: kit.trustedKeys });
    expect(m2.superseded).toHaveLength(1);
    expect(m2.refusedApprovals).toEqual([expect.objectContaining({ itemId: approved.itemId, reason: expect.stringContaining('no longer stands') })]);
    expect(m2.openItems).toContainEqual(expect.objectContaining({ itemId: approved.itemId, reason: 'awaiting-approval' }));
  });

  it('rejects sets from an unpinned key and reports every rejected input', async () => {
    const m = await mergeDecisionSets(kit.campaign, flow.workPackages, flow.decisionSets, { trustedKeys: kit.trustedKeys.filter((k) => k.name !== 'Bob Reviewer') });
    expect(m.rejected.map((r) => [r.what, r.reviewerId])).toEqual([['decision-set', 'bob']]);
    expect(m.rejected[0]!.reasons.join(' ')).toMatch(/not in the trust list/);
    expect(m.openItems.filter((o) => o.reviewerId === 'bob').map((o) => o.reason)).toEqual(expect.arrayContaining(['no-decision-set']));
  });

  describe('the certification package from the merge', () => {
    let pkg: Uint8Array;
    let signers: PackageSigner[];
    beforeAll(async () => {
      signers = [...merged.signersNeeded.map((id) => kit.signers.get(id)!), kit.owner];
      pkg = (await buildCertificationPackage(merged.certificationInput, signers)).bytes;
    });

    it('verifies, signed by every reviewer and countersigned by the owner (a signer who is no reviewer)', async () => {
      const r = await verifyPackage(pkg, { trustedKeys: kit.trustedKeys });
      expect(r.reasons).toEqual([]);
      expect(r.verdict).toBe('valid');
      expect(r.signers.map((s) => [s.keyid, s.reviewerId, s.pinned])).toEqual([
        ['alice-2026', 'alice', true],
        ['bob-2026', 'bob', true],
        ['carol-2026', 'carol', true],
        ['olivia-2026', null, true],
      ]);
      expect(r.counts.actual!.open).toBe(0);
      expect(r.counts.actual!.stepUpApproved).toBeGreaterThan(0);
    });

    it('its audit log carries each event\'s provenance: decision set digest, signer, signature, original seq and hash', async () => {
      const log = text((await entriesOf(pkg)).find((e) => e.name === 'audit-log.jsonl')!.bytes).trim().split('\n').map((l) => JSON.parse(l) as AuditEvent);
      const byDigest = new Map(flow.decisionSets.map((_, i) => [i < 2 ? flow.sets[i]!.statementDigest : flow.approvalSet.statementDigest, i]));
      const verified = await Promise.all(flow.decisionSets.map((b) => verifyDecisionSet(b, { trustedKeys: kit.trustedKeys })));
      for (const e of log) {
        const from = e.details!.provenance as { decisionSet: string; seq: number; hash: string; signature: string };
        const set = verified[byDigest.get(from.decisionSet)!]!;
        expect(set.signature).toBe(from.signature);
        const original = set.events.find((x) => x.seq === from.seq)!;
        expect(original.hash).toBe(from.hash);
        expect([original.type, original.itemId, original.action, original.actor]).toEqual([e.type, e.itemId, e.action, e.actor]);
      }
    });

    it('fails after a decision set inside it is altered (its provenance, or a decision from it)', async () => {
      const entries = await entriesOf(pkg);
      const log = text(entries.find((e) => e.name === 'audit-log.jsonl')!.bytes);
      const otherDigest = `sha256:${'0'.repeat(64)}`;
      const swapped = log.replace(/"decisionSet":"sha256:[0-9a-f]{64}"/, `"decisionSet":"${otherDigest}"`);
      expect(swapped).not.toBe(log);
      const r = await verifyPackage(await rezip(replaceEntry(entries, 'audit-log.jsonl', bytesOf(swapped))), { trustedKeys: kit.trustedKeys });
      expect(r.verdict).toBe('invalid');
      expect(r.reasons.map((x) => x.check)).toEqual(expect.arrayContaining(['files', 'chain']));
      const flipped = log.replace('"action":"revoke"', '"action":"keep"');
      const r2 = await verifyPackage(await rezip(replaceEntry(entries, 'audit-log.jsonl', bytesOf(flipped))), { trustedKeys: kit.trustedKeys });
      expect(r2.verdict).toBe('invalid');
    });

    it('multi-laptop signing: each reviewer checks the request against their own sets and signs; the owner assembles the same package', async () => {
      const remote = signers.map((x) => ({ keyId: x.keyId, publicKey: x.publicKey }));
      const request = await certificationSignatureRequest(merged.certificationInput, remote);
      const mySets = await Promise.all(flow.decisionSets.map((b) => verifyDecisionSet(b, { trustedKeys: kit.trustedKeys })));
      const signatures = new Map<string, string>();
      for (const id of merged.signersNeeded) {
        const check = await checkSignatureRequest(request, kit.people.get(id)!, mySets);
        expect(check).toMatchObject({ ok: true });
        signatures.set(`${id}-2026`, await signCertificationRequest(request, kit.signers.get(id)!));
      }
      const assembled = await assembleCertificationPackage(merged.certificationInput, remote, signatures, kit.owner);
      expect((await verifyPackage(assembled.bytes, { trustedKeys: kit.trustedKeys })).verdict).toBe('valid');
      expect(Buffer.from(assembled.bytes).equals(Buffer.from(pkg))).toBe(true);
      await expect(assembleCertificationPackage(merged.certificationInput, remote, new Map([...signatures].slice(1)), kit.owner)).rejects.toThrow(/no signature collected/);
    });

    it('a reviewer refuses to sign a request that attributes to them a decision they did not make', async () => {
      const { input } = forgeAliceDecision(merged);
      const remote = signers.map((x) => ({ keyId: x.keyId, publicKey: x.publicKey }));
      const request = await certificationSignatureRequest(input, remote);
      const mySets = await Promise.all(flow.decisionSets.map((b) => verifyDecisionSet(b, { trustedKeys: kit.trustedKeys })));
      const check = await checkSignatureRequest(request, kit.people.get('alice')!, mySets);
      expect(check.ok).toBe(false);
      expect(check.ok ? [] : check.problems).toEqual([expect.stringContaining('is attributed to you but is not an event of your decision sets')]);
      expect((await checkSignatureRequest(request, kit.people.get('bob')!, mySets)).ok).toBe(true);
    });

    describe('with the decision sets embedded: signed by the owner alone, each decision proven by its reviewer\'s own signature', () => {
      let ownerOnly: Uint8Array;
      beforeAll(async () => {
        ownerOnly = (await buildCertificationPackage(merged.certificationInput, [kit.owner])).bytes;
      });

      it('verifies, every reviewer proven by an embedded set they signed, every event traced', async () => {
        const r = await verifyCertificationPackage(ownerOnly, { trustedKeys: kit.trustedKeys });
        expect(r.reasons).toEqual([]);
        expect(r.verdict).toBe('valid');
        expect(r.signers.map((s) => [s.keyid, s.reviewerId])).toEqual([['olivia-2026', null]]);
        const names = (await entriesOf(ownerOnly)).map((e) => e.name);
        expect(names.filter((n) => n.startsWith('decision-sets/'))).toEqual([...names.filter((n) => n.startsWith('decision-sets/'))].sort());
        expect(r.embeddedSets.map((s) => [s.reviewerId, s.verdict, s.pinned])).toEqual(expect.arrayContaining([['alice', 'valid', true], ['bob', 'valid', true], ['carol', 'valid', true]]));
        expect(r.embeddedSets.reduce((n, s) => n + s.events, 0)).toBe(merged.auditEvents.length);
        expect(r.statement!.predicate.decisionSets).toHaveLength(merged.accepted.length);
      });

      it('fails where the embedded sets are not checked, naming the reviewers who did not sign', async () => {
        const r = await verifyPackage(ownerOnly, { trustedKeys: kit.trustedKeys });
        expect(r.verdict).toBe('invalid');
        expect(r.reasons.map((x) => x.message).join(' ')).toMatch(/reviewer alice decided or approved \d+ item\(s\) but neither signed the package nor has every event proven/);
        expect(r.warnings.map((x) => x.message).join(' ')).toMatch(/embeds 3 decision set\(s\), which this verifier cannot check/);
      });

      it('the owner alone cannot sign decisions that no embedded set proves', async () => {
        const { decisionSets: _sets, ...bare } = merged.certificationInput;
        await expect(buildCertificationPackage(bare, [kit.owner])).rejects.toThrow(/no signer for: alice, bob, carol/);
      });

      it('an owner who alters a reviewer\'s decision and signs again is caught: the event is not the one the reviewer signed', async () => {
        const { input, victim, events } = forgeAliceDecision(merged);
        const forged = (await buildCertificationPackage(input, [kit.owner])).bytes;
        const r = await verifyCertificationPackage(forged, { trustedKeys: kit.trustedKeys });
        expect(r.verdict).toBe('invalid');
        const messages = r.reasons.map((x) => x.message).join('\n');
        expect(messages).toMatch(new RegExp(`audit event ${victim + 1} \\(${events[victim]!.itemId}\\) is not event \\d+ of the decision set it names`));
        expect(messages).toMatch(/reviewer alice decided or approved .* neither signed the package/);
        expect(messages).not.toMatch(/reviewer bob/);
      });

      it('fails after an embedded decision set is altered, removed or left unlisted', async () => {
        const entries = await entriesOf(ownerOnly);
        const set = entries.find((e) => e.name.startsWith('decision-sets/'))!;
        const altered = Uint8Array.from(set.bytes);
        altered[Math.floor(altered.length / 2)]! ^= 0x01;
        const r = await verifyCertificationPackage(await rezip(replaceEntry(entries, set.name, altered)), { trustedKeys: kit.trustedKeys });
        expect(r.verdict).toBe('invalid');
        expect(r.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'files', file: set.name })]));
        const removed = await verifyCertificationPackage(await rezip(entries.filter((e) => e !== set)), { trustedKeys: kit.trustedKeys });
        expect(removed.verdict).toBe('invalid');
        expect(removed.reasons.map((x) => x.message).join(' ')).toMatch(/neither signed the package/);
        const extra = { name: `decision-sets/${'a'.repeat(64)}.arwdec`, bytes: set.bytes };
        const added = await verifyCertificationPackage(await rezip([...entries, extra]), { trustedKeys: kit.trustedKeys });
        expect(added.reasons.map((x) => x.message).join(' ')).toMatch(/a decision set the manifest does not list/);
      });

      it('a reviewer key missing from the trust list fails trust for their embedded set', async () => {
        const r = await verifyCertificationPackage(ownerOnly, { trustedKeys: kit.trustedKeys.filter((k) => k.name !== 'Bob Reviewer') });
        expect(r.verdict).toBe('invalid');
        expect(r.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'trust', message: expect.stringMatching(/embedded decision set .*not in the trust list/) })]));
      });
    });

    it('a partial merge builds too, with the open items named, and verification says they are open', async () => {
      const partial = await mergeDecisionSets(kit.campaign, flow.workPackages.slice(0, 2), flow.decisionSets.slice(0, 2), { trustedKeys: kit.trustedKeys });
      expect(partial.openItems.length).toBeGreaterThan(0);
      const built = await buildCertificationPackage(partial.certificationInput, [...partial.signersNeeded.map((id) => kit.signers.get(id)!), kit.owner]);
      const r = await verifyPackage(built.bytes, { trustedKeys: kit.trustedKeys });
      expect(r.checks.signatures).toBe(true);
      expect(r.checks.chain).toBe(true);
      expect(r.checks.consistency).toBe(true);
      expect(r.checks.completeness).toBe(false);
      expect(r.completeness!.stepUpWithoutApprover).toBe(partial.openItems.filter((o) => o.reason === 'awaiting-approval').length);
    });
  });
});

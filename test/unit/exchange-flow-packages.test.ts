// Work packages and decision sets between the owner's and the reviewers' laptops, with real WebCrypto Ed25519 keys:
// what the reviewer's laptop verifies and refuses, and what a decision set must answer to.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorkPackage,
  mergeDecisionSets,
  splitCampaign,
  verifyDecisionSet,
  verifyWorkPackage,
  type DecisionSetPredicate,
  type WorkPackageReport,
} from '../../shared/exchange';
import { buildSignedArchive, describeSigner } from '../../shared/exchange/signed-archive';
import { DECISION_SET_PREDICATE } from '../../shared/exchange/layout';
import { driftMetrics } from '../../shared/exchange/decision-set';
import { canonicalText } from '../../shared/package/audit-chain-check';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent } from '../../shared/review/types';
import { bytesOf, entriesOf, replaceEntry, rezip, text } from '../fixtures/packages/package-kit';
import { generateSigner } from '../fixtures/packages/webcrypto-signer';
import { exchangeFlow, ISSUED, type ExchangeFlow } from './exchange-flow-setup';

let kit: ExchangeFlow['kit'];
let wps: ExchangeFlow['wps'];
let wpReports: ExchangeFlow['wpReports'];
let answer: ExchangeFlow['answer'];
let sessionFor: ExchangeFlow['sessionFor'];

beforeAll(async () => {
  ({ kit, wps, wpReports, answer, sessionFor } = await exchangeFlow());
});

describe('work package', () => {
  it("verifies on the reviewer laptop: owner signature pinned, only that reviewer's items", () => {
    expect(wps).toHaveLength(2);
    for (const r of wpReports) {
      expect(r.reasons).toEqual([]);
      expect(r.verdict).toBe('valid');
      expect(r.kind).toBe('work-package');
      expect(r.signers).toEqual([
        expect.objectContaining({ signatureValid: true, pinned: true, trustedAs: { name: 'Olivia Owner', email: 'olivia@example.com' } }),
      ]);
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
    expect(r.reasons).toContainEqual(
      expect.objectContaining({ check: 'files', file: 'items.json', message: expect.stringContaining('was changed') }),
    );
  });

  it('refuses a foreign package (someone else signs as the owner), and an extra file', async () => {
    const mallory = await generateSigner('mallory');
    const input = splitCampaign(kit.campaign, ISSUED, kit.people)[0]!;
    const foreign = await buildWorkPackage(
      {
        ...input,
        owner: { ...kit.campaign.owner, fingerprint: mallory.fingerprint, publicKey: Buffer.from(mallory.publicKey).toString('base64') },
      },
      mallory,
    );
    const r = await verifyWorkPackage(foreign.bytes, { trustedKeys: kit.trustedKeys });
    expect(r.verdict).toBe('invalid');
    expect(r.reasons).toContainEqual(
      expect.objectContaining({ check: 'trust', message: expect.stringContaining('not in the trust list') }),
    );
    const extra = await rezip([...(await entriesOf(wps[0]!.bytes)), { name: 'payload.exe', bytes: bytesOf('MZ') }]);
    const r2 = await verifyWorkPackage(extra, { trustedKeys: kit.trustedKeys });
    expect(r2.reasons).toContainEqual(
      expect.objectContaining({ check: 'files', message: expect.stringContaining('unexpected file "payload.exe"') }),
    );
  });

  it('refuses a signature swapped in from another work package', async () => {
    const a = await entriesOf(wps[0]!.bytes);
    const b = await entriesOf(wps[1]!.bytes);
    const r = await verifyWorkPackage(
      await rezip(replaceEntry(a, 'manifest.dsse.json', b.find((e) => e.name === 'manifest.dsse.json')!.bytes)),
      { trustedKeys: kit.trustedKeys },
    );
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

  it("is refused against another reviewer's work package", async () => {
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
    const stray = [
      chainEvent(null, {
        campaignId: kit.campaign.info.id,
        type: 'decision',
        at: ISSUED,
        actor: alice,
        itemId: foreignItem,
        action: 'keep',
        acceptedSuggestion: false,
        rationale: 'not mine to decide at all',
      }),
    ];
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

  it("a signed set deciding another reviewer's item is rejected item by item", async () => {
    const report = wpReports[0]!;
    const alice = kit.refs.get(report.statement!.predicate.reviewer.id)!;
    const events = sessionFor(report, { decide: 2 });
    events.push(
      chainEvent(events[events.length - 1]!, {
        campaignId: kit.campaign.info.id,
        type: 'decision',
        at: ISSUED,
        actor: alice,
        itemId: wpReports[1]!.items[0]!.itemId,
        action: 'revoke',
        acceptedSuggestion: false,
        rationale: 'taking a decision that is not mine',
      }),
    );
    const set = await signedSetBypassingTheBuilder(report, events, events);
    const r = await verifyDecisionSet(set, { trustedKeys: kit.trustedKeys, workPackage: report });
    expect(r.reasons).toContainEqual(
      expect.objectContaining({
        check: 'answers',
        itemId: wpReports[1]!.items[0]!.itemId,
        message: expect.stringContaining('not in the work package'),
      }),
    );
    const merged = await mergeDecisionSets(
      kit.campaign,
      wps.map((w) => w.bytes),
      [set],
      { trustedKeys: kit.trustedKeys },
    );
    expect(merged.rejected).toEqual([
      expect.objectContaining({
        what: 'decision-set',
        reasons: expect.arrayContaining([expect.stringContaining('not in the work package')]),
      }),
    ]);
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
  const built = await buildSignedArchive(
    DECISION_SET_PREDICATE,
    predicate,
    [
      ['events.jsonl', bytesOf(lines)],
      ['metrics.json', bytesOf(`${JSON.stringify(driftMetrics(p.reviewer.id, events), null, 2)}\n`)],
    ],
    signer,
  );
  return built.bytes;
}

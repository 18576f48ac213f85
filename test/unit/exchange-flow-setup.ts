// The campaign the exchange-flow-*.test.ts files share, with real WebCrypto Ed25519 keys: 40 items split into two
// reviewers' work packages, how a reviewer answers one, and the whole flow through carol's approval round.
import {
  approvalWorkItems,
  buildDecisionSet,
  buildWorkPackage,
  mergeDecisionSets,
  splitCampaign,
  verifyWorkPackage,
  type MergeResult,
  type WorkPackageReport,
} from '../../shared/exchange';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent } from '../../shared/review/types';
import { approvalEvents, exchangeKit, reviewEvents } from '../fixtures/packages/sample-work-package.kit';

export const ISSUED = '2026-10-04T09:00:00.000Z';

export type ExchangeFlow = Awaited<ReturnType<typeof exchangeFlow>>;
export type FullCampaign = Awaited<ReturnType<ExchangeFlow['fullCampaign']>>;

/** The kit, both reviewers' work packages as verified on their laptops, and the steps a test takes from there. */
export async function exchangeFlow() {
  const kit = await exchangeKit({ items: 40, seed: 8 });
  const inputs = splitCampaign(kit.campaign, ISSUED, kit.people);
  const wps = await Promise.all(inputs.map((i) => buildWorkPackage(i, kit.owner)));
  const wpReports = await Promise.all(wps.map((w) => verifyWorkPackage(w.bytes, { trustedKeys: kit.trustedKeys })));

  async function answer(report: WorkPackageReport, events: AuditEvent[], createdAt = '2026-10-06T17:00:00.000Z') {
    const p = report.statement!.predicate;
    return buildDecisionSet(
      {
        workPackage: { statementDigest: report.statementDigest!, predicate: p, items: report.items },
        reviewer: kit.people.get(p.reviewer.id)!,
        createdAt,
        events,
      },
      kit.signers.get(p.reviewer.id)!,
    );
  }

  function sessionFor(report: WorkPackageReport, options: { decide?: number; prior?: AuditEvent[]; startMs?: number } = {}) {
    const p = report.statement!.predicate;
    return reviewEvents({ predicate: p, items: report.items }, kit.refs.get(p.reviewer.id)!, options);
  }

  /** The whole flow: both reviewers decide everything, the step-up items go to carol, carol approves. */
  async function fullCampaign() {
    const sets = await Promise.all(wpReports.map((r) => answer(r, sessionFor(r))));
    const first = await mergeDecisionSets(
      kit.campaign,
      wps.map((w) => w.bytes),
      sets.map((s) => s.bytes),
      { trustedKeys: kit.trustedKeys },
    );
    const carol = kit.people.get('carol')!;
    const approvalWp = await buildWorkPackage(
      {
        kind: 'approval',
        id: `${kit.campaign.info.id}/carol/approval/1`,
        issuedAt: '2026-10-07T09:00:00.000Z',
        campaign: kit.campaign.info,
        owner: kit.campaign.owner,
        reviewer: carol,
        policy: kit.campaign.policy,
        sources: kit.campaign.sources,
        engineVersion: kit.campaign.engineVersion,
        items: approvalWorkItems(kit.campaign, first, carol.fingerprint),
      },
      kit.owner,
    );
    const approvalReport = await verifyWorkPackage(approvalWp.bytes, { trustedKeys: kit.trustedKeys });
    const approvalSet = await answer(
      approvalReport,
      approvalEvents({ predicate: approvalReport.statement!.predicate, items: approvalReport.items }, kit.refs.get('carol')!),
      '2026-10-08T17:00:00.000Z',
    );
    return {
      sets,
      first,
      approvalWp,
      approvalReport,
      approvalSet,
      workPackages: [...wps.map((w) => w.bytes), approvalWp.bytes],
      decisionSets: [...sets.map((s) => s.bytes), approvalSet.bytes],
    };
  }

  return { kit, wps, wpReports, answer, sessionFor, fullCampaign };
}

/** The merged input with one of alice's decisions given another rationale (re-chained, decisions.json to match). */
export function forgeAliceDecision(merged: MergeResult) {
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

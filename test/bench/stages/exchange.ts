// Exchange stage: a campaign of 1,000,000 items over 2,000 reviewers (ARW_BENCH_EXCHANGE_ITEMS and
// ARW_BENCH_EXCHANGE_REVIEWERS change the size). The owner exports one signed work package per reviewer; each
// reviewer's laptop is simulated (verify the package, decide every item on a hash chain, sign a decision set); the
// owner merges every decision set (each verified: signature, digests, chain, that it answers the campaign's work
// package, every item assigned to its reviewer) into one campaign chain. Reports per-package and total times.
// The step-up approval round is not part of this stage (it is a second, smaller pass of the same code).
import {
  buildDecisionSet,
  buildWorkPackage,
  mergeDecisionSets,
  splitCampaign,
  verifyWorkPackage,
  type ExchangeCampaign,
  type KeyedPerson,
} from '../../../shared/exchange';
import { trustedKeyEntry } from '../../../shared/package';
import type { TrustedKey } from '../../../shared/package/types';
import type { ReviewerRef } from '../../../shared/review/types';
import { DEFAULT_POLICY, policyDigest } from '../../../shared/suggest/policy';
import type { Signal, Suggestion } from '../../../shared/suggest/types';
import { keyedPerson, reviewEvents } from '../../fixtures/packages/sample-work-package.kit';
import { generateSigner, reviewerFor, type TestSigner } from '../../fixtures/packages/webcrypto-signer';
import type { BenchStage, Metrics } from '../stage';
import { loadAverage, mainThreadCpuSeconds } from './export';

const ITEMS = Number(process.env.ARW_BENCH_EXCHANGE_ITEMS ?? 1_000_000);
const REVIEWERS = Number(process.env.ARW_BENCH_EXCHANGE_REVIEWERS ?? 2_000);
const APPS = ['GitHub', 'AWS', 'Salesforce', 'Okta', 'Jira', 'Workday'];

export const stage: BenchStage = {
  name: 'exchange',
  description: `export ${REVIEWERS.toLocaleString('en-US')} signed work packages for ${ITEMS.toLocaleString('en-US')} items, simulate every reviewer, merge every decision set`,
  async run(ctx) {
    const t0 = performance.now();
    const owner = await generateSigner('owner');
    const signers: TestSigner[] = [];
    for (let r = 0; r < REVIEWERS; r++) signers.push(await generateSigner(`r${r}`));
    const people = new Map<string, KeyedPerson>();
    const refs = new Map<string, ReviewerRef>();
    const reviewers = signers.map((s, r) => {
      const person = { id: `r${r}`, name: `Reviewer ${r}` };
      people.set(person.id, keyedPerson(s, person));
      const pr = reviewerFor(s, person);
      refs.set(person.id, { id: pr.id, name: pr.name, keyFingerprint: pr.keyFingerprint });
      return pr;
    });
    const trustedKeys: TrustedKey[] = [
      trustedKeyEntry({ name: 'Owner' }, owner.publicKey),
      ...signers.map((s, r) => trustedKeyEntry({ name: `Reviewer ${r}` }, s.publicKey)),
    ];
    const campaign = benchCampaign(keyedPerson(owner, { id: 'owner', name: 'Campaign Owner' }), reviewers);
    ctx.log(`campaign of ${ITEMS.toLocaleString('en-US')} items and ${REVIEWERS} reviewer keys ready in ${secs(t0)} s`);

    // Owner: one signed work package per reviewer.
    const cpu0 = mainThreadCpuSeconds();
    const tExport = performance.now();
    const inputs = splitCampaign(campaign, '2026-10-04T09:00:00.000Z', people);
    const perPackage: number[] = [];
    const wps: Uint8Array[] = [];
    let wpBytes = 0;
    for (const input of inputs) {
      const t = performance.now();
      const built = await buildWorkPackage(input, owner);
      perPackage.push(performance.now() - t);
      wps.push(built.bytes);
      wpBytes += built.bytes.length;
      if (wps.length % 500 === 0) ctx.log(`exported ${wps.length} work packages (${secs(tExport)} s)`);
    }
    const exportSeconds = (performance.now() - tExport) / 1000;
    const exportCpu = cpuSince(cpu0);
    ctx.log(`exported ${wps.length} work packages in ${exportSeconds.toFixed(1)} s`);

    // Reviewers (simulated, one after another here; in reality on 2,000 laptops at once).
    const tReview = performance.now();
    const perReviewer: number[] = [];
    const sets: Uint8Array[] = [];
    let dsBytes = 0;
    let events = 0;
    for (const [i, bytes] of wps.entries()) {
      const t = performance.now();
      const report = await verifyWorkPackage(bytes, { trustedKeys });
      if (report.verdict !== 'valid') throw new Error(`work package ${i} does not verify: ${report.reasons[0]?.message}`);
      const p = report.statement!.predicate;
      const chain = reviewEvents({ predicate: p, items: report.items }, refs.get(p.reviewer.id)!);
      events += chain.length;
      const set = await buildDecisionSet(
        {
          workPackage: { statementDigest: report.statementDigest!, predicate: p, items: report.items },
          reviewer: people.get(p.reviewer.id)!,
          createdAt: '2026-10-06T17:00:00.000Z',
          events: chain,
        },
        signers[Number(p.reviewer.id.slice(1))]!,
      );
      perReviewer.push(performance.now() - t);
      sets.push(set.bytes);
      dsBytes += set.bytes.length;
      if (sets.length % 500 === 0) ctx.log(`reviewed ${sets.length} work packages (${secs(tReview)} s)`);
    }
    const reviewSeconds = (performance.now() - tReview) / 1000;
    ctx.log(`simulated ${sets.length} reviewers in ${reviewSeconds.toFixed(1)} s`);

    // Owner: merge every decision set.
    (globalThis as { gc?: () => void }).gc?.();
    const cpu1 = mainThreadCpuSeconds();
    const tMerge = performance.now();
    const merged = await mergeDecisionSets(campaign, wps, [...sets].reverse(), { trustedKeys });
    const mergeSeconds = (performance.now() - tMerge) / 1000;
    const mergeCpu = cpuSince(cpu1);
    if (merged.rejected.length) throw new Error(`${merged.rejected.length} inputs rejected: ${merged.rejected[0]!.reasons[0]}`);
    const decided = merged.items.filter((i) => i.decision).length;
    ctx.log(`merged ${merged.accepted.length} decision sets in ${mergeSeconds.toFixed(1)} s`);

    const metrics: Metrics = {
      items: ITEMS,
      reviewers: REVIEWERS,
      workPackages: wps.length,
      exportSecondsTotal: round(exportSeconds),
      exportMainThreadCpuSeconds: exportCpu ?? 'n/a',
      exportMsPerPackageMedian: round(quantile(perPackage, 0.5)),
      exportMsPerPackageP95: round(quantile(perPackage, 0.95)),
      workPackageKiBMedian: round(wpBytes / wps.length / 1024),
      reviewerMsPerSetMedian: round(quantile(perReviewer, 0.5)),
      reviewerMsPerSetP95: round(quantile(perReviewer, 0.95)),
      reviewerSecondsAllSimulated: round(reviewSeconds),
      decisionSetKiBMedian: round(dsBytes / sets.length / 1024),
      events,
      mergeSecondsTotal: round(mergeSeconds),
      mergeMainThreadCpuSeconds: mergeCpu ?? 'n/a',
      mergeMsPerDecisionSet: round((mergeSeconds * 1000) / sets.length),
      mergedChainEvents: merged.auditEvents.length,
      decided,
      open: merged.openItems.length,
      openAwaitingApproval: merged.openItems.filter((o) => o.reason === 'awaiting-approval').length,
      loadAverage: loadAverage(),
    };
    return metrics;
  },
};

/** A campaign at bench scale: items round robin over the reviewers; signal objects shared as the engine does. */
function benchCampaign(owner: KeyedPerson, reviewers: ReturnType<typeof reviewerFor>[]): ExchangeCampaign {
  const digest = policyDigest(DEFAULT_POLICY);
  const signals: Signal[][] = [];
  for (let d = 0; d < 400; d += 10)
    signals.push([{ id: 'unused-access', message: `last used ${d} days ago; policy window 90 days`, value: d, threshold: 90 }]);
  const items: ExchangeCampaign['items'] = [];
  for (let i = 0; i < ITEMS; i++) {
    const identityId = `u${Math.floor(i / 5)}`;
    const entitlementId = `ent-${i % 4999}`;
    const itemId = `a:${identityId}\u001f${entitlementId}`;
    const tier = i % 11 === 0 ? 'high' : i % 5 === 0 ? 'medium' : 'low';
    const days = (i * 37) % 400;
    const suggestion: Suggestion = {
      itemId,
      identityId,
      entitlementId,
      action: days > 90 ? 'revoke' : 'keep',
      confidence: 0.8,
      riskTier: tier,
      decisionClass: DEFAULT_POLICY.decisionClasses[tier],
      signals: signals[Math.floor(days / 10)]!,
      engine: 'arw-engine/0.2.0',
      policyDigest: digest,
    };
    const app = APPS[i % APPS.length]!;
    items.push({
      itemId,
      identity: { id: identityId, displayName: `Person ${Math.floor(i / 5)}`, type: 'human', status: 'active' },
      target: { kind: 'entitlement', id: entitlementId, name: `${app} role ${i % 4999}`, application: app, privilege: tier },
      suggestion,
      reviewerId: reviewers[i % reviewers.length]!.id,
    });
  }
  return {
    info: {
      id: 'bench-campaign',
      name: 'Bench campaign',
      createdAt: '2026-10-01T08:00:00.000Z',
      dueDate: '2026-12-15T17:00:00.000Z',
      scope: 'bench',
    },
    policy: { document: DEFAULT_POLICY, digest },
    sources: [],
    engineVersion: 'arw-engine/0.2.0',
    owner,
    reviewers,
    items,
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function cpuSince(start: number | null): number | null {
  const now = mainThreadCpuSeconds();
  return start === null || now === null ? null : round(now - start);
}

function secs(t: number): string {
  return ((performance.now() - t) / 1000).toFixed(1);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

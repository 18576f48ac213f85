// The owner's side of the campaign exchange, in the backend worker: issue signed work packages, merge the decision sets that
// come back and export the certification package (the sets embedded).
import {
  approvalWorkItems,
  buildWorkPackage,
  mergeDecisionSets,
  splitCampaign,
  type CampaignItem,
  type ExchangeCampaign,
  type MergeResult,
  type WorkItem,
} from '../../shared/exchange';
import { buildCertificationPackage, certificationInput } from '../../shared/package';
import { withCompressionThread } from '../workers';
import {
  database,
  getCampaign,
  getSetting,
  listEvents,
  listIssuedWorkPackages,
  listReceivedDecisionSets,
  listReviewers,
  loadCampaignAssignments,
  loadCampaignSnapshot,
  loadSuggestions,
  storeIssuedWorkPackages,
  getCampaignBaseline,
  type CampaignRecord,
  type IssuedWorkPackage,
  type ReviewerRecord,
  type WorkbenchDatabase,
} from '../db';
import { scoped } from './campaign-scope';
import type { TaskContext } from './protocol';
import { hostSigner, keyedPerson, packageReviewer, safeName, trustList } from './exchange-common';

export interface IssuedFile {
  reviewerId: string;
  reviewerName: string;
  kind: 'review' | 'approval';
  items: number;
  fileName: string;
  statementDigest: string;
  bytes: Uint8Array;
}

export interface MergeSummary {
  campaignId: string;
  items: number;
  decided: number;
  open: { reason: string; count: number }[];
  openItems: { itemId: string; reviewerId: string; reason: string }[];
  accepted: { reviewerId: string; kind: string; statementDigest: string; createdAt: string; events: number; itemsLeft: number }[];
  superseded: { reviewerId: string; superseded: string; by: string; extendsOlder: boolean; itemsDroppedByNewer: number }[];
  duplicates: number;
  conflicts: { itemId: string; kind: string; sides: string[] }[];
  refusedApprovals: { itemId: string; approverId: string; reason: string }[];
  rejected: { what: string; fileName: string; reviewerId: string | null; reasons: string[] }[];
  /** Items waiting for a step-up approval, per decider. */
  awaitingApproval: { deciderId: string; count: number }[];
  issued: { reviewerId: string; kind: string; items: number; issuedAt: string; statementDigest: string }[];
  received: number;
}

export type OwnerExchangeTaskMap = {
  issueWorkPackages: { args: { campaignId: string; ownerId: string }; result: IssuedFile[] };
  mergeDecisionSets: { args: { campaignId: string; ownerId: string }; result: MergeSummary };
  issueApprovalPackage: { args: { campaignId: string; ownerId: string; approverId: string }; result: IssuedFile };
  buildMergedPackage: {
    args: { campaignId: string; ownerId: string };
    result: { bytes: Uint8Array; fileName: string; open: number; embeddedSets: number; seconds: number };
  };
};

interface OwnerContext {
  db: WorkbenchDatabase;
  record: CampaignRecord;
  owner: ReviewerRecord;
  profiles: Map<string, ReviewerRecord>;
  campaign: ExchangeCampaign;
  issued: IssuedWorkPackage[];
}

async function ownerContext(campaignId: string, ownerId: string, extraReviewers: string[] = []): Promise<OwnerContext> {
  const db = database();
  const record = await getCampaign(db, campaignId);
  if (!record) throw new Error('campaign not found');
  if (record.received) throw new Error('this campaign was received from its owner: only the owner hands out its work');
  const [snapshot, suggestions, events, reviewers, policy, assigned, issued, baseline] = await Promise.all([
    loadCampaignSnapshot(db, record),
    loadSuggestions(db, record.suggestionKey),
    listEvents(db, record.id),
    listReviewers(db),
    getSetting<object>(db, `policy:${record.policyDigest}`),
    loadCampaignAssignments(db, record.id),
    listIssuedWorkPackages(db, record.id),
    getCampaignBaseline(db, record.id),
  ]);
  if (!policy) throw new Error(`the policy ${record.policyDigest} this campaign was built with is not on this machine`);
  const profiles = new Map(reviewers.map((r) => [r.id, r]));
  // The owner is who created the campaign (their key signs every work package, whoever is at the keyboard: signing
  // asks for the owner's passphrase); a campaign made by a profile no longer here falls to the active one.
  const creator = profiles.get(record.createdBy);
  const owner = creator && !creator.remote ? creator : profiles.get(ownerId);
  if (!owner || owner.remote) throw new Error('choose your own reviewer profile (the campaign owner) first');
  const input = certificationInput({
    campaign: record,
    snapshot,
    suggestions: scoped(record.scopeFilter, snapshot, suggestions),
    events,
    reviewers,
    policy,
  });
  const items: CampaignItem[] = input.items.map((i) => {
    const reviewerId = assigned.get(i.itemId)?.reviewerId;
    if (!reviewerId) throw new Error(`item ${i.itemId} has no reviewer assigned`);
    return { itemId: i.itemId, identity: i.identity, target: i.target, suggestion: i.suggestion, reviewerId };
  });
  const people = new Set([...items.map((i) => i.reviewerId), ...issued.map((w) => w.reviewerId), ...extraReviewers]);
  const campaignReviewers = [...people].sort().map((id) => {
    const r = profiles.get(id);
    if (!r) throw new Error(`reviewer ${id} has no profile or pinned key on this machine`);
    return packageReviewer(r);
  });
  const campaign: ExchangeCampaign = {
    info: input.campaign,
    policy: input.policy,
    sources: input.sources,
    engineVersion: input.engineVersion,
    owner: keyedPerson(owner),
    reviewers: campaignReviewers,
    items,
    ...(baseline ? { baselineChanges: baseline.changes } : {}),
  };
  return { db, record, owner, profiles, campaign, issued };
}

async function runMerge(o: OwnerContext): Promise<{ result: MergeResult; received: { fileName: string }[] }> {
  const received = await listReceivedDecisionSets(o.db, o.record.id);
  const result = await mergeDecisionSets(
    o.campaign,
    o.issued.map((w) => w.bytes),
    received.map((r) => r.bytes),
    { trustedKeys: await trustList(o.db) },
  );
  return { result, received };
}

export const ownerExchangeTasks: {
  [K in keyof OwnerExchangeTaskMap]: (
    args: OwnerExchangeTaskMap[K]['args'],
    ctx: TaskContext,
  ) => Promise<OwnerExchangeTaskMap[K]['result']>;
} = {
  /** One signed review work package per reviewer assigned items (never to the owner: nobody reviews for themselves here). */
  async issueWorkPackages(args, ctx) {
    const o = await ownerContext(args.campaignId, args.ownerId);
    const own = o.campaign.items.filter((i) => i.reviewerId === o.owner.id).length;
    if (own)
      throw new Error(
        `${own} item(s) are assigned to you, the campaign's owner: a work package goes to another person. Reassign them (a campaign with another rule or fallback reviewer), then hand out the work.`,
      );
    const issuedAt = new Date().toISOString();
    const round =
      1 + Math.max(0, ...o.issued.filter((w) => w.kind === 'review').map((w) => Number(/\/review\/(\d+)$/.exec(w.id)?.[1] ?? 0)));
    const inputs = splitCampaign(o.campaign, issuedAt, new Map([...o.profiles.values()].map((r) => [r.id, keyedPerson(r)]))).map((i) => ({
      ...i,
      id: i.id.replace(/\/review\/1$/, `/review/${round}`),
    }));
    const signer = hostSigner(ctx, o.owner);
    const out: IssuedFile[] = [];
    const stored: IssuedWorkPackage[] = [];
    for (const [n, input] of inputs.entries()) {
      ctx.progress({
        label: `Signing the work package for ${input.reviewer.name}`,
        labelKey: 'progress.signingWork',
        labelValues: { name: input.reviewer.name },
        done: n,
        total: inputs.length,
        unit: 'files',
      });
      const built = await buildWorkPackage(input, signer);
      const fileName = `${safeName(o.record.name)}-${safeName(input.reviewer.id)}${round > 1 ? `-${round}` : ''}.arwwork`;
      stored.push({
        campaignId: o.record.id,
        statementDigest: built.statementDigest,
        id: input.id,
        kind: 'review',
        reviewerId: input.reviewer.id,
        items: input.items.length,
        issuedAt,
        fileName,
        bytes: built.bytes,
      });
      out.push({
        reviewerId: input.reviewer.id,
        reviewerName: input.reviewer.name,
        kind: 'review',
        items: input.items.length,
        fileName,
        statementDigest: built.statementDigest,
        bytes: built.bytes.slice(),
      });
    }
    await storeIssuedWorkPackages(o.db, stored);
    ctx.progress({
      label: 'Work packages signed',
      labelKey: 'progress.workSigned',
      done: inputs.length,
      total: inputs.length,
      unit: 'files',
    });
    return out;
  },

  /** Every decision set received so far, verified and merged again from scratch (the merge is a pure function). */
  async mergeDecisionSets(args, ctx) {
    ctx.progress({ label: 'Verifying and merging decision sets', labelKey: 'progress.verifyMerge', done: 0, total: 1, unit: 'files' });
    const o = await ownerContext(args.campaignId, args.ownerId);
    const { result, received } = await runMerge(o);
    const byReason = new Map<string, number>();
    for (const i of result.openItems) byReason.set(i.reason, (byReason.get(i.reason) ?? 0) + 1);
    const mergedById = new Map(result.items.map((i) => [i.itemId, i]));
    const awaiting = new Map<string, number>();
    for (const i of result.openItems) {
      if (i.reason !== 'awaiting-approval') continue;
      const decider = mergedById.get(i.itemId)?.decision?.reviewerId ?? i.reviewerId;
      awaiting.set(decider, (awaiting.get(decider) ?? 0) + 1);
    }
    return {
      campaignId: o.record.id,
      items: result.items.length,
      decided: result.items.filter((i) => i.decision && i.decision.action !== 'cant-decide').length,
      open: [...byReason].map(([reason, count]) => ({ reason, count })),
      openItems: result.openItems.slice(0, 200),
      accepted: result.accepted.map((a) => ({
        reviewerId: a.reviewerId,
        kind: a.kind,
        statementDigest: a.statementDigest,
        createdAt: a.createdAt,
        events: a.events,
        itemsLeft: a.itemsLeft,
      })),
      superseded: result.superseded.map((s) => ({
        reviewerId: s.reviewerId,
        superseded: s.superseded,
        by: s.by,
        extendsOlder: s.extendsOlder,
        itemsDroppedByNewer: s.itemsDroppedByNewer,
      })),
      duplicates: result.duplicates.length,
      conflicts: result.conflicts.map((c) => ({
        itemId: c.itemId,
        kind: c.kind,
        sides: c.sides.map((s) => `${s.reviewerId}: ${s.action}`),
      })),
      refusedApprovals: result.refusedApprovals.map((r) => ({ itemId: r.itemId, approverId: r.approverId, reason: r.reason })),
      rejected: result.rejected.map((r) => ({
        what: r.what,
        fileName:
          r.what === 'decision-set'
            ? (received[r.index]?.fileName ?? `#${r.index + 1}`)
            : (o.issued[r.index]?.fileName ?? `#${r.index + 1}`),
        reviewerId: r.reviewerId,
        reasons: [...r.reasons.filter((x) => !x.startsWith('[archive]')), ...r.reasons.filter((x) => x.startsWith('[archive]'))],
      })),
      awaitingApproval: [...awaiting].map(([deciderId, count]) => ({ deciderId, count })),
      issued: o.issued.map((w) => ({
        reviewerId: w.reviewerId,
        kind: w.kind,
        items: w.items,
        issuedAt: w.issuedAt,
        statementDigest: w.statementDigest,
      })),
      received: received.length,
    };
  },

  /** The decisions waiting for step-up approval, sent to a second person as an approval work package. */
  async issueApprovalPackage(args, ctx) {
    const o = await ownerContext(args.campaignId, args.ownerId, [args.approverId]);
    const approver = o.profiles.get(args.approverId);
    if (!approver) throw new Error('choose an approver with a pinned key');
    if (approver.id === o.owner.id) throw new Error('the approver must be someone other than you, the owner');
    const { result } = await runMerge(o);
    const items: WorkItem[] = approvalWorkItems(o.campaign, result, approver.fingerprint);
    if (!items.length) throw new Error(`no decision is waiting for an approval ${approver.name} may give (never their own)`);
    const issuedAt = new Date().toISOString();
    const n = 1 + o.issued.filter((w) => w.kind === 'approval' && w.reviewerId === approver.id).length;
    ctx.progress({
      label: `Signing the approval package for ${approver.name}`,
      labelKey: 'progress.signingApproval',
      labelValues: { name: approver.name },
      done: 0,
      total: 1,
      unit: 'files',
    });
    const built = await buildWorkPackage(
      {
        kind: 'approval',
        id: `${o.record.id}/${approver.id}/approval/${n}`,
        issuedAt,
        campaign: o.campaign.info,
        owner: o.campaign.owner,
        reviewer: keyedPerson(approver),
        policy: o.campaign.policy,
        sources: o.campaign.sources,
        engineVersion: o.campaign.engineVersion,
        items,
      },
      hostSigner(ctx, o.owner),
    );
    const fileName = `${safeName(o.record.name)}-${safeName(approver.id)}-approval-${n}.arwwork`;
    await storeIssuedWorkPackages(o.db, [
      {
        campaignId: o.record.id,
        statementDigest: built.statementDigest,
        id: `${o.record.id}/${approver.id}/approval/${n}`,
        kind: 'approval',
        reviewerId: approver.id,
        items: items.length,
        issuedAt,
        fileName,
        bytes: built.bytes,
      },
    ]);
    return {
      reviewerId: approver.id,
      reviewerName: approver.name,
      kind: 'approval',
      items: items.length,
      fileName,
      statementDigest: built.statementDigest,
      bytes: built.bytes.slice(),
    };
  },

  /** The certification package from the merge: the decision sets embedded, countersigned by the owner. */
  async buildMergedPackage(args, ctx) {
    const started = performance.now();
    ctx.progress({ label: 'Merging decision sets', labelKey: 'progress.mergingSets', done: 0, total: 2, unit: 'items' });
    const o = await ownerContext(args.campaignId, args.ownerId);
    const { result } = await runMerge(o);
    if (!result.accepted.length) throw new Error('no decision set has been accepted yet: there is nothing to certify');
    ctx.progress({
      label: 'Building and signing the certification package',
      labelKey: 'progress.buildingCert',
      done: 1,
      total: 2,
      unit: 'items',
    });
    const built = await withCompressionThread(() => buildCertificationPackage(result.certificationInput, [hostSigner(ctx, o.owner)]));
    return {
      bytes: built.bytes,
      fileName: `${safeName(o.record.name)}-${new Date().toISOString().slice(0, 10)}.arwpkg`,
      open: result.openItems.length,
      embeddedSets: result.certificationInput.decisionSets?.length ?? 0,
      seconds: (performance.now() - started) / 1000,
    };
  },
};

// The owner's merge: every work package and decision set verified, newer sets superseding older ones visibly,
// conflicts reported (never guessed), step-up approvals checked for a second key, and one campaign audit chain
// re-chained from the accepted sets with each event's provenance — ready for buildCertificationPackage.
import { sha256Hex } from '../codec';
import { canonicalText, withSortedKeys } from '../package';
import { GENESIS_HASH } from '../review';
import { approvalProblem, requiresApproval } from '../review';
import { decisionDetail } from '../package';
import { deriveItemStates } from '../review';
import type { AuditEvent, AuditEventBody } from '../review';
import type { CertificationItemInput, HumanDecision } from '../package';
import { approvalTarget, standingApprovals, verifyDecisionSet } from './decision-set';
import type {
  AcceptedDecisionSet,
  CampaignItem,
  DecisionProvenance,
  DecisionSetReport,
  ExchangeCampaign,
  MergeConflict,
  MergedItem,
  MergeOptions,
  MergeRejection,
  MergeResult,
  OpenItem,
  RefusedApproval,
  Supersession,
  WorkItem,
  WorkPackageInput,
  WorkPackageReport,
} from './types';
import { snapshotDigest, verifyWorkPackage } from './work-package';

interface AcceptedSet {
  index: number;
  report: DecisionSetReport;
  digest: string;
  wp: WorkPackageReport;
  wpDigest: string;
  kind: 'review' | 'approval';
  reviewerId: string;
  fingerprint: string;
  keyid: string;
  signature: string;
  createdAt: string;
  events: AuditEvent[];
  bytes: Uint8Array;
}

/** The review work packages of a campaign: one per reviewer, holding exactly the items assigned to them. */
export function splitCampaign(
  campaign: ExchangeCampaign,
  issuedAt: string,
  reviewers: ReadonlyMap<string, { id: string; name: string; email: string | null; fingerprint: string; publicKey: string }>,
): WorkPackageInput[] {
  const byReviewer = new Map<string, WorkItem[]>();
  for (const item of campaign.items) {
    let list = byReviewer.get(item.reviewerId);
    if (!list) byReviewer.set(item.reviewerId, (list = []));
    list.push(workItem(item));
  }
  return [...byReviewer.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([reviewerId, items]) => {
      const reviewer = reviewers.get(reviewerId);
      if (!reviewer) throw new Error(`no key is known for reviewer ${reviewerId}`);
      return {
        kind: 'review',
        id: `${campaign.info.id}/${reviewerId}/review/1`,
        issuedAt,
        campaign: campaign.info,
        owner: campaign.owner,
        reviewer,
        policy: campaign.policy,
        sources: campaign.sources,
        engineVersion: campaign.engineVersion,
        items,
      };
    });
}

function workItem(item: CampaignItem): WorkItem {
  return { itemId: item.itemId, identity: item.identity, target: item.target, suggestion: item.suggestion };
}

/** Items whose decision waits for a step-up approval, as an approval work package's items (never the decider's own). */
export function approvalWorkItems(campaign: ExchangeCampaign, merged: MergeResult, approverFingerprint: string): WorkItem[] {
  const byId = new Map(campaign.items.map((i) => [i.itemId, i]));
  const mergedById = new Map(merged.items.map((i) => [i.itemId, i]));
  const out: WorkItem[] = [];
  for (const open of merged.openItems) {
    if (open.reason !== 'awaiting-approval') continue;
    const m = mergedById.get(open.itemId);
    const item = byId.get(open.itemId);
    if (!m?.decision || !m.decidedBy || !item || m.decidedBy.fingerprint === approverFingerprint) continue;
    const { approver: _approver, ...decision } = m.decision;
    out.push({
      ...workItem(item),
      pending: {
        decision,
        event: { seq: m.decidedBy.seq, hash: m.decidedBy.hash },
        decisionSet: m.decidedBy.decisionSet,
        decider: { id: m.decidedBy.reviewerId, fingerprint: m.decidedBy.fingerprint },
      },
    });
  }
  return out;
}

export async function mergeDecisionSets(
  campaign: ExchangeCampaign,
  workPackages: readonly Uint8Array[],
  decisionSets: readonly Uint8Array[],
  options: MergeOptions,
): Promise<MergeResult> {
  const rejected: MergeRejection[] = [];
  const itemsById = new Map(campaign.items.map((i) => [i.itemId, i]));
  const reviewerKeys = new Map(campaign.reviewers.map((r) => [r.id, r]));
  const trust = { trustedKeys: options.trustedKeys };

  // 1. Work packages: the owner's own, for this campaign, each item where the campaign assigned it.
  const wps = new Map<string, WorkPackageReport>();
  for (const [index, bytes] of workPackages.entries()) {
    const report = await verifyWorkPackage(bytes, trust);
    const reasons = report.reasons.map((r) => `[${r.check}] ${r.itemId ? `${r.itemId}: ` : ''}${r.message}`);
    // Only a package that verified is read further (a malformed predicate is already among the reasons).
    const p = report.verdict === 'valid' ? report.statement?.predicate : undefined;
    if (p) reasons.push(...workPackageCampaignProblems(campaign, report, itemsById, reviewerKeys));
    if (reasons.length || !report.statementDigest) {
      rejected.push({
        what: 'work-package',
        index,
        statementDigest: report.statementDigest,
        reviewerId: reviewerIdOf(report.statement?.predicate),
        reasons: reasons.length ? reasons : ['unreadable'],
      });
      continue;
    }
    wps.set(report.statementDigest, report);
  }

  // 2. Decision sets: each verified against the work package it answers.
  const byDigest = new Map<string, AcceptedSet>();
  const duplicates: MergeResult['duplicates'] = [];
  for (const [index, bytes] of decisionSets.entries()) {
    const report = await verifyDecisionSet(bytes, { ...trust, workPackage: (digest) => wps.get(digest) });
    const p = report.verdict === 'valid' ? report.statement?.predicate : undefined;
    const reasons = report.reasons.map((r) => `[${r.check}] ${r.itemId ? `${r.itemId}: ` : ''}${r.message}`);
    const wp = p ? wps.get(p.workPackage.statementDigest) : undefined;
    if (p && wp) {
      const known = reviewerKeys.get(p.reviewer.id);
      if (!known || known.keyFingerprint !== p.reviewer.fingerprint)
        reasons.push(`${p.reviewer.id} (${p.reviewer.fingerprint}) is not a reviewer of this campaign with that key`);
    }
    if (reasons.length || !p || !wp || !report.statementDigest || !report.signature || !report.signers[0] || report.signers.length !== 1) {
      rejected.push({
        what: 'decision-set',
        index,
        statementDigest: report.statementDigest,
        reviewerId: reviewerIdOf(report.statement?.predicate),
        reasons: reasons.length ? reasons : ['unreadable'],
      });
      continue;
    }
    if (byDigest.has(report.statementDigest)) {
      duplicates.push({ index, statementDigest: report.statementDigest });
      continue;
    }
    const env = report.signers[0];
    byDigest.set(report.statementDigest, {
      index,
      report,
      digest: report.statementDigest,
      wp,
      wpDigest: p.workPackage.statementDigest,
      kind: p.workPackage.kind,
      reviewerId: p.reviewer.id,
      fingerprint: p.reviewer.fingerprint,
      keyid: env.keyid,
      signature: report.signature ?? '',
      createdAt: p.createdAt,
      events: report.events,
      bytes,
    });
  }

  // 3. A newer set for the same work package supersedes the older one, and says so.
  const superseded: Supersession[] = [];
  const current = new Map<string, AcceptedSet>();
  const groups = new Map<string, AcceptedSet[]>();
  for (const set of byDigest.values()) {
    const list = groups.get(set.wpDigest) ?? [];
    list.push(set);
    groups.set(set.wpDigest, list);
  }
  for (const [wpDigest, list] of groups) {
    list.sort(newestFirst);
    const newest = list[0]!;
    current.set(wpDigest, newest);
    for (const older of list.slice(1)) superseded.push(supersession(older, newest));
  }
  superseded.sort((a, b) => cmp(a.reviewerId, b.reviewerId) || cmp(a.workPackage, b.workPackage) || cmp(a.superseded, b.superseded));

  const accepted = [...current.values()].sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'review' ? -1 : 1) ||
      cmp(a.reviewerId, b.reviewerId) ||
      cmp(a.wp.statement!.predicate.id, b.wp.statement!.predicate.id) ||
      cmp(a.digest, b.digest),
  );

  // 4. Decisions: one standing decision per item, or a reported conflict.
  const conflicts: MergeConflict[] = [];
  const decisionClaims = new Map<string, Array<{ set: AcceptedSet; seq: number; hash: string; action: HumanDecision['action'] }>>();
  for (const set of accepted) {
    if (set.kind !== 'review') continue;
    const bySeq = new Map(set.events.map((e) => [e.seq, e]));
    for (const [itemId, state] of deriveItemStates(set.events)) {
      if (!state.current) continue;
      const list = decisionClaims.get(itemId) ?? [];
      list.push({ set, seq: state.current.seq, hash: bySeq.get(state.current.seq)!.hash, action: state.current.action });
      decisionClaims.set(itemId, list);
    }
  }
  const conflicted = new Set<string>();
  const standing = new Map<string, { set: AcceptedSet; seq: number; hash: string; action: HumanDecision['action'] }>();
  for (const [itemId, claims] of decisionClaims) {
    if (claims.length > 1) {
      conflicted.add(itemId);
      conflicts.push({
        itemId,
        kind: 'decision',
        sides: claims.map((c) => ({ decisionSet: c.set.digest, reviewerId: c.set.reviewerId, action: c.action })),
      });
    } else standing.set(itemId, claims[0]!);
  }

  // 5. Approvals: of the standing decision, by a different key, one per item.
  const refusedApprovals: RefusedApproval[] = [];
  const approvalClaims = new Map<string, Array<{ set: AcceptedSet; event: AuditEvent }>>();
  for (const set of accepted) {
    if (set.kind !== 'approval') continue;
    for (const [itemId, event] of standingApprovals(set.events)) {
      const ref = approvalTarget(event)!;
      const decision = standing.get(itemId);
      const refuse = (reason: string) => refusedApprovals.push({ itemId, decisionSet: set.digest, approverId: set.reviewerId, reason });
      if (!decision) refuse(conflicted.has(itemId) ? 'the item has conflicting decisions' : 'the item has no standing decision to approve');
      // By the event's hash, not the set's digest: a newer set that extends the older chain keeps the same event.
      else if (decision.hash !== ref.hash)
        refuse('it approves a decision that no longer stands (superseded or undone): send the current decision for approval');
      else {
        // The one approval rule (review/rules): a different person with a different key, and on a never-delegate item
        // the approver's own rationale.
        const problem = approvalProblem({
          decision: { reviewer: { id: decision.set.reviewerId, keyFingerprint: decision.set.fingerprint }, action: decision.action },
          approver: { id: set.reviewerId, keyFingerprint: set.fingerprint },
          decisionClass: itemsById.get(itemId)?.suggestion?.decisionClass ?? null,
          ...(event.rationale !== undefined ? { rationale: event.rationale } : {}),
        });
        if (problem) {
          refuse(problem);
          continue;
        }
        const list = approvalClaims.get(itemId) ?? [];
        list.push({ set, event });
        approvalClaims.set(itemId, list);
      }
    }
  }
  const approvals = new Map<string, { set: AcceptedSet; event: AuditEvent }>();
  for (const [itemId, claims] of approvalClaims) {
    if (claims.length > 1)
      conflicts.push({
        itemId,
        kind: 'approval',
        sides: claims.map((c) => ({ decisionSet: c.set.digest, reviewerId: c.set.reviewerId, action: 'approve' })),
      });
    else approvals.set(itemId, claims[0]!);
  }
  conflicts.sort((a, b) => cmp(a.itemId, b.itemId) || cmp(a.kind, b.kind));
  refusedApprovals.sort((a, b) => cmp(a.itemId, b.itemId) || cmp(a.decisionSet, b.decisionSet));

  // 6. One campaign chain: the accepted sets' events in a fixed order, re-chained, each with its provenance.
  const auditEvents: AuditEvent[] = [];
  const provenance = new Map<number, DecisionProvenance>();
  const mergedSeq = new Map<string, number>(); // "<set digest> <original seq>" → merged seq
  const append = (set: AcceptedSet, e: AuditEvent, refersTo: number | undefined) => {
    const { seq, prevHash: _p, hash, ...body } = e;
    const from: DecisionProvenance = {
      decisionSet: set.digest,
      workPackage: set.wpDigest,
      reviewerId: set.reviewerId,
      keyid: set.keyid,
      fingerprint: set.fingerprint,
      signature: set.signature,
      seq,
      hash,
      ...(e.refersTo !== undefined ? { refersTo: e.refersTo } : {}),
    };
    const next: AuditEventBody = {
      ...body,
      ...(refersTo !== undefined ? { refersTo } : {}),
      details: { ...(body.details ?? {}), provenance: from },
    };
    // chainEvent's definition (hash of the canonical JSON without `hash`), with keys sorted once so the canonical
    // text is JSON.stringify's: about five times faster than canonicalize on a million events.
    const previous = auditEvents[auditEvents.length - 1];
    const unhashed = withSortedKeys({ ...next, seq: previous ? previous.seq + 1 : 1, prevHash: previous ? previous.hash : GENESIS_HASH });
    const chained: AuditEvent = { ...unhashed, hash: sha256Hex(canonicalText(unhashed)) };
    auditEvents.push(chained);
    provenance.set(chained.seq, from);
    mergedSeq.set(`${set.digest} ${seq}`, chained.seq);
  };
  for (const set of accepted) {
    if (set.kind === 'review') {
      for (const e of set.events) {
        if (e.itemId !== undefined && conflicted.has(e.itemId)) continue;
        append(set, e, e.refersTo !== undefined ? mergedSeq.get(`${set.digest} ${e.refersTo}`) : undefined);
      }
    } else {
      for (const e of set.events) {
        if (e.type !== 'approval' || e.itemId === undefined || approvals.get(e.itemId)?.event !== e) continue;
        const ref = approvalTarget(e)!;
        append(set, e, mergedSeq.get(`${ref.decisionSet} ${ref.seq}`));
      }
    }
  }

  // 7. Per item: the decision the merged chain stands on, where it came from, and what is still open.
  const states = deriveItemStates(auditEvents);
  const answered = new Set<string>();
  for (const set of accepted) if (set.kind === 'review') for (const item of set.wp.items) answered.add(item.itemId);
  const items: MergedItem[] = [];
  const openItems: OpenItem[] = [];
  const certificationItems: CertificationItemInput[] = [];
  for (const item of campaign.items) {
    const d = states.get(item.itemId)?.current ?? null;
    const decision: HumanDecision | null = d
      ? {
          action: d.action,
          reviewerId: d.reviewer.id,
          at: d.at,
          rationale: d.rationale ?? null,
          acceptedSuggestion: d.acceptedSuggestion,
          approver: d.approval ? { id: d.approval.approver.id, at: d.approval.at } : null,
          ...decisionDetail(d),
        }
      : null;
    items.push({
      itemId: item.itemId,
      reviewerId: item.reviewerId,
      decision,
      decidedBy: d ? provenance.get(d.seq)! : null,
      approvedBy: d?.approval ? provenance.get(d.approval.seq)! : null,
    });
    certificationItems.push({ itemId: item.itemId, identity: item.identity, target: item.target, suggestion: item.suggestion, decision });
    const reason = conflicted.has(item.itemId)
      ? 'conflict'
      : !answered.has(item.itemId)
        ? 'no-decision-set'
        : !decision
          ? 'not-decided'
          : decision.action === 'cant-decide'
            ? 'cant-decide'
            : requiresApproval(item.suggestion?.decisionClass) && !decision.approver
              ? 'awaiting-approval'
              : null;
    if (reason) openItems.push({ itemId: item.itemId, reviewerId: item.reviewerId, reason });
  }
  const acting = new Set<string>();
  for (const i of items) {
    if (i.decision) acting.add(i.decision.reviewerId);
    if (i.decision?.approver) acting.add(i.decision.approver.id);
  }
  rejected.sort((a, b) => cmp(a.what, b.what) || cmp(a.statementDigest ?? '', b.statementDigest ?? '') || a.index - b.index);
  // The sets whose events the merged chain holds travel inside the certification package: each proves its
  // reviewer's decisions by the reviewer's own signature, so no second signing round is needed.
  const contributing = new Set([...provenance.values()].map((p) => p.decisionSet));
  const embedded = accepted
    .filter((s) => contributing.has(s.digest))
    .map((s) => ({ bytes: s.bytes, statementDigest: s.digest, reviewerId: s.reviewerId, fingerprint: s.fingerprint }));
  return {
    items,
    openItems,
    accepted: accepted.map(describeAccepted),
    superseded,
    duplicates,
    conflicts,
    refusedApprovals,
    rejected,
    auditEvents,
    certificationInput: {
      campaign: campaign.info,
      sources: campaign.sources,
      policy: campaign.policy,
      engineVersion: campaign.engineVersion,
      reviewers: campaign.reviewers,
      items: certificationItems,
      auditEvents,
      decisionSets: embedded,
      ...(campaign.baselineChanges ? { baselineChanges: campaign.baselineChanges } : {}),
    },
    signersNeeded: [...acting].sort(cmp),
  };
}

function workPackageCampaignProblems(
  campaign: ExchangeCampaign,
  report: WorkPackageReport,
  itemsById: ReadonlyMap<string, CampaignItem>,
  reviewerKeys: ReadonlyMap<string, { keyFingerprint: string }>,
): string[] {
  const p = report.statement!.predicate;
  const problems: string[] = [];
  if (p.campaign.id !== campaign.info.id) problems.push(`the work package is for campaign ${p.campaign.id}, not ${campaign.info.id}`);
  if (p.owner.fingerprint !== campaign.owner.fingerprint)
    problems.push(
      `the work package was issued by ${p.owner.id} (${p.owner.fingerprint}), not by this campaign's owner (${campaign.owner.fingerprint})`,
    );
  if (p.policyDigest !== campaign.policy.digest)
    problems.push(`the work package carries policy ${p.policyDigest}, the campaign ${campaign.policy.digest}`);
  if (p.snapshotDigest !== snapshotDigest(campaign.sources)) problems.push("the work package's snapshot digest is not this campaign's");
  const reviewer = reviewerKeys.get(p.reviewer.id);
  if (!reviewer || reviewer.keyFingerprint !== p.reviewer.fingerprint)
    problems.push(`${p.reviewer.id} (${p.reviewer.fingerprint}) is not a reviewer of this campaign with that key`);
  let shown = 0;
  let more = 0;
  for (const item of report.items) {
    const known = itemsById.get(item.itemId);
    const problem = !known
      ? 'is not an item of this campaign'
      : p.kind === 'review' && known.reviewerId !== p.reviewer.id
        ? `is assigned to ${known.reviewerId}, not to ${p.reviewer.id}`
        : null;
    if (!problem) continue;
    if (shown < 25) problems.push(`item ${item.itemId} ${problem}`);
    else more++;
    shown++;
  }
  if (more) problems.push(`… and ${more} more items not assigned to ${p.reviewer.id}`);
  return problems;
}

/** The reviewer an archive names, when its predicate says so (also of a rejected archive, for the report). */
function reviewerIdOf(predicate: unknown): string | null {
  const reviewer = (predicate as { reviewer?: { id?: unknown } } | undefined)?.reviewer;
  return typeof reviewer?.id === 'string' ? reviewer.id : null;
}

function newestFirst(a: AcceptedSet, b: AcceptedSet): number {
  return cmp(b.createdAt, a.createdAt) || b.events.length - a.events.length || cmp(a.digest, b.digest);
}

function supersession(older: AcceptedSet, newer: AcceptedSet): Supersession {
  const head = older.events[older.events.length - 1];
  const extendsOlder = !head || newer.events[older.events.length - 1]?.hash === head.hash;
  const decided = (events: readonly AuditEvent[]) => new Set([...deriveItemStates(events)].filter(([, s]) => s.current).map(([id]) => id));
  const newerDecided = decided(newer.events);
  const dropped = [...decided(older.events)].filter((id) => !newerDecided.has(id)).length;
  return {
    reviewerId: newer.reviewerId,
    workPackage: newer.wpDigest,
    superseded: older.digest,
    by: newer.digest,
    extendsOlder,
    itemsDroppedByNewer: dropped,
  };
}

function describeAccepted(s: AcceptedSet): AcceptedDecisionSet {
  return {
    statementDigest: s.digest,
    workPackage: s.wpDigest,
    kind: s.kind,
    reviewerId: s.reviewerId,
    keyid: s.keyid,
    fingerprint: s.fingerprint,
    createdAt: s.createdAt,
    events: s.events.length,
    itemsLeft: s.report.itemsLeft ?? 0,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Campaigns across laptops, in the worker: the owner issues signed work packages, merges the decision sets that come
// back and exports the certification package (the sets embedded); a reviewer opens a work package as a local
// campaign, and returns a signed decision set. The format and the checks are shared/exchange's
// (docs/campaign-exchange.md); this module only gathers what is stored and stores what comes out.
import { approvalWorkItems, buildDecisionSet, buildWorkPackage, mergeDecisionSets, splitCampaign, verifyWorkPackage, type CampaignItem, type ExchangeCampaign, type KeyedPerson, type MergeResult, type WorkItem } from '../../shared/exchange';
import { buildCertificationPackage } from '../../shared/package';
import { withCompressionThread } from './compression-client';
import { fileSha256 } from '../../shared/codec';
import type { PackageReviewer, PackageSigner, TrustedKey } from '../../shared/package';
import { fromBase64 } from '../../shared/codec';
import type { Credential, Entitlement, Identity, SnapshotData } from '../../shared/model';
import type { AuditEvent } from '../../shared/review';
import type { Suggestion } from '../../shared/suggest';
import {
  approvalChain,
  database,
  getCampaign,
  getSetting,
  listEvents,
  listIssuedWorkPackages,
  listPinnedKeys,
  listReceivedDecisionSets,
  listReviewers,
  loadCampaignAssignments,
  loadCampaignSnapshot,
  loadSuggestions,
  putSetting,
  receivedWorkPackageBytes,
  storeCampaignAssignments,
  storeIssuedWorkPackages,
  storeReceivedWorkPackageBytes,
  storeSnapshot,
  storeSuggestions,
  suggestionKey,
  getCampaignBaseline,
  type CampaignRecord,
  type IssuedWorkPackage,
  type ReceivedWorkPackage,
  type ReceivedApprovalPackage,
  type ReviewerRecord,
  type WorkbenchDatabase,
} from '../db';
import { certificationInput } from '../../shared/package';
import { scoped } from './campaign-scope';
import type { TaskContext } from './protocol';

// ---------------------------------------------------------------- results the UI shows

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

export interface ReceiveResult {
  campaignId: string;
  kind: 'review' | 'approval';
  statementDigest: string;
  items: number;
  owner: string;
  reviewerId: string;
  alreadyOpen: boolean;
}

export interface DecisionSetFile {
  fileName: string;
  bytes: Uint8Array;
  decided: number;
  left: number;
  events: number;
}

export type ExchangeTaskMap = {
  issueWorkPackages: { args: { campaignId: string; ownerId: string }; result: IssuedFile[] };
  mergeDecisionSets: { args: { campaignId: string; ownerId: string }; result: MergeSummary };
  issueApprovalPackage: { args: { campaignId: string; ownerId: string; approverId: string }; result: IssuedFile };
  buildMergedPackage: { args: { campaignId: string; ownerId: string }; result: { bytes: Uint8Array; fileName: string; open: number; embeddedSets: number; seconds: number } };
  receiveWorkPackage: { args: { bytes: Uint8Array; fileName: string }; result: ReceiveResult };
  buildReturnSet: { args: { statementDigest: string }; result: DecisionSetFile };
};

// ---------------------------------------------------------------- shared helpers

function keyedPerson(r: ReviewerRecord): KeyedPerson {
  return { id: r.id, name: r.name, email: r.email ?? null, fingerprint: r.fingerprint, publicKey: r.publicKey };
}

function packageReviewer(r: ReviewerRecord): PackageReviewer {
  return { id: r.id, name: r.name, ...(r.email ? { email: r.email } : {}), keyFingerprint: r.fingerprint, publicKey: r.publicKey };
}

/** A signer backed by the host's key for a local profile (the private key never reaches the worker). */
function hostSigner(ctx: TaskContext, profile: ReviewerRecord): PackageSigner {
  if (profile.remote || !profile.keyId) throw new Error(`${profile.name} is a colleague on another laptop: only they can sign with their key`);
  return { keyId: profile.keyId, publicKey: fromBase64(profile.publicKey), sign: async (message) => (await ctx.call('sign', { keyId: profile.keyId, message })) as Uint8Array };
}

/** Keys this machine trusts: the pinned colleagues' keys and the local profiles' own keys. */
export async function trustList(db: WorkbenchDatabase): Promise<TrustedKey[]> {
  const pinned = await listPinnedKeys(db);
  const local = (await listReviewers(db)).filter((r) => !r.remote);
  const keys: TrustedKey[] = pinned.map(({ name, email, fingerprint, publicKey, kty, crv, x }) => ({ name, ...(email ? { email } : {}), fingerprint, publicKey, kty, crv, x }));
  for (const r of local) {
    if (keys.some((k) => k.fingerprint === r.fingerprint)) continue;
    keys.push({ name: r.name, ...(r.email ? { email: r.email } : {}), fingerprint: r.fingerprint, publicKey: r.publicKey, kty: 'OKP', crv: 'Ed25519', x: r.publicKey.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') });
  }
  return keys;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'campaign';
}

// ---------------------------------------------------------------- the owner's side

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
  const input = certificationInput({ campaign: record, snapshot, suggestions: scoped(record.scopeFilter, snapshot, suggestions), events, reviewers, policy });
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

export const exchangeTasks: { [K in keyof ExchangeTaskMap]: (args: ExchangeTaskMap[K]['args'], ctx: TaskContext) => Promise<ExchangeTaskMap[K]['result']> } = {
  /** One signed review work package per reviewer assigned items (never to the owner: nobody reviews for themselves here). */
  async issueWorkPackages(args, ctx) {
    const o = await ownerContext(args.campaignId, args.ownerId);
    const own = o.campaign.items.filter((i) => i.reviewerId === o.owner.id).length;
    if (own) throw new Error(`${own} item(s) are assigned to you, the campaign's owner: a work package goes to another person. Reassign them (a campaign with another rule or fallback reviewer), then hand out the work.`);
    const issuedAt = new Date().toISOString();
    const round = 1 + Math.max(0, ...o.issued.filter((w) => w.kind === 'review').map((w) => Number(/\/review\/(\d+)$/.exec(w.id)?.[1] ?? 0)));
    const inputs = splitCampaign(o.campaign, issuedAt, new Map([...o.profiles.values()].map((r) => [r.id, keyedPerson(r)]))).map((i) => ({ ...i, id: i.id.replace(/\/review\/1$/, `/review/${round}`) }));
    const signer = hostSigner(ctx, o.owner);
    const out: IssuedFile[] = [];
    const stored: IssuedWorkPackage[] = [];
    for (const [n, input] of inputs.entries()) {
      ctx.progress({ label: `Signing the work package for ${input.reviewer.name}`, labelKey: 'progress.signingWork', labelValues: { name: input.reviewer.name }, done: n, total: inputs.length, unit: 'files' });
      const built = await buildWorkPackage(input, signer);
      const fileName = `${safeName(o.record.name)}-${safeName(input.reviewer.id)}${round > 1 ? `-${round}` : ''}.arwwork`;
      stored.push({ campaignId: o.record.id, statementDigest: built.statementDigest, id: input.id, kind: 'review', reviewerId: input.reviewer.id, items: input.items.length, issuedAt, fileName, bytes: built.bytes });
      out.push({ reviewerId: input.reviewer.id, reviewerName: input.reviewer.name, kind: 'review', items: input.items.length, fileName, statementDigest: built.statementDigest, bytes: built.bytes.slice() });
    }
    await storeIssuedWorkPackages(o.db, stored);
    ctx.progress({ label: 'Work packages signed', labelKey: 'progress.workSigned', done: inputs.length, total: inputs.length, unit: 'files' });
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
      accepted: result.accepted.map((a) => ({ reviewerId: a.reviewerId, kind: a.kind, statementDigest: a.statementDigest, createdAt: a.createdAt, events: a.events, itemsLeft: a.itemsLeft })),
      superseded: result.superseded.map((s) => ({ reviewerId: s.reviewerId, superseded: s.superseded, by: s.by, extendsOlder: s.extendsOlder, itemsDroppedByNewer: s.itemsDroppedByNewer })),
      duplicates: result.duplicates.length,
      conflicts: result.conflicts.map((c) => ({ itemId: c.itemId, kind: c.kind, sides: c.sides.map((s) => `${s.reviewerId}: ${s.action}`) })),
      refusedApprovals: result.refusedApprovals.map((r) => ({ itemId: r.itemId, approverId: r.approverId, reason: r.reason })),
      rejected: result.rejected.map((r) => ({ what: r.what, fileName: r.what === 'decision-set' ? (received[r.index]?.fileName ?? `#${r.index + 1}`) : (o.issued[r.index]?.fileName ?? `#${r.index + 1}`), reviewerId: r.reviewerId, reasons: [...r.reasons.filter((x) => !x.startsWith('[archive]')), ...r.reasons.filter((x) => x.startsWith('[archive]'))] })),
      awaitingApproval: [...awaiting].map(([deciderId, count]) => ({ deciderId, count })),
      issued: o.issued.map((w) => ({ reviewerId: w.reviewerId, kind: w.kind, items: w.items, issuedAt: w.issuedAt, statementDigest: w.statementDigest })),
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
    ctx.progress({ label: `Signing the approval package for ${approver.name}`, labelKey: 'progress.signingApproval', labelValues: { name: approver.name }, done: 0, total: 1, unit: 'files' });
    const built = await buildWorkPackage(
      { kind: 'approval', id: `${o.record.id}/${approver.id}/approval/${n}`, issuedAt, campaign: o.campaign.info, owner: o.campaign.owner, reviewer: keyedPerson(approver), policy: o.campaign.policy, sources: o.campaign.sources, engineVersion: o.campaign.engineVersion, items },
      hostSigner(ctx, o.owner),
    );
    const fileName = `${safeName(o.record.name)}-${safeName(approver.id)}-approval-${n}.arwwork`;
    await storeIssuedWorkPackages(o.db, [{ campaignId: o.record.id, statementDigest: built.statementDigest, id: `${o.record.id}/${approver.id}/approval/${n}`, kind: 'approval', reviewerId: approver.id, items: items.length, issuedAt, fileName, bytes: built.bytes }]);
    return { reviewerId: approver.id, reviewerName: approver.name, kind: 'approval', items: items.length, fileName, statementDigest: built.statementDigest, bytes: built.bytes.slice() };
  },

  /** The certification package from the merge: the decision sets embedded, countersigned by the owner. */
  async buildMergedPackage(args, ctx) {
    const started = performance.now();
    ctx.progress({ label: 'Merging decision sets', labelKey: 'progress.mergingSets', done: 0, total: 2, unit: 'items' });
    const o = await ownerContext(args.campaignId, args.ownerId);
    const { result } = await runMerge(o);
    if (!result.accepted.length) throw new Error('no decision set has been accepted yet: there is nothing to certify');
    ctx.progress({ label: 'Building and signing the certification package', labelKey: 'progress.buildingCert', done: 1, total: 2, unit: 'items' });
    const built = await withCompressionThread(() => buildCertificationPackage(result.certificationInput, [hostSigner(ctx, o.owner)]));
    return {
      bytes: built.bytes,
      fileName: `${safeName(o.record.name)}-${new Date().toISOString().slice(0, 10)}.arwpkg`,
      open: result.openItems.length,
      embeddedSets: result.certificationInput.decisionSets?.length ?? 0,
      seconds: (performance.now() - started) / 1000,
    };
  },

  // ---------------------------------------------------------------- the reviewer's side

  /** Verify a work package (the owner pinned, addressed to a profile of this machine) and open it here. */
  async receiveWorkPackage(args, ctx) {
    const db = database();
    ctx.progress({ label: `Verifying ${args.fileName}`, labelKey: 'progress.verifyingFile', labelValues: { file: args.fileName }, done: 0, total: 2, unit: 'items' });
    const trustedKeys = await trustList(db);
    const report = await verifyWorkPackage(args.bytes, { trustedKeys });
    if (report.verdict !== 'valid' || !report.statement || !report.statementDigest) {
      const reasons = report.reasons.slice(0, 8).map((r) => `[${r.check}] ${r.itemId ? `${r.itemId}: ` : ''}${r.message}`);
      throw new Error(`${args.fileName} is refused: ${reasons.join('; ')}${report.reasons.length > 8 ? ` … and ${report.reasons.length - 8} more` : ''}`);
    }
    const p = report.statement.predicate;
    const me = (await listReviewers(db)).find((r) => !r.remote && r.fingerprint === p.reviewer.fingerprint);
    if (!me) throw new Error(`${args.fileName} is addressed to ${p.reviewer.name} (${p.reviewer.fingerprint}), not to a reviewer profile of this machine: it was sent to the wrong person`);
    if (me.id !== p.reviewer.id) throw new Error(`${args.fileName} names you as "${p.reviewer.id}", but your profile here is "${me.id}": ask ${p.owner.name} to pin the key file you exported (it carries your profile id)`);
    const received: ReceivedWorkPackage = { statementDigest: report.statementDigest, workPackageId: p.id, kind: p.kind, fileName: args.fileName, receivedAt: new Date().toISOString(), owner: { id: p.owner.id, name: p.owner.name, email: p.owner.email, fingerprint: p.owner.fingerprint }, reviewerId: me.id };
    if (p.kind === 'approval') {
      // Approvals are not a review of their own: the approver sees each pending decision and approves it (or not).
      const already = await getSetting<ReceivedApprovalPackage>(db, `exchange:approvalPackage:${report.statementDigest}`);
      await storeReceivedWorkPackageBytes(db, report.statementDigest, args.bytes);
      if (!already) await putSetting(db, `exchange:approvalPackage:${report.statementDigest}`, { ...received, campaignId: p.campaign.id, campaignName: p.campaign.name, dueDate: p.campaign.dueDate, items: report.items } satisfies ReceivedApprovalPackage);
      return { campaignId: p.campaign.id, kind: p.kind, statementDigest: report.statementDigest, items: report.items.length, owner: p.owner.name, reviewerId: me.id, alreadyOpen: Boolean(already) };
    }
    const localId = p.campaign.id;
    const existing = await getCampaign(db, localId);
    if (existing && !existing.received) throw new Error(`campaign ${p.campaign.id} was created on this machine: review it here directly`);
    if (existing?.received?.statementDigest === report.statementDigest) return { campaignId: localId, kind: p.kind, statementDigest: report.statementDigest, items: report.items.length, owner: p.owner.name, reviewerId: me.id, alreadyOpen: true };
    if (existing) {
      const done = (await listEvents(db, localId)).length;
      if (done) throw new Error(`you already review work package ${existing.received!.workPackageId} of this campaign here (${done} events): return its decision set first`);
    }
    ctx.progress({ label: 'Opening the work package as a local campaign', labelKey: 'progress.openingWork', done: 1, total: 2, unit: 'items' });
    const snapshotId = `received:${report.statementDigest}`;
    const data = snapshotFromItems(report.items);
    await storeSnapshot(db, {
      id: snapshotId,
      name: `${p.campaign.name} — work package from ${p.owner.name}`,
      createdAt: received.receivedAt,
      data,
      sources: [{ file: args.fileName, size: args.bytes.byteLength, sha256: await fileSha256(args.bytes), format: `arw-work-package (${p.kind})`, formatVersion: '1', formatReason: `signed work package ${report.statementDigest}, verified against the pinned owner key`, parser: 'shared/exchange', parserVersion: '1', rowsRead: report.items.length, rowsStored: report.items.length, rowsRejected: 0, importedAt: received.receivedAt }],
    });
    const suggestions = report.items.map((i) => i.suggestion).filter((s): s is Suggestion => s !== null);
    await putSetting(db, `policy:${p.policyDigest}`, report.policy);
    const meta = { snapshotId, policyDigest: p.policyDigest, engine: p.engineVersion, asOf: p.issuedAt };
    await storeSuggestions(db, meta, suggestions);
    await storeCampaignAssignments(db, localId, suggestions.map((s) => ({ itemId: s.itemId, reviewerId: me.id, reason: `work package from ${p.owner.name} (${p.id})` })));
    await storeReceivedWorkPackageBytes(db, report.statementDigest, args.bytes);
    const campaign: CampaignRecord = {
      id: localId,
      name: p.campaign.name,
      snapshotId,
      suggestionKey: suggestionKey(snapshotId, p.policyDigest, p.engineVersion),
      policyDigest: p.policyDigest,
      engine: p.engineVersion,
      createdAt: p.campaign.createdAt,
      createdBy: p.owner.id,
      ...(p.campaign.dueDate ? { dueDate: p.campaign.dueDate } : {}),
      itemCount: report.items.length,
      scope: `work package ${p.id} from ${p.owner.name}`,
      scopeFilter: { applications: [], identityTypes: [], privileges: [] },
      assignment: { rule: 'named', fallbackReviewerId: me.id },
      reviewerLoad: { [me.id]: report.items.length },
      received,
    };
    await db.transaction('rw', db.campaigns, db.campaignTables, async () => {
      await db.campaignTables.delete(localId);
      await db.campaigns.put(campaign);
    });
    return { campaignId: localId, kind: p.kind, statementDigest: report.statementDigest, items: report.items.length, owner: p.owner.name, reviewerId: me.id, alreadyOpen: false };
  },

  /** The reviewer's signed answer: their event chain for the work package, partial or whole. */
  async buildReturnSet(args, ctx) {
    const db = database();
    const bytes = await receivedWorkPackageBytes(db, args.statementDigest);
    if (!bytes) throw new Error('the work package is not on this machine any more');
    const report = await verifyWorkPackage(bytes, { trustedKeys: await trustList(db) });
    if (report.verdict !== 'valid' || !report.statement) throw new Error(`the work package no longer verifies: ${report.reasons.map((r) => r.message).join('; ')}`);
    const p = report.statement.predicate;
    const me = (await listReviewers(db)).find((r) => !r.remote && r.id === p.reviewer.id && r.fingerprint === p.reviewer.fingerprint);
    if (!me) throw new Error(`only ${p.reviewer.name} can answer this work package`);
    const events: AuditEvent[] = p.kind === 'review' ? await listEvents(db, p.campaign.id) : await approvalChain(db, report.statementDigest!);
    const foreign = events.filter((e) => e.actor.id !== me.id);
    if (foreign.length) throw new Error(`${foreign.length} event(s) of this campaign were recorded by another profile (${[...new Set(foreign.map((e) => e.actor.name))].join(', ')}): a decision set holds only its reviewer's own decisions`);
    ctx.progress({ label: 'Signing the decision set', labelKey: 'progress.signingSet', done: 0, total: 1, unit: 'items' });
    const built = await buildDecisionSet({ workPackage: { statementDigest: report.statementDigest!, predicate: p, items: report.items }, reviewer: keyedPerson(me), createdAt: new Date().toISOString(), events }, hostSigner(ctx, me));
    const counts = built.statement.predicate.counts;
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
    return { fileName: `${safeName(p.campaign.name)}-${safeName(me.id)}-${p.kind === 'approval' ? 'approvals-' : ''}${stamp}.arwdec`, bytes: built.bytes, decided: counts.decided, left: counts.open, events: events.length };
  },
};

/** The items of a work package as a small snapshot, so the usual review screen serves them. */
function snapshotFromItems(items: readonly WorkItem[]): SnapshotData {
  const identities = new Map<string, Identity>();
  const entitlements = new Map<string, Entitlement>();
  const credentials = new Map<string, Credential>();
  const assignments: SnapshotData['assignments'] = [];
  for (const item of items) {
    const i = item.identity;
    if (!identities.has(i.id)) identities.set(i.id, { id: i.id, displayName: i.displayName, type: i.type, status: i.status, typeReason: 'as sent in the work package', sources: ['work package'] } as Identity);
    const t = item.target;
    if (t?.kind === 'entitlement') {
      if (!entitlements.has(t.id)) entitlements.set(t.id, { id: t.id, name: t.name, application: t.application, privilege: t.privilege, sources: ['work package'] });
      assignments.push({ identityId: i.id, entitlementId: t.id, source: 'work package', usageKnown: false });
    } else if (t?.kind === 'credential') {
      const key = `${i.id}\u001f${t.id}`;
      if (!credentials.has(key)) credentials.set(key, { identityId: i.id, credentialId: t.id, kind: t.name.split(' ')[0] ?? 'credential', active: true, source: t.application });
    }
  }
  return { identities: [...identities.values()], entitlements: [...entitlements.values()], assignments, credentials: [...credentials.values()] };
}


// The reviewer's side of the campaign exchange, in the backend worker: open a received work package as a local campaign and
// return a signed decision set.
import { buildDecisionSet, verifyWorkPackage, type WorkItem } from '../../shared/exchange';
import { fileSha256 } from '../../shared/codec';
import type { Credential, Entitlement, Identity, SnapshotData } from '../../shared/model';
import type { AuditEvent } from '../../shared/review';
import type { Suggestion } from '../../shared/suggest';
import {
  approvalChain,
  database,
  getCampaign,
  getSetting,
  listEvents,
  listReviewers,
  putSetting,
  receivedWorkPackageBytes,
  storeCampaignAssignments,
  storeReceivedWorkPackageBytes,
  storeSnapshot,
  storeSuggestions,
  suggestionKey,
  type CampaignRecord,
  type ReceivedWorkPackage,
  type ReceivedApprovalPackage,
} from '../db';
import type { TaskContext } from './protocol';
import { hostSigner, keyedPerson, safeName, trustList } from './exchange-common';

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

export type ReviewerExchangeTaskMap = {
  receiveWorkPackage: { args: { bytes: Uint8Array; fileName: string }; result: ReceiveResult };
  buildReturnSet: { args: { statementDigest: string }; result: DecisionSetFile };
};

export const reviewerExchangeTasks: {
  [K in keyof ReviewerExchangeTaskMap]: (
    args: ReviewerExchangeTaskMap[K]['args'],
    ctx: TaskContext,
  ) => Promise<ReviewerExchangeTaskMap[K]['result']>;
} = {
  /** Verify a work package (the owner pinned, addressed to a profile of this machine) and open it here. */
  async receiveWorkPackage(args, ctx) {
    const db = database();
    ctx.progress({
      label: `Verifying ${args.fileName}`,
      labelKey: 'progress.verifyingFile',
      labelValues: { file: args.fileName },
      done: 0,
      total: 2,
      unit: 'items',
    });
    const trustedKeys = await trustList(db);
    const report = await verifyWorkPackage(args.bytes, { trustedKeys });
    if (report.verdict !== 'valid' || !report.statement || !report.statementDigest) {
      const reasons = report.reasons.slice(0, 8).map((r) => `[${r.check}] ${r.itemId ? `${r.itemId}: ` : ''}${r.message}`);
      throw new Error(
        `${args.fileName} is refused: ${reasons.join('; ')}${report.reasons.length > 8 ? ` … and ${report.reasons.length - 8} more` : ''}`,
      );
    }
    const p = report.statement.predicate;
    const me = (await listReviewers(db)).find((r) => !r.remote && r.fingerprint === p.reviewer.fingerprint);
    if (!me)
      throw new Error(
        `${args.fileName} is addressed to ${p.reviewer.name} (${p.reviewer.fingerprint}), not to a reviewer profile of this machine: it was sent to the wrong person`,
      );
    if (me.id !== p.reviewer.id)
      throw new Error(
        `${args.fileName} names you as "${p.reviewer.id}", but your profile here is "${me.id}": ask ${p.owner.name} to pin the key file you exported (it carries your profile id)`,
      );
    const received: ReceivedWorkPackage = {
      statementDigest: report.statementDigest,
      workPackageId: p.id,
      kind: p.kind,
      fileName: args.fileName,
      receivedAt: new Date().toISOString(),
      owner: { id: p.owner.id, name: p.owner.name, email: p.owner.email, fingerprint: p.owner.fingerprint },
      reviewerId: me.id,
    };
    if (p.kind === 'approval') {
      // Approvals are not a review of their own: the approver sees each pending decision and approves it (or not).
      const already = await getSetting<ReceivedApprovalPackage>(db, `exchange:approvalPackage:${report.statementDigest}`);
      await storeReceivedWorkPackageBytes(db, report.statementDigest, args.bytes);
      if (!already)
        await putSetting(db, `exchange:approvalPackage:${report.statementDigest}`, {
          ...received,
          campaignId: p.campaign.id,
          campaignName: p.campaign.name,
          dueDate: p.campaign.dueDate,
          items: report.items,
        } satisfies ReceivedApprovalPackage);
      return {
        campaignId: p.campaign.id,
        kind: p.kind,
        statementDigest: report.statementDigest,
        items: report.items.length,
        owner: p.owner.name,
        reviewerId: me.id,
        alreadyOpen: Boolean(already),
      };
    }
    const localId = p.campaign.id;
    const existing = await getCampaign(db, localId);
    if (existing && !existing.received) throw new Error(`campaign ${p.campaign.id} was created on this machine: review it here directly`);
    if (existing?.received?.statementDigest === report.statementDigest)
      return {
        campaignId: localId,
        kind: p.kind,
        statementDigest: report.statementDigest,
        items: report.items.length,
        owner: p.owner.name,
        reviewerId: me.id,
        alreadyOpen: true,
      };
    if (existing) {
      const done = (await listEvents(db, localId)).length;
      if (done)
        throw new Error(
          `you already review work package ${existing.received!.workPackageId} of this campaign here (${done} events): return its decision set first`,
        );
    }
    ctx.progress({
      label: 'Opening the work package as a local campaign',
      labelKey: 'progress.openingWork',
      done: 1,
      total: 2,
      unit: 'items',
    });
    const snapshotId = `received:${report.statementDigest}`;
    const data = snapshotFromItems(report.items);
    await storeSnapshot(db, {
      id: snapshotId,
      name: `${p.campaign.name} — work package from ${p.owner.name}`,
      createdAt: received.receivedAt,
      data,
      sources: [
        {
          file: args.fileName,
          size: args.bytes.byteLength,
          sha256: await fileSha256(args.bytes),
          format: `arw-work-package (${p.kind})`,
          formatVersion: '1',
          formatReason: `signed work package ${report.statementDigest}, verified against the pinned owner key`,
          parser: 'shared/exchange',
          parserVersion: '1',
          rowsRead: report.items.length,
          rowsStored: report.items.length,
          rowsRejected: 0,
          importedAt: received.receivedAt,
        },
      ],
    });
    const suggestions = report.items.map((i) => i.suggestion).filter((s): s is Suggestion => s !== null);
    await putSetting(db, `policy:${p.policyDigest}`, report.policy);
    const meta = { snapshotId, policyDigest: p.policyDigest, engine: p.engineVersion, asOf: p.issuedAt };
    await storeSuggestions(db, meta, suggestions);
    await storeCampaignAssignments(
      db,
      localId,
      suggestions.map((s) => ({ itemId: s.itemId, reviewerId: me.id, reason: `work package from ${p.owner.name} (${p.id})` })),
    );
    await storeReceivedWorkPackageBytes(db, report.statementDigest, args.bytes);
    const campaign: CampaignRecord = {
      id: localId,
      name: p.campaign.name,
      snapshotId,
      suggestionKey: suggestionKey(snapshotId, p.policyDigest, p.engineVersion, 0, 0, meta.asOf),
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
    return {
      campaignId: localId,
      kind: p.kind,
      statementDigest: report.statementDigest,
      items: report.items.length,
      owner: p.owner.name,
      reviewerId: me.id,
      alreadyOpen: false,
    };
  },

  /** The reviewer's signed answer: their event chain for the work package, partial or whole. */
  async buildReturnSet(args, ctx) {
    const db = database();
    const bytes = await receivedWorkPackageBytes(db, args.statementDigest);
    if (!bytes) throw new Error('the work package is not on this machine any more');
    const report = await verifyWorkPackage(bytes, { trustedKeys: await trustList(db) });
    if (report.verdict !== 'valid' || !report.statement)
      throw new Error(`the work package no longer verifies: ${report.reasons.map((r) => r.message).join('; ')}`);
    const p = report.statement.predicate;
    const me = (await listReviewers(db)).find((r) => !r.remote && r.id === p.reviewer.id && r.fingerprint === p.reviewer.fingerprint);
    if (!me) throw new Error(`only ${p.reviewer.name} can answer this work package`);
    const events: AuditEvent[] =
      p.kind === 'review' ? await listEvents(db, p.campaign.id) : await approvalChain(db, report.statementDigest!);
    const foreign = events.filter((e) => e.actor.id !== me.id);
    if (foreign.length)
      throw new Error(
        `${foreign.length} event(s) of this campaign were recorded by another profile (${[...new Set(foreign.map((e) => e.actor.name))].join(', ')}): a decision set holds only its reviewer's own decisions`,
      );
    ctx.progress({ label: 'Signing the decision set', labelKey: 'progress.signingSet', done: 0, total: 1, unit: 'items' });
    const built = await buildDecisionSet(
      {
        workPackage: { statementDigest: report.statementDigest!, predicate: p, items: report.items },
        reviewer: keyedPerson(me),
        createdAt: new Date().toISOString(),
        events,
      },
      hostSigner(ctx, me),
    );
    const counts = built.statement.predicate.counts;
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
    return {
      fileName: `${safeName(p.campaign.name)}-${safeName(me.id)}-${p.kind === 'approval' ? 'approvals-' : ''}${stamp}.arwdec`,
      bytes: built.bytes,
      decided: counts.decided,
      left: counts.open,
      events: events.length,
    };
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
    if (!identities.has(i.id))
      identities.set(i.id, {
        id: i.id,
        displayName: i.displayName,
        type: i.type,
        status: i.status,
        typeReason: 'as sent in the work package',
        sources: ['work package'],
      } as Identity);
    const t = item.target;
    if (t?.kind === 'entitlement') {
      if (!entitlements.has(t.id))
        entitlements.set(t.id, { id: t.id, name: t.name, application: t.application, privilege: t.privilege, sources: ['work package'] });
      assignments.push({ identityId: i.id, entitlementId: t.id, source: 'work package', usageKnown: false });
    } else if (t?.kind === 'credential') {
      const key = `${i.id}\u001f${t.id}`;
      if (!credentials.has(key))
        credentials.set(key, {
          identityId: i.id,
          credentialId: t.id,
          kind: t.name.split(' ')[0] ?? 'credential',
          active: true,
          source: t.application,
        });
    }
  }
  return {
    identities: [...identities.values()],
    entitlements: [...entitlements.values()],
    assignments,
    credentials: [...credentials.values()],
  };
}

// What the backend worker serves: the commands the screens send (short ones here, the long tasks in
// task-commands.ts) and the queries they read, each over the one Dexie database this worker owns. Runs only inside
// backend.worker.ts (the UI imports its types only).
import Dexie, { liveQuery } from 'dexie';
import { standingApprovals } from '../../shared/exchange';
import { campaignProgress, chainEvent, type AuditEvent, type AuditEventBody } from '../../shared/review';
import type { CallContext } from '../../shared/rpc';
import {
  addClassCorrection,
  addCorrelationResolution,
  appendEvent,
  appendToApprovalChain,
  approvalChain,
  campaignTableBasis,
  database,
  deleteSnapshot,
  getCampaign,
  getCampaignBaseline,
  getSetting,
  listAmbiguities,
  listCampaigns,
  listClassCorrections,
  listCorrelationResolutions,
  listEvents,
  listPinnedKeys,
  listReceivedApprovalPackages,
  listReviewers,
  listSnapshots,
  loadSnapshot,
  putSetting,
  removeIncompleteSnapshots,
  resolvedCounts,
  savePinnedKeys,
  saveReviewer,
  storeReceivedDecisionSets,
  type ClassCorrection,
  type PinnedKey,
  type ReceivedDecisionSet,
  type ReviewerRecord,
} from '../db';
import type { CorrelationResolution } from '../../shared/import';
import { taskCommands, type TaskCommands } from './task-commands';
import { serveCampaignPort } from './campaign-data';

const db = () => database();

/** Queries the screens read, live: each is re-run when a table it read changes (in any thread). */
export const queries = {
  snapshots: () => listSnapshots(db()),
  resolvedCounts: () => resolvedCounts(db()),
  campaigns: () => listCampaigns(db()),
  reviewers: () => listReviewers(db()),
  campaign: ({ id }: { id: string | null }) => (id ? getCampaign(db(), id) : Promise.resolve(undefined)),
  campaignEvents: ({ campaignId }: { campaignId: string | null }) =>
    campaignId ? listEvents(db(), campaignId) : Promise.resolve([] as AuditEvent[]),
  campaignProgress: async () => {
    const events: AuditEvent[] = [];
    await db().events.each((e) => {
      if (e.type === 'decision' || e.type === 'undo' || e.type === 'approval') events.push(e);
    });
    return campaignProgress(events);
  },
  pinnedKeys: () => listPinnedKeys(db()),
  receivedApprovalPackages: () => listReceivedApprovalPackages(db()),
  approvalChain: ({ statementDigest }: { statementDigest: string }) => approvalChain(db(), statementDigest),
};
export type Queries = typeof queries;
export type QueryName = keyof Queries;

/** Commands: each one use case, in one transaction where it writes. */
export const commands = {
  /** A signed decision, undo, approval or note appended to its campaign's chained log. */
  appendEvent: ({ body }: { body: AuditEventBody }) => appendEvent(db(), body),
  reviewers: () => listReviewers(db()),
  getSetting: ({ key }: { key: string }) => getSetting<unknown>(db(), key),
  putSetting: ({ key, value }: { key: string; value: unknown }) => putSetting(db(), key, value),
  putSettings: async ({ entries }: { entries: [string, unknown][] }) => {
    const d = db();
    await d.transaction('rw', d.settings, async () => {
      for (const [key, value] of entries) await putSetting(d, key, value);
    });
  },
  removeIncompleteSnapshots: () => removeIncompleteSnapshots(db()),
  deleteSnapshot: ({ id }: { id: string }) => deleteSnapshot(db(), id),
  saveReviewer: ({ reviewer }: { reviewer: ReviewerRecord }) => saveReviewer(db(), reviewer),
  /** Pinned keys and the remote reviewer profiles they name, saved together. */
  savePinnedKeys: async ({ keys, reviewers }: { keys: PinnedKey[]; reviewers: ReviewerRecord[] }) => {
    const d = db();
    await d.transaction('rw', d.settings, d.reviewers, async () => {
      for (const r of reviewers) await saveReviewer(d, r);
      await savePinnedKeys(d, keys);
    });
  },
  pinnedKeys: () => listPinnedKeys(db()),
  storeReceivedDecisionSets: ({ sets }: { sets: ReceivedDecisionSet[] }) => storeReceivedDecisionSets(db(), sets),
  /** Signed approvals chained onto a received approval package's chain, read and written in one transaction. */
  approveReceived: ({ statementDigest, bodies }: { statementDigest: string; bodies: AuditEventBody[] }) =>
    appendToApprovalChain(db(), statementDigest, (chain) => {
      const events: AuditEvent[] = [];
      for (const body of bodies) events.push(chainEvent(events[events.length - 1] ?? chain[chain.length - 1] ?? null, body));
      return events;
    }),
  /** A signed undo of the standing approval `seq` of an item, if it still stands. */
  withdrawReceived: ({
    statementDigest,
    itemId,
    seq,
    body,
  }: {
    statementDigest: string;
    itemId: string;
    seq: number;
    body: AuditEventBody;
  }) =>
    appendToApprovalChain(db(), statementDigest, (c) =>
      standingApprovals(c).get(itemId)?.seq === seq ? [chainEvent(c[c.length - 1] ?? null, body)] : [],
    ),
  listAmbiguities: ({ snapshotId }: { snapshotId: string }) => listAmbiguities(db(), snapshotId),
  listCorrelationResolutions: ({ snapshotId }: { snapshotId: string }) => listCorrelationResolutions(db(), snapshotId),
  addCorrelationResolution: ({ snapshotId, resolution }: { snapshotId: string; resolution: CorrelationResolution }) =>
    addCorrelationResolution(db(), snapshotId, resolution),
  listClassCorrections: ({ snapshotId }: { snapshotId: string }) => listClassCorrections(db(), snapshotId),
  addClassCorrection: ({ snapshotId, correction }: { snapshotId: string; correction: ClassCorrection }) =>
    addClassCorrection(db(), snapshotId, correction),
  loadSnapshot: ({ id, resolutions }: { id: string; resolutions?: number }) =>
    loadSnapshot(db(), id, resolutions === undefined ? {} : { resolutions }),
  campaignTableBasis: ({ snapshotId }: { snapshotId: string }) => campaignTableBasis(db(), snapshotId),
  /** The last certification a campaign started from, with its comparison (null for a fresh campaign). */
  campaignBaseline: ({ campaignId }: { campaignId: string }) => getCampaignBaseline(db(), campaignId),
  /** A campaign worker's port: its reads of the campaign's data are served on it. */
  connectPort: serveCampaignPort,
};
/** The long tasks (import, campaign creation, export, verify, exchange): progress reported, cancelled by the caller's signal. */
export type Commands = typeof commands & TaskCommands;

/** A query kept live: every result is reported as progress until the caller aborts the call. */
function watch({ query, args }: { query: QueryName; args: unknown }, ctx: CallContext<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const run = queries[query] as (args: unknown) => Promise<unknown>;
    const subscription = liveQuery(() => run(args)).subscribe({
      next: (value) => ctx.progress(value),
      error: (e: unknown) => console.error(`backend query ${query} failed`, e),
    });
    ctx.signal.addEventListener('abort', () => {
      subscription.unsubscribe();
      resolve();
    });
  });
}

/**
 * A campaign's audit log as it grows: the events after the last one reported, each time the log changes (the first
 * report: all of them, possibly none).
 */
function watchEvents({ campaignId }: { campaignId: string }, ctx: CallContext<AuditEvent[]>): Promise<void> {
  return new Promise((resolve) => {
    let lastSeq = 0;
    const d = db();
    let first = true;
    const subscription = liveQuery(() =>
      d.events
        .where('[campaignId+seq]')
        .between([campaignId, lastSeq + 1], [campaignId, Dexie.maxKey])
        .toArray(),
    ).subscribe({
      next: (fresh) => {
        const news = fresh.filter((e) => e.seq > lastSeq);
        if (news.length) lastSeq = news[news.length - 1]!.seq;
        if (news.length || first) ctx.progress(news);
        first = false;
      },
      error: (e: unknown) => console.error('audit log subscription failed', e),
    });
    ctx.signal.addEventListener('abort', () => {
      subscription.unsubscribe();
      resolve();
    });
  });
}

type CommandHandlers = { [K in keyof typeof commands]: (args: Parameters<(typeof commands)[K]>[0]) => ReturnType<(typeof commands)[K]> };

export type BackendHandlers = CommandHandlers &
  TaskCommands & {
    watch: typeof watch;
    watchEvents: typeof watchEvents;
  };

export const handlers: BackendHandlers = { ...(commands as CommandHandlers), ...taskCommands, watch, watchEvents };

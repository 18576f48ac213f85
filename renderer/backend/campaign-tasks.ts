// Campaign tasks, in the backend worker: suggestions computed (or reused) for a snapshot, a campaign created with its
// reviewer assignments and review table, optionally from a verified baseline package.
import { ENGINE_VERSION, policyDigest } from '../../shared/suggest';
import {
  campaignTableBasis,
  listClassCorrections,
  listCorrelationResolutions,
  resolutionsInKey,
  storeNewCampaign,
  database,
  inheritedAssignments,
  loadSnapshotColumns,
  loadSuggestionSummaries,
  loadSuggestionsAt,
  suggestionKey,
  findSuggestionSet,
  type CampaignBaseline,
  type PlacedSummary,
} from '../db';
import { TABLE_FORMAT, buildCampaignTable, campaignData, packTable, placesOf } from '../workers';
import { describeScope, type CampaignScope, type ReviewerRef } from '../../shared/review';
import { ReviewerDirectory, assignReviewer, type AssignmentPolicy, type ReviewerProfile } from '../../shared/review';
import type { Policy } from '../../shared/suggest';
import type { TaskContext } from './protocol';
import { narrows, scopeDigest, scoped, scopedItemCount } from './campaign-scope';
import { computeAndStoreSuggestions, type ComputedSuggestions } from './campaign-suggestions';
import { machineMemory, planScopedSuggestions, planSuggestions, type MachineMemory } from './campaign-memory';
import { trustList } from './exchange-tasks';
import { verifyOnThreads } from './package-tasks';
import {
  campaignBaseline,
  compareCampaign,
  keptItemIds,
  previewOf,
  verifiedBaseline,
  type BaselinePreview,
  type BaselineScope,
} from './campaign-baseline';

export interface SuggestTaskArgs {
  snapshotId: string;
  policy: Policy;
  asOf: string;
  scope: CampaignScope;
  /** What this machine gives the app, where the caller knows better than the platform reports (the bench). */
  memory?: MachineMemory;
}

/** A new campaign: its suggestions, reviewer assignments, review table, record and first event, written as one. */
export interface CreateCampaignArgs {
  id: string;
  name: string;
  snapshotId: string;
  policy: Policy;
  /** The day the suggestions are computed for (YYYY-MM-DD). */
  asOf: string;
  dueDate?: string;
  scope: CampaignScope;
  assignment: AssignmentPolicy;
  profiles: ReviewerProfile[];
  actor: ReviewerRef;
  /** As SuggestTaskArgs.memory. */
  memory?: MachineMemory;
  /** The last certification package (.arwpkg) to start from: verified here first, nothing is created if it fails. */
  baseline?: { bytes: Uint8Array; scope: BaselineScope };
}

export interface CreateCampaignResult {
  campaignId: string;
  inScope: number;
  engine: string;
  /** Seconds per phase: the snapshot and suggestions (loaded, or computed and stored), the baseline, reviewer
   * assignment, the review table, storing the campaign. */
  timings: { suggestionsSeconds: number; baselineSeconds: number; assignSeconds: number; tableSeconds: number; storeSeconds: number };
}

export interface SuggestTaskResult {
  key: string;
  count: number;
  policyDigest: string;
  engine: string;
  reused: boolean;
  /** How many of the suggestions fall in the campaign's scope. */
  inScope: number;
  /** Items per assigned reviewer. */
  reviewerLoad: Record<string, number>;
  /** The memory estimate the computation started on (absent when the suggestions were reused). */
  memory?: { needMiB: number; limitMiB: number };
  /** Where the time went: loading the snapshot, running every signal, storing the suggestions (encoding in the
   * workers and writing here), decoding them here for the campaign; threads: the workers (0: computed here). */
  timings: {
    loadSeconds: number;
    computeSeconds: number;
    storeSeconds: number;
    encodeSeconds?: number;
    writeSeconds?: number;
    decodeSeconds?: number;
    threads?: number;
  };
}

export type CampaignTaskMap = {
  suggest: { args: SuggestTaskArgs; result: SuggestTaskResult };
  createCampaign: { args: CreateCampaignArgs; result: CreateCampaignResult };
  /** The creation form's counts against a baseline package (verified first), before anything is created. */
  previewBaseline: {
    args: Omit<CreateCampaignArgs, 'baseline' | 'id' | 'name' | 'profiles' | 'actor' | 'assignment' | 'dueDate'> & { bytes: Uint8Array };
    result: BaselinePreview;
  };
};

export const campaignTasks: {
  [M in keyof CampaignTaskMap]: (args: CampaignTaskMap[M]['args'], ctx: TaskContext) => Promise<CampaignTaskMap[M]['result']>;
} = {
  async previewBaseline(args, ctx) {
    ctx.progress({ label: 'Verifying package', labelKey: 'progress.verifying', done: 0, total: 1, unit: 'items' });
    const baseline = await verifiedBaseline(args.bytes, await trustList(database()), verifyOnThreads);
    const { key, snapshot, inCampaign } = await computeSuggestions(
      { snapshotId: args.snapshotId, policy: args.policy, asOf: `${args.asOf}T00:00:00Z`, scope: args.scope },
      ctx,
    );
    // The comparison reads the signals: the items' full suggestions, from their chunks.
    const full = await loadSuggestionsAt(database(), key, inCampaign);
    return previewOf(baseline, compareCampaign(baseline, snapshot, full, args.asOf));
  },

  async suggest(args, ctx) {
    const { key, digest, suggestions, reused, timings, inCampaign, memory } = await computeSuggestions(args, ctx);
    return {
      key,
      count: suggestions.length,
      policyDigest: digest,
      engine: ENGINE_VERSION,
      reused,
      inScope: inCampaign.length,
      reviewerLoad: {},
      timings,
      ...(memory ? { memory } : {}),
    };
  },

  async createCampaign(args, ctx) {
    const db = database();
    // A baseline is verified before anything else: a package that does not verify creates nothing.
    if (args.baseline) ctx.progress({ label: 'Verifying package', labelKey: 'progress.verifying', done: 0, total: 1, unit: 'items' });
    const verified = args.baseline ? await verifiedBaseline(args.baseline.bytes, await trustList(db), verifyOnThreads) : null;
    const t0 = performance.now();
    const computed = await computeSuggestions(
      {
        snapshotId: args.snapshotId,
        policy: args.policy,
        asOf: `${args.asOf}T00:00:00Z`,
        scope: args.scope,
        ...(args.memory ? { memory: args.memory } : {}),
      },
      ctx,
    );
    const { key, digest, snapshot, suggestions } = computed;
    let { inCampaign } = computed;
    let scope = args.scope;
    let baseline: CampaignBaseline | undefined;
    const t1 = performance.now();
    if (verified && args.baseline) {
      const full = await loadSuggestionsAt(db, key, inCampaign);
      const comparison = compareCampaign(verified, snapshot, full, args.asOf);
      const kept = keptItemIds(comparison, args.baseline.scope);
      if (kept) {
        scope = { ...args.scope, itemIds: kept };
        const ids = new Set(kept);
        inCampaign = inCampaign.filter((s) => ids.has(s.itemId));
      }
      baseline = campaignBaseline(comparison, { ...verified.link, scope: args.baseline.scope }, kept ? new Set(kept) : null);
    }
    if (!inCampaign.length) throw new Error(`no review item falls in the scope (${describeScope(scope)})`);
    const t2 = performance.now();
    ctx.progress({ label: 'Assigning reviewers', labelKey: 'progress.assigning', done: 0, total: 1, unit: 'items' });
    const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
    const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
    const directory = new ReviewerDirectory(args.profiles, identities);
    const rows = inCampaign.map((s) => ({
      itemId: s.itemId,
      ...assignReviewer(
        args.assignment,
        s,
        identities.get(s.identityId),
        s.entitlementId ? entitlements.get(s.entitlementId) : undefined,
        directory,
      ),
    }));
    const reviewerLoad: Record<string, number> = {};
    for (const r of rows) reviewerLoad[r.reviewerId] = (reviewerLoad[r.reviewerId] ?? 0) + 1;
    // The review table is built now, while everything is in memory: the first opening of Review is warm.
    const t3 = performance.now();
    ctx.progress({ label: 'Preparing the review table', labelKey: 'progress.preparing', done: 0, total: 1, unit: 'items' });
    // The rows themselves as the map's values: no second object per item (millions of them at scale).
    const assigned = new Map(rows.map((r) => [r.itemId, r] as const));
    // The table reads an assignment only for its grant path (the "via" column): the inherited ones are decoded, one
    // chunk at a time, the rest stay columns.
    const { assignmentChunks, ...records } = snapshot;
    const forTable = { ...records, assignments: inheritedAssignments(assignmentChunks) };
    const data = campaignData(scope, forTable, suggestions, assigned);
    const packed = packTable(buildCampaignTable(data));
    const places = placesOf(data.items);
    const t4 = performance.now();
    // The human class corrections and correlation resolutions (the first N: the key names how many) the suggestions
    // were computed with are part of the record.
    const corrections = (await listClassCorrections(db, args.snapshotId)).map((c) => ({
      identityId: c.identityId,
      from: c.from,
      to: c.to,
      reason: c.reason,
      by: c.by.id,
      at: c.at,
    }));
    const resolutions = (await listCorrelationResolutions(db, args.snapshotId)).slice(0, resolutionsInKey(key)).map((r) => ({
      candidates: r.candidates,
      action: r.action,
      identityIds: r.identityIds,
      ...(r.undoes !== undefined ? { undoes: r.undoes } : {}),
      rationale: r.rationale,
      by: r.by.id,
      at: r.at,
    }));
    const name = args.name.trim();
    const createdAt = new Date().toISOString();
    const due = args.dueDate !== undefined ? { dueDate: args.dueDate } : {};
    const details = {
      name,
      snapshotId: args.snapshotId,
      policyDigest: digest,
      engine: ENGINE_VERSION,
      asOf: args.asOf,
      ...due,
      items: inCampaign.length,
      scope,
      assignment: args.assignment,
      reviewerLoad,
      classCorrections: corrections,
      correlationResolutions: resolutions,
      ...(baseline ? { baseline: baseline.link, baselineCounts: baseline.changes.counts } : {}),
    };
    ctx.progress({ label: 'Storing the campaign', labelKey: 'progress.storingCampaign', done: 0, total: 1, unit: 'items' });
    await storeNewCampaign(db, {
      campaign: {
        id: args.id,
        name,
        snapshotId: args.snapshotId,
        suggestionKey: key,
        policyDigest: digest,
        engine: ENGINE_VERSION,
        createdAt,
        createdBy: args.actor.id,
        ...due,
        itemCount: inCampaign.length,
        scope: describeScope(scope),
        scopeFilter: scope,
        assignment: args.assignment,
        reviewerLoad,
        ...(baseline ? { baseline: baseline.link } : {}),
      },
      created: { campaignId: args.id, type: 'campaign-created', at: createdAt, actor: args.actor, details },
      assignments: rows,
      table: { format: TABLE_FORMAT, basis: await campaignTableBasis(db, args.snapshotId), packed, places },
      policy: { digest, value: args.policy },
      ...(baseline ? { baseline } : {}),
    });
    const seconds = (from: number, to: number) => (to - from) / 1000;
    return {
      campaignId: args.id,
      inScope: inCampaign.length,
      engine: ENGINE_VERSION,
      timings: {
        suggestionsSeconds: seconds(t0, t1),
        baselineSeconds: seconds(t1, t2),
        assignSeconds: seconds(t2, t3),
        tableSeconds: seconds(t3, t4),
        storeSeconds: seconds(t4, performance.now()),
      },
    };
  },
};

/** The suggestions for a snapshot under a policy (reused when stored already), and those a campaign scope covers. */
async function computeSuggestions(args: SuggestTaskArgs, ctx: TaskContext) {
  const db = database();
  const digest = policyDigest(args.policy);
  const corrections = await listClassCorrections(db, args.snapshotId);
  // Every correlation resolution so far is applied (the key names how many: campaigns keep that view).
  const resolutions = (await listCorrelationResolutions(db, args.snapshotId)).length;
  const machine = args.memory ?? machineMemory();
  let key = suggestionKey(args.snapshotId, digest, ENGINE_VERSION, corrections.length, resolutions, args.asOf);
  const existing = await findSuggestionSet(db, key);
  let toCompute = !(existing && existing.asOf === args.asOf);
  // Suggestions this machine cannot hold are refused from the snapshot's stored count, before it is even read.
  const stored = toCompute ? (await db.snapshots.get(args.snapshotId))?.counts.assignments : undefined;
  const plan = stored === undefined ? null : planSuggestions(stored, machine);
  // Where the whole snapshot's do not fit, a scope that narrows it gets its own items alone, computed over the whole
  // snapshot's index (a set of its own key); a scope of everything is refused.
  let scopedTo: string | undefined;
  if (plan && !plan.ok) {
    if (!narrows(args.scope)) throw new Error(plan.refusal);
    scopedTo = scopeDigest(args.scope);
    key = suggestionKey(args.snapshotId, digest, ENGINE_VERSION, corrections.length, resolutions, args.asOf, scopedTo);
    const scopedSet = await findSuggestionSet(db, key);
    toCompute = !(scopedSet && scopedSet.asOf === args.asOf);
  }
  ctx.progress({ label: 'Loading snapshot', labelKey: 'progress.loadingSnapshot', done: 0, total: 1, unit: 'items' });
  const t0 = performance.now();
  // The records as objects, the assignments as their stored columns: the workers take the columns as they are, and
  // what follows here reads the records and the suggestions' summaries.
  const snapshot = await loadSnapshotColumns(db, args.snapshotId, { resolutions });
  const t1 = performance.now();
  // The scope's items counted from the columns, and refused before anything is computed or stored where even they
  // do not fit.
  let scopedItems: number | undefined;
  if (toCompute && scopedTo !== undefined) {
    scopedItems = scopedItemCount(args.scope, snapshot);
    const scopedPlan = planScopedSuggestions(stored!, scopedItems, machine);
    if (!scopedPlan.ok) throw new Error(scopedPlan.refusal);
  }
  let work: ComputedSuggestions | undefined;
  // Summaries (the fields scope, reviewer assignment and table read): a full suggestion is read from its chunk
  // where one is needed.
  let suggestions: PlacedSummary[];
  let reused = false;
  if (!toCompute) {
    suggestions = await loadSuggestionSummaries(db, key);
    reused = true;
  } else {
    const computed = await computeAndStoreSuggestions(
      db,
      snapshot,
      {
        policy: args.policy,
        asOf: args.asOf,
        meta: {
          snapshotId: args.snapshotId,
          policyDigest: digest,
          engine: ENGINE_VERSION,
          asOf: args.asOf,
          ...(scopedTo !== undefined ? { scope: scopedTo } : {}),
        },
        corrections: corrections.length,
        resolutions,
        machine,
        ...(scopedItems !== undefined ? { scoped: { scope: args.scope, items: scopedItems } } : {}),
      },
      ctx,
    );
    suggestions = computed.suggestions;
    work = computed;
  }
  const timings = {
    loadSeconds: (t1 - t0) / 1000,
    computeSeconds: work?.computeSeconds ?? 0,
    storeSeconds: work?.storeSeconds ?? 0,
    ...(work
      ? { encodeSeconds: work.encodeSeconds, writeSeconds: work.writeSeconds, decodeSeconds: work.decodeSeconds, threads: work.threads }
      : {}),
  };
  const inCampaign = scoped(args.scope, snapshot, suggestions);
  return { key, digest, snapshot, suggestions, reused, timings, inCampaign, memory: work?.memory };
}

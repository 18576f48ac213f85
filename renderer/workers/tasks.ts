// The tasks a worker can run. They run in a Web Worker: heavy work never blocks the UI thread.
import { isC1zBlob, workerSqliteEngine } from './sqlite-engine';
import { importSources, loadXlsxReader, WHOLE_FILE_LIMIT, type ImportOutcome, type ParsedBatch } from '../../shared/import';
import { blobSource } from './blob-source';
import { applyMapping, mappedEvidence, mappedFormat, type MappingPreset, type TableSheet } from '../../shared/import';
import { mergeSnapshotData } from '../../shared/import';
import type { RowError, SourceEvidence } from '../../shared/model';
import { ENGINE_VERSION, policyDigest, suggest, type Policy } from '../../shared/suggest';
import { buildCertificationPackage } from '../../shared/package';
import { verifyCertificationPackage } from '../../shared/exchange';
import { startAuditLogThread } from './audit-log-client';
import { withCompressionThread } from './compression-client';
import type { PackageSigner, TrustedKey, VerifyReport } from '../../shared/package';
import { fromBase64, sha256Hex } from '../../shared/codec';
import { campaignTableBasis, getCampaignBaseline, listClassCorrections, listCorrelationResolutions, resolutionsInKey, storeNewCampaign, database, getCampaign, getSetting, listEvents, listReviewers, loadCampaignSnapshot, loadSnapshot, loadSuggestions, storeSnapshot, storeSuggestions, suggestionKey, findSuggestionSet, type CampaignBaseline } from '../db';
import { certificationInput } from '../../shared/package';
import { TABLE_FORMAT, buildCampaignTable, campaignData, packTable } from './campaign-table';
import { describeScope, type CampaignScope, type ReviewerRef } from '../../shared/review';
import { ReviewerDirectory, assignReviewer, type AssignmentPolicy, type ReviewerProfile } from '../../shared/review';
import type { Suggestion } from '../../shared/suggest';
import type { TaskContext } from './protocol';
import { scoped } from './campaign-scope';
import { exchangeTasks, trustList, type ExchangeTaskMap } from './exchange-tasks';
import { campaignBaseline, compareCampaign, keptItemIds, previewOf, verifiedBaseline, type BaselinePreview, type BaselineScope } from './campaign-baseline';

/** A file to import: a File (dropped) or a Blob over the host's bytes. Structured clone of a Blob copies no bytes. */
export interface ImportTaskFile {
  name: string;
  blob: Blob;
}

export interface ImportTaskArgs {
  files: ImportTaskFile[];
  name: string;
  /** Store the good rows even though some rows or files were rejected. */
  acceptRejected: boolean;
  /** Saved column mappings: a table whose header matches one is imported through it. */
  presets?: MappingPreset[];
  /** XLSX workbooks: which sheet, through which mapping. */
  sheets?: { file: string; sheet: string; preset: MappingPreset }[];
}

export interface ImportFileReport {
  file: string;
  size: number;
  sha256?: string;
  format?: string;
  formatReason?: string;
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  errors: RowError[];
  refused?: string;
}

export interface ImportTaskResult {
  status: 'stored' | 'needs-decision' | 'refused';
  snapshotId?: string;
  files: ImportFileReport[];
  totals: { identities: number; entitlements: number; assignments: number; credentials: number };
  correlation: { merged: number; ambiguous: number; examples: string[] };
  /** Identities by class, and the first few with the reason for their class. */
  classes: Record<string, number>;
  preview: { id: string; displayName: string; type: string; typeReason: string; status: string; sources: string[] }[];
  seconds: number;
  /** Nesting cycles found (each by group names, in cycle order), reported and not followed; the first few and the count. */
  cycles?: { count: number; shown: string[][] };
}

const CYCLES_SHOWN = 10;

/** The nesting cycles by group names (a ring closes on its first group), for the import report. */
function cyclesReport(cycles: string[][] | undefined, entitlements: readonly { id: string; name: string }[]): Pick<ImportTaskResult, 'cycles'> {
  if (!cycles?.length) return {};
  const names = new Map(entitlements.map((e) => [e.id, e.name]));
  const shown = cycles.slice(0, CYCLES_SHOWN).map((c) => [...c, c[0]!].map((id) => names.get(id) ?? id));
  return { cycles: { count: cycles.length, shown } };
}

export interface SuggestTaskArgs {
  snapshotId: string;
  policy: Policy;
  asOf: string;
  scope: CampaignScope;
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
  /** The last certification package (.arwpkg) to start from: verified here first, nothing is created if it fails. */
  baseline?: { bytes: Uint8Array; scope: BaselineScope };
}

export interface CreateCampaignResult {
  campaignId: string;
  inScope: number;
  engine: string;
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
  /** Where the time went: loading the snapshot, running every signal, storing the suggestions. */
  timings: { loadSeconds: number; computeSeconds: number; storeSeconds: number };
}

export type TaskMap = {
  importSnapshot: { args: ImportTaskArgs; result: ImportTaskResult };
  openSnapshot: { args: { snapshotId: string }; result: { identities: number; entitlements: number; assignments: number; credentials: number } };
  suggest: { args: SuggestTaskArgs; result: SuggestTaskResult };
  createCampaign: { args: CreateCampaignArgs; result: CreateCampaignResult };
  /** The creation form's counts against a baseline package (verified first), before anything is created. */
  previewBaseline: { args: Omit<CreateCampaignArgs, 'baseline' | 'id' | 'name' | 'profiles' | 'actor' | 'assignment' | 'dueDate'> & { bytes: Uint8Array }; result: BaselinePreview };
  buildPackage: { args: { campaignId: string }; result: BuildPackageResult };
  verifyPackage: { args: { bytes: Uint8Array; trustedKeys?: TrustedKey[] }; result: VerifyReport };
  /** The column-mapping step's workbook, read here so exceljs and a hostile workbook stay off the UI thread. */
  readWorkbook: { args: { name: string; bytes: Uint8Array }; result: TableSheet[] };
} & ExchangeTaskMap;

export interface BuildPackageResult {
  bytes: Uint8Array;
  fileName: string;
  manifestDigest: string;
  signers: { name: string; fingerprint: string }[];
  counts: { items: number; decided: number; overridden: number; stepUpApproved: number; open: number; noSuggestion: number };
  seconds: number;
}

const MAX_ERRORS_PER_FILE = 200;

export const tasks: { [M in keyof TaskMap]: (args: TaskMap[M]['args'], ctx: TaskContext) => Promise<TaskMap[M]['result']> } = {
  ...exchangeTasks,
  async importSnapshot(args, ctx) {
    const started = performance.now();
    const bytesTotal = args.files.reduce((s, f) => s + f.blob.size, 0);
    const sheetFiles = new Set((args.sheets ?? []).map((x) => x.file));
    const importedAt = new Date().toISOString();
    const sheetBatches: { batch: ParsedBatch; evidence: SourceEvidence }[] = [];
    for (const choice of args.sheets ?? []) {
      const file = args.files.find((f) => f.name === choice.file);
      if (!file) continue;
      // A workbook is a zip: read whole (bounded), digested with the platform's native SHA-256.
      if (file.blob.size > WHOLE_FILE_LIMIT) throw new Error(`${file.name} is ${(file.blob.size / 1024 / 1024).toFixed(0)} MiB: workbooks are read whole, up to ${WHOLE_FILE_LIMIT / 1024 / 1024} MiB; save the sheet as CSV instead`);
      ctx.progress({ label: `Reading ${file.name} (${choice.sheet})`, labelKey: 'progress.readingSheet', labelValues: { file: file.name, sheet: choice.sheet }, done: 0, total: bytesTotal, unit: 'bytes' });
      const bytes = new Uint8Array(await file.blob.arrayBuffer());
      const sha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource)));
      const readXlsx = await loadXlsxReader();
      const table = (await readXlsx(file.name, bytes)).find((t) => t.sheet === choice.sheet);
      if (!table) throw new Error(`${file.name}: no sheet named "${choice.sheet}"`);
      const batch = applyMapping(table, choice.preset.mapping, { isCancelled: ctx.isCancelled });
      sheetBatches.push({ batch, evidence: mappedEvidence({ name: file.name, size: bytes.byteLength, sha256 }, table, choice.preset, batch, importedAt) });
    }
    // Every other file is read in chunks from its Blob: large CSV and LDIF stream through their parser.
    const others = args.files.filter((f) => !sheetFiles.has(f.name));
    // Baton .c1z files need SQLite (WebAssembly), started here only when one is among the files.
    const needsSqlite = (await Promise.all(others.map((f) => isC1zBlob(f.blob)))).some(Boolean);
    const parsed = await importSources(
      others.map((f) => blobSource(f.name, f.blob)),
      {
        sqlite: needsSqlite ? await workerSqliteEngine() : undefined,
        formats: (args.presets ?? []).map(mappedFormat),
        isCancelled: ctx.isCancelled,
        onProgress: (p) => ctx.progress({ label: p.phase === 'parse' ? `Parsing ${p.file ?? ''}` : p.phase === 'decode' ? `Reading ${p.file ?? ''}` : 'Merging sources', labelKey: p.phase === 'parse' ? 'progress.parsing' : p.phase === 'decode' ? 'progress.reading' : 'progress.merging', labelValues: { file: p.file ?? '' }, done: p.bytesDone, total: bytesTotal, unit: 'bytes', rows: p.rows }),
      },
    );
    const outcome = withSheets(parsed, sheetBatches);
    const reports: ImportFileReport[] = args.files.map((f) => {
      const src: SourceEvidence | undefined = outcome.sources.find((s) => s.file === f.name);
      const fo = outcome.files.find((o) => o.file === f.name);
      const refused = outcome.refused.find((r) => r.file === f.name);
      return {
        file: f.name,
        size: f.blob.size,
        sha256: src?.sha256,
        format: src?.format,
        formatReason: src?.formatReason,
        rowsRead: fo?.rowsRead ?? 0,
        rowsStored: src?.rowsStored ?? 0,
        rowsRejected: fo?.rowsRejected ?? 0,
        errors: (fo?.errors ?? []).slice(0, MAX_ERRORS_PER_FILE),
        ...(refused ? { refused: refused.line ? `line ${refused.line}: ${refused.message}` : refused.message } : {}),
      };
    });
    const d = outcome.data;
    const totals = { identities: d.identities.length, entitlements: d.entitlements.length, assignments: d.assignments.length, credentials: d.credentials.length };
    const correlation = {
      merged: outcome.correlation.merged.length,
      ambiguous: outcome.correlation.ambiguous.length,
      examples: [...outcome.correlation.merged.slice(0, 5).map((m) => `${m.identityId}: ${m.reason}`), ...outcome.correlation.ambiguous.slice(0, 5).map((a) => `ambiguous: ${a.candidates.join(' / ')} (${a.reason})`)],
    };
    const classes: Record<string, number> = {};
    for (const i of d.identities) classes[i.type] = (classes[i.type] ?? 0) + 1;
    const preview = d.identities.slice(0, 40).map((i) => ({ id: i.id, displayName: i.displayName, type: i.type, typeReason: i.typeReason ?? '', status: i.status, sources: i.sources ?? [] }));
    const seconds = () => (performance.now() - started) / 1000;
    const cycles = cyclesReport(d.cycles, d.entitlements);
    const hasRejections = outcome.refused.length > 0 || outcome.files.some((f) => f.rowsRejected > 0 || f.errors.length > 0);
    if (totals.identities === 0) return { status: 'refused', files: reports, totals, correlation, classes, preview, seconds: seconds(), ...cycles };
    if (hasRejections && !args.acceptRejected) return { status: 'needs-decision', files: reports, totals, correlation, classes, preview, seconds: seconds(), ...cycles };
    const db = database();
    const id = `snap-${crypto.randomUUID()}`;
    const record = await storeSnapshot(
      db,
      { id, name: args.name, createdAt: new Date().toISOString(), data: outcome.data, sources: outcome.sources, correlation: { merged: correlation.merged, ambiguous: correlation.ambiguous }, ambiguities: outcome.correlation.ambiguous },
      { isCancelled: ctx.isCancelled, onChunk: (done, total) => ctx.progress({ label: 'Storing snapshot', labelKey: 'progress.storingSnapshot', done, total, unit: 'chunks' }) },
    );
    return { status: 'stored', snapshotId: record.id, files: reports, totals, correlation, classes, preview, seconds: seconds(), ...cycles };
  },

  /** Load a stored snapshot into this worker's memory, ready for suggestions and filters. */
  async openSnapshot(args) {
    const s = await loadSnapshot(database(), args.snapshotId);
    return { identities: s.identities.length, entitlements: s.entitlements.length, assignments: s.assignments.length, credentials: s.credentials.length };
  },

  async buildPackage(args, ctx) {
    const started = performance.now();
    const db = database();
    ctx.progress({ label: 'Collecting decisions', labelKey: 'progress.collecting', done: 0, total: 3, unit: 'items' });
    const campaign = await getCampaign(db, args.campaignId);
    if (!campaign) throw new Error('campaign not found');
    if (campaign.received) throw new Error(`this campaign belongs to ${campaign.received.owner.name}: return your decisions as a signed decision set (Campaigns → Export decision set); the owner certifies the campaign`);
    const [snapshot, suggestions, events, reviewers, policy, baseline] = await Promise.all([
      loadCampaignSnapshot(db, campaign),
      loadSuggestions(db, campaign.suggestionKey),
      listEvents(db, campaign.id),
      listReviewers(db),
      getSetting<object>(db, `policy:${campaign.policyDigest}`),
      getCampaignBaseline(db, campaign.id),
    ]);
    if (!policy) throw new Error(`the policy ${campaign.policyDigest} this campaign was built with is not on this machine`);
    const input = certificationInput({ campaign, snapshot, suggestions: scoped(campaign.scopeFilter, snapshot, suggestions), events, reviewers, policy, baselineChanges: baseline?.changes ?? null });
    if (!input.reviewers.length) throw new Error('nobody has decided anything in this campaign yet: there is nothing to sign');
    // Every reviewer whose decisions the package holds signs it; their keys stay with the host.
    const signers: PackageSigner[] = input.reviewers.map((r) => ({
      keyId: reviewers.find((x) => x.id === r.id)!.keyId,
      publicKey: fromBase64(r.publicKey),
      sign: async (message) => (await ctx.call('sign', { keyId: reviewers.find((x) => x.id === r.id)!.keyId, message })) as Uint8Array,
    }));
    ctx.progress({ label: 'Building and signing the package', labelKey: 'progress.building', done: 1, total: 3, unit: 'items' });
    // Entries compress on a second thread while this one writes the next files. (A third thread for report.xlsx, as
    // on Node, measured no faster here: with Compression Streams at zlib's level 6 the two cores are busy already.)
    const built = await withCompressionThread(() => buildCertificationPackage(input, signers));
    ctx.progress({ label: 'Done', labelKey: 'progress.done', done: 3, total: 3, unit: 'items' });
    const envelope = built.files['manifest.intoto.json'];
    return {
      bytes: built.bytes,
      fileName: `${campaign.name.replace(/[^A-Za-z0-9._-]+/g, '-')}-${new Date().toISOString().slice(0, 10)}.arwpkg`,
      manifestDigest: envelope ? sha256Hex(envelope) : '',
      signers: input.reviewers.map((r) => ({ name: r.name, fingerprint: r.keyFingerprint })),
      counts: built.manifest.predicate.counts,
      seconds: (performance.now() - started) / 1000,
    };
  },

  async verifyPackage(args, ctx) {
    ctx.progress({ label: 'Verifying package', labelKey: 'progress.verifying', done: 0, total: 1, unit: 'items' });
    return verifyOnThreads(args.bytes, args.trustedKeys);
  },

  async previewBaseline(args, ctx) {
    ctx.progress({ label: 'Verifying package', labelKey: 'progress.verifying', done: 0, total: 1, unit: 'items' });
    const baseline = await verifiedBaseline(args.bytes, await trustList(database()), verifyOnThreads);
    const { snapshot, inCampaign } = await computeSuggestions({ snapshotId: args.snapshotId, policy: args.policy, asOf: `${args.asOf}T00:00:00Z`, scope: args.scope }, ctx);
    return previewOf(baseline, compareCampaign(baseline, snapshot, inCampaign, args.asOf));
  },

  async readWorkbook(args, ctx) {
    ctx.progress({ label: `Reading ${args.name}`, labelKey: 'progress.reading', labelValues: { file: args.name }, done: 0, total: 1, unit: 'files' });
    const readXlsx = await loadXlsxReader();
    return readXlsx(args.name, args.bytes);
  },

  async suggest(args, ctx) {
    const { key, digest, suggestions, reused, timings, inCampaign } = await computeSuggestions(args, ctx);
    return { key, count: suggestions.length, policyDigest: digest, engine: ENGINE_VERSION, reused, inScope: inCampaign.length, reviewerLoad: {}, timings };
  },

  async createCampaign(args, ctx) {
    const db = database();
    // A baseline is verified before anything else: a package that does not verify creates nothing.
    if (args.baseline) ctx.progress({ label: 'Verifying package', labelKey: 'progress.verifying', done: 0, total: 1, unit: 'items' });
    const verified = args.baseline ? await verifiedBaseline(args.baseline.bytes, await trustList(db), verifyOnThreads) : null;
    const computed = await computeSuggestions({ snapshotId: args.snapshotId, policy: args.policy, asOf: `${args.asOf}T00:00:00Z`, scope: args.scope }, ctx);
    const { key, digest, snapshot, suggestions } = computed;
    let { inCampaign } = computed;
    let scope = args.scope;
    let baseline: CampaignBaseline | undefined;
    if (verified && args.baseline) {
      const comparison = compareCampaign(verified, snapshot, inCampaign, args.asOf);
      const kept = keptItemIds(comparison, args.baseline.scope);
      if (kept) {
        scope = { ...args.scope, itemIds: kept };
        const ids = new Set(kept);
        inCampaign = inCampaign.filter((s) => ids.has(s.itemId));
      }
      baseline = campaignBaseline(comparison, { ...verified.link, scope: args.baseline.scope }, kept ? new Set(kept) : null);
    }
    if (!inCampaign.length) throw new Error(`no review item falls in the scope (${describeScope(scope)})`);
    ctx.progress({ label: 'Assigning reviewers', labelKey: 'progress.assigning', done: 0, total: 1, unit: 'items' });
    const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
    const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
    const directory = new ReviewerDirectory(args.profiles, identities);
    const rows = inCampaign.map((s) => ({ itemId: s.itemId, ...assignReviewer(args.assignment, s, identities.get(s.identityId), s.entitlementId ? entitlements.get(s.entitlementId) : undefined, directory) }));
    const reviewerLoad: Record<string, number> = {};
    for (const r of rows) reviewerLoad[r.reviewerId] = (reviewerLoad[r.reviewerId] ?? 0) + 1;
    // The review table is built now, while everything is in memory: the first opening of Review is warm.
    ctx.progress({ label: 'Preparing the review table', labelKey: 'progress.preparing', done: 0, total: 1, unit: 'items' });
    const assigned = new Map(rows.map((r) => [r.itemId, { reviewerId: r.reviewerId, reason: r.reason }] as const));
    const packed = packTable(buildCampaignTable(campaignData(scope, snapshot, suggestions, assigned)));
    // The human class corrections and correlation resolutions (the first N: the key names how many) the suggestions
    // were computed with are part of the record.
    const corrections = (await listClassCorrections(db, args.snapshotId)).map((c) => ({ identityId: c.identityId, from: c.from, to: c.to, reason: c.reason, by: c.by.id, at: c.at }));
    const resolutions = (await listCorrelationResolutions(db, args.snapshotId)).slice(0, resolutionsInKey(key)).map((r) => ({ candidates: r.candidates, action: r.action, identityIds: r.identityIds, ...(r.undoes !== undefined ? { undoes: r.undoes } : {}), rationale: r.rationale, by: r.by.id, at: r.at }));
    const name = args.name.trim();
    const createdAt = new Date().toISOString();
    const due = args.dueDate !== undefined ? { dueDate: args.dueDate } : {};
    const details = { name, snapshotId: args.snapshotId, policyDigest: digest, engine: ENGINE_VERSION, asOf: args.asOf, ...due, items: inCampaign.length, scope, assignment: args.assignment, reviewerLoad, classCorrections: corrections, correlationResolutions: resolutions, ...(baseline ? { baseline: baseline.link, baselineCounts: baseline.changes.counts } : {}) };
    ctx.progress({ label: 'Storing the campaign', labelKey: 'progress.storingCampaign', done: 0, total: 1, unit: 'items' });
    await storeNewCampaign(db, {
      campaign: { id: args.id, name, snapshotId: args.snapshotId, suggestionKey: key, policyDigest: digest, engine: ENGINE_VERSION, createdAt, createdBy: args.actor.id, ...due, itemCount: inCampaign.length, scope: describeScope(scope), scopeFilter: scope, assignment: args.assignment, reviewerLoad, ...(baseline ? { baseline: baseline.link } : {}) },
      created: { campaignId: args.id, type: 'campaign-created', at: createdAt, actor: args.actor, details },
      assignments: rows,
      table: { format: TABLE_FORMAT, basis: await campaignTableBasis(db, args.snapshotId), packed },
      policy: { digest, value: args.policy },
      ...(baseline ? { baseline } : {}),
    });
    return { campaignId: args.id, inScope: inCampaign.length, engine: ENGINE_VERSION };
  },
};

/** A certification package verified as the Verify screen does: the audit log analysed and entries inflated on their own threads. */
async function verifyOnThreads(bytes: Uint8Array, trustedKeys?: TrustedKey[]): Promise<VerifyReport> {
  // Entries inflate on a codec thread while this one reads decisions.json; the audit log is inflated, hashed and
  // analysed on another (straight from its entry), which also compares decisions.json's items with it.
  const thread = await startAuditLogThread();
  try {
    const options = { ...(trustedKeys ? { trustedKeys } : {}), analyzeAuditLog: thread.analyze, ...(thread.analyzeEntry ? { analyzeAuditLogEntry: thread.analyzeEntry } : {}) };
    return await withCompressionThread(() => verifyCertificationPackage(bytes, options));
  } finally {
    thread.close();
  }
}

/** The suggestions for a snapshot under a policy (reused when stored already), and those a campaign scope covers. */
async function computeSuggestions(args: SuggestTaskArgs, ctx: TaskContext) {
  const db = database();
  const digest = policyDigest(args.policy);
  const corrections = await listClassCorrections(db, args.snapshotId);
  // Every correlation resolution so far is applied (the key names how many: campaigns keep that view).
  const resolutions = (await listCorrelationResolutions(db, args.snapshotId)).length;
  const key = suggestionKey(args.snapshotId, digest, ENGINE_VERSION, corrections.length, resolutions);
  ctx.progress({ label: 'Loading snapshot', labelKey: 'progress.loadingSnapshot', done: 0, total: 1, unit: 'items' });
  const t0 = performance.now();
  const snapshot = await loadSnapshot(db, args.snapshotId, { resolutions });
  const t1 = performance.now();
  let t2 = t1;
  const existing = await findSuggestionSet(db, key);
  let suggestions: Suggestion[];
  let reused = false;
  if (existing && existing.asOf === args.asOf) {
    suggestions = await loadSuggestions(db, key);
    reused = true;
  } else {
    suggestions = suggest(snapshot, args.policy, {
      asOf: Date.parse(args.asOf),
      isCancelled: ctx.isCancelled,
      onProgress: (done, total) => ctx.progress({ label: 'Computing suggestions', labelKey: 'progress.computing', done, total, unit: 'items' }),
    });
    t2 = performance.now();
    ctx.progress({ label: 'Storing suggestions', labelKey: 'progress.storingSuggestions', done: 0, total: 1, unit: 'items' });
    await storeSuggestions(db, { snapshotId: args.snapshotId, policyDigest: digest, engine: ENGINE_VERSION, asOf: args.asOf }, suggestions, corrections.length, resolutions);
  }
  const t3 = performance.now();
  const timings = { loadSeconds: (t1 - t0) / 1000, computeSeconds: (t2 - t1) / 1000, storeSeconds: reused ? 0 : (t3 - t2) / 1000 };
  const inCampaign = scoped(args.scope, snapshot, suggestions);
  return { key, digest, snapshot, suggestions, reused, timings, inCampaign };
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Adds tables imported through a mapping outside importFiles (XLSX sheets) to an import's outcome. */
function withSheets(outcome: ImportOutcome, sheets: { batch: ParsedBatch; evidence: SourceEvidence }[]): ImportOutcome {
  if (!sheets.length) return outcome;
  const merged = mergeSnapshotData([outcome.data, ...sheets.map((s) => s.batch.data)]);
  return {
    ...outcome,
    data: merged.data,
    sources: [...outcome.sources, ...sheets.map((s) => s.evidence)],
    files: [...outcome.files, ...sheets.flatMap((s) => s.batch.files)],
    correlation: { merged: [...outcome.correlation.merged, ...merged.correlation.merged], ambiguous: [...outcome.correlation.ambiguous, ...merged.correlation.ambiguous] },
  };
}

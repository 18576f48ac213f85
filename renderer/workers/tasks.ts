// The tasks a worker can run. They run in a Web Worker: heavy work never blocks the UI thread.
import { importFiles, type ImportFile } from '../../shared/import';
import type { RowError, SourceEvidence } from '../../shared/model';
import { ENGINE_VERSION, policyDigest, suggest, type Policy } from '../../shared/suggest';
import { database, loadSnapshot, storeSnapshot, storeSuggestions, suggestionKey, findSuggestionSet } from '../db';
import type { TaskProgress } from './protocol';

export interface TaskContext {
  progress(p: TaskProgress): void;
  isCancelled(): boolean;
  call(method: string, args: unknown): Promise<unknown>;
}

export interface ImportTaskArgs {
  files: ImportFile[];
  name: string;
  /** Store the good rows even though some rows or files were rejected. */
  acceptRejected: boolean;
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
  seconds: number;
}

export interface SuggestTaskArgs {
  snapshotId: string;
  policy: Policy;
  asOf: string;
}

export interface SuggestTaskResult {
  key: string;
  count: number;
  policyDigest: string;
  engine: string;
  reused: boolean;
}

export type TaskMap = {
  importSnapshot: { args: ImportTaskArgs; result: ImportTaskResult };
  openSnapshot: { args: { snapshotId: string }; result: { identities: number; entitlements: number; assignments: number; credentials: number } };
  suggest: { args: SuggestTaskArgs; result: SuggestTaskResult };
};

const MAX_ERRORS_PER_FILE = 200;

export const tasks: { [M in keyof TaskMap]: (args: TaskMap[M]['args'], ctx: TaskContext) => Promise<TaskMap[M]['result']> } = {
  async importSnapshot(args, ctx) {
    const started = performance.now();
    const bytesTotal = args.files.reduce((s, f) => s + f.bytes.byteLength, 0);
    const outcome = importFiles(args.files, {
      isCancelled: ctx.isCancelled,
      onProgress: (p) => ctx.progress({ label: p.phase === 'parse' ? `Parsing ${p.file ?? ''}` : p.phase === 'decode' ? `Reading ${p.file ?? ''}` : 'Merging sources', done: p.bytesDone, total: bytesTotal, unit: 'bytes', detail: `${p.rows.toLocaleString('en-US')} rows` }),
    });
    const files: ImportFileReport[] = args.files.map((f) => {
      const src: SourceEvidence | undefined = outcome.sources.find((s) => s.file === f.name);
      const fo = outcome.files.find((o) => o.file === f.name);
      const refused = outcome.refused.find((r) => r.file === f.name);
      return {
        file: f.name,
        size: f.bytes.byteLength,
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
    const seconds = () => (performance.now() - started) / 1000;
    const hasRejections = outcome.refused.length > 0 || outcome.files.some((f) => f.rowsRejected > 0 || f.errors.length > 0);
    if (totals.identities === 0) return { status: 'refused', files, totals, correlation, seconds: seconds() };
    if (hasRejections && !args.acceptRejected) return { status: 'needs-decision', files, totals, correlation, seconds: seconds() };
    const db = database();
    const id = `snap-${crypto.randomUUID()}`;
    const record = await storeSnapshot(
      db,
      { id, name: args.name, createdAt: new Date().toISOString(), data: outcome.data, sources: outcome.sources, correlation: { merged: correlation.merged, ambiguous: correlation.ambiguous } },
      { isCancelled: ctx.isCancelled, onChunk: (done, total) => ctx.progress({ label: 'Storing snapshot', done, total, unit: 'chunks' }) },
    );
    return { status: 'stored', snapshotId: record.id, files, totals, correlation, seconds: seconds() };
  },

  /** Load a stored snapshot into this worker's memory, ready for suggestions and filters. */
  async openSnapshot(args) {
    const s = await loadSnapshot(database(), args.snapshotId);
    return { identities: s.identities.length, entitlements: s.entitlements.length, assignments: s.assignments.length, credentials: s.credentials.length };
  },

  async suggest(args, ctx) {
    const db = database();
    const digest = policyDigest(args.policy);
    const key = suggestionKey(args.snapshotId, digest, ENGINE_VERSION);
    const existing = await findSuggestionSet(db, key);
    if (existing && existing.asOf === args.asOf) return { key, count: existing.count, policyDigest: digest, engine: ENGINE_VERSION, reused: true };
    ctx.progress({ label: 'Loading snapshot', done: 0, total: 1, unit: 'items' });
    const snapshot = await loadSnapshot(db, args.snapshotId);
    const suggestions = suggest(snapshot, args.policy, {
      asOf: Date.parse(args.asOf),
      isCancelled: ctx.isCancelled,
      onProgress: (done, total) => ctx.progress({ label: 'Computing suggestions', done, total, unit: 'items' }),
    });
    ctx.progress({ label: 'Storing suggestions', done: 0, total: 1, unit: 'items' });
    await storeSuggestions(db, { snapshotId: args.snapshotId, policyDigest: digest, engine: ENGINE_VERSION, asOf: args.asOf }, suggestions);
    return { key, count: suggestions.length, policyDigest: digest, engine: ENGINE_VERSION, reused: false };
  },
};

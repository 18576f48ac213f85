// Import tasks, in the backend worker: the files read and parsed in a nested import worker (import-parse.ts), the
// snapshot stored here in one transaction; a workbook's sheets read for mapping.
import { database, loadSnapshot, storeSnapshot } from '../db';
import { parseImport, readWorkbook, startImportThread, type ImportTaskArgs, type ImportTaskResult, type ParsedImport } from '../workers';
import type { TableSheet } from '../../shared/import';
import type { TaskContext } from './protocol';

export type { ImportTaskFile, ImportTaskArgs, ImportFileReport, ImportTaskResult } from '../workers';

export type ImportTaskMap = {
  importSnapshot: { args: ImportTaskArgs; result: ImportTaskResult };
  openSnapshot: {
    args: { snapshotId: string };
    result: { identities: number; entitlements: number; assignments: number; credentials: number };
  };
  /** The column-mapping step's workbook, read in the import worker so exceljs and a hostile workbook stay off the UI thread. */
  readWorkbook: { args: { name: string; bytes: Uint8Array }; result: TableSheet[] };
};

/** The import's parsing on its own thread (where one starts; else here), with progress and cancel passed through. */
async function parsed(args: ImportTaskArgs, ctx: TaskContext): Promise<ParsedImport> {
  const options = { ...(ctx.signal ? { signal: ctx.signal } : {}), onProgress: ctx.progress };
  const threaded = await startImportThread((thread) => thread.call('parse', args, options), ctx.signal);
  return threaded ? threaded.value : parseImport(args, ctx);
}

export const importTasks: {
  [M in keyof ImportTaskMap]: (args: ImportTaskMap[M]['args'], ctx: TaskContext) => Promise<ImportTaskMap[M]['result']>;
} = {
  async importSnapshot(args, ctx) {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const { status, report, store } = await parsed(args, ctx);
    const parseSeconds = seconds();
    if (status !== 'storable' || !store) return { status: status === 'storable' ? 'refused' : status, ...report, seconds: seconds() };
    const { correlation } = report;
    const db = database();
    const id = `snap-${crypto.randomUUID()}`;
    const record = await storeSnapshot(
      db,
      {
        id,
        name: args.name,
        createdAt: new Date().toISOString(),
        data: store.data,
        assignmentChunks: store.assignmentChunks,
        sources: store.sources,
        correlation: { merged: correlation.merged, ambiguous: correlation.ambiguous },
        ambiguities: store.ambiguities,
      },
      {
        isCancelled: ctx.isCancelled,
        onChunk: (done, total) =>
          ctx.progress({ label: 'Storing snapshot', labelKey: 'progress.storingSnapshot', done, total, unit: 'chunks' }),
      },
    );
    return {
      status: 'stored',
      snapshotId: record.id,
      ...report,
      seconds: seconds(),
      phases: { parseSeconds, storeSeconds: seconds() - parseSeconds },
    };
  },

  /** Load a stored snapshot into this worker's memory, ready for suggestions and filters. */
  async openSnapshot(args) {
    const s = await loadSnapshot(database(), args.snapshotId);
    return {
      identities: s.identities.length,
      entitlements: s.entitlements.length,
      assignments: s.assignments.length,
      credentials: s.credentials.length,
    };
  },

  async readWorkbook(args, ctx) {
    const threaded = await startImportThread(
      (thread) => thread.call('readWorkbook', args, { ...(ctx.signal ? { signal: ctx.signal } : {}), onProgress: ctx.progress }),
      ctx.signal,
    );
    return threaded ? threaded.value : readWorkbook(args, ctx);
  },
};

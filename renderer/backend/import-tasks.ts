// Import tasks, in the backend worker: the files read and parsed in a nested import worker (import-parse.ts), the
// snapshot stored here in one transaction; a workbook's sheets read for mapping.
import { database, discardSnapshotChunks, loadSnapshot, storeAssignmentChunk, storeSnapshot, type WorkbenchDatabase } from '../db';
import { parseImport, readWorkbook, startImportThread, type ImportTaskArgs, type ImportTaskResult, type ParsedImport } from '../workers';
import type { TableSheet } from '../../shared/import';
import type { AssignmentChunkProgress, TaskProgress } from '../workers';
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

/**
 * Assignment chunks the import thread hands over while it parses, each stored at once (one at a time, in order)
 * under the snapshot's id: the writing overlaps the parsing. They stay invisible until the snapshot's record is
 * written with the rest; an import that does not complete discards them.
 */
function chunksAhead(db: WorkbenchDatabase, snapshotId: string) {
  let queue = Promise.resolve();
  let failure: { error: unknown } | null = null;
  let any = false;
  return {
    put({ assignmentChunk, index }: AssignmentChunkProgress) {
      any = true;
      queue = queue
        .then(() => (failure ? undefined : storeAssignmentChunk(db, snapshotId, index, assignmentChunk)))
        .catch((error: unknown) => {
          failure ??= { error };
        });
    },
    /** All handed-over chunks written (or the first write's error). */
    async settled(): Promise<void> {
      await queue;
      if (failure) throw failure.error;
    },
    async discard(): Promise<void> {
      await queue;
      if (any) await discardSnapshotChunks(db, snapshotId);
    },
  };
}

/** The import's parsing on its own thread (where one starts; else here), with progress and cancel passed through. */
async function parsed(args: ImportTaskArgs, ctx: TaskContext, ahead: ReturnType<typeof chunksAhead>): Promise<ParsedImport> {
  const options = {
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onProgress: (p: TaskProgress | AssignmentChunkProgress) => ('assignmentChunk' in p ? ahead.put(p) : ctx.progress(p)),
  };
  const threaded = await startImportThread((thread) => thread.call('parse', args, options), ctx.signal);
  return threaded ? threaded.value : parseImport(args, ctx);
}

export const importTasks: {
  [M in keyof ImportTaskMap]: (args: ImportTaskMap[M]['args'], ctx: TaskContext) => Promise<ImportTaskMap[M]['result']>;
} = {
  async importSnapshot(args, ctx) {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const db = database();
    const id = `snap-${crypto.randomUUID()}`;
    const ahead = chunksAhead(db, id);
    let stored = false;
    try {
      return await importParsedSnapshot();
    } finally {
      if (!stored) await ahead.discard();
    }

    async function importParsedSnapshot(): Promise<ImportTaskResult> {
      const { status, report, store } = await parsed(args, ctx, ahead);
      await ahead.settled();
      const parseSeconds = seconds();
      if (status !== 'storable' || !store) return { status: status === 'storable' ? 'refused' : status, ...report, seconds: seconds() };
      const { correlation } = report;
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
          // Always given: an earlier attempt of the parse (another encoding) may have left chunks past these.
          assignmentsStored: store.handedOut ?? { chunks: 0, rows: 0 },
        },
        {
          isCancelled: ctx.isCancelled,
          onChunk: (done, total) =>
            ctx.progress({ label: 'Storing snapshot', labelKey: 'progress.storingSnapshot', done, total, unit: 'chunks' }),
        },
      );
      stored = true;
      return {
        status: 'stored',
        snapshotId: record.id,
        ...report,
        seconds: seconds(),
        phases: { parseSeconds, storeSeconds: seconds() - parseSeconds },
      };
    }
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

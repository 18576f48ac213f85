// The import worker, nested in the backend for one import: reads and parses the dropped files (or a workbook for
// the mapping step) and hands back what to store. Its heap is its own: an import too large for it ends this
// worker, not the backend (the caller then reports "the import worker stopped unexpectedly").
import { z } from 'zod';
import { connect, transfer, type CallContext } from '../../shared/rpc';
import { parseImport, readWorkbook, type ImportTaskArgs, type ParsedImport } from './import-parse';
import { assignmentChunkBuffers, type AssignmentColumns, type TableSheet } from '../../shared/import';
import type { TaskProgress } from './progress';

// Strict CSP without 'unsafe-eval' (desktop app): zod must not probe for eval.
z.config({ jitless: true });

/** A chunk of assignments handed to the backend during the parse (moved, not copied), for it to store at once. */
export interface AssignmentChunkProgress {
  assignmentChunk: AssignmentColumns;
  index: number;
}

export type ImportHandlers = {
  parse: (args: ImportTaskArgs, ctx: CallContext<TaskProgress | AssignmentChunkProgress>) => Promise<ParsedImport>;
  readWorkbook: (args: { name: string; bytes: Uint8Array }, ctx: CallContext<TaskProgress>) => Promise<TableSheet[]>;
};

/** The call's progress at most every 50 ms (and the last one), and its cancellation. */
function hooks(ctx: CallContext<TaskProgress> | CallContext<TaskProgress | AssignmentChunkProgress>) {
  let last = 0;
  return {
    progress(p: TaskProgress) {
      const now = performance.now();
      if (now - last < 50 && p.done !== p.total) return;
      last = now;
      ctx.progress(p);
    },
    isCancelled: () => ctx.signal.aborted,
  };
}

const handlers: ImportHandlers = {
  async parse(args, ctx) {
    const parsed = await parseImport(args, {
      ...hooks(ctx),
      assignmentChunk: (chunk, index) => ctx.progress({ assignmentChunk: chunk, index }, assignmentChunkBuffers([chunk])),
    });
    // The encoded assignments are moved to the backend, not copied (this worker ends after the call).
    return parsed.store ? transfer(parsed, assignmentChunkBuffers(parsed.store.assignmentChunks)) : parsed;
  },
  readWorkbook: (args, ctx) => readWorkbook(args, hooks(ctx)),
};
connect(self as never, handlers, { ready: true });

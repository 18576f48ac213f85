// Suggestions computed for a snapshot off the backend's thread: the suggest workers (renderer/workers) each compute
// and encode their part and hand each chunk over as it is made; the backend writes it at once (a staged set, made
// readable by one commit at the end) and reads its summaries for what follows (the campaign's scope and table): the
// few fields those read, not signals and peer lists. While the workers compute, this thread serves other screens.
import { suggest, type Policy } from '../../shared/suggest';
import { CancelledError, type Snapshot } from '../../shared/model';
import {
  PER_CHUNK,
  assignmentCount,
  beginSuggestionSet,
  decodedSnapshot,
  storeSuggestions,
  summarizeChunk,
  summaryOf,
  type PlacedSummary,
  type StagedSuggestionSet,
  type ColumnarSnapshot,
  type WorkbenchDatabase,
} from '../db';
import { snapshotPayload, suggestOnThreads, type SnapshotPayload, type SuggestPartResult } from '../workers';
import type { TaskContext } from './protocol';
import { machineMemory, planScopedSuggestions, planSuggestions, type MachineMemory } from './campaign-memory';
import type { CampaignScope } from '../../shared/review';
import { scopeSelector } from '../workers';

/** Why a snapshot of this many assignments gets no suggestions on this machine, or null when it does (the estimate:
 * campaign-memory.ts). */
export function suggestionRefusal(assignments: number, machine: MachineMemory = machineMemory()): string | null {
  const plan = planSuggestions(assignments, machine);
  return plan.ok ? null : plan.refusal;
}

export interface ComputedSuggestions {
  /** Each suggestion's summary, placed in the chunk it is stored in. */
  suggestions: PlacedSummary[];
  /** Seconds: the engine (the slowest part), encoding (the slowest part), writing (from the workers' end until the
   * transaction committed), reading the summaries here (while the database writes). */
  computeSeconds: number;
  storeSeconds: number;
  encodeSeconds: number;
  writeSeconds: number;
  decodeSeconds: number;
  threads: number;
  /** The estimate it was started on: MiB needed with that many workers, and what this machine gives. */
  memory: { needMiB: number; limitMiB: number };
}

/** How many workers compute the suggestions of this many assignments here (the estimate decides; refused: 1). */
export function partsFor(assignments: number, cores: number | undefined, machine: MachineMemory = machineMemory()): number {
  const plan = planSuggestions(assignments, { ...machine, ...(cores !== undefined ? { cores } : {}) });
  return plan.ok ? plan.threads : 1;
}

/** The snapshot for the workers: its assignments as the stored chunks (a columnar snapshot), else encoded here. */
function payloadOf(snapshot: Snapshot | ColumnarSnapshot): SnapshotPayload {
  return 'assignmentChunks' in snapshot ? snapshot : snapshotPayload(snapshot);
}

function assignmentsIn(snapshot: Snapshot | ColumnarSnapshot): number {
  return 'assignmentChunks' in snapshot ? assignmentCount(snapshot.assignmentChunks) : snapshot.assignments.length;
}

/** Computes and stores the snapshot's suggestions (in workers where they start, else here). */
export async function computeAndStoreSuggestions(
  db: WorkbenchDatabase,
  snapshot: Snapshot | ColumnarSnapshot,
  args: {
    policy: Policy;
    asOf: string;
    meta: Parameters<typeof beginSuggestionSet>[1];
    corrections: number;
    resolutions: number;
    /** What this machine gives (default: what the platform reports). */
    machine?: MachineMemory;
    /** Only this campaign scope's items (at most `items` of them), over the whole snapshot's index: where the
     * whole snapshot's suggestions do not fit (meta.scope names it). */
    scoped?: { scope: CampaignScope; items: number };
  },
  ctx: TaskContext,
): Promise<ComputedSuggestions> {
  const progress = (done: number, total: number) =>
    ctx.progress({ label: 'Computing suggestions', labelKey: 'progress.computing', done, total, unit: 'items' });
  // Refused before any work where the estimate says this machine cannot hold it (the renderer would crash).
  const machine = args.machine ?? machineMemory();
  const plan = args.scoped
    ? planScopedSuggestions(assignmentsIn(snapshot), args.scoped.items, machine)
    : planSuggestions(assignmentsIn(snapshot), machine);
  if (!plan.ok) throw new Error(plan.refusal);
  const asOf = Date.parse(args.asOf);
  const threads = plan.threads;
  const t0 = performance.now();
  // Each chunk is written as its worker hands it over, under a staging key no reader sees until the commit at the
  // end: when the workers finish only the last chunks remain to write. A failure deletes what was staged.
  const staged = await beginSuggestionSet(db, args.meta, args.corrections, args.resolutions);
  const writer = chunkWriter(staged, ctx.signal, (written, total) =>
    ctx.progress({ label: 'Storing suggestions', labelKey: 'progress.storingSuggestions', done: written, total, unit: 'items' }),
  );
  const stop = new AbortController();
  const onCancel = () => stop.abort();
  ctx.signal?.addEventListener('abort', onCancel, { once: true });
  if (ctx.signal?.aborted) stop.abort();
  writer.failed.catch(() => stop.abort());
  let parts: SuggestPartResult[] | null;
  try {
    parts = await suggestOnThreads(
      { snapshot: payloadOf(snapshot), policy: args.policy, asOf, threads, ...(args.scoped ? { scope: args.scoped.scope } : {}) },
      {
        signal: stop.signal,
        onProgress: progress,
        onChunk: writer.take,
      },
    );
  } catch (error) {
    // Writes not begun are dropped; the one under way ends before the staged chunks are deleted.
    const failure = await writer.stop();
    await staged.abort().catch(() => undefined);
    // A write that failed stopped the workers: its error is the one to tell.
    throw failure ?? error;
  } finally {
    ctx.signal?.removeEventListener('abort', onCancel);
  }
  if (!parts) {
    await staged.abort();
    // No worker here (a test in Node, or a platform without nested workers): computed on this thread, as before.
    const whole = 'assignmentChunks' in snapshot ? decodedSnapshot(snapshot) : snapshot;
    const suggestions = suggest(whole, args.policy, {
      asOf,
      isCancelled: ctx.isCancelled,
      onProgress: progress,
      ...(args.scoped ? { select: scopeSelector(args.scoped.scope) } : {}),
    });
    const t1 = performance.now();
    ctx.progress({ label: 'Storing suggestions', labelKey: 'progress.storingSuggestions', done: 0, total: 1, unit: 'items' });
    await storeSuggestions(db, args.meta, suggestions, args.corrections, args.resolutions);
    const storeSeconds = (performance.now() - t1) / 1000;
    return {
      // storeSuggestions cuts the set into chunks of PER_CHUNK.
      suggestions: suggestions.map((s, i) => summaryOf(s, { chunk: Math.floor(i / PER_CHUNK), row: i % PER_CHUNK })),
      computeSeconds: (t1 - t0) / 1000,
      storeSeconds,
      encodeSeconds: 0,
      writeSeconds: storeSeconds,
      decodeSeconds: 0,
      threads: 0,
      memory: { needMiB: plan.needMiB, limitMiB: plan.limitMiB },
    };
  }
  const t1 = performance.now();
  let suggestions: PlacedSummary[];
  try {
    suggestions = await writer.finish(parts);
    await staged.commit(
      parts.reduce((n, p) => n + p.chunkCount, 0),
      parts.reduce((n, p) => n + p.count, 0),
    );
  } catch (error) {
    await writer.stop();
    await staged.abort().catch(() => undefined);
    throw error;
  }
  const written = performance.now();
  const slowest = (f: (p: SuggestPartResult) => number) => Math.max(...parts.map(f));
  const encodeSeconds = slowest((p) => p.encodeSeconds);
  const writeSeconds = (written - t1) / 1000;
  return {
    suggestions,
    // The workers' wall time less their encoding: the engine, and getting the snapshot across (and whatever the
    // writes on this thread took from the workers meanwhile, on a machine with fewer cores than threads).
    computeSeconds: (t1 - t0) / 1000 - encodeSeconds,
    // What storing adds to the computation: the encoding inside the workers, and the writing left once they ended.
    storeSeconds: encodeSeconds + writeSeconds,
    encodeSeconds,
    writeSeconds,
    decodeSeconds: writer.decodeSeconds(),
    threads: parts.length,
    memory: { needMiB: plan.needMiB, limitMiB: plan.limitMiB },
  };
}

type SuggestionColumns = Parameters<StagedSuggestionSet['write']>[1];

/**
 * Places the parts' chunks in the set (part p's chunks follow those of the parts before it, whose counts follow
 * from their totals) and writes each, one after the other, reading its summaries as it arrives. A chunk of a part
 * whose predecessors' totals are not known yet waits for them.
 */
function chunkWriter(staged: StagedSuggestionSet, signal: AbortSignal | undefined, onWritten: (written: number, total: number) => void) {
  const totals: (number | undefined)[] = [];
  const waiting: { part: number; index: number; chunk: SuggestionColumns }[] = [];
  const summaries: PlacedSummary[][] = [];
  let chain: Promise<void> = Promise.resolve();
  let error: Error | null = null;
  let stopped = false;
  let failed!: (e: Error) => void;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  failure.catch(() => undefined);
  let decoding = 0;
  let queued = 0;
  let writtenRows = 0;
  let expected = 0;
  let rows = 0;
  const offset = (part: number): number | undefined => {
    let n = 0;
    for (let q = 0; q < part; q++) {
      const t = totals[q];
      if (t === undefined) return undefined;
      n += Math.ceil(t / PER_CHUNK);
    }
    return n;
  };
  const place = (part: number, index: number, chunk: SuggestionColumns): boolean => {
    const at = offset(part);
    if (at === undefined) return false;
    const global = at + index;
    const d0 = performance.now();
    summaries[global] = summarizeChunk(chunk, global);
    decoding += performance.now() - d0;
    queued++;
    chain = chain.then(async () => {
      if (error || stopped) return;
      try {
        // A cancel is heard between writes, also once the workers have ended.
        if (signal?.aborted) throw new CancelledError();
        await staged.write(global, chunk);
        writtenRows += chunk.count;
        if (expected) onWritten(writtenRows, rows);
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
        failed(error);
      }
    });
    return true;
  };
  return {
    failed: failure,
    /** Drops the writes not begun; the error a write failed with, if one did. */
    stop: async (): Promise<Error | null> => {
      stopped = true;
      await chain;
      return error;
    },
    take: (part: number, index: number, total: number, chunk: SuggestionColumns) => {
      if (totals[part] === undefined) totals[part] = total;
      if (!place(part, index, chunk)) waiting.push({ part, index, chunk });
      for (let k = 0; k < waiting.length; k++) {
        const w = waiting[k]!;
        if (place(w.part, w.index, w.chunk)) waiting.splice(k--, 1);
      }
    },
    /** Once every part has ended: the rest written (reported in suggestions), the summaries in order. */
    async finish(parts: readonly { chunkCount: number; count: number }[]): Promise<PlacedSummary[]> {
      expected = parts.reduce((n, p) => n + p.chunkCount, 0);
      rows = parts.reduce((n, p) => n + p.count, 0);
      if (waiting.length || queued !== expected) throw new Error(`suggestions: ${queued} of ${expected} chunks arrived from the workers`);
      onWritten(writtenRows, rows);
      await chain;
      if (error) throw error;
      const out: PlacedSummary[] = [];
      for (const list of summaries) for (const s of list!) out.push(s);
      return out;
    },
    decodeSeconds: () => decoding / 1000,
  };
}

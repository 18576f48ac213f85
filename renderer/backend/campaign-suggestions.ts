// Suggestions computed for a snapshot off the backend's thread: the suggest workers (renderer/workers) each compute
// and encode their part, the backend writes the chunks in one transaction and decodes them for what follows (the
// campaign's scope and table) as summaries: the few fields those read, not signals and peer lists. While the workers
// compute, this thread serves other screens.
import { suggest, type Policy } from '../../shared/suggest';
import type { Snapshot } from '../../shared/model';
import {
  PER_CHUNK,
  storeSuggestionChunks,
  storeSuggestions,
  storedAssignmentChunks,
  summarizeChunk,
  summaryOf,
  type PlacedSummary,
  type WorkbenchDatabase,
} from '../db';
import { snapshotPayload, suggestOnThreads, type SnapshotPayload, type SuggestPartResult } from '../workers';
import type { TaskContext } from './protocol';

/** Below this many assignments one worker does it all: a second one costs more to start and feed than it saves. */
const TWO_PARTS_FROM = 50_000;
/** Above this many, one worker again: each worker holds its own copy of the snapshot and the engine's index, and two
 * crashed the renderer at 3,000,000 assignments (peak 7.9 GiB of browser memory) where one completed (7.1 GiB). */
const TWO_PARTS_UP_TO = 2_000_000;
/** The most assignments suggestions are computed for in the app: measured to complete at 3,000,000 (one worker,
 * bench's workbench CSV); at 10,000,000 the renderer crashed. Above it the computation is refused before it starts. */
export const MAX_SUGGESTION_ASSIGNMENTS = 3_000_000;

/** Why a snapshot of this many assignments gets no suggestions here, or null when it does. */
export function suggestionRefusal(assignments: number): string | null {
  if (assignments <= MAX_SUGGESTION_ASSIGNMENTS) return null;
  const n = (v: number) => v.toLocaleString('en-US');
  return (
    `suggestions for ${n(assignments)} assignments need more memory than the app can use on this machine ` +
    `(the limit is ${n(MAX_SUGGESTION_ASSIGNMENTS)} assignments per snapshot); import the applications in smaller snapshots`
  );
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
}

export function partsFor(assignments: number, cores: number | undefined): number {
  return assignments < TWO_PARTS_FROM || assignments > TWO_PARTS_UP_TO ? 1 : Math.max(1, Math.min(2, cores ?? 2));
}

/** The snapshot for the workers: its assignments as the chunks they were loaded from where the snapshot is as stored
 * (nothing to encode again), else encoded here. */
function payloadOf(snapshot: Snapshot): SnapshotPayload {
  const stored = storedAssignmentChunks(snapshot);
  if (!stored) return snapshotPayload(snapshot);
  const { assignments: _decoded, ...rest } = snapshot;
  return { ...rest, assignmentChunks: stored };
}

/** Computes and stores the snapshot's suggestions (in workers where they start, else here). */
export async function computeAndStoreSuggestions(
  db: WorkbenchDatabase,
  snapshot: Snapshot,
  args: { policy: Policy; asOf: string; meta: Parameters<typeof storeSuggestionChunks>[1]; corrections: number; resolutions: number },
  ctx: TaskContext,
): Promise<ComputedSuggestions> {
  const progress = (done: number, total: number) =>
    ctx.progress({ label: 'Computing suggestions', labelKey: 'progress.computing', done, total, unit: 'items' });
  // Refused before any work: past the measured limit the renderer would crash while computing.
  const refusal = suggestionRefusal(snapshot.assignments.length);
  if (refusal) throw new Error(refusal);
  const asOf = Date.parse(args.asOf);
  const threads = partsFor(snapshot.assignments.length, globalThis.navigator?.hardwareConcurrency);
  const t0 = performance.now();
  const parts = await suggestOnThreads(
    { snapshot: payloadOf(snapshot), policy: args.policy, asOf, threads },
    {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: progress,
      onEncoding: (done, total) =>
        ctx.progress({ label: 'Storing suggestions', labelKey: 'progress.storingSuggestions', done, total, unit: 'items' }),
    },
  );
  if (!parts) {
    // No worker here (a test in Node, or a platform without nested workers): computed on this thread, as before.
    const suggestions = suggest(snapshot, args.policy, { asOf, isCancelled: ctx.isCancelled, onProgress: progress });
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
    };
  }
  const t1 = performance.now();
  ctx.progress({ label: 'Storing suggestions', labelKey: 'progress.storingSuggestions', done: 0, total: 1, unit: 'items' });
  const chunks = parts.flatMap((p) => p.chunks);
  // The database writes while this thread reads the chunks' summaries for what follows (a chunk at a time, letting
  // the transaction's events through between them); the set is stored whole or not at all either way.
  let written = 0;
  const stored = storeSuggestionChunks(db, args.meta, chunks, args.corrections, args.resolutions).then((r) => {
    written = performance.now();
    return r;
  });
  stored.catch(() => undefined);
  const suggestions: PlacedSummary[] = [];
  let decoding = 0;
  for (let index = 0; index < chunks.length; index++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const d0 = performance.now();
    for (const s of summarizeChunk(chunks[index]!, index)) suggestions.push(s);
    decoding += performance.now() - d0;
  }
  await stored;
  const slowest = (f: (p: SuggestPartResult) => number) => Math.max(...parts.map(f));
  const encodeSeconds = slowest((p) => p.encodeSeconds);
  const writeSeconds = (written - t1) / 1000;
  return {
    suggestions,
    // The workers' wall time less their encoding: the engine, and getting the snapshot across.
    computeSeconds: (t1 - t0) / 1000 - encodeSeconds,
    storeSeconds: encodeSeconds + writeSeconds,
    encodeSeconds,
    writeSeconds,
    decodeSeconds: decoding / 1000,
    threads: parts.length,
  };
}

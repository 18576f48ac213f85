// One part of a snapshot's suggestions, as a nested suggest worker computes it: the snapshot arrives as data (its
// assignments as the stored chunks' columns: typed arrays clone as a copy, a million objects do not) and the engine
// reads those columns as they are; the part's suggestions leave as encoded chunks whose buffers are moved, not
// cloned, to the backend that stores them.
import { suggest, type Policy } from '../../shared/suggest';
import { transfer, type CallContext } from '../../shared/rpc';
import type { Snapshot } from '../../shared/model';
// Pure codecs (no database): the payload's assignment columns, and this thread encodes its suggestions itself.
import { ASSIGNMENTS_PER_CHUNK, encodeAssignments, type AssignmentColumns } from '../../shared/import';
// eslint-disable-next-line local/module-boundaries -- the suggestion column codec is pure, like chunk-codec
import { suggestionChunkWriter, type ChunkWriter, type SuggestionColumns } from '../db/suggestion-columns';
import type { CampaignScope } from '../../shared/review';
import { scopeSelector } from './campaign-select';

/** Suggestions per stored chunk (suggestion-repository.ts writes the same size). */
export const SUGGESTIONS_PER_CHUNK = 50_000;
/** Suggestions the engine hands over at a time, added to the chunk being written (a divisor of the chunk size): a
 * batch this small dies young, where a whole chunk's suggestions held until encoded were promoted and marked. */
const ENGINE_BATCH = 2_000;

/** A snapshot as it crosses to a suggest worker: its records as they are, its assignments as columns. */
export type SnapshotPayload = Omit<Snapshot, 'assignments'> & { assignmentChunks: AssignmentColumns[] };

export interface SuggestPartArgs {
  snapshot: SnapshotPayload;
  policy: Policy;
  asOf: number;
  part: { index: number; of: number };
  /** Only the items of this campaign scope (the engine's select), where the whole snapshot's would not fit. */
  scope?: CampaignScope;
}

export interface SuggestPartResult {
  /** The part's suggestions, in order, as stored chunks (none where PartHooks.onChunk took each as it was made). */
  chunks: SuggestionColumns[];
  /** How many chunks the part made. */
  chunkCount: number;
  count: number;
  /** Always 0: the engine reads the columns as they are (kept for the callers' figures). */
  decodeSeconds: number;
  /** The engine's wall time less the encoding done in between. */
  computeSeconds: number;
  /** The encoder's calls, summed (each chunk is encoded as the engine hands it over). */
  encodeSeconds: number;
}

/** The snapshot as a worker's payload (built once, posted to each worker). */
export function snapshotPayload(snapshot: Snapshot): SnapshotPayload {
  const { assignments, ...rest } = snapshot;
  const assignmentChunks: AssignmentColumns[] = [];
  for (let i = 0; i < assignments.length; i += ASSIGNMENTS_PER_CHUNK)
    assignmentChunks.push(encodeAssignments(assignments, i, Math.min(i + ASSIGNMENTS_PER_CHUNK, assignments.length)));
  return { ...rest, assignmentChunks };
}

/** Every buffer of the chunks, to move them to the caller. */
export function chunkBuffers(chunks: readonly SuggestionColumns[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of chunks) for (const v of Object.values(c)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out];
}

/** A part's progress: the engine (suggestions) and the encoding (suggestions encoded, of the part's total),
 * interleaved: each chunk is encoded as the engine hands it over, the last one after the engine reported done. Each
 * phase reports as it goes: a worker silent for long is taken for dead. (Nothing is decoded first: the engine reads
 * the snapshot's columns.) */
export type PartPhase = 'computing' | 'encoding';
export interface PartHooks {
  onProgress?: (done: number, total: number, phase: PartPhase) => void;
  isCancelled?: () => boolean;
  /** Takes each chunk as it is encoded (the `index`-th of the part, whose suggestions number `total`), instead of
   * the result keeping it: the caller can store it while the engine goes on. */
  onChunk?: (chunk: SuggestionColumns, index: number, total: number) => void;
}

export function computeSuggestionPart(args: SuggestPartArgs, hooks: PartHooks = {}): SuggestPartResult {
  const progress = hooks.onProgress;
  const t1 = performance.now();
  const nextChunk = suggestionChunkWriter();
  const chunks: SuggestionColumns[] = [];
  let chunkCount = 0;
  let count = 0;
  let encodeMs = 0;
  let total = 0;
  const onChunk = hooks.onChunk;
  let writer: ChunkWriter | null = null;
  const finish = (w: ChunkWriter) => {
    const e0 = performance.now();
    const n = w.count;
    const chunk = w.finish();
    encodeMs += performance.now() - e0;
    if (onChunk) onChunk(chunk, chunkCount, total);
    else chunks.push(chunk);
    chunkCount++;
    count += n;
    progress?.(count, total, 'encoding');
  };
  // Each batch is encoded into the chunk being written as the engine hands it over and let go at once: the heap
  // never holds more than a batch of suggestions, so the collections while computing mark the snapshot and the index
  // alone. A chunk is finished, and handed on, at SUGGESTIONS_PER_CHUNK suggestions.
  suggest(args.snapshot, args.policy, {
    asOf: args.asOf,
    part: args.part,
    ...(args.scope ? { select: scopeSelector(args.scope) } : {}),
    batchSize: ENGINE_BATCH,
    onSuggestions(batch, _done, partTotal) {
      total = partTotal;
      for (let from = 0; from < batch.length;) {
        const w = (writer ??= nextChunk());
        const to = Math.min(batch.length, from + SUGGESTIONS_PER_CHUNK - w.count);
        const e0 = performance.now();
        w.add(batch, from, to);
        encodeMs += performance.now() - e0;
        from = to;
        if (w.count === SUGGESTIONS_PER_CHUNK) {
          writer = null;
          finish(w);
        }
      }
    },
    ...(progress ? { onProgress: (done: number, total: number) => progress(done, total, 'computing') } : {}),
    ...(hooks.isCancelled ? { isCancelled: hooks.isCancelled } : {}),
  });
  if (writer) finish(writer);
  const t2 = performance.now();
  return {
    chunks,
    chunkCount,
    count,
    decodeSeconds: 0,
    computeSeconds: (t2 - t1 - encodeMs) / 1000,
    encodeSeconds: encodeMs / 1000,
  };
}

/** Progress of a part: suggestions done of the part's engine total; or a chunk of it, as it is encoded (its buffers
 * moved), the `index`-th of the part whose suggestions number `total`. */
export type SuggestPartProgress =
  { done: number; total: number; phase: PartPhase } | { phase: 'chunk'; index: number; total: number; chunk: SuggestionColumns };

export type SuggestHandlers = {
  suggestPart: (args: SuggestPartArgs, ctx: CallContext<SuggestPartProgress>) => SuggestPartResult;
};

/** What a suggest worker serves: its part, each chunk sent as it is made (its buffers moved, not copied) for the
 * caller to store while the engine goes on. */
export const suggestHandlers: SuggestHandlers = {
  suggestPart(args, ctx) {
    let last = 0;
    const result = computeSuggestionPart(args, {
      onChunk: (chunk, index, total) => ctx.progress({ phase: 'chunk', index, total, chunk }, chunkBuffers([chunk])),
      // At most every 50 ms: the engine reports often, and each report is a message.
      onProgress(done, total, phase) {
        const now = performance.now();
        if (now - last < 50 && done !== total) return;
        last = now;
        ctx.progress({ done, total, phase });
      },
      isCancelled: () => ctx.signal.aborted,
    });
    return transfer(result, chunkBuffers(result.chunks));
  },
};

// One part of a snapshot's suggestions, as a nested suggest worker computes it: the snapshot arrives as data (its
// assignments as the stored chunks' columns: typed arrays clone as a copy, a million objects do not), the part's
// suggestions leave as encoded chunks whose buffers are moved, not cloned, to the backend that stores them.
import { suggest, type Policy } from '../../shared/suggest';
import type { Assignment, Snapshot } from '../../shared/model';
// Pure codecs (no database): this thread decodes the stored assignment columns and encodes its suggestions itself.
// eslint-disable-next-line local/module-boundaries -- chunk-codec opens nothing; only its columns cross threads
import { ASSIGNMENTS_PER_CHUNK, decodeAssignments, encodeAssignments, type AssignmentColumns } from '../db/chunk-codec';
// eslint-disable-next-line local/module-boundaries -- the suggestion column codec is pure, like chunk-codec
import { suggestionEncoder, type SuggestionColumns } from '../db/suggestion-columns';

/** Suggestions per stored chunk (suggestion-repository.ts writes the same size). */
export const SUGGESTIONS_PER_CHUNK = 50_000;

/** A snapshot as it crosses to a suggest worker: its records as they are, its assignments as columns. */
export type SnapshotPayload = Omit<Snapshot, 'assignments'> & { assignmentChunks: AssignmentColumns[] };

export interface SuggestPartArgs {
  snapshot: SnapshotPayload;
  policy: Policy;
  asOf: number;
  part: { index: number; of: number };
}

export interface SuggestPartResult {
  /** The part's suggestions, in order, as stored chunks. */
  chunks: SuggestionColumns[];
  count: number;
  decodeSeconds: number;
  computeSeconds: number;
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

export function snapshotOf(payload: SnapshotPayload): Snapshot {
  const { assignmentChunks, ...rest } = payload;
  const assignments: Assignment[] = [];
  for (const c of assignmentChunks) decodeAssignments(c, assignments);
  return { ...rest, assignments };
}

/** Every buffer of the chunks, to move them to the caller. */
export function chunkBuffers(chunks: readonly SuggestionColumns[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of chunks)
    for (const v of Object.values(c)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out];
}

export function computeSuggestionPart(
  args: SuggestPartArgs,
  hooks: { onProgress?: (done: number, total: number) => void; isCancelled?: () => boolean } = {},
): SuggestPartResult {
  const t0 = performance.now();
  const snapshot = snapshotOf(args.snapshot);
  const t1 = performance.now();
  const rows = suggest(snapshot, args.policy, {
    asOf: args.asOf,
    part: args.part,
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.isCancelled ? { isCancelled: hooks.isCancelled } : {}),
  });
  const t2 = performance.now();
  const encode = suggestionEncoder();
  const chunks: SuggestionColumns[] = [];
  for (let i = 0; i < rows.length; i += SUGGESTIONS_PER_CHUNK) chunks.push(encode(rows, i, Math.min(i + SUGGESTIONS_PER_CHUNK, rows.length)));
  const t3 = performance.now();
  return {
    chunks,
    count: rows.length,
    decodeSeconds: (t1 - t0) / 1000,
    computeSeconds: (t2 - t1) / 1000,
    encodeSeconds: (t3 - t2) / 1000,
  };
}

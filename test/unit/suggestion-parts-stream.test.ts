// Suggestions streamed out of the engine (SuggestOptions.onSuggestions) and encoded a chunk at a time in the suggest
// worker (renderer/workers/suggest-part.ts): the batches, concatenated, are the engine's array; the engine keeps
// none of them; the worker's chunks are the very chunks encoding the whole part gave before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, type Snapshot } from '../../shared/model';
import { DEFAULT_POLICY, suggest, type Suggestion } from '../../shared/suggest';
import { decodeSuggestionChunks } from '../../renderer/db';
import { suggestionEncoder, type SuggestionColumns } from '../../renderer/db/suggestion-columns';
import { SUGGESTIONS_PER_CHUNK, computeSuggestionPart, snapshotPayload } from '../../renderer/workers';
import type { PartPhase } from '../../renderer/workers/suggest-part';
import { writeWorkbenchCsv } from '../bench/workbench-data';
import { AS_OF, WORKBENCH_FIXTURE, snapshotOf } from '../fixtures/suggestions/suggestion-kit';

const fixture = WORKBENCH_FIXTURE;
const asOf = AS_OF;
const json = (rows: readonly Suggestion[]) => rows.map((s) => JSON.stringify(s));

/** The engine's output streamed: the batches as handed over, each copied (the copy is what is compared, so a batch
 * the engine reused or refilled afterwards would show), with the counts that came with them. */
function streamed(s: Snapshot, batchSize: number, part?: { index: number; of: number }) {
  const batches: { rows: Suggestion[]; done: number; total: number }[] = [];
  const returned = suggest(s, DEFAULT_POLICY, {
    asOf,
    batchSize,
    ...(part ? { part } : {}),
    onSuggestions: (batch, done, total) => {
      batches.push({ rows: [...batch], done, total });
      // The batch is the caller's: emptying it changes nothing the engine hands over next.
      batch.length = 0;
    },
  });
  return { returned, batches };
}

describe('suggestions streamed out of the engine', () => {
  const s = snapshotOf(fixture);

  it('in batches that, concatenated, are the returned array, for any batch size and part; nothing returned', () => {
    const whole = suggest(s, DEFAULT_POLICY, { asOf });
    expect(whole.length).toBeGreaterThan(20);
    for (const of of [1, 2, 3]) {
      for (let index = 0; index < of; index++) {
        const part = { index, of };
        const expected = json(suggest(s, DEFAULT_POLICY, { asOf, part }));
        for (const size of [1, 2, 7, expected.length, expected.length + 5, 50_000]) {
          const { returned, batches } = streamed(s, size, part);
          expect(returned).toEqual([]);
          expect(json(batches.flatMap((b) => b.rows))).toEqual(expected);
          // Full batches but the last; `done` counts what was handed over, `total` is the part's.
          batches.forEach((b, k) => {
            if (k < batches.length - 1) expect(b.rows.length).toBe(size);
            expect(b.rows.length).toBeGreaterThan(0);
            expect(b.total).toBe(expected.length);
          });
          expect(batches.map((b) => b.done)).toEqual(batches.map((_, k) => Math.min((k + 1) * size, expected.length)));
          expect(batches.length).toBe(Math.ceil(expected.length / size));
        }
      }
    }
    // The parts' streams, concatenated, are the whole output.
    expect(json([0, 1, 2].flatMap((index) => streamed(s, 4, { index, of: 3 }).batches.flatMap((b) => b.rows)))).toEqual(json(whole));
  });

  it('hands over a batch once: no suggestion object is handed over twice, none is in the returned array', () => {
    const seen = new Set<Suggestion>();
    const returned = suggest(s, DEFAULT_POLICY, {
      asOf,
      batchSize: 3,
      onSuggestions: (batch) => {
        for (const x of batch) {
          expect(seen.has(x)).toBe(false);
          seen.add(x);
        }
      },
    });
    expect(returned.length).toBe(0);
    expect(seen.size).toBe(suggest(s, DEFAULT_POLICY, { asOf }).length);
  });

  it('the last batch comes after the final progress report; a failing batch stops the engine', () => {
    const events: string[] = [];
    suggest(s, DEFAULT_POLICY, {
      asOf,
      batchSize: 1_000,
      onProgress: (done, total) => events.push(done === total ? 'done' : 'progress'),
      onSuggestions: () => events.push('batch'),
    });
    expect(events.slice(-2)).toEqual(['done', 'batch']);
    // A sink that fails (a cancel heard while encoding) stops the engine: nothing more is handed over.
    let batches = 0;
    expect(() =>
      suggest(s, DEFAULT_POLICY, {
        asOf,
        batchSize: 1,
        onSuggestions: () => {
          batches++;
          throw new CancelledError();
        },
      }),
    ).toThrow(CancelledError);
    expect(batches).toBe(1);
  });

  it('refuses a batch size that is not a positive integer', () => {
    for (const batchSize of [0, -1, 1.5, Number.NaN])
      expect(() => suggest(s, DEFAULT_POLICY, { asOf, batchSize, onSuggestions: () => {} })).toThrow(/batch size/);
  });
});

describe('the suggest worker encodes each chunk as the engine hands it over', () => {
  let dir = '';
  let big: Snapshot;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arw-stream-'));
    // Enough for more than one chunk.
    writeWorkbenchCsv(dir, { identities: 6_000, assignments: 60_000, seed: 11 });
    big = snapshotOf(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A chunk's stored values: each typed column with its type (the same text may differ in V8's inner form, so
   * structured clone's bytes are not compared). */
  const stored = (c: SuggestionColumns) =>
    JSON.stringify(Object.entries(c).map(([k, v]) => [k, ArrayBuffer.isView(v) ? [v.constructor.name, Array.from(v as Uint8Array)] : v]));

  it('giving the same stored chunks and the same decoded suggestions as the whole part encoded after', { timeout: 120_000 }, () => {
    const phases: [PartPhase, number, number][] = [];
    const part = { index: 0, of: 1 };
    const streamedPart = computeSuggestionPart(
      { snapshot: snapshotPayload(big), policy: DEFAULT_POLICY, asOf, part },
      { onProgress: (done, total, phase) => void phases.push([phase, done, total]) },
    );
    // The part as the worker encoded it before: the whole part computed, then cut into chunks.
    const rows = suggest(big, DEFAULT_POLICY, { asOf, part });
    const encode = suggestionEncoder();
    const before: SuggestionColumns[] = [];
    for (let i = 0; i < rows.length; i += SUGGESTIONS_PER_CHUNK)
      before.push(encode(rows, i, Math.min(i + SUGGESTIONS_PER_CHUNK, rows.length)));
    expect(before.length).toBeGreaterThan(1);
    expect(streamedPart.chunks.map(stored)).toEqual(before.map(stored));
    expect(streamedPart.count).toBe(rows.length);
    expect(streamedPart.computeSeconds).toBeGreaterThan(0);
    expect(streamedPart.encodeSeconds).toBeGreaterThan(0);
    expect(json(decodeSuggestionChunks(streamedPart.chunks))).toEqual(json(rows));
    // Encoding is reported a chunk at a time, among the engine's reports, and ends with the part encoded.
    const encoding = phases.filter(([phase]) => phase === 'encoding');
    expect(encoding.map(([, done]) => done)).toEqual(before.map((_, i) => Math.min((i + 1) * SUGGESTIONS_PER_CHUNK, rows.length)));
    expect(encoding.at(-1)).toEqual(['encoding', rows.length, rows.length]);
    const firstEncoding = phases.findIndex(([phase]) => phase === 'encoding');
    const lastComputing = phases.findLastIndex(([phase]) => phase === 'computing');
    expect(firstEncoding).toBeLessThan(lastComputing);
    expect(phases[lastComputing]).toEqual(['computing', rows.length, rows.length]);
    expect(phases.at(-1)![0]).toBe('encoding');
  });
});

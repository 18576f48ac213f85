// Suggestion summaries (renderer/db/suggestion-summary.ts) read from stored chunks equal the full decode's fields,
// for every shape of row (literal rows kept as JSON, credential and identity items, given item ids, narrow and wide
// columns, the older format); a summary's place reads back its full suggestion.
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { DEFAULT_POLICY, suggest, type Signal, type Suggestion } from '../../shared/suggest';
import {
  WorkbenchDatabase,
  loadSuggestionSummaries,
  loadSuggestionsAt,
  storeSuggestionChunks,
  summarizeChunk,
  suggestionsAtRows,
  type SuggestionSummary,
} from '../../renderer/db';
import { decodeSuggestions, encodeSuggestions, type SuggestionColumns } from '../../renderer/db/suggestion-columns';
import { writeWorkbenchCsv } from '../bench/workbench-data';
import { encodeSuggestionsV2 } from './suggestion-columns-v2-writer';
import { suggestionWith } from '../fixtures/suggestions/suggestion-kit';

/** The summary fields of a full suggestion, as JSON writes them (absent keys stay absent). */
const fields = (s: SuggestionSummary) =>
  JSON.stringify({
    itemId: s.itemId,
    identityId: s.identityId,
    entitlementId: s.entitlementId,
    credentialId: s.credentialId,
    action: s.action,
    confidence: s.confidence,
    riskTier: s.riskTier,
    decisionClass: s.decisionClass,
  });
const json = (list: readonly unknown[]) => list.map((x) => JSON.stringify(x));

const base = suggestionWith;

/** Rows of every shape the encoder knows: kept whole as JSON, credential, identity, a given item id, both ids. */
function oddRows(): Suggestion[] {
  const sig: Signal = { id: 'unused-access', message: 'last used 212 days ago', value: 212, threshold: 90, verdict: 'revoke' };
  const odd: Signal = { ...sig, value: { odd: true } as unknown as number };
  return [
    base({ signals: [sig] }),
    base({ itemId: 'a:u2\u001fe9', identityId: 'u2', entitlementId: 'e9', signals: [sig, odd], confidence: 0.25 }),
    { ...base({ signals: [sig] }), extra: 1 } as unknown as Suggestion,
    base({ itemId: 'c:u3\u001fkey-1', identityId: 'u3', entitlementId: undefined, credentialId: 'key-1', action: 'rotate' as never }),
    base({
      itemId: 'i:u4',
      identityId: 'u4',
      entitlementId: undefined,
      action: 'disable' as never,
      riskTier: 'low',
      decisionClass: 'suggest',
    }),
    base({ itemId: 'custom item 7', identityId: 'u5', entitlementId: 'e2' }),
    base({ itemId: 'i:u6', identityId: 'u6', entitlementId: 'e3', credentialId: 'k9' }),
    {
      ...base({ itemId: 'c:u7\u001fk', identityId: 'u7', entitlementId: undefined, credentialId: 'k' }),
      note: ['x'],
    } as unknown as Suggestion,
  ];
}

let generated: Suggestion[];
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'arw-summary-'));
  try {
    const gen = writeWorkbenchCsv(dir, { identities: 1500, assignments: 15_000, seed: 11 });
    const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
    generated = suggest(data, DEFAULT_POLICY, { asOf: Date.parse('2026-11-22T00:00:00Z') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('suggestion summaries', () => {
  it("equal the full decode's fields on the engine's output (wide columns) and on odd rows (narrow, kept whole)", () => {
    expect(generated.length).toBeGreaterThan(10_000);
    const wide = encodeSuggestions(generated);
    // The identity column needs 16 bits here: the narrow columns' sentinels are read as the wider type's.
    expect(wide.identityId).toBeInstanceOf(Uint16Array);
    const rows = oddRows();
    const narrow = encodeSuggestions(rows);
    expect(narrow.shape).toBeInstanceOf(Uint8Array);
    expect(Array.from(narrow.shape).filter((x) => x === 0xfe).length).toBe(3); // three rows kept whole as JSON
    for (const [cols, source] of [
      [wide, generated],
      [narrow, rows],
    ] as const) {
      const summaries = summarizeChunk(cols, 4);
      expect(summaries.map(fields)).toEqual(decodeSuggestions(cols).map(fields));
      expect(summaries.map(fields)).toEqual(source.map(fields));
      expect(summaries.map((s) => [s.chunk, s.row])).toEqual(source.map((_, i) => [4, i]));
      // Only the summary's fields: no signals, engine or reasons are built.
      expect(summaries.some((s) => 'signals' in s || 'engine' in s || 'riskReasons' in s)).toBe(false);
    }
    const kinds = new Set(generated.map((s) => s.itemId.slice(0, 2)));
    expect(kinds.has('a:') && kinds.has('i:')).toBe(true);
  });

  it('read chunks of the older format 2 (decoded and cut down)', () => {
    const rows = [...generated.slice(0, 3000), ...oddRows()];
    const cols = encodeSuggestionsV2(rows);
    expect(cols.format).toBe(2);
    expect(summarizeChunk(cols, 0).map(fields)).toEqual(rows.map(fields));
  });

  it('read single rows back in full, as the whole chunk decodes them', () => {
    const rows = [...oddRows(), ...generated.slice(0, 5000)];
    const cols = encodeSuggestions(rows);
    const asked = [7, 0, 2, 4999, 3, 2, 1200];
    expect(json(suggestionsAtRows(cols, asked))).toEqual(json(asked.map((i) => rows[i])));
    expect(() => suggestionsAtRows(cols, [rows.length])).toThrow(/no suggestion/);
    const v2 = encodeSuggestionsV2(rows);
    expect(json(suggestionsAtRows(v2, asked))).toEqual(json(asked.map((i) => rows[i])));
  });
});

describe('stored suggestion summaries', () => {
  let db: WorkbenchDatabase | undefined;
  afterEach(async () => {
    await db?.delete();
    db = undefined;
  });

  it("are the set's suggestions in order, placed in their chunks; loadSuggestionsAt reads those places in full", async () => {
    db = new WorkbenchDatabase(`summary-${process.pid}`);
    const rows = [...generated.slice(0, 7000), ...oddRows(), ...generated.slice(7000, 9000)];
    // Chunks of unequal length, as two workers' parts end: 3000, 3000, 1008, 2000.
    const cuts = [0, 3000, 6000, 7008, rows.length];
    const chunks: SuggestionColumns[] = cuts.slice(1).map((end, k) => encodeSuggestions(rows, cuts[k], end));
    const record = await storeSuggestionChunks(db, { snapshotId: 's', policyDigest: 'p', engine: 'e', asOf: '2026-11-22' }, chunks);
    const summaries = await loadSuggestionSummaries(db, record.key);
    expect(summaries.map(fields)).toEqual(rows.map(fields));
    expect(summaries[6999]).toMatchObject({ chunk: 2, row: 999 });
    expect(summaries[7008]).toMatchObject({ chunk: 3, row: 0 });
    const picks = [0, 2999, 3000, 7001, 7002, 7007, rows.length - 1, 5];
    const full = await loadSuggestionsAt(
      db,
      record.key,
      picks.map((i) => summaries[i]!),
    );
    expect(json(full)).toEqual(json(picks.map((i) => rows[i])));
    await expect(loadSuggestionsAt(db, record.key, [{ chunk: 9, row: 0 }])).rejects.toThrow(/no chunk 9/);
  });

  it('read sets an earlier version stored as JSON text, objects and format 2 beside format 3', async () => {
    db = new WorkbenchDatabase(`summary-old-${process.pid}`);
    const rows = [...generated.slice(0, 4000), ...oddRows()];
    await db.suggestionChunks.add({ key: 'old', index: 0, json: JSON.stringify(rows.slice(0, 1000)) });
    await db.suggestionChunks.add({ key: 'old', index: 1, rows: rows.slice(1000, 2000) });
    await db.suggestionChunks.add({ key: 'old', index: 2, columns: encodeSuggestionsV2(rows.slice(2000, 3000)) });
    await db.suggestionChunks.add({ key: 'old', index: 3, columns: encodeSuggestions(rows, 3000) });
    const summaries = await loadSuggestionSummaries(db, 'old');
    expect(summaries.map(fields)).toEqual(rows.map(fields));
    const picks = [10, 1500, 2500, rows.length - 2];
    expect(
      json(
        await loadSuggestionsAt(
          db,
          'old',
          picks.map((i) => summaries[i]!),
        ),
      ),
    ).toEqual(json(picks.map((i) => rows[i])));
  });
});

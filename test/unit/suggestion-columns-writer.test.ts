// The suggest worker writes each chunk as the engine hands suggestions over, a batch at a time
// (suggestionChunkWriter), and splits each message against its signal id's last template within the digit-run pass.
// Both are ways of computing the same chunk: its bytes equal those of encoding the chunk's suggestions at once, and
// each message's template and numbers are the digit-run rule's, written out independently here.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { utf8 } from '../../shared/codec/digest';
import { DEFAULT_POLICY, suggest, type Signal, type Suggestion } from '../../shared/suggest';
import {
  decodeSuggestions,
  encodeSuggestions,
  suggestionChunkWriter,
  suggestionEncoder,
  type SuggestionColumns,
} from '../../renderer/db/suggestion-columns';
import { MARK } from '../../renderer/db/suggestion-columns-legacy';
import { computeSuggestionPart, snapshotPayload } from '../../renderer/workers';
import { generateOrganisation } from '../bench/org-generator';
import { AS_OF, snapshotOf, suggestionWith } from '../fixtures/suggestions/suggestion-kit';

const json = (rows: readonly Suggestion[]) => rows.map((s) => JSON.stringify(s));

/** A chunk's stored values: each typed column with its type, strings and lists as they are. */
const stored = (c: SuggestionColumns) =>
  JSON.stringify(Object.entries(c).map(([k, v]) => [k, ArrayBuffer.isView(v) ? [v.constructor.name, Array.from(v as Uint8Array)] : v]));

/** The digit-run rule, by regular expression: runs of 1–9 digits without a leading zero (a lone 0 is one) become
 * MARK and go to the numbers; other runs stay in the template; a text holding MARK is kept whole. */
function digitRuns(text: string): { template: string; numbers: number[] } | null {
  if (text.includes(MARK)) return null;
  const numbers: number[] = [];
  const template = text.replace(/[0-9]+/g, (run) => {
    if (run.length > 9 || (run.length > 1 && run[0] === '0')) return run;
    numbers.push(Number(run));
    return MARK;
  });
  return { template, numbers };
}

/** Every message of the chunk, checked against the rule: its template and numbers, or kept whole. */
function expectDigitRule(c: SuggestionColumns): number {
  for (let m = 0; m < c.msgTemplate.length; m++) {
    const template = c.strings[c.msgTemplate[m]!]!;
    const numbers = Array.from(c.numbers.subarray(c.msgNumbers[m]!, c.msgNumbers[m + 1]!));
    if (c.msgFlags[m]! & 1) {
      expect(template.includes(MARK)).toBe(true);
      expect(numbers).toEqual([]);
      continue;
    }
    let k = 0;
    const text = template.split(MARK).reduce((out, piece, at) => (at ? `${out}${numbers[k++]}${piece}` : piece), '');
    expect(digitRuns(text)).toEqual({ template, numbers });
  }
  return c.msgTemplate.length;
}

/** Messages that cut the digit runs every way: names with digits, leading zeros, lone zeros, ten-digit runs, the
 * largest nine-digit one, digits at either end, MARK inside, non-ASCII text, a letter where a digit was, and templates that begin alike. */
const MESSAGES: ((i: number) => string)[] = [
  (i) => `App${i % 4}2 Admin held by ${i} of ${i + 3} peers in Finance/Title ${i % 3} (${(i % 100) / 10}%)`,
  (i) => `App${i % 4}2 Admin held by ${i} of ${i + 3} peers`,
  (i) => `App${i % 4}2 Admin held by ${i}`,
  (i) => `agent 007 and 0${i % 10} and 0 and 00 and ${i % 2 ? '0' : '10'}`,
  (i) => `${1_234_567_890 + i} is ten digits, 999999999 is nine, ${i}`,
  (i) => `${i}`,
  (i) => `Title ${i % 3 ? i % 10 : 'X'} of ${i}`,
  // Templates of one hash ("Aa" and "BB" hash alike): found by hash, told apart by their text.
  (i) => `${i % 2 ? 'Aa' : 'BB'} ${i}`,
  () => '',
  () => 'no digits at all',
  (i) => `marked ${i}\u0001 text ${i}`,
  (i) => `Zürich ${i} naïve ٣ ${i}日 ${'9'.repeat(1 + (i % 12))}`,
  (i) =>
    `${i} of the ${i + 1} other holders of Entitlement ${i % 9} are outside Sales/Title 1; most hold it in Support/Title 0 (${i % 40})`,
];

/** `n` suggestions of fresh signals (their messages from MESSAGES, cycled differently per id so the last template
 * of an id often differs from the next message's, or in runs so it is often the same), a shared signal every third
 * suggestion, and a shared message. */
function oddRows(n: number): Suggestion[] {
  const shared: Signal = {
    id: 'privileged-access',
    message: 'Entitlement 6 is critical privilege',
    value: 'critical',
    threshold: 'high|critical',
  };
  const sharedText = MESSAGES[0]!(17);
  return Array.from({ length: n }, (_, i) => {
    const signals: Signal[] = [
      { id: 'a', message: MESSAGES[i % MESSAGES.length]!(i), value: i, threshold: 0.1 },
      { id: 'b', message: MESSAGES[(i * 7 + (i >> 3)) % MESSAGES.length]!(i * 31), value: null, threshold: null },
      { id: 'c', message: i % 5 ? sharedText : MESSAGES[i % 3]!(i), value: 0.5, threshold: 0.1, verdict: 'keep', confidence: 0.7 },
      // Runs of one kind of message: the id's last template is the one to compare with (kept runs of digits differ).
      { id: 'd', message: MESSAGES[(i >> 4) % MESSAGES.length]!(i), value: 1, threshold: 1 },
    ];
    if (i % 3 === 0) signals.push(shared);
    return suggestionWith({ itemId: `a:u${i}\u001fe${i % 13}`, identityId: `u${i}`, entitlementId: `e${i % 13}`, signals });
  });
}

/** Chunks of `size` of `rows`, written by one writer that is handed `batch` suggestions at a time. */
function written(rows: readonly Suggestion[], size: number, batch: number): SuggestionColumns[] {
  const next = suggestionChunkWriter();
  const out: SuggestionColumns[] = [];
  let writer = next();
  for (let from = 0; from < rows.length;) {
    const to = Math.min(rows.length, from + batch, from + size - writer.count);
    writer.add(rows, from, to);
    from = to;
    if (writer.count === size) {
      out.push(writer.finish());
      writer = next();
    }
  }
  if (writer.count) out.push(writer.finish());
  return out;
}

/** Chunks of `size` of `rows`, each encoded at once on its own. */
const atOnce = (rows: readonly Suggestion[], size: number) =>
  Array.from({ length: Math.ceil(rows.length / size) }, (_, k) => encodeSuggestions(rows, k * size, Math.min(rows.length, (k + 1) * size)));

describe('suggestion chunks written a batch at a time', () => {
  it('odd messages: the bytes of encoding at once, the digit-run rule, and the suggestions read back', () => {
    const rows = oddRows(5_000);
    const expected = atOnce(rows, 1_200).map(stored);
    for (const batch of [1, 7, 500, 2_000, 5_000]) expect(written(rows, 1_200, batch).map(stored)).toEqual(expected);
    // One encoder for every chunk (its working columns kept) gives the same chunks as a fresh one each.
    const encode = suggestionEncoder();
    expect(atOnce(rows, 1_200).map((_, k) => stored(encode(rows, k * 1_200, Math.min(rows.length, (k + 1) * 1_200))))).toEqual(expected);
    const chunks = written(rows, 1_200, 7);
    let messages = 0;
    for (const c of chunks) messages += expectDigitRule(c);
    // More messages than suggestions were split (the recurring texts of ids still looked up are written once a chunk),
    // and some were kept whole.
    expect(messages).toBeGreaterThan(rows.length);
    expect(chunks.some((c) => Array.from(c.msgFlags).some((f) => f & 1))).toBe(true);
    expect(json(chunks.flatMap((c) => decodeSuggestions(c)))).toEqual(json(rows));
    const first = decodeSuggestions(chunks[0]!);
    expect(first[0]!.signals[4]).toBe(first[3]!.signals[4]);
  });

  it('a chunk grows past the room it was started with, and the next chunk starts empty', () => {
    const rows = oddRows(3_000);
    // The writer starts with no room for rows: it grows while the first chunk is written, and keeps it.
    expect(written(rows, 2_600, 13).map(stored)).toEqual(atOnce(rows, 2_600).map(stored));
    const next = suggestionChunkWriter();
    const one = next();
    one.add(rows, 0, 10);
    expect(one.count).toBe(10);
    expect(stored(one.finish())).toBe(stored(encodeSuggestions(rows, 0, 10)));
    const two = next();
    expect(two.count).toBe(0);
    two.add(rows, 10, 20);
    expect(stored(two.finish())).toBe(stored(encodeSuggestions(rows, 10, 20)));
  });

  it('on the bench shapes, the worker part is the engine output encoded at once, messages split by the rule', { timeout: 120_000 }, () => {
    const org = generateOrganisation({ seed: 11, identities: 1_500, shape: { optionalPool: 4 } });
    const orgSnapshot = {
      id: 'org',
      name: 'org',
      createdAt: '2026-11-01T00:00:00Z',
      sources: [],
      ...importFiles(org.files.map((f) => ({ name: f.name, bytes: utf8(f.text) }))).data,
    };
    const shapes = [
      { snapshot: snapshotOf(), asOf: AS_OF },
      { snapshot: orgSnapshot, asOf: Date.parse(org.truth.asOf) },
    ];
    for (const { snapshot, asOf } of shapes) {
      for (const index of [0, 1]) {
        const part = { index, of: 2 };
        const rows = suggest(snapshot, DEFAULT_POLICY, { asOf, part });
        const worker = computeSuggestionPart({ snapshot: snapshotPayload(snapshot), policy: DEFAULT_POLICY, asOf, part });
        expect(worker.chunks.map(stored)).toEqual([stored(encodeSuggestions(rows))]);
        // Fed one suggestion at a time, the same again.
        expect(written(rows, rows.length, 1).map(stored)).toEqual([stored(encodeSuggestions(rows))]);
        expect(expectDigitRule(worker.chunks[0]!)).toBeGreaterThan(rows.length / 10);
        expect(json(decodeSuggestions(worker.chunks[0]!))).toEqual(json(rows));
      }
    }
  });
});

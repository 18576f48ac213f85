// report.xlsx from decisions.json read as it inflates (shared/package/decisions-runs.ts, draftStreamedReport): the
// items come in runs in whatever pieces the bytes arrive in, the report's bytes are those the items give whole, a
// streamed sheet split at the row limit holds every row once, and a file or a count that does not fit is an error.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installNodeRuntime } from '../../electron/cli/node-primitives';
import { resetRuntimePrimitives } from '../../shared/codec/runtime-primitives';
import { createHash } from 'node:crypto';
import { inflateEntry, joinParts, writeWorkbook, type RowSource, type Table } from '../../shared/codec';
import { decisionsCsvBytes, decisionsJsonBytes, packageItems } from '../../shared/package/decisions-file';
import { DecisionRunReader } from '../../shared/package/decisions-runs';
import { readDecisionItems } from '../../shared/package/package-documents';
import { reportHere, type ReportJob } from '../../shared/package/report-job';
import type { PackageItem } from '../../shared/package/types';
import { buildCertificationPackage } from '../../shared/package';
import { samplePackage, type SamplePackage } from '../fixtures/packages/package-kit';

let sample: SamplePackage;

beforeAll(async () => {
  sample = await samplePackage({ items: 700, seed: 9, open: 20 });
});

afterEach(() => resetRuntimePrimitives());

/** The file handed to a reader in pieces ending at `cuts`; the items of every run, and the runs' sizes. */
async function readInPieces(bytes: Uint8Array, cuts: readonly number[]): Promise<{ items: PackageItem[]; runs: number[]; count: number }> {
  const items: PackageItem[] = [];
  const runs: number[] = [];
  const reader = new DecisionRunReader(async (run) => {
    runs.push(run.length);
    items.push(...run);
  });
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    // A piece is valid only during the call: overwritten after, as zlib's buffers may be.
    const piece = bytes.slice(from, cut);
    await reader.push(piece);
    piece.fill(0);
    from = cut;
  }
  await reader.push(bytes.slice(from));
  const { count } = await reader.end();
  return { items, runs, count };
}

describe('decisions.json read in runs as it arrives', () => {
  it('gives the items readDecisionItems gives, whatever the pieces (cut inside lines and UTF-8 sequences), in runs', async () => {
    const items = packageItems(sample.input);
    // Names with multi-byte characters, so that cuts fall inside UTF-8 sequences.
    items[3]!.identity.displayName = 'Zoë Ångström 😀';
    const bytes = decisionsJsonBytes(sample.input.campaign.id, items);
    const expected: PackageItem[] = [];
    expect(readDecisionItems(bytes, (i) => expected.push(i)).ok).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(bytes.length), { maxLength: 30 }), async (cuts) => {
        const read = await readInPieces(bytes, cuts);
        expect(read.count).toBe(expected.length);
        expect(read.items).toStrictEqual(expected);
        expect(read.runs.length).toBeGreaterThan(1);
      }),
      { numRuns: 25 },
    );
    const empty = decisionsJsonBytes('c', []);
    expect(await readInPieces(empty, [3, 20])).toStrictEqual({ items: [], runs: [], count: 0 });
  });

  it('a file not in the package layout, cut short, or with text after it is an error naming the line', async () => {
    const bytes = decisionsJsonBytes(sample.input.campaign.id, packageItems(sample.input).slice(0, 5));
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\n');
    const cases: Array<[string, RegExp]> = [
      [text.slice(0, -4), /the file ends early/],
      [`${text}x\n`, /text after the closing line/],
      [[lines[0], '{"itemId":', ...lines.slice(2)].join('\n'), /line 2: /],
      [[lines[0], '{"itemId":"x"},', ...lines.slice(2)].join('\n'), /line 2: decisions\.json items\[0\]/],
      [text.replace('"items":[', '"items" :['), /line 1: /],
    ];
    for (const [broken, message] of cases) {
      await expect(readInPieces(new TextEncoder().encode(broken), [7]), broken.slice(0, 40)).rejects.toThrow(message);
    }
  });
});

describe('report.xlsx written from the items a run at a time', () => {
  it('is byte for byte the report the items give whole, portable and on Node (inflated in pieces)', async () => {
    const { auditChain } = sample.built.manifest.predicate;
    for (const node of [false, true]) {
      // The workbook's own entries deflate with the runtime's codec: the report the items give whole, on this runtime.
      if (node) installNodeRuntime();
      const built = await buildCertificationPackage(sample.input, sample.signers);
      const expected = built.files['report.xlsx']!;
      if (!node) expect(Buffer.compare(expected, sample.built.files['report.xlsx']!)).toBe(0);
      const job = await waitForJob(sample.input);
      expect(job.sheetRows).toBeDefined();
      const fromBytes = await reportHere({ ...job, decisionsEntry: undefined, decisionsJson: built.files['decisions.json']! }).finish(
        auditChain,
      );
      expect(Buffer.compare(fromBytes, expected)).toBe(0);
      if (job.decisionsEntry) expect(Buffer.compare(await reportHere(job).finish(auditChain), expected)).toBe(0);
    }
  });

  it('a later sheet whose rows differ from the count the package thread gave fails the report, never writes another', async () => {
    const job = await waitForJob(sample.input);
    const { auditChain } = sample.built.manifest.predicate;
    const decisionsJson = sample.built.files['decisions.json']!;
    for (const wrong of [{ overrides: job.sheetRows!.overrides + 1 }, { highRisk: 0 }, { remediationLinks: true }]) {
      const draft = reportHere({ ...job, decisionsEntry: undefined, decisionsJson, sheetRows: { ...job.sheetRows!, ...wrong } });
      await expect(draft.finish(auditChain), JSON.stringify(wrong)).rejects.toThrow();
    }
    // The whole-items path agrees with what the stream was told.
    expect(job.sheetRows!.highRisk).toBeGreaterThan(0);
    expect(job.sheetRows!.overrides).toBeGreaterThan(0);
  });
});

/** The report job a build of `input` starts (its report written here meanwhile; the build itself is awaited). */
async function waitForJob(input = sample.input): Promise<ReportJob> {
  let job: ReportJob | undefined;
  await buildCertificationPackage(input, sample.signers, {
    reportBuilder: {
      start(j, here) {
        job = j;
        return here!();
      },
    },
  });
  return job!;
}

describe('a streamed table', () => {
  const columns: Table['columns'] = [
    { header: 'Item', kind: 'text', width: 20, distinct: true },
    { header: 'Reviewer', kind: 'text', width: 20 },
    { header: 'Number', kind: 'integer', width: 10 },
  ];
  const row = (i: number) => [`item-${i}`, `reviewer-${i % 3}`, i];
  async function* runsOf(count: number, size: number): AsyncGenerator<RowSource> {
    for (let from = 0; from < count; from += size) {
      const n = Math.min(size, count - from);
      yield { length: n, row: (i) => row(from + i) };
    }
  }
  const info = { title: 't', creator: 'test', createdAt: new Date(0), maxSheetRows: 5 };

  it('gives the bytes of the same rows at hand, split at the row limit (runs cut across sheets)', async () => {
    const whole = await writeWorkbook([{ name: 'Items', columns, rows: { length: 11, row } }], info);
    for (const size of [1, 3, 4, 11]) {
      const streamed = await writeWorkbook([{ name: 'Items', columns, rowCount: 11, runs: runsOf(11, size) }], info);
      expect(Buffer.compare(streamed, whole), `runs of ${size}`).toBe(0);
    }
  });

  it('refuses fewer or more rows than declared, split or not', async () => {
    for (const [declared, given, limit] of [
      [11, 10, 5],
      [11, 12, 5],
      [3, 2, 100],
      [3, 4, 100],
    ] as const) {
      const write = writeWorkbook([{ name: 'Items', columns, rowCount: declared, runs: runsOf(given, 2) }], {
        ...info,
        maxSheetRows: limit,
      });
      await expect(write, `${given} of ${declared}`).rejects.toThrow(/"Items( \(\d\))?": /);
    }
  });
});

describe('decisions.csv written on the report thread', () => {
  it('from the runs it reads: the file decisionsCsvBytes gives, its digest, and the package keeps it', async () => {
    installNodeRuntime();
    const job = await waitForJob(sample.input);
    expect(job.decisionsCsv).toBe(true);
    const built = await buildCertificationPackage(sample.input, sample.signers);
    const draft = reportHere({ ...job, decisionsEntry: undefined, decisionsJson: built.files['decisions.json']! });
    await draft.finish(sample.built.manifest.predicate.auditChain);
    const [csv, ...others] = draft.files!();
    expect(others).toStrictEqual([]);
    expect(csv!.file).toBe('decisions.csv');
    const expected = decisionsCsvBytes(packageItems(sample.input), new Map(sample.input.reviewers.map((r) => [r.id, r.name])));
    const inflated = await inflateEntry(joinParts(csv!.entry.data), csv!.entry.size, csv!.entry.crc32);
    expect(Buffer.compare(inflated as Uint8Array, expected)).toBe(0);
    expect(csv!.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(Buffer.compare(built.files['decisions.csv']!, expected)).toBe(0);
  });
});

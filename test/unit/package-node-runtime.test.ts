// The arw CLI's Node runtime: the audit-log worker (electron/cli/node-runtime.ts) gives the same analysis as this
// thread, also once closed; verifyCertificationPackageOnNode reports exactly what verifyCertificationPackage reports,
// on the committed fixtures and on tampered packages.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NODE_PRIMITIVES } from '../../electron/cli/node-primitives';
import { startAuditLogWorker, verifyCertificationPackageOnNode, type AuditLogWorker } from '../../electron/cli/node-runtime';
import { verifyCertificationPackage } from '../../shared/exchange';
import { bytesToHex } from '../../shared/codec/digest';
import { crc32, openPackageArchive, parseTrustedKeys } from '../../shared/package';
import type { PackageItem, TrustedKey, VerifyReport } from '../../shared/package';
import type { ArchiveEntry } from '../../shared/codec';
import { analyzeAuditLog, findingsOf, type AuditLogContext } from '../../shared/package/audit-log-analysis';
import { readDecisions } from '../../shared/package/package-documents';
import { writeAuditLog } from '../../shared/package/audit-chain-check';
import { storedEntryOf } from '../../shared/codec/archive-reader';
import { deflateEntry } from '../../shared/codec/deflate-codec';
import { installRuntimePrimitives, resetRuntimePrimitives } from '../../shared/codec/runtime-primitives';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody } from '../../shared/review/types';
import {
  bytesOf,
  entriesOf,
  flipByte,
  rawZip,
  replaceEntry,
  rezip,
  samplePackage,
  text,
  type SamplePackage,
} from '../fixtures/packages/package-kit';

const DIR = resolve('test/fixtures/packages');
const PKG = new Uint8Array(readFileSync(resolve(DIR, 'sample.arwpkg')));
const MERGED = new Uint8Array(readFileSync(resolve(DIR, 'sample-merged.arwpkg')));
const parsedKeys = parseTrustedKeys(JSON.parse(readFileSync(resolve(DIR, 'trusted-keys.json'), 'utf8')));
const fixtureKeys: TrustedKey[] = parsedKeys.ok ? parsedKeys.keys : [];

afterEach(() => {
  resetRuntimePrimitives();
});

// ---------------------------------------------------------------- the worker and verification on Node

let sample: SamplePackage;
let entries: ArchiveEntry[];
let logLines: string[];

beforeAll(async () => {
  sample = await samplePackage({ items: 60, seed: 17 });
  entries = await entriesOf(sample.built.bytes);
  logLines = text(entries.find((e) => e.name === 'audit-log.jsonl')!.bytes)
    .slice(0, -1)
    .split('\n');
});

const withLog = (lines: readonly string[]) => rezip(replaceEntry(entries, 'audit-log.jsonl', bytesOf(lines.map((l) => `${l}\n`).join(''))));

/** The audit log's events changed and chained again (hashes recomputed), written canonically. */
function rechainedLog(change: (e: AuditEvent, i: number) => AuditEvent): Uint8Array {
  const events = logLines.map((l) => JSON.parse(l) as AuditEvent).map(change);
  const out: AuditEvent[] = [];
  for (const { seq: _s, prevHash: _p, hash: _h, ...body } of events) out.push(chainEvent(out.at(-1) ?? null, body as AuditEventBody));
  return writeAuditLog(out).bytes;
}

describe('the audit-log worker', () => {
  let worker: AuditLogWorker;
  let context: AuditLogContext;

  beforeAll(() => {
    worker = startAuditLogWorker();
    context = {
      campaignId: sample.input.campaign.id,
      reviewers: sample.input.reviewers.map((r) => ({ id: r.id, fingerprint: r.keyFingerprint })),
    };
  });

  afterAll(async () => {
    await worker.close();
  });

  it('analyses a log as this thread does: intact, tampered, unreadable, with and without context', async () => {
    const logs = [
      logLines,
      logLines.map((l, i) => (i === 3 ? l.replace('"at":"2026', '"at":"2025') : l)),
      [...logLines.slice(0, 5), 'not json', ...logLines.slice(5)],
      logLines.map((l, i) => (i === 9 ? JSON.stringify(JSON.parse(l), null, 1).replace(/\n/g, '') : l)),
    ].map((ls): Uint8Array => bytesOf(ls.map((l) => `${l}\n`).join('')));
    logs.push(
      new Uint8Array(),
      Uint8Array.from([0xff, 0x0a]),
      rechainedLog((e, i) => (i === 2 ? { ...e, campaignId: 'another' } : e)),
    );
    for (const bytes of logs) {
      for (const ctx of [context, null]) {
        const here = analyzeAuditLog(bytes, ctx);
        const there = await worker.analyze(bytes, ctx);
        expect(there).toStrictEqual(here);
        if (there.readable && here.readable) expect([...there.standing]).toStrictEqual([...here.standing]);
      }
    }
  });

  it('several requests at once each get their own answer', async () => {
    const variants = [logLines, logLines.slice(0, 10), logLines.slice(0, 1), ['{}']].map((ls) => bytesOf(ls.map((l) => `${l}\n`).join('')));
    const results = await Promise.all(variants.map((b) => worker.analyze(b, context)));
    expect(results).toStrictEqual(variants.map((b) => analyzeAuditLog(b, context)));
  });

  it("reads a log straight from its deflated entry: the same findings (decisions.json compared with it), and the file's SHA-256", async () => {
    const logs = [
      logLines,
      logLines.map((l, i) => (i === 3 ? l.replace('"at":"2026', '"at":"2025') : l)),
      [...logLines.slice(0, 5), 'not json', ...logLines.slice(5)],
    ].map((ls): Uint8Array => bytesOf(ls.map((l) => `${l}\n`).join('')));
    // Larger than one inflated piece (1 MiB), so it is analysed over several.
    logs.push(
      bytesOf(
        Array.from({ length: 8 }, () => logLines.map((l) => `${l}\n`).join(''))
          .join('')
          .repeat(Math.ceil((1.5 * 2 ** 20) / (8 * logLines.join('\n').length))),
      ),
    );
    logs.push(new Uint8Array(), Uint8Array.from([0xff, 0x0a]));
    const decisions = readDecisions(entries.find((e) => e.name === 'decisions.json')!.bytes);
    if (!decisions.ok) throw new Error('the sample decisions.json does not read');
    const items = decisions.value.items;
    const changed = items.map((item, i) =>
      i === 4 && item.decision ? { ...item, decision: { ...item.decision, at: '2020-01-01T00:00:00.000Z' } } : item,
    );
    const itemLists: (PackageItem[] | null)[] = [items, null, changed, [...items.slice(0, 10), items[3]!, ...items.slice(12)]];
    installRuntimePrimitives(NODE_PRIMITIVES);
    for (const bytes of logs) {
      const { deflated, crc32: crc } = await deflateEntry(bytes);
      for (const ctx of [context, null]) {
        for (const list of itemLists) {
          // The items come at once, or only after a while (the worker has read the log by then).
          const late = new Promise<PackageItem[] | null>((r) => setTimeout(() => r(list), 30));
          for (const given of [Promise.resolve(list), late]) {
            const found = await worker.analyzeEntry(storedEntryOf(8, deflated, bytes.length, crc), ctx, given);
            expect(found).not.toBeNull();
            expect(found!.sha256).toBe(bytesToHex(sha256(bytes)));
            expect(found!.findings).toStrictEqual(findingsOf(analyzeAuditLog(bytes, ctx), list));
          }
        }
      }
    }
    // The findings say what differs (so the comparison above compares something).
    const first = await deflateEntry(logs[0]!);
    const intact = await worker.analyzeEntry(
      storedEntryOf(8, first.deflated, logs[0]!.length, first.crc32),
      context,
      Promise.resolve(changed),
    );
    expect(intact?.findings.readable && intact.findings.consistency?.mismatches.map((m) => m.itemId)).toStrictEqual([changed[4]!.itemId]);
  });

  it('gives nothing for an entry it cannot read as the archive states it (the verifier then reads it itself)', async () => {
    const bytes = bytesOf(logLines.map((l) => `${l}\n`).join(''));
    installRuntimePrimitives(NODE_PRIMITIVES);
    const { deflated, crc32: crc } = await deflateEntry(bytes);
    const entry = storedEntryOf(8, deflated, bytes.length, crc);
    expect(await worker.analyzeEntry(entry, context, Promise.resolve(null))).not.toBeNull();
    const broken = [
      storedEntryOf(8, deflated, bytes.length, (crc + 1) >>> 0),
      storedEntryOf(8, deflated, bytes.length - 1, crc),
      storedEntryOf(8, deflated, bytes.length + 1, crc),
      storedEntryOf(8, flipByte(deflated, deflated.length >> 1), bytes.length, crc),
      storedEntryOf(8, deflated.subarray(0, deflated.length >> 1), bytes.length, crc),
      storedEntryOf(0, bytes, bytes.length, crc32(bytes)),
    ];
    for (const e of broken) expect(await worker.analyzeEntry(e, context, Promise.resolve(null))).toBeNull();
    // The worker is still there for the next request.
    expect(await worker.analyzeEntry(entry, context, Promise.resolve(null))).not.toBeNull();
  });

  it('once closed, analyze falls back to the same result on this thread', async () => {
    const closing = startAuditLogWorker();
    const bytes = bytesOf(logLines.map((l) => `${l}\n`).join(''));
    const before = await closing.analyze(bytes, context);
    await closing.close();
    const after = await closing.analyze(bytes, context);
    expect(after).toStrictEqual(analyzeAuditLog(bytes, context));
    expect(after).toStrictEqual(before);
    await closing.close();
  });
});

/** The report fields the brief names, compared one by one (then the whole report). */
function expectSameReport(node: VerifyReport, portable: VerifyReport): void {
  expect(node.verdict).toBe(portable.verdict);
  expect(node.reasons).toStrictEqual(portable.reasons);
  expect(node.warnings).toStrictEqual(portable.warnings);
  expect(node.checks).toStrictEqual(portable.checks);
  expect(node.chain).toStrictEqual(portable.chain);
  expect(node.completeness).toStrictEqual(portable.completeness);
  expect(node.counts).toStrictEqual(portable.counts);
  expect(node.signers).toStrictEqual(portable.signers);
  expect(node.files).toStrictEqual(portable.files);
  expect(node).toStrictEqual(portable);
}

async function compareVerification(bytes: Uint8Array, trustedKeys: TrustedKey[] | undefined): Promise<VerifyReport> {
  resetRuntimePrimitives();
  const portable = await verifyCertificationPackage(bytes, trustedKeys ? { trustedKeys } : {});
  // installNodeRuntime installs once per thread and afterEach resets: install here so every run has Node's primitives.
  installRuntimePrimitives(NODE_PRIMITIVES);
  const node = await verifyCertificationPackageOnNode(bytes, trustedKeys ? { trustedKeys } : {});
  resetRuntimePrimitives();
  expectSameReport(node, portable);
  return node;
}

describe('verifyCertificationPackageOnNode reports what verifyCertificationPackage reports', () => {
  it('the committed sample and merged packages (valid), with and without a trust list', async () => {
    for (const bytes of [PKG, MERGED]) {
      const report = await compareVerification(bytes, fixtureKeys);
      expect(report.verdict).toBe('valid');
      expect(report.chain).not.toBeNull();
      await compareVerification(bytes, undefined);
    }
  });

  it('a freshly built package (valid)', async () => {
    const report = await compareVerification(sample.built.bytes, sample.trustedKeys);
    expect(report.reasons).toStrictEqual([]);
    expect(report.verdict).toBe('valid');
  });

  const variants: Array<[string, () => Promise<Uint8Array>]> = [
    [
      'an audit event altered (hash not recomputed)',
      () => withLog(logLines.map((l, i) => (i === 7 ? l.replace('"at":"2026', '"at":"2025') : l))),
    ],
    [
      'an audit event’s hash changed',
      () => withLog(logLines.map((l, i) => (i === 4 ? l.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'a'.repeat(64)}"`) : l))),
    ],
    ['two audit lines swapped', () => withLog(logLines.map((l, i) => (i === 2 ? logLines[3]! : i === 3 ? logLines[2]! : l)))],
    ['the last audit event removed', () => withLog(logLines.slice(0, -1))],
    [
      'an audit line with its keys reordered (hash still valid, only canonicality differs)',
      () =>
        withLog(
          logLines.map((l, i) => (i === 6 ? JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).reverse())) : l)),
        ),
    ],
    [
      'an audit line with extra white space (hash still valid)',
      () => withLog(logLines.map((l, i) => (i === 6 ? JSON.stringify(JSON.parse(l), null, 2).replace(/\n/g, ' ') : l))),
    ],
    ['an audit line that is not JSON', () => withLog([...logLines.slice(0, 3), '{"seq":', ...logLines.slice(3)])],
    ['an audit line that is not an event', () => withLog([...logLines.slice(0, 3), '{"seq":4}', ...logLines.slice(3)])],
    ['the audit log not valid UTF-8', async () => rezip(replaceEntry(entries, 'audit-log.jsonl', Uint8Array.from([0xc3, 0x28, 0x0a])))],
    ['the audit log without its final newline', async () => rezip(replaceEntry(entries, 'audit-log.jsonl', bytesOf(logLines.join('\n'))))],
    ['the audit log empty', async () => rezip(replaceEntry(entries, 'audit-log.jsonl', new Uint8Array()))],
    ['the audit log removed', async () => rezip(entries.filter((e) => e.name !== 'audit-log.jsonl'))],
    [
      'audit events by an unknown actor and of another campaign (chain re-hashed)',
      async () =>
        rezip(
          replaceEntry(
            entries,
            'audit-log.jsonl',
            rechainedLog((e, i) =>
              i === 1
                ? { ...e, actor: { id: 'mallory', name: 'Mallory', keyFingerprint: 'SHA256:00' } }
                : i === 2
                  ? { ...e, campaignId: 'other' }
                  : e,
            ),
          ),
        ),
    ],
    [
      'an undo appended to the audit log (chain intact, decisions disagree)',
      async () => {
        const events = logLines.map((l) => JSON.parse(l) as AuditEvent);
        const last = [...events].reverse().find((e) => e.type === 'decision')!;
        events.push(
          chainEvent(events.at(-1)!, {
            campaignId: last.campaignId,
            type: 'undo',
            at: '2027-01-01T00:00:00.000Z',
            actor: last.actor,
            itemId: last.itemId,
            refersTo: last.seq,
          }),
        );
        return rezip(replaceEntry(entries, 'audit-log.jsonl', writeAuditLog(events).bytes));
      },
    ],
    [
      'a byte flipped in decisions.json',
      async () => {
        const d = entries.find((e) => e.name === 'decisions.json')!.bytes;
        return rezip(replaceEntry(entries, 'decisions.json', flipByte(d, d.length >> 1)));
      },
    ],
    [
      'a byte flipped in the manifest',
      async () => {
        const m = entries.find((e) => e.name === 'manifest.intoto.json')!.bytes;
        return rezip(replaceEntry(entries, 'manifest.intoto.json', flipByte(m, m.length >> 1)));
      },
    ],
    ['the archive truncated', async () => sample.built.bytes.subarray(0, sample.built.bytes.length - 100)],
    ['a byte flipped inside the archive’s compressed data', async () => flipByte(sample.built.bytes, sample.built.bytes.length >> 2)],
    ['not a ZIP at all', async () => bytesOf('not a zip')],
    // Hostile input the verifier must report, not throw on: a number JSON.parse reads as Infinity in an audit line.
    [
      'an audit line holding a number beyond the double range (1e400)',
      () => withLog(logLines.map((l, i) => (i === 5 ? l.replace(/}$/, ',"zzz":1e400}') : l))),
    ],
    // An entry whose compressed data inflates to more than its headers declare (rawZip writes the lie in both).
    [
      'audit-log.jsonl declaring one byte fewer than it inflates to',
      async () =>
        rawZip(
          entries.map((e) => ({
            name: e.name,
            data: e.bytes,
            method: e.name === 'report.xlsx' ? 0 : 8,
            ...(e.name === 'audit-log.jsonl' ? { declaredSize: e.bytes.length - 1 } : {}),
          })),
        ),
    ],
    [
      'audit-log.jsonl declaring one byte more than it inflates to',
      async () =>
        rawZip(
          entries.map((e) => ({
            name: e.name,
            data: e.bytes,
            method: e.name === 'report.xlsx' ? 0 : 8,
            ...(e.name === 'audit-log.jsonl' ? { declaredSize: e.bytes.length + 1 } : {}),
          })),
        ),
    ],
    [
      'a byte flipped in the audit log’s compressed data',
      async () => {
        const zip = rawZip(entries.map((e) => ({ name: e.name, data: e.bytes, method: e.name === 'report.xlsx' ? 0 : 8 })));
        const stored = openPackageArchive(zip);
        if (!stored.ok) throw new Error('the archive does not open');
        const log = await stored.entries.find((e) => e.name === 'audit-log.jsonl')!.stored.data();
        return flipByte(zip, log.byteOffset + (log.length >> 1));
      },
    ],
    [
      'decisions.json declaring half its size',
      async () =>
        rawZip(
          entries.map((e) => ({
            name: e.name,
            data: e.bytes,
            method: e.name === 'report.xlsx' ? 0 : 8,
            ...(e.name === 'decisions.json' ? { declaredSize: e.bytes.length >> 1 } : {}),
          })),
        ),
    ],
  ];
  for (const [name, make] of variants) {
    it(name, async () => {
      const bytes = await make();
      const report = await compareVerification(bytes, sample.trustedKeys);
      expect(report.verdict).toBe('invalid');
      expect(report.reasons.length).toBeGreaterThan(0);
    });
  }

  it('a package whose audit log is stored, not deflated (the worker leaves it to the calling thread): the same, only the layout finding', async () => {
    const bytes = rawZip(
      entries.map((e) => ({ name: e.name, data: e.bytes, method: e.name === 'report.xlsx' || e.name === 'audit-log.jsonl' ? 0 : 8 })),
    );
    const report = await compareVerification(bytes, sample.trustedKeys);
    // Stored instead of deflated departs from the documented layout (layout-check.ts); nothing else is wrong.
    expect(report.reasons.map((r) => r.message)).toStrictEqual([
      expect.stringMatching(/^audit-log\.jsonl is stored, but a package keeps it deflated/),
    ]);
    expect(report.files.find((f) => f.name === 'audit-log.jsonl')?.status).toBe('ok');
  });

  it('a tampered committed fixture (its audit log altered) reports the same', async () => {
    for (const fixture of [PKG, MERGED]) {
      const list = await entriesOf(fixture);
      const lines = text(list.find((e) => e.name === 'audit-log.jsonl')!.bytes)
        .slice(0, -1)
        .split('\n');
      const bytes = await rezip(
        replaceEntry(
          list,
          'audit-log.jsonl',
          bytesOf(lines.map((l, i) => `${i === 1 ? l.replace('"at":"2026', '"at":"2024') : l}\n`).join('')),
        ),
      );
      const report = await compareVerification(bytes, fixtureKeys);
      expect(report.verdict).toBe('invalid');
    }
  });
});

// The export's fast paths must write the very bytes the full rules write: a CSV cell that skips the formula and
// quoting rules because one scan found nothing to do; slices handed to the compressor from a reused buffer; the
// archive written to a file as it is made (entries spooled) rather than held.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NODE_PRIMITIVES } from '../../electron/cli/node-primitives';
import {
  buildCertificationPackageOnNode,
  buildCertificationPackageToFile,
  verifyCertificationPackageOnNode,
} from '../../electron/cli/node-runtime';
import { assembleZipParts, openZipEntry, preparedContent } from '../../shared/codec/archive-writer';
import { installRuntimePrimitives, resetRuntimePrimitives } from '../../shared/codec/runtime-primitives';
import { csvCell } from '../../shared/codec/csv-writer';
import { neutraliseAfterSeparators, neutraliseFormula } from '../../shared/codec/formula-safety';
import type { CellValue } from '../../shared/codec/table-cells';
import { deflateEntry } from '../../shared/codec/deflate-codec';
import { reportJobHandlers } from '../../shared/package/report-job';
import { packageItems } from '../../shared/package/decisions-file';
import type { CertificationInput } from '../../shared/package/types';
import type { Transfer } from '../../shared/rpc';
import { samplePackage } from '../fixtures/packages/package-kit';

/** csvCell's rules applied in full to every cell (as csvCell did before its fast path). */
function fullRules(value: CellValue): string {
  const text =
    value === null ? '' : value instanceof Date ? value.toISOString() : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  const safe = neutraliseAfterSeparators(neutraliseFormula(text));
  return /[",;\t\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

describe('a CSV cell', () => {
  it('is written as the full rules write it, for every kind of text', () => {
    const awkward = fc.constantFrom(
      '',
      ' ',
      'a ',
      ' a',
      '=1+1',
      '+1',
      '-2',
      '@x',
      'a;=b',
      'a,b',
      'say "hi"',
      '\t=x',
      'x\r\n-y',
      '\u00a0=x',
      '＝1',
      'Zoë',
      'a\u001fb',
      '~!#$%^&*()_{}|:<>?[]\\/`',
    );
    const cell = fc.oneof(
      awkward,
      fc.string(),
      fc.string({ unit: fc.constantFrom('a', ' ', '=', ';', ',', '"', '\t', '\n', '-', '@', 'é', '\u2028') }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(cell, (value) => {
        expect(csvCell(value)).toBe(fullRules(value));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('a zip entry written from one reused buffer', () => {
  afterEach(() => resetRuntimePrimitives());

  it.each([
    ['Node (pooled copies)', true],
    ['portable (copies kept)', false],
  ])('%s: each slice may be written over as soon as write() resolves, and the entry still holds every slice', async (_name, node) => {
    if (node) installRuntimePrimitives(NODE_PRIMITIVES);
    // About 40 MB in slices of a mebibyte and a bit (some past the pooled size), all from one buffer written over
    // at once, as ByteWriter.takeView hands them: far more slices than the stream's high-water mark holds.
    const buffer = new Uint8Array(2 * 1024 * 1024 + 4096);
    const entry = openZipEntry('reused.bin');
    const expected = createHash('sha256');
    let seed = 11;
    for (let s = 0; s < 38; s++) {
      const length = s % 9 === 8 ? buffer.length : 1024 * 1024 + s * 977;
      for (let i = 0; i < length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        buffer[i] = 97 + ((seed >>> 16) % 7);
      }
      const slice = buffer.subarray(0, length);
      expected.update(slice);
      await entry.write(slice);
      buffer.fill(0); // written over at once
    }
    const closed = entry.close();
    const archive = await assembleZipParts([closed.entry]);
    const content = preparedContent(archive.prepared[0]!);
    expect(createHash('sha256').update(content).digest('hex')).toBe(expected.copy().digest('hex'));
    expect(await closed.sha256).toBe(expected.digest('hex'));
  });
});

describe('a package written to a file as it is made', () => {
  let dir: string;
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'arw-export-file-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => resetRuntimePrimitives());

  it('is byte for byte the archive held in memory, verifies, and leaves no spool behind', async () => {
    // 3,000 items: every long file is several slices, and each entry is spooled in several pieces.
    const sample = await samplePackage({ items: 3000, seed: 9 });
    const inMemory = await buildCertificationPackageOnNode(sample.input, sample.signers);
    const file = join(dir, 'package.arwpkg');
    const phases: string[] = [];
    const written = await buildCertificationPackageToFile(sample.input, sample.signers, file, { phaseEnded: (p) => phases.push(p) });
    expect(phases).toContain('compression finished, archive written');
    const bytes = new Uint8Array(readFileSync(file));
    expect(Buffer.compare(bytes, inMemory.bytes)).toBe(0);
    expect(written.size).toBe(bytes.length);
    expect(written.manifest).toStrictEqual(inMemory.manifest);
    expect(written.fileSizes).toStrictEqual(inMemory.fileSizes);
    expect(() => written.bytes).toThrow(/written to its destination/);
    expect(readdirSync(dir)).toStrictEqual(['package.arwpkg']);
    const report = await verifyCertificationPackageOnNode(bytes, { trustedKeys: sample.trustedKeys });
    expect(report.verdict).toBe('valid');
  }, 120_000);

  it('leaves nothing at the destination when the build fails', async () => {
    const sample = await samplePackage({ items: 20, seed: 3 });
    const file = join(dir, 'failed.arwpkg');
    await expect(buildCertificationPackageToFile(sample.input, [], file)).rejects.toThrow(/at least one signer/);
    expect(readdirSync(dir).filter((name) => name.startsWith('failed'))).toStrictEqual([]);
  });
});

describe("the report thread's copy of decisions.json", () => {
  afterEach(() => resetRuntimePrimitives());

  it('comes deflated, is inflated there with its CRC-32 checked, and a damaged one fails the report', async () => {
    installRuntimePrimitives(NODE_PRIMITIVES);
    const sample = await samplePackage({ items: 40, seed: 4 });
    const json = sample.built.files['decisions.json']!;
    const { deflated, crc32 } = await deflateEntry(json);
    const job = { names: [], predicate: sample.built.manifest.predicate, metrics: [], sources: [], policy: {} };
    const handlers = reportJobHandlers();
    const chain = sample.built.manifest.predicate.auditChain;
    handlers.reportStart({ id: 1, job: { ...job, decisionsJson: json } });
    handlers.reportStart({ id: 2, job: { ...job, decisionsEntry: { deflated, size: json.length, crc32 } } });
    handlers.reportStart({ id: 3, job: { ...job, decisionsEntry: { deflated, size: json.length, crc32: crc32 ^ 1 } } });
    // The handlers reply with the workbook marked for transfer (shared/rpc's Transfer): its value holds the bytes.
    const bytesOf = async (reply: Promise<{ report: Uint8Array }>) =>
      ((await reply) as unknown as Transfer<{ report: Uint8Array }>).value.report;
    const fromBytes = await bytesOf(handlers.reportFinish({ id: 1, auditChain: chain }));
    const fromEntry = await bytesOf(handlers.reportFinish({ id: 2, auditChain: chain }));
    expect(fromBytes.length).toBeGreaterThan(1000);
    expect(Buffer.compare(fromEntry, fromBytes)).toBe(0);
    await expect(handlers.reportFinish({ id: 3, auditChain: chain })).rejects.toThrow(/cannot inflate decisions\.json: crc-mismatch/);
  }, 60_000);
});

describe("decisions.json's items", () => {
  it('share one copy of an identity or target per id while its members are the same, and are written as copied one by one', () => {
    const identity = (id: string, displayName: string) => ({
      id,
      displayName,
      type: 'human' as const,
      status: 'active' as const,
      email: 'x@y',
    });
    const target = (id: string, name: string) => ({
      kind: 'entitlement' as const,
      id,
      name,
      application: 'App',
      privilege: 'read' as const,
      extra: 1,
    });
    // u1 twice in a row, then again after u2; then u1 renamed (its own copy); e1 held by all but one, renamed once.
    const rows: Array<[string, string, string, string]> = [
      ['u1', 'Ann', 'e1', 'Admins'],
      ['u1', 'Ann', 'e2', 'Users'],
      ['u2', 'Bob', 'e1', 'Admins'],
      ['u1', 'Ann', 'e1', 'Admins'],
      ['u1', 'Ann Lee', 'e1', 'Admins (old)'],
      ['u1', 'Ann', 'e1', 'Admins'],
    ];
    const input = {
      items: rows.map(([u, n, e, t], i) => ({
        itemId: `i${i}`,
        identity: identity(u, n),
        target: target(e, t),
        suggestion: null,
        decision: null,
      })),
    } as unknown as CertificationInput;
    const items = packageItems(input);
    const oneByOne = input.items.map((item) => ({
      itemId: item.itemId,
      identity: { id: item.identity.id, displayName: item.identity.displayName, type: item.identity.type, status: item.identity.status },
      target: {
        kind: item.target!.kind,
        id: item.target!.id,
        name: item.target!.name,
        application: item.target!.application,
        privilege: item.target!.privilege,
      },
      suggestion: null,
      decision: null,
    }));
    expect(items.map((i) => JSON.stringify(i))).toEqual(oneByOne.map((i) => JSON.stringify(i)));
    expect(items[1]!.identity).toBe(items[0]!.identity);
    expect(items[3]!.identity).toBe(items[0]!.identity);
    expect(items[3]!.target).toBe(items[0]!.target);
    expect(items[4]!.identity).not.toBe(items[0]!.identity);
    expect(items[4]!.target!.name).toBe('Admins (old)');
    expect(items[5]!.identity.displayName).toBe('Ann');
    expect(items[5]!.target!.name).toBe('Admins');
  });
});

describe("decisions.json's decisions", () => {
  /** The decision as packageItems copied every one, member by member. */
  const copied = (d: Record<string, unknown>) => ({
    action: d.action,
    reviewerId: d.reviewerId,
    at: d.at,
    rationale: d.rationale ?? null,
    acceptedSuggestion: d.acceptedSuggestion,
    approver: d.approver ? { id: (d.approver as { id: string }).id, at: (d.approver as { at: string }).at } : null,
    ...(d.ownerId !== undefined ? { ownerId: d.ownerId } : {}),
    ...(d.keepUntil !== undefined ? { keepUntil: d.keepUntil } : {}),
    ...(d.escalatedTo !== undefined ? { escalatedTo: d.escalatedTo } : {}),
    ...(d.remediation !== undefined ? { remediation: d.remediation } : {}),
    ...(d.carried
      ? {
          carried: (({ packageDigest, action, reviewerId, at }: Record<string, unknown>) => ({ packageDigest, action, reviewerId, at }))(
            d.carried as Record<string, unknown>,
          ),
        }
      : {}),
  });
  const base = { action: 'keep', reviewerId: 'r1', at: '2026-10-01T08:00:00.000Z', rationale: null, acceptedSuggestion: true };
  const approver = { id: 'r2', at: '2026-10-02T08:00:00.000Z' };
  const inForm: Record<string, unknown>[] = [
    { ...base, approver: null },
    { ...base, rationale: 'still needed', approver, ownerId: 'u9', escalatedTo: 'r3' },
    { ...base, action: 'revoke', approver: null, remediation: { kind: 'group', member: 'u1', group: 'g1', blastRadius: 3 } },
  ];
  const notInForm: Record<string, unknown>[] = [
    { action: 'keep', reviewerId: 'r1', at: base.at, acceptedSuggestion: true, approver: null }, // no rationale
    { reviewerId: 'r1', action: 'keep', at: base.at, rationale: null, acceptedSuggestion: true, approver: null }, // order
    { ...base, approver: null, keepUntil: '2027-01-01', ownerId: 'u9' }, // details out of order
    { ...base, approver: { at: approver.at, id: approver.id } }, // approver's members out of order
    { ...base, approver: { ...approver, note: 'x' } },
    { ...base, approver: null, ownerId: undefined },
    { ...base, approver: null, note: 'not a member of the file' },
    { ...base, approver: null, carried: { at: base.at, reviewerId: 'r1', action: 'keep', packageDigest: 'sha256:00' } },
    Object.assign(Object.create({ inherited: true }) as object, base, { approver: null }),
  ];

  it("are the caller's own where already in the file's form, else copies, and are written the same either way", () => {
    const all = [...inForm, ...notInForm];
    const input = {
      items: all.map((decision, i) => ({
        itemId: `i${i}`,
        identity: { id: 'u1', displayName: 'Ann', type: 'human', status: 'active' },
        target: null,
        suggestion: null,
        decision,
      })),
    } as unknown as CertificationInput;
    const items = packageItems(input);
    items.forEach((item, i) => {
      expect(JSON.stringify(item.decision)).toBe(JSON.stringify(copied(all[i]!)));
      if (i < inForm.length) expect(item.decision).toBe(all[i]);
      else expect(item.decision).not.toBe(all[i]);
    });
  });
});

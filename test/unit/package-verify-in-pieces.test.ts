// Verification with bounded memory on Node: the files checked only by digest (or by the digest of what they must
// render to) inflated a piece at a time and never held whole, and the audit log read through a sliding window.
// Each is held to what the whole-file path finds.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NODE_PRIMITIVES } from '../../electron/cli/node-primitives';
import { verifyCertificationPackage } from '../../shared/exchange';
import { deflateEntry, inflateEntry, inflateEntryPieces } from '../../shared/codec/deflate-codec';
import { installRuntimePrimitives, resetRuntimePrimitives, type RuntimePrimitives } from '../../shared/codec/runtime-primitives';
import type { ArchiveEntry } from '../../shared/codec';
import { openPackageArchive, verifyPackage } from '../../shared/package';
import type { Statement, VerifyReport } from '../../shared/package';
import { readAuditLogChunks } from '../../shared/package/audit-log-stream';
import type { AuditLogContext } from '../../shared/package/audit-log-analysis';
import {
  DERIVED_FILE_CHANGES,
  bytesOf,
  entriesOf,
  flipByte,
  rawZip,
  replaceEntry,
  resignedWith,
  rezip,
  samplePackage,
  text,
  type SamplePackage,
} from '../fixtures/packages/package-kit';

afterEach(() => resetRuntimePrimitives());

let sample: SamplePackage;
let entries: ArchiveEntry[];

beforeAll(async () => {
  sample = await samplePackage({ items: 60, seed: 23 });
  entries = await entriesOf(sample.built.bytes);
});

const IN_PIECES = [
  'decisions.csv',
  'report.xlsx',
  'remediation.json',
  'remediation.csv',
  'oscal/assessment-results.json',
  'oscal/poam.json',
];

/** Node's primitives, counting the incremental hashes taken (each file read in pieces takes one). */
function nodePrimitivesCounting(): { primitives: RuntimePrimitives; hashes: () => number } {
  let count = 0;
  return {
    primitives: {
      ...NODE_PRIMITIVES,
      sha256Stream: () => {
        count++;
        return NODE_PRIMITIVES.sha256Stream!();
      },
    },
    hashes: () => count,
  };
}

function concat(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('inflateEntryPieces', () => {
  it('hands on what inflateEntry gives, in pieces on Node (copied out, as pieces are valid only during the call) and whole without', async () => {
    const large = bytesOf('a line of a large file, over and over\n'.repeat(120_000));
    for (const data of [new Uint8Array(), bytesOf('a'), large]) {
      const { deflated, crc32 } = await deflateEntry(data);
      for (const node of [false, true]) {
        if (node) installRuntimePrimitives(NODE_PRIMITIVES);
        else resetRuntimePrimitives();
        const pieces: Uint8Array[] = [];
        const size = await inflateEntryPieces(deflated, data.length, crc32, (p) => pieces.push(p.slice()));
        expect(size).toBe(data.length);
        // Compared natively: a deep equality of megabytes, element by element, takes the matcher minutes.
        expect(Buffer.from(concat(pieces)).equals(data)).toBe(true);
        if (node && data === large) expect(pieces.length).toBeGreaterThan(1);
      }
    }
  });

  it('refuses more output than declared and reports a wrong CRC as inflateEntry does, on Node and without', async () => {
    const data = bytesOf('the audit log, line after line\n'.repeat(40_000));
    const { deflated, crc32 } = await deflateEntry(data);
    for (const node of [false, true]) {
      if (node) installRuntimePrimitives(NODE_PRIMITIVES);
      else resetRuntimePrimitives();
      for (const declared of [0, 1, data.length - 1, data.length >> 1]) {
        let handed = 0;
        const out = await inflateEntryPieces(deflated, declared, crc32, (p) => (handed += p.length));
        expect(out, `${node ? 'node' : 'portable'}: declared ${declared}`).toBe(await inflateEntry(deflated, declared, crc32));
        expect(handed).toBeLessThanOrEqual(declared);
      }
      expect(await inflateEntryPieces(deflated, data.length, crc32 ^ 1, () => {})).toBe('crc-mismatch');
      const damaged = await inflateEntryPieces(flipByte(deflated, 3), data.length, crc32, () => {});
      expect(typeof damaged === 'object' || damaged === 'crc-mismatch' || damaged === 'too-large').toBe(true);
    }
  });

  it("an opened entry's pieces name the problem its content names (declared sizes that lie, flipped data)", async () => {
    const variants = [
      rawZip(entries.map((e) => ({ name: e.name, data: e.bytes, method: e.name === 'report.xlsx' ? 0 : 8 }))),
      ...['decisions.csv', 'oscal/poam.json'].flatMap((name) => [-1, 1].map((d) => sized(name, d))),
    ];
    const stored = openPackageArchive(variants[0]!);
    if (!stored.ok) throw new Error('the archive does not open');
    const poam = await stored.entries.find((e) => e.name === 'oscal/poam.json')!.stored.data();
    variants.push(flipByte(variants[0]!, poam.byteOffset + (poam.length >> 1)));
    installRuntimePrimitives(NODE_PRIMITIVES);
    for (const bytes of variants) {
      const opened = openPackageArchive(bytes, {}, { deferred: IN_PIECES });
      if (!opened.ok) throw new Error('the archive does not open');
      for (const entry of opened.entries) {
        const pieces: Uint8Array[] = [];
        const problem = await entry.pieces((p) => pieces.push(p.slice()));
        const content = await entry.content;
        if (typeof content === 'string') expect(problem).toBe(content);
        else {
          expect(problem).toBeNull();
          expect(Buffer.from(concat(pieces)).equals(content), entry.name).toBe(true);
        }
      }
    }
  });
});

/** The sample archive with `name` declaring `delta` bytes more than it inflates to. */
function sized(name: string, delta: number): Uint8Array {
  return rawZip(
    entries.map((e) => ({
      name: e.name,
      data: e.bytes,
      method: e.name === 'report.xlsx' ? 0 : 8,
      ...(e.name === name ? { declaredSize: e.bytes.length + delta } : {}),
    })),
  );
}

describe('verification on Node reads the digest-only files in pieces', () => {
  async function both(bytes: Uint8Array): Promise<{ node: VerifyReport; portable: VerifyReport; hashes: number }> {
    resetRuntimePrimitives();
    const portable = await verifyPackage(bytes, { trustedKeys: sample.trustedKeys });
    const counting = nodePrimitivesCounting();
    installRuntimePrimitives(counting.primitives);
    // As verifyCertificationPackageOnNode runs it (which installs Node's primitives itself), without the worker.
    const node = await verifyCertificationPackage(bytes, { trustedKeys: sample.trustedKeys, parallelInflation: true });
    resetRuntimePrimitives();
    return { node, portable, hashes: counting.hashes() };
  }

  it('a sound package: valid, the same report, each of the six files and decisions.json hashed in pieces', async () => {
    const { node, portable, hashes } = await both(sample.built.bytes);
    expect(node.verdict).toBe('valid');
    expect(node).toStrictEqual(portable);
    // One incremental hash per file read in pieces (decisions.json too: it is parsed as it inflates), and one per
    // rendering compared with it (four of the six).
    expect(hashes).toBe(IN_PIECES.length + 1 + 4);
  });

  it('files changed, damaged or declaring other sizes: the same reasons as reading them whole', async () => {
    const variants = [
      ...[...IN_PIECES, 'decisions.json'].map((name) => {
        const bytes = entries.find((e) => e.name === name)!.bytes;
        return rezip(replaceEntry(entries, name, flipByte(bytes, bytes.length >> 1)));
      }),
      sized('decisions.json', -1),
      sized('decisions.json', 1),
      sized('remediation.csv', -1),
      sized('oscal/assessment-results.json', 1),
      sized('decisions.csv', 1),
    ];
    for (const bytes of await Promise.all(variants)) {
      const { node, portable } = await both(bytes);
      expect(node.verdict).toBe('invalid');
      expect(node.reasons).toStrictEqual(portable.reasons);
      expect(node).toStrictEqual(portable);
    }
  });

  it('remediation files and OSCAL documents that do not follow from the decisions, though signed with every digest right', async () => {
    for (const [file, message, change] of DERIVED_FILE_CHANGES) {
      const original = text(entries.find((e) => e.name === file)!.bytes);
      const changed = change(original);
      expect(changed, file).not.toBe(original);
      const signed = await resignedWith(entries, file, bytesOf(changed), sample.signers);
      const { node, portable, hashes } = await both(await rezip(signed));
      expect(hashes).toBe(IN_PIECES.length + 1 + 4);
      expect(
        node.reasons.map((r) => [r.check, r.message]),
        file,
      ).toEqual([['consistency', message]]);
      expect(node).toStrictEqual(portable);
    }
  });
});

describe('readAuditLogChunks with a window', () => {
  const context = (): AuditLogContext => {
    const statement = JSON.parse(text(entries.find((e) => e.name === 'manifest.intoto.json')!.bytes)) as Statement;
    return {
      campaignId: statement.predicate.campaign.id,
      reviewers: statement.predicate.reviewers.map((r) => ({ id: r.id, fingerprint: r.fingerprint, publicKey: r.publicKey })),
    };
  };
  const chunksOf = (bytes: Uint8Array, size: number) =>
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

  async function findings(log: Uint8Array, chunk: number, window?: number) {
    const read = await readAuditLogChunks(log.length, chunksOf(log, chunk), context(), undefined, window === undefined ? {} : { window });
    if (!read) return null;
    if (window !== undefined) expect(read.bytes).toBeNull();
    return read.analysis.findings(log.length, null);
  }

  it('finds what reading the whole log finds, for windows smaller than a line, than a chunk, and larger', async () => {
    const log = entries.find((e) => e.name === 'audit-log.jsonl')!.bytes;
    const lines = text(log).slice(0, -1).split('\n');
    const logs = [
      log,
      bytesOf(lines.map((l, i) => (i === 7 ? l.replace('"at":"2026', '"at":"2025') : l)).join('\n') + '\n'),
      bytesOf([...lines.slice(0, 3), '{"seq":', ...lines.slice(3)].join('\n') + '\n'),
      bytesOf(lines.join('\n')),
      bytesOf(`${lines.join('\n')}\n`.replace(/é|"at"/, '"\u00e9t"')),
    ];
    for (const bytes of logs) {
      const whole = await findings(bytes, 4096);
      for (const [chunk, window] of [
        [4096, 100],
        [4096, 1000],
        [333, 5000],
        [65536, 8192],
        [1000, 1 << 20],
      ] as const) {
        expect(await findings(bytes, chunk, window), `chunks of ${chunk}, window ${window}`).toStrictEqual(whole);
      }
    }
  });
});

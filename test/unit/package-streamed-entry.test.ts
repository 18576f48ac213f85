// Entries written in slices (openZipEntry): on Node each slice is compressed and hashed as it comes, and the archive
// is a list of parts; the entry, its CRC, size and SHA-256 are those of the whole file, as the portable path gives.
import { sha256 } from '@noble/hashes/sha2.js';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_PRIMITIVES } from '../../electron/cli/node-primitives';
import { assembleZipParts, joinParts, openZipEntry, preparedContent, startZipEntry } from '../../shared/codec/archive-writer';
import { bytesToHex } from '../../shared/codec/digest';
import { crc32 } from '../../shared/codec/crc32';
import { installRuntimePrimitives, resetRuntimePrimitives } from '../../shared/codec/runtime-primitives';
import { buildCertificationPackage, OSCAL_ASSESSMENT_RESULTS_FILE, OSCAL_POAM_FILE, readPackageArchive } from '../../shared/package';
import { packageItems } from '../../shared/package/decisions-file';
import { remediationJson, remediationPlan, remediationTable } from '../../shared/package/remediation-plan';
import { assessmentResultsBytes, poamBytes } from '../../shared/package/oscal';
import { tableToCsvBytes } from '../../shared/codec/csv-writer';
import { sampleCertificationInput, signAuditEvents } from '../fixtures/packages/sample-campaign';
import { generateSigner, reviewerFor } from '../fixtures/packages/webcrypto-signer';

afterEach(() => resetRuntimePrimitives());

/** Pseudo-random text lines (compressible, not trivially), `count` of them, as slices of `perSlice` lines. */
function slicesOf(count: number, perSlice: number): Uint8Array[] {
  const enc = new TextEncoder();
  const slices: Uint8Array[] = [];
  let seed = 7;
  for (let i = 0; i < count; i += perSlice) {
    let text = '';
    for (let j = i; j < Math.min(count, i + perSlice); j++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      text += `{"line":${j},"value":"${seed.toString(36)}","é":"${'x'.repeat(seed % 40)}"}\n`;
    }
    slices.push(enc.encode(text));
  }
  return slices;
}

/** Byte equality (expect's deep equality walks a large array element by element, far too slowly). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

async function written(slices: readonly Uint8Array[]) {
  const entry = openZipEntry('log.jsonl');
  for (const s of slices) await entry.write(s);
  const closed = entry.close();
  const archive = await assembleZipParts([startZipEntry({ name: 'a.txt', bytes: new TextEncoder().encode('first') }), closed.entry]);
  return { archive, sha256: await closed.sha256 };
}

describe('openZipEntry', () => {
  it.each([
    ['Node (streamed)', true],
    ['portable (joined)', false],
  ])('%s: the entry inflates to the slices joined, with their CRC-32, size and SHA-256', async (_name, node) => {
    if (node) installRuntimePrimitives(NODE_PRIMITIVES);
    // About 2.5 MB in slices of about 30 kB: several compressor chunks on Node.
    const slices = slicesOf(40_000, 500);
    const whole = joinParts(slices);
    const { archive, sha256: digest } = await written(slices);
    expect(digest).toBe(bytesToHex(sha256(whole)));
    const log = archive.prepared[1]!;
    expect(log).toMatchObject({ method: 8, size: whole.length, crc32: crc32(whole) });
    expect(log.dataSize).toBe(log.data.reduce((n, d) => n + d.length, 0));
    expect(log.dataSize).toBeLessThan(whole.length / 2);
    // The streamed entry keeps the compressor's pieces (never joined); the archive is their sequence.
    if (node) expect(log.data.length).toBeGreaterThan(1);
    expect(same(preparedContent(log), whole)).toBe(true);
    const bytes = joinParts(archive.parts);
    expect(bytes.length).toBe(archive.size);
    const unzipped = unzipSync(bytes);
    expect(same(unzipped['log.jsonl']!, whole)).toBe(true);
    expect(new TextDecoder().decode(unzipped['a.txt'])).toBe('first');
    // The package reader (the verifier's) reads it too, CRC checked.
    const read = await readPackageArchive(bytes);
    expect(read.ok && read.entries.map((e) => e.name)).toStrictEqual(['a.txt', 'log.jsonl']);
    expect(read.ok && same(read.entries[1]!.bytes, whole)).toBe(true);
  });

  it('an entry of no slices, and one of empty slices, is an empty file', async () => {
    installRuntimePrimitives(NODE_PRIMITIVES);
    for (const slices of [[], [new Uint8Array(0), new Uint8Array(0)]]) {
      const { archive, sha256: digest } = await written(slices);
      expect(archive.prepared[1]!.size).toBe(0);
      expect(digest).toBe(bytesToHex(sha256(new Uint8Array(0))));
      expect(unzipSync(joinParts(archive.parts))['log.jsonl']).toStrictEqual(new Uint8Array(0));
    }
  });
});

describe('the package files written in slices', () => {
  it('remediation.json, remediation.csv and the OSCAL documents: the same bytes as written whole', async () => {
    const signers = [await generateSigner('a'), await generateSigner('b')];
    const reviewers = signers.map((s, i) => reviewerFor(s, { id: `r${i}`, name: `Reviewer ${i}` }));
    const input = await signAuditEvents(
      sampleCertificationInput(reviewers, { items: 3000, seed: 3 }),
      signers.map((s, i) => ({ fingerprint: reviewers[i]!.keyFingerprint, sign: (m: Uint8Array) => s.sign(m) })),
    );
    const items = packageItems(input);
    const plan = remediationPlan(input.campaign.id, items);
    expect(plan.systems.length).toBeGreaterThan(1);
    installRuntimePrimitives(NODE_PRIMITIVES);
    const built = await buildCertificationPackage(input, signers);
    expect(new TextDecoder().decode(built.files['remediation.json'])).toBe(remediationJson(plan));
    expect(same(built.files['remediation.csv']!, tableToCsvBytes(remediationTable(plan, 'csv')))).toBe(true);
    const oscal = { predicate: built.manifest.predicate, items, plan };
    expect(same(built.files[OSCAL_ASSESSMENT_RESULTS_FILE]!, assessmentResultsBytes(oscal))).toBe(true);
    expect(same(built.files[OSCAL_POAM_FILE]!, poamBytes(oscal))).toBe(true);
    // Long enough that the OSCAL document went in several slices.
    expect(built.fileSizes[OSCAL_ASSESSMENT_RESULTS_FILE]).toBeGreaterThan(2 << 20);
  });
});

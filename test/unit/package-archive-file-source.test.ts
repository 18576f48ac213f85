// An archive read from its file by offset (`arw verify`): the same findings as from memory, on sound, tampered,
// truncated and shrinking files; the audit log read by the worker straight from the file; and the CLI's input checks
// still refusing what is not a regular file before opening it.
import { spawnSync } from 'node:child_process';
import { zipSync } from 'fflate';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInputSource, PACKAGE_LIMIT_BYTES, type FileSource } from '../../electron/cli/input';
import { InputError } from '../../electron/cli/io';
import { verifyCertificationPackageOnNode } from '../../electron/cli/node-runtime';
import { installNodeRuntime } from '../../electron/cli/node-primitives';
import { openArchiveSource, readArchiveSource, readPackageArchive, type RandomAccessSource } from '../../shared/codec';
import { resetRuntimePrimitives } from '../../shared/codec/runtime-primitives';
import { verifyPackage } from '../../shared/package';
import {
  entriesOf,
  flipByte,
  replaceEntry,
  rezip,
  samplePackage,
  slicedSource,
  type SamplePackage,
} from '../fixtures/packages/package-kit';

let dir: string;
let sample: SamplePackage;
let tampered: Uint8Array;
const opened: FileSource[] = [];

function fileOf(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function sourceOf(path: string): Promise<FileSource> {
  const source = await openInputSource(path, path, PACKAGE_LIMIT_BYTES, 'a package');
  opened.push(source);
  return source;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'arw-file-source-'));
  sample = await samplePackage({ items: 40, seed: 5 });
  const entries = await entriesOf(sample.built.bytes);
  const decisions = entries.find((e) => e.name === 'decisions.json')!.bytes;
  tampered = await rezip(replaceEntry(entries, 'decisions.json', flipByte(decisions, decisions.length >> 1)));
});

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  resetRuntimePrimitives();
});

describe('verification from the file', () => {
  it('reports exactly what verification from memory reports: sound, tampered and truncated packages', async () => {
    const bytes = sample.built.bytes;
    const cases: [string, Uint8Array][] = [
      ['sound', bytes],
      ['tampered', tampered],
      ['cut inside an entry', bytes.slice(0, bytes.length >> 1)],
      ['cut inside its end record', bytes.slice(0, bytes.length - 5)],
    ];
    const trustedKeys = sample.trustedKeys;
    for (const [name, archive] of cases) {
      const fromMemory = await verifyCertificationPackageOnNode(archive, { trustedKeys });
      const fromFile = await verifyCertificationPackageOnNode(await sourceOf(fileOf(`${name}.arwpkg`, archive)), { trustedKeys });
      expect(fromFile, name).toStrictEqual(fromMemory);
    }
    const verdicts = await Promise.all(cases.map(([, a]) => verifyCertificationPackageOnNode(a, { trustedKeys }).then((r) => r.verdict)));
    expect(verdicts).toStrictEqual(['valid', 'invalid', 'invalid', 'invalid']);
  });

  it('the portable verifier reads a source the same as bytes', async () => {
    resetRuntimePrimitives();
    for (const archive of [sample.built.bytes, tampered]) {
      const fromMemory = await verifyPackage(archive, { trustedKeys: sample.trustedKeys });
      expect(await verifyPackage(slicedSource(archive), { trustedKeys: sample.trustedKeys })).toStrictEqual(fromMemory);
    }
  });

  it('never reads the audit log on the main thread: the worker reads it from the file', async () => {
    const bytes = sample.built.bytes;
    const file = await sourceOf(fileOf('counted.arwpkg', bytes));
    const archive = await openArchiveSource(file);
    if (!archive.ok) throw new Error('the archive does not open');
    const log = archive.entries.find((e) => e.name === 'audit-log.jsonl')!.stored;
    const [start, end] = [log.file!.offset, log.file!.offset + log.compressedSize];
    // The reads of the log's data on this thread (the end record's read, the last 64 KiB, may hold it whole).
    const tail = Math.max(0, bytes.length - 22 - 0xffff);
    const logReads = async (withFd: boolean) => {
      const reads: number[] = [];
      const counted: RandomAccessSource = {
        size: file.size,
        ...(withFd ? { fd: file.fd } : {}),
        read: (offset, length) => {
          if (offset !== tail && offset < end && offset + length > start) reads.push(offset);
          return file.read(offset, length);
        },
      };
      expect((await verifyCertificationPackageOnNode(counted, { trustedKeys: sample.trustedKeys })).verdict).toBe('valid');
      return reads;
    };
    expect(await logReads(true)).toStrictEqual([]);
    // Without a descriptor to share, the log's data is read here and handed over.
    expect(await logReads(false)).toStrictEqual([start]);
  });
});

describe('an archive file read by offset', () => {
  it('a truncated file gives the problems a truncated archive in memory gives', async () => {
    installNodeRuntime();
    const bytes = sample.built.bytes;
    for (const cut of [10, 22, 200, bytes.length >> 2, bytes.length - 30]) {
      const short = bytes.slice(0, bytes.length - cut);
      const fromMemory = await readPackageArchive(short);
      const fromFile = await readArchiveSource(await sourceOf(fileOf(`cut-${cut}.arwpkg`, short)));
      expect(fromMemory.ok).toBe(false);
      expect(fromFile).toStrictEqual(fromMemory);
    }
  });

  it('an archive of thousands of entries reads from its file as from memory (every header found among the parts read)', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 3000; i++) files[`f${i}.txt`] = new TextEncoder().encode(`entry ${i}`.repeat(1 + (i % 5)));
    const bytes = zipSync(files, { level: 1 });
    const fromMemory = await readPackageArchive(bytes);
    const fromFile = await readArchiveSource(await sourceOf(fileOf('many.zip', bytes)));
    expect(fromMemory.ok).toBe(true);
    expect(fromFile).toStrictEqual(fromMemory);
    // One entry's local header names another file: found from the file as from memory.
    const renamed = bytes.slice();
    const at = renamed.indexOf(0x66, renamed.length >> 1); // an "f" of a name in the second half
    renamed[at + 1] = renamed[at + 1] === 0x39 ? 0x38 : 0x39;
    const damagedMemory = await readPackageArchive(renamed);
    expect(damagedMemory.ok).toBe(false);
    expect(await readArchiveSource(await sourceOf(fileOf('many-renamed.zip', renamed)))).toStrictEqual(damagedMemory);
  });

  it('an entry whose data the central directory puts past the end of the file is refused before anything is read', async () => {
    const bytes = sample.built.bytes.slice();
    const view = new DataView(bytes.buffer);
    const end = bytes.length - 22;
    const directory = view.getUint32(end + 16, true);
    // The first entry's compressed size, made to run past the end of the archive.
    view.setUint32(directory + 20, bytes.length, true);
    const source = await sourceOf(fileOf('past-the-end.arwpkg', bytes));
    const archive = await openArchiveSource(source);
    expect(archive.ok).toBe(false);
    expect(!archive.ok && archive.problems.join('\n')).toMatch(/its data runs past the end of the archive \(truncated\)/);
    expect(await readArchiveSource(source)).toStrictEqual(await readPackageArchive(bytes));
  });

  it('a file that shrinks once opened names the entries it cuts, as truncated or damaged, never a shorter entry', async () => {
    installNodeRuntime();
    const bytes = sample.built.bytes;
    const path = fileOf('shrinking.arwpkg', bytes);
    const source = await sourceOf(path);
    const archive = await openArchiveSource(source, {}, { lazy: true });
    if (!archive.ok) throw new Error('the archive does not open');
    truncateSync(path, bytes.length >> 1);
    const log = archive.entries.find((e) => e.name === 'audit-log.jsonl')!;
    expect(await log.content).toMatch(/audit-log\.jsonl.*(truncated|damaged)/);
    expect(await log.pieces(() => {})).toMatch(/audit-log\.jsonl.*(truncated|damaged)/);
    await expect(log.stored.data()).rejects.toThrow(/truncated/);
    const manifest = archive.entries.find((e) => e.name === 'manifest.intoto.json')!;
    expect(await manifest.content).toBeInstanceOf(Uint8Array);
  });
});

describe('the CLI opens only regular files within the limit', () => {
  it('refuses a FIFO at once (no hang), a folder, and a file over the limit', async () => {
    const fifo = join(dir, 'pipe.arwpkg');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(openInputSource(fifo, fifo, PACKAGE_LIMIT_BYTES, 'a package')).rejects.toThrow(InputError);
    await expect(openInputSource(fifo, fifo, PACKAGE_LIMIT_BYTES, 'a package')).rejects.toThrow(/named pipe \(FIFO\), not a regular file/);
    const folder = join(dir, 'folder.arwpkg');
    mkdirSync(folder);
    await expect(openInputSource(folder, folder, PACKAGE_LIMIT_BYTES, 'a package')).rejects.toThrow(/it is a folder/);
    const path = fileOf('large.arwpkg', sample.built.bytes);
    await expect(openInputSource(path, path, 1000, 'a package')).rejects.toThrow(/over the limit of/);
    await expect(openInputSource(join(dir, 'missing.arwpkg'), 'missing', PACKAGE_LIMIT_BYTES, 'a package')).rejects.toThrow(/no such file/);
  });
});

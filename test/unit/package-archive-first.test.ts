// openPackageArchive's `first` entries inflate before any other starts, and a deferred entry only once it is read
// (seen through Node's gzip codec, recording when each inflation starts and ends).
import { afterEach, describe, expect, it } from 'vitest';
import { nodeGzipCodec } from '../../electron/cli/node-primitives';
import { utf8 } from '../../shared/codec/digest';
import { crc32, openPackageArchive, readPackageArchive, writeZip } from '../../shared/package';
import { inflateEntry } from '../../shared/codec/deflate-codec';
import { installRuntimePrimitives, resetRuntimePrimitives, type GzipCodec } from '../../shared/codec/runtime-primitives';
import { text } from '../fixtures/packages/package-kit';

afterEach(() => {
  resetRuntimePrimitives();
});

describe('openPackageArchive with `first`', () => {
  /** Node's codec, recording when each inflation starts and ends (entries are told apart by their content). */
  function recordingCodec(log: string[], names: Map<string, string>): GzipCodec {
    return {
      gzip: (data) => nodeGzipCodec.gzip(data),
      async gunzip(chunks, maxBytes) {
        const call = log.filter((l) => l.startsWith('start')).length;
        log.push(`start ${call}`);
        const out = await nodeGzipCodec.gunzip(chunks, maxBytes);
        log.push(`end ${call} ${out instanceof Uint8Array ? (names.get(text(out)) ?? '?') : out}`);
        return out;
      },
    };
  }

  it('the named entries resolve before any other entry starts inflating; every content is as without the option', async () => {
    const files = Array.from({ length: 8 }, (_, i) => ({ name: `f${i}.txt`, bytes: utf8(`file ${i} `.repeat(2000 + i * 3000)) }));
    const zip = await writeZip([...files, { name: 'stored.xlsx', bytes: utf8('stored as is'), store: true }]);
    const contentNames = new Map(files.map((f) => [text(f.bytes), f.name]));
    const plain = await readPackageArchive(zip);
    expect(plain.ok).toBe(true);
    for (const first of [['f5.txt', 'f2.txt'], ['f0.txt'], ['f7.txt', 'stored.xlsx', 'f3.txt', 'missing.txt'], []]) {
      const log: string[] = [];
      installRuntimePrimitives({ gzip: recordingCodec(log, contentNames) });
      const opened = openPackageArchive(zip, {}, { first });
      expect(opened.ok).toBe(true);
      if (!opened.ok || !plain.ok) return;
      const contents = opened.entries.map((e) =>
        e.content.then((c) => {
          log.push(`resolved ${e.name}`);
          return c;
        }),
      );
      const settled = await Promise.all(contents);
      resetRuntimePrimitives();
      expect(opened.entries.map((e) => e.name)).toStrictEqual(plain.entries.map((e) => e.name));
      expect(settled).toStrictEqual(plain.entries.map((e) => e.bytes));
      const firstDeflated = first.filter((n) => files.some((f) => f.name === n));
      // Every inflation of a named entry started before any other did, and each named entry resolved before then.
      const starts = log.filter((l) => l.startsWith('start')).length;
      expect(starts).toBe(files.length);
      const firstOtherStart = log.findIndex((l, i) => l.startsWith('start') && !firstDeflated.includes(endNameOf(log, l, i)));
      for (const name of first.filter((n) => n !== 'missing.txt')) {
        const resolvedAt = log.indexOf(`resolved ${name}`);
        expect(resolvedAt, `${name} in ${log.join(' | ')}`).toBeGreaterThanOrEqual(0);
        if (firstDeflated.length < files.length) expect(resolvedAt, `${name} in ${log.join(' | ')}`).toBeLessThan(firstOtherStart);
      }
      if (first.length === 0) expect(log.slice(0, files.length).every((l) => l.startsWith('start'))).toBe(true);
    }
  });

  it('a deferred entry inflates only once its content is read, and only once; `stored` is the entry as the archive holds it', async () => {
    const files = Array.from({ length: 4 }, (_, i) => ({ name: `f${i}.txt`, bytes: utf8(`file ${i} `.repeat(1000 + i * 500)) }));
    const zip = await writeZip(files);
    const contentNames = new Map(files.map((f) => [text(f.bytes), f.name]));
    const log: string[] = [];
    installRuntimePrimitives({ gzip: recordingCodec(log, contentNames) });
    const opened = openPackageArchive(zip, {}, { first: ['f1.txt', 'f2.txt'], deferred: ['f2.txt'] });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const eager = opened.entries.filter((e) => e.name !== 'f2.txt');
    await Promise.all(eager.map((e) => e.content));
    expect(
      log
        .filter((l) => l.startsWith('end'))
        .map((l) => l.split(' ')[2])
        .sort(),
    ).toStrictEqual(['f0.txt', 'f1.txt', 'f3.txt']);
    const deferred = opened.entries.find((e) => e.name === 'f2.txt')!;
    expect(deferred.stored).toMatchObject({ method: 8, size: files[2]!.bytes.length, crc32: crc32(files[2]!.bytes) });
    expect(await inflateEntry(await deferred.stored.data(), deferred.stored.size, deferred.stored.crc32)).toStrictEqual(files[2]!.bytes);
    log.length = 0;
    expect(await deferred.content).toStrictEqual(files[2]!.bytes);
    expect(await deferred.content).toStrictEqual(files[2]!.bytes);
    resetRuntimePrimitives();
    expect(log.filter((l) => l.startsWith('end'))).toStrictEqual(['end 0 f2.txt']);
  });
});

/** The entry name an inflation call ended with, for its "start" line. */
function endNameOf(log: readonly string[], startLine: string, _at: number): string {
  const call = startLine.split(' ')[1];
  const end = log.find((l) => l.startsWith(`end ${call} `));
  return end ? end.split(' ')[2]! : '?';
}

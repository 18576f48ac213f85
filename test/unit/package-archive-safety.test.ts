// Reading an untrusted archive: every unsafe entry is refused before anything is inflated, with a clear message,
// in memory only. The archives here are hand-made (rawZip) because the package writer refuses to make them.
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'fflate';
import { openPackageArchive, readPackageArchive, unsafeNameReason, verifyPackage, writeZip } from '../../shared/package';
import { readArchiveSource } from '../../shared/codec';
import { bytesOf, rawZip, slicedSource } from '../fixtures/packages/package-kit';

const small = bytesOf('{"ok":true}\n');

/** The problems of the archive read from memory; read by offset (a source that is not bytes) they must be the same. */
async function problemsOf(bytes: Uint8Array, limits = {}): Promise<string[]> {
  const read = await readPackageArchive(bytes, limits);
  const problems = read.ok ? [] : read.problems;
  const bySource = await readArchiveSource(slicedSource(bytes), limits);
  expect(bySource.ok ? [] : bySource.problems).toStrictEqual(problems);
  return problems;
}

describe('archive safety: names', () => {
  it.each([
    ['/etc/passwd', /absolute path/],
    ['C:/Windows/win.ini', /absolute path/],
    ['../../.ssh/authorized_keys', /"\.\." path segment/],
    ['reports/../../escape.json', /"\.\." path segment/],
    ['reports\\decisions.json', /backslash/],
    ['..\\evil.json', /backslash/],
    ['decisions\u0000.json', /control character/],
    ['', /empty name/],
  ])('refuses %j', async (name, reason) => {
    expect(unsafeNameReason(name)).toMatch(reason);
    const problems = await problemsOf(
      rawZip([
        { name: 'decisions.json', data: small },
        { name, data: small },
      ]),
    );
    expect(problems.join('\n')).toMatch(reason);
  });

  it('accepts ordinary names, including folders and dots inside names', () => {
    for (const name of ['decisions.json', 'a/b/c.json', 'report..xlsx', '.hidden', 'x/./y']) expect(unsafeNameReason(name)).toBeNull();
  });

  it('refuses duplicate names, and names that differ only by letter case', async () => {
    const problems = await problemsOf(
      rawZip([
        { name: 'decisions.json', data: small },
        { name: 'decisions.json', data: bytesOf('{"ok":false}') },
        { name: 'Decisions.JSON', data: small },
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/"decisions\.json" appears more than once/),
        expect.stringMatching(/differ only by letter case/),
      ]),
    );
  });

  it('refuses an entry whose local header names another file than the central directory', async () => {
    const problems = await problemsOf(rawZip([{ name: 'decisions.json', localName: 'evil.json', data: small }]));
    expect(problems.join()).toMatch(/local header names "evil\.json"/);
  });
});

describe('archive safety: sizes and zip bombs', () => {
  it('refuses a real zip bomb by its compression ratio, before inflating it', async () => {
    const zeros = new Uint8Array(64 * 1024 * 1024); // 64 MiB of zeros deflates to about 64 KiB
    const bomb = rawZip([{ name: 'decisions.json', data: zeros }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const problems = await problemsOf(bomb);
    expect(problems.join()).toMatch(/expands \d+× .*typical of a zip bomb; the limit is 200×/);
  });

  it('refuses an entry over the per-entry limit, and entries over the total limit', async () => {
    const data = new Uint8Array(3000).map((_, i) => (i * 7919) & 255);
    expect((await problemsOf(rawZip([{ name: 'a.bin', data }]), { maxEntryBytes: 2000 })).join()).toMatch(
      /declares 2\.9 KiB; the limit is 2\.0 KiB per entry/,
    );
    const total = await problemsOf(
      rawZip([
        { name: 'a.bin', data },
        { name: 'b.bin', data },
      ]),
      { maxTotalBytes: 5000 },
    );
    expect(total.join()).toMatch(/declare 5\.9 KiB in all; the limit is 4\.9 KiB/);
  });

  it('refuses too many entries', async () => {
    const many = rawZip(Array.from({ length: 70 }, (_, i) => ({ name: `f${i}.json`, data: small })));
    expect((await problemsOf(many, { maxEntries: 64 })).join()).toMatch(/70 entries; at most 64/);
    expect((await problemsOf(many)).join()).not.toMatch(/entries; at most/);
  });

  it('an entry that inflates to more than it declares is stopped at the declared size, never expanded', async () => {
    const honest = new Uint8Array(100_000).fill(65);
    const lying = rawZip([{ name: 'decisions.json', data: honest, declaredSize: 1000 }]);
    expect((await problemsOf(lying)).join()).toMatch(/inflates to more than the 1000 B it declares|does not match the CRC-32 and size/);
  });

  it('an entry that inflates to less than it declares is damaged', async () => {
    const short = rawZip([{ name: 'decisions.json', data: small, declaredSize: small.length + 10 }]);
    expect((await problemsOf(short)).join()).toMatch(/damaged|declares/);
  });

  it('refuses encrypted entries and unknown compression methods', async () => {
    expect((await problemsOf(rawZip([{ name: 'a.json', data: small, flags: 1 }]))).join()).toMatch(/encrypted/);
    const archive = rawZip([{ name: 'a.json', data: small, method: 0 }]);
    const view = new DataView(archive.buffer);
    view.setUint16(8, 12, true); // local header: bzip2
    view.setUint16(archive.length - 22 - 46 - 6 + 10, 12, true); // central directory: bzip2
    expect((await problemsOf(archive)).join()).toMatch(/compression method 12/);
  });

  it('a damaged deflate stream or CRC is reported for that entry', async () => {
    const archive = rawZip([{ name: 'a.json', data: bytesOf('x'.repeat(5000)) }]);
    const crcAt = archive.length - 22 - 46 - 6 + 16;
    archive[crcAt] = archive[crcAt]! ^ 0xff;
    expect((await problemsOf(archive)).join()).toMatch(/"a\.json".*(CRC-32|damaged)/);
  });
});

describe('archive safety: what is not an archive, and truncation', () => {
  it('bytes that are not a ZIP are unreadable, not merely invalid', async () => {
    for (const bytes of [new Uint8Array(), bytesOf('{"keys":[]}'), deflateSync(small)]) {
      const read = await readPackageArchive(bytes);
      expect(read).toMatchObject({ ok: false, isZip: false });
      const report = await verifyPackage(bytes);
      expect(report).toMatchObject({ readable: false, verdict: 'invalid' });
    }
  });

  it('a truncated ZIP is readable as a ZIP but invalid, with the reason', async () => {
    const archive = await writeZip([{ name: 'a.json', bytes: small }]);
    const read = await readPackageArchive(archive.slice(0, archive.length - 10));
    expect(read).toMatchObject({ ok: false, isZip: true });
    if (!read.ok) expect(read.problems.join()).toMatch(/truncated|damaged|end record/);
  });

  it('data appended after the end record is refused', async () => {
    const archive = await writeZip([{ name: 'a.json', bytes: small }]);
    const padded = new Uint8Array(archive.length + 5);
    padded.set(archive);
    expect((await problemsOf(padded)).join()).toMatch(/end record|truncated/);
  });

  it('never touches the disk: the reader returns bytes in memory only', async () => {
    const read = await readPackageArchive(await writeZip([{ name: 'nested/file.json', bytes: small }]));
    expect(read.ok && read.entries.map((e) => [e.name, new TextDecoder().decode(e.bytes)])).toEqual([
      ['nested/file.json', '{"ok":true}\n'],
    ]);
  });
});

describe('a damaged entry inside a package', () => {
  it('is reported under archive, its file marked damaged, and the other checks still run', async () => {
    const { samplePackage } = await import('../fixtures/packages/package-kit');
    const { built, trustedKeys } = await samplePackage({ items: 10, seed: 31 });
    const bytes = built.bytes.slice();
    const view = new DataView(bytes.buffer);
    // Walk the local headers to decisions.json (entry 3) and flip a byte in the middle of its compressed data.
    let at = 0;
    for (let i = 0; i < 2; i++) at += 30 + view.getUint16(at + 26, true) + view.getUint32(at + 18, true);
    const dataStart = at + 30 + view.getUint16(at + 26, true);
    bytes[dataStart + (view.getUint32(at + 18, true) >> 1)]! ^= 0x10;
    const report = await verifyPackage(bytes, { trustedKeys });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons).toContainEqual(expect.objectContaining({ check: 'archive', file: 'decisions.json' }));
    expect(report.files.find((f) => f.name === 'decisions.json')!.status).toBe('damaged');
    expect(report.checks.signatures).toBe(true);
    expect(report.files.filter((f) => f.status === 'ok')).toHaveLength(9);
  });
});

describe('the package writer itself', () => {
  it('refuses duplicate names', async () => {
    await expect(
      writeZip([
        { name: 'a', bytes: small },
        { name: 'a', bytes: small },
      ]),
    ).rejects.toThrow(/duplicate/);
  });

  it('round-trips stored, deflated, empty and non-ASCII entries', async () => {
    const entries = [
      { name: 'stored.bin', bytes: new Uint8Array([1, 2, 3]), store: true },
      { name: 'text.json', bytes: bytesOf('é'.repeat(1000)) },
      { name: 'empty.txt', bytes: new Uint8Array() },
      { name: 'dossier/résumé.txt', bytes: small },
    ];
    const read = await readPackageArchive(await writeZip(entries));
    expect(read.ok && read.entries.map((e) => [e.name, e.bytes.length])).toEqual(entries.map((e) => [e.name, e.bytes.length]));
  });
});

describe('archive safety: the limits leave room for 1,000,000 decisions', () => {
  // Random bytes barely deflate, so each entry's ratio stays under 200× however much it declares.
  let seed = 0x2545f491;
  const data = new Uint8Array(7 * 1024 * 1024).map(() => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed & 255;
  });
  const names = ['decisions.json', 'audit-log.jsonl', 'oscal/assessment-results.json', 'oscal/poam.json', 'decisions.csv', 'x.json'];
  const declaring = (sizes: readonly number[]) => rawZip(sizes.map((declaredSize, i) => ({ name: names[i]!, data, declaredSize })));
  const opened = (bytes: Uint8Array) => openPackageArchive(bytes, {}, { deferred: names });

  it('accepts the sizes a 1,000,000-decision package declares (a 1.2 GiB audit log, 4.1 GiB in all)', () => {
    // As measured: decisions.json 740 MB, audit-log.jsonl 1,246 MB, assessment results 1,055 MB, POA&M 556 MB.
    const result = opened(declaring([740e6, 1246e6, 1055e6, 556e6, 294e6]));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('still refuses entries declaring more than 6 GiB in all, naming the limit', () => {
    const result = opened(declaring([1300e6, 1300e6, 1300e6, 1300e6, 1300e6, 1300e6]));
    expect(result.ok ? [] : result.problems.join('\n')).toMatch(/declare 7\.26 GiB in all; the limit is 6\.00 GiB/);
  });
});

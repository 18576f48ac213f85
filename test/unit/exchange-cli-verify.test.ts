// `arw verify` on a work package and a decision set: the kind is read from the manifest, --json reports it, exit
// codes as for a certification package (0 valid, 1 findings, 2 unreadable/usage). The committed samples verify.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/arw';
import type { CliIo } from '../../electron/cli/io';
import { detectArchiveKind } from '../../shared/exchange';
import { bytesOf, entriesOf, replaceEntry, rezip, text } from '../fixtures/packages/package-kit';

const DIR = resolve('test/fixtures/packages');
const WP = join(DIR, 'sample-work-package.arwwork');
const DS = join(DIR, 'sample-decision-set.arwdec');
const PKG = join(DIR, 'sample.arwpkg');
const MERGED = join(DIR, 'sample-merged.arwpkg');
/** One trusted-keys file for every committed sample. */
const KEYS = join(DIR, 'trusted-keys.json');

async function arw(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: process.cwd() };
  const code = await main(argv, io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('arw verify on exchange archives', () => {
  it('detects the kind of each committed sample from its manifest', async () => {
    expect(await detectArchiveKind(new Uint8Array(readFileSync(WP)))).toBe('work-package');
    expect(await detectArchiveKind(new Uint8Array(readFileSync(DS)))).toBe('decision-set');
    expect(await detectArchiveKind(new Uint8Array(readFileSync(PKG)))).toBe('certification-package');
    expect(await detectArchiveKind(bytesOf('not a zip'))).toBeNull();
  });

  it('every sample verifies with the one trusted-keys file; --json carries the kind', async () => {
    for (const [file, kind] of [
      [WP, 'work-package'],
      [DS, 'decision-set'],
      [PKG, 'certification-package'],
      [MERGED, 'certification-package'],
    ] as const) {
      const r = await arw('verify', file, '--trust', KEYS, '--json');
      expect(r.code, r.stdout).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ kind, verdict: 'valid' });
    }
  });

  it('the merged sample is signed by the owner alone and proven by the three decision sets it embeds', async () => {
    const r = await arw('verify', MERGED, '--trust', KEYS);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^VALID {2}sample-merged\.arwpkg: intact and complete: 1 signature, 3 embedded signed decision sets/);
    expect(r.stdout.match(/✓ (alice|bob|carol) .*VALID {2}pinned {2}proves \d+ audit events/g)).toHaveLength(3);
    const entries = await entriesOf(new Uint8Array(readFileSync(MERGED)));
    const dir = mkdtempSync(join(tmpdir(), 'arw-merged-'));
    const set = entries.find((e) => e.name.startsWith('decision-sets/'))!;
    const altered = Uint8Array.from(set.bytes);
    altered[altered.length >> 1]! ^= 0x01;
    writeFileSync(join(dir, 'bad.arwpkg'), await rezip(replaceEntry(entries, set.name, altered)));
    const bad = await arw('verify', join(dir, 'bad.arwpkg'), '--trust', KEYS);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`${set.name} was changed`);
  });

  it('a decision set against its work package: valid, with the items left; against the wrong file: usage error', async () => {
    const r = await arw('verify', DS, '--trust', KEYS, '--against', WP);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID {2}sample-decision-set\.arwdec: an intact decision set/);
    expect(r.stdout).toMatch(/12: 8 done, 4 left/);
    expect((await arw('verify', WP, '--against', WP)).code).toBe(2);
  });

  it('a tampered decision set exits 1 with the reason; an unpinned owner fails with --trust', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arw-exchange-'));
    const entries = await entriesOf(new Uint8Array(readFileSync(DS)));
    const events = text(entries.find((e) => e.name === 'events.jsonl')!.bytes).replace('"action":"revoke"', '"action":"keep"');
    writeFileSync(join(dir, 'bad.arwdec'), await rezip(replaceEntry(entries, 'events.jsonl', bytesOf(events))));
    const r = await arw('verify', join(dir, 'bad.arwdec'), '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { kind: string; reasons: Array<{ check: string; file?: string }> };
    expect(report.kind).toBe('decision-set');
    expect(report.reasons).toContainEqual(expect.objectContaining({ check: 'files', file: 'events.jsonl' }));
    writeFileSync(join(dir, 'none.json'), JSON.stringify({ keys: [] }));
    const unpinned = await arw('verify', WP, '--trust', join(dir, 'none.json'));
    expect(unpinned.code).toBe(1);
    expect(unpinned.stdout).toMatch(/not in the trust list/);
  });
});

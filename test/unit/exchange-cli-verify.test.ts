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
const KEYS = join(DIR, 'sample-work-package.trusted-keys.json');

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

  // The certification sample is checked with its own trusted-keys.json: scripts/make-fixture-package.ts may rewrite it
  // (with fresh keys) without this file's samples being made again.
  it('the samples verify with their trusted-keys files; --json carries the kind', async () => {
    for (const [file, kind, keys] of [
      [WP, 'work-package', KEYS],
      [DS, 'decision-set', KEYS],
      [PKG, 'certification-package', join(DIR, 'trusted-keys.json')],
    ] as const) {
      const r = await arw('verify', file, '--trust', keys, '--json');
      expect(r.code, r.stdout).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ kind, verdict: 'valid' });
    }
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

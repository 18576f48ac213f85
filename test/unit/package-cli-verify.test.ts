// `arw verify`: exit 0 intact and valid (a warning when nothing pins the signer), 1 with every reason, 2 for
// unreadable input or bad usage; --json gives the report. Also: the committed fixture verifies.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/arw';
import type { CliIo } from '../../electron/cli/io';
import { parseTrustedKeys, verifyPackage } from '../../shared/package';
import { entriesOf, replaceEntry, rezip, samplePackage, text, type SamplePackage } from '../fixtures/packages/package-kit';

const FIXTURE = resolve('test/fixtures/packages/sample.arwpkg');
const FIXTURE_KEYS = resolve('test/fixtures/packages/trusted-keys.json');

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: process.cwd() };
}

async function arw(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

let dir: string;
let sample: SamplePackage;
const path = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'arw-verify-'));
  sample = await samplePackage({ items: 15, seed: 8 });
  writeFileSync(path('good.arwpkg'), sample.built.bytes);
  writeFileSync(path('keys.json'), JSON.stringify({ keys: sample.trustedKeys }));
  writeFileSync(path('alice-only.json'), JSON.stringify({ keys: sample.trustedKeys.slice(0, 1) }));
  const entries = await entriesOf(sample.built.bytes);
  const decisions = entries.find((e) => e.name === 'decisions.json')!.bytes.slice();
  decisions[200] = decisions[200]! ^ 1;
  writeFileSync(path('tampered.arwpkg'), await rezip(replaceEntry(entries, 'decisions.json', decisions)));
  writeFileSync(path('not-a-package.arwpkg'), 'hello');
  writeFileSync(path('bad-keys.json'), JSON.stringify({ keys: [{ ...sample.trustedKeys[0], fingerprint: 'SHA256:00' }] }));
  writeFileSync(path('not-json.json'), '{');
});

describe('arw verify: exit codes', () => {
  it('0 for an intact package pinned by the trust list: verdict first, then signers, files, chain, completeness', async () => {
    const r = await arw('verify', path('good.arwpkg'), '--trust', path('keys.json'));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^VALID {2}good\.arwpkg: intact and complete: 2 signatures, 10 file digests/);
    const order = ['Signers', 'Files', 'Audit chain', 'Completeness'].map((h) => r.stdout.indexOf(`\n${h}\n`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(r.stdout).toContain('pinned: Alice Reviewer <alice@example.com>');
    expect(r.stdout).not.toContain('warning');
  });

  it('0 without a trust list, with a warning that nothing pins the signers', async () => {
    const r = await arw('verify', path('good.arwpkg'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: signer "alice-2026" \(SHA256:[0-9a-f]{64}\) is not pinned by a trust list/);
    expect(r.stdout).not.toContain('warning');
  });

  it('1 for a tampered package, with every reason', async () => {
    const r = await arw('verify', path('tampered.arwpkg'), '--trust', path('keys.json'));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^INVALID {2}tampered\.arwpkg: \d+ problems? \(files/);
    expect(r.stdout).toMatch(
      /✗ \[files\] decisions\.json was changed: its SHA-256 [0-9a-f]{64} is not the [0-9a-f]{64} the manifest lists/,
    );
  });

  it('1 when the trust list does not pin a signer', async () => {
    const r = await arw('verify', path('good.arwpkg'), '--trust', path('alice-only.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ \[trust\] signer "bob-2026" .* is not in the trust list/);
  });

  it.each([
    [['verify', 'missing.arwpkg'], /cannot read the package .*missing\.arwpkg: no such file/],
    [['verify', 'not-a-package.arwpkg'], /UNREADABLE/],
    [['verify', 'good.arwpkg', '--trust', 'missing.json'], /cannot read the trusted-keys file/],
    [['verify', 'good.arwpkg', '--trust', 'not-json.json'], /is not valid JSON/],
    [['verify', 'good.arwpkg', '--trust', 'bad-keys.json'], /"fingerprint" does not match the key/],
    [['verify'], /expected one package file, got 0/],
    [['verify', 'a.arwpkg', 'b.arwpkg'], /expected one package file, got 2/],
    [['verify', 'good.arwpkg', '--trust'], /--trust needs a trusted-keys file/],
    [['verify', 'good.arwpkg', '--strict'], /unknown option --strict/],
  ])('2 for %j', async (argv, message) => {
    const io = capture();
    const code = await main(
      argv.map((a) => (a.endsWith('.arwpkg') || a.endsWith('.json') ? path(a) : a)),
      io,
    );
    expect(code).toBe(2);
    expect([...io.stdout, ...io.stderr].join('\n')).toMatch(message);
  });

  it('--json prints the whole report as one JSON document of kind "certification-package"', async () => {
    const r = await arw('verify', path('tampered.arwpkg'), '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ kind: 'certification-package', verdict: 'invalid', readable: true });
    expect(report.reasons.some((x: { check: string; file: string }) => x.check === 'files' && x.file === 'decisions.json')).toBe(true);
    const good = await arw('verify', path('good.arwpkg'), '--trust', path('keys.json'), '--json');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ kind: 'certification-package', verdict: 'valid', warnings: [] });
    expect(JSON.parse(good.stdout).decisions).toHaveLength(15);
  });

  it('as a real process: npm run cli -- verify exits with the code', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/arw.mjs', 'verify', ...args], { encoding: 'utf8', timeout: 60_000 });
    expect(run(FIXTURE, '--trust', FIXTURE_KEYS).status).toBe(0);
    expect(run(path('tampered.arwpkg')).status).toBe(1);
    expect(run(path('nothing-here.arwpkg')).status).toBe(2);
  });
});

describe('the committed fixture', () => {
  it('test/fixtures/packages/sample.arwpkg verifies against test/fixtures/packages/trusted-keys.json', async () => {
    const keys = parseTrustedKeys(JSON.parse(text(readFileSync(FIXTURE_KEYS))));
    expect(keys.ok).toBe(true);
    const report = await verifyPackage(new Uint8Array(readFileSync(FIXTURE)), { trustedKeys: keys.ok ? keys.keys : [] });
    expect(report.reasons).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.signers.every((s) => s.pinned)).toBe(true);
  });

  it('holds no private key material', () => {
    const keys = JSON.parse(text(readFileSync(FIXTURE_KEYS)));
    for (const key of keys.keys) expect(Object.keys(key).sort()).toEqual(['crv', 'email', 'fingerprint', 'kty', 'name', 'publicKey', 'x']);
    expect(text(readFileSync(FIXTURE))).not.toMatch(/PRIVATE|"d":/);
  });
});

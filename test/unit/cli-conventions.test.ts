// The conventions of a command line (issue #22): --version, --help exiting 0 for every command, `-` for standard
// input, usage and warnings on stderr, exit 3 for an internal error (its stack only with --debug), and foreign text
// (campaign names, file names, imported values) never reaching the terminal with its control characters raw.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, main } from '../../electron/cli/arw';
import type { CliIo } from '../../electron/cli/io';
import { buildCertificationPackage } from '../../shared/package';
import { entriesOf, replaceEntry, rezip, sampleSigners, PEOPLE } from '../fixtures/packages/package-kit';
import { sampleCertificationInput } from '../fixtures/packages/sample-campaign';
import { reviewerFor } from '../fixtures/packages/webcrypto-signer';

const repoRoot = resolve(import.meta.dirname, '../..');
const SAMPLE = join(repoRoot, 'test/fixtures/packages/sample.arwpkg');
const KEYS = join(repoRoot, 'test/fixtures/packages/trusted-keys.json');
const CSV = join(repoRoot, 'test/fixtures/workbench-csv');
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

async function arw(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: repoRoot };
  const code = await main(argv, io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** arw as a process (bin/arw.mjs), optionally with bytes on standard input. */
function arwProcess(argv: string[], input?: Uint8Array) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/arw.mjs'), ...argv], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    ...(input ? { input } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** ESC sequences that erase the line above and print a fake green verdict, a C1 CSI, and a right-to-left override. */
const HOSTILE = 'Q4\u001b[1A\u001b[2K\u001b[32mVALID  all good\u001b[0m \u009b2K \u202eevil';
// eslint-disable-next-line no-control-regex -- looking for raw controls is the point
const RAW = /[\u001b\u009b\u202e]/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arw-conventions-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('arw --version and --help', () => {
  it('--version prints the package version and exits 0', async () => {
    const r = await arw('--version');
    expect(r).toMatchObject({ code: 0, stdout: `arw ${version}`, stderr: '' });
  });

  it.each(['verify', 'suggest', 'inspect'])('arw %s --help (and -h) prints its usage on stdout and exits 0', async (name) => {
    for (const flag of ['--help', '-h']) {
      const r = await arw(name, flag);
      expect(r.code, `${name} ${flag}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: arw ${name} `));
      expect(r.stderr).toBe('');
    }
  });

  it('usage without a command, and bad usage, go to stderr with exit 2', async () => {
    const bare = await arw();
    expect(bare).toMatchObject({ code: 2, stdout: '' });
    expect(bare.stderr).toMatch(/^usage: arw <command>/);
    const unknown = await arw('verify', SAMPLE, '--strict');
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/unknown option --strict/);
  });
});

describe('exit 3 for an internal error', () => {
  it('one line on stderr, exit 3 (not 2); the stack trace only with --debug', async () => {
    commands.crash = { summary: 'crash', load: async () => ({ run: async () => Promise.reject(new TypeError('x.y is not a function')) }) };
    try {
      const r = await arw('crash');
      expect(r.code).toBe(3);
      expect(r.stderr.split('\n')).toEqual([
        'arw crash: internal error: x.y is not a function (run again with --debug for the stack trace)',
      ]);
      const debug = await arw('crash', '--debug');
      expect(debug.code).toBe(3);
      expect(debug.stderr).toMatch(/TypeError: x\.y is not a function\n\s+at /);
    } finally {
      delete commands.crash;
    }
  });
});

describe('`-` reads standard input', () => {
  it('verify - with a package on stdin exits 0; with a tampered one 1', async () => {
    const ok = arwProcess(['verify', '-', '--trust', KEYS], readFileSync(SAMPLE));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^VALID {2}standard input: intact and complete/);
    const bytes = new Uint8Array(readFileSync(SAMPLE));
    const entries = await entriesOf(bytes);
    const decisions = entries.find((e) => e.name === 'decisions.json')!.bytes.slice();
    decisions[100] = decisions[100]! ^ 1;
    const bad = arwProcess(['verify', '-'], await rezip(replaceEntry(entries, 'decisions.json', decisions)));
    expect(bad.code).toBe(1);
  });

  it('inspect - reads an identity file from stdin beside named files', () => {
    const r = arwProcess(
      ['inspect', '-', join(CSV, 'entitlements.csv'), '--stdin-name', 'identities.csv', '--json'],
      readFileSync(join(CSV, 'identities.csv')),
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { sources: { file: string; format: string; rows: number }[]; totals: { identities: number } };
    expect(report.sources[0]).toMatchObject({ file: 'identities.csv', format: 'workbench-csv', rows: 10 });
    expect(report.totals.identities).toBe(10);
  });
});

describe('control characters from packages and imported files are escaped', () => {
  let hostilePackage: string;
  beforeAll(async () => {
    const signers = await sampleSigners();
    const input = sampleCertificationInput(
      signers.map((s, i) => reviewerFor(s, PEOPLE[i]!)),
      { items: 6, seed: 4 },
    );
    input.campaign = { ...input.campaign, name: HOSTILE };
    const built = await buildCertificationPackage(input, signers);
    // Tampered, so the real verdict is INVALID: the name must not be able to print over it.
    const entries = await entriesOf(built.bytes);
    const decisions = entries.find((e) => e.name === 'decisions.json')!.bytes.slice();
    decisions[120] = decisions[120]! ^ 1;
    hostilePackage = join(dir, 'hostile.arwpkg');
    writeFileSync(hostilePackage, await rezip(replaceEntry(entries, 'decisions.json', decisions)));
  });

  it('verify: the campaign name is printed with visible escapes, the verdict stays INVALID', async () => {
    const r = await arw('verify', hostilePackage);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^INVALID {2}hostile\.arwpkg/);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('Q4\\u001b[1A\\u001b[2K\\u001b[32mVALID');
    expect(r.stdout).toContain('\\u009b2K \\u202eevil');
  });

  it('verify --json: still JSON with the same value, but no raw C1 control or bidi override either', async () => {
    const r = await arw('verify', hostilePackage, '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW);
    expect((JSON.parse(r.stdout) as { campaign: { name: string } }).campaign.name).toBe(HOSTILE);
  });

  it('inspect and suggest: hostile file names and imported values are escaped', async () => {
    const folder = join(dir, 'import');
    rmSync(folder, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', folder]);
    const ids = readFileSync(join(CSV, 'identities.csv'), 'utf8').split('\n');
    // An identity id with an escape sequence, and an invalid status value carrying one (reported as a row error).
    ids[1] = ids[1]!.replace(/^[^,]+/, 'u\u001b[2Kx');
    ids[2] = ids[2]!.replace(/,(active|terminated|inactive|suspended),/, ',\u001b[31mbad\u001b[0m,');
    writeFileSync(join(folder, 'identities.csv'), ids.join('\n'));
    for (const f of ['entitlements.csv', 'assignments.csv', 'credentials.csv']) writeFileSync(join(folder, f), readFileSync(join(CSV, f)));
    writeFileSync(join(folder, 'evil\u001b[2K.txt'), 'not identity data\n');
    const inspect = await arw('inspect', folder);
    expect(inspect.code).toBe(1);
    expect(inspect.stdout + inspect.stderr).not.toMatch(RAW);
    expect(inspect.stdout).toContain('evil\\u001b[2K.txt');
    expect(inspect.stdout).toContain('\\u001b[31mbad');
    const suggest = await arw('suggest', folder, '--as-of', '2026-11-22');
    expect(suggest.stdout + suggest.stderr).not.toMatch(RAW);
    expect(suggest.stderr).toContain('evil\\u001b[2K.txt');
  });
});

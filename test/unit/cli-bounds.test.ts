// Bounded input in the CLI (issue #19): a file's size is checked before it is read, and anything but a regular file
// (a device, a FIFO, a folder given as a package) is refused at once with one line naming it and why; exit 2, never
// a crash, a hang or a stack trace. Also (issue #22): an archive whose extension promises another kind fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/arw';
import type { CliIo } from '../../electron/cli/io';

const repoRoot = resolve(import.meta.dirname, '../..');
const PACKAGES = join(repoRoot, 'test/fixtures/packages');
const KEYS = join(PACKAGES, 'trusted-keys.json');

/** arw as a process, timed; a hang is cut at 30 s (status null). */
function arw(argv: string[], options: { input?: string | Uint8Array; stdinFile?: string } = {}) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/arw.mjs'), ...argv], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 30_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arw-bounds-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One line on stderr, nothing of a crash in it. */
function oneReadableLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/FATAL|\n\s+at |Error:/);
  return lines[0]!;
}

describe('devices, FIFOs and folders are refused at once', () => {
  it.each(['verify', 'suggest', 'inspect'])('arw %s /dev/zero exits 2 within seconds', (command) => {
    const r = arw([command, '/dev/zero']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.seconds).toBeLessThan(15);
    expect(oneReadableLine(r.stderr)).toMatch(new RegExp(`^arw ${command}: cannot read .*/dev/zero: it is a device, not a regular file$`));
  });

  it.each(['verify', 'suggest', 'inspect'])('arw %s on a FIFO is refused, not read (no hang)', (command) => {
    const fifo = join(dir, `pipe-${command}`);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = arw([command, fifo]);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(2);
    expect(oneReadableLine(r.stderr)).toMatch(/: it is a named pipe \(FIFO\), not a regular file$/);
  });

  it('arw verify on a folder, and a device as --trust, are refused naming them', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: repoRoot };
    expect(await main(['verify', dir], io)).toBe(2);
    expect(await main(['verify', join(PACKAGES, 'sample.arwpkg'), '--trust', '/dev/zero'], io)).toBe(2);
    expect(stderr).toEqual([
      `arw verify: cannot read the package ${dir}: it is a folder, not a file`,
      'arw verify: cannot read the trusted-keys file /dev/zero: it is a device, not a regular file',
    ]);
  });

  it('verify - with a device on standard input is refused', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${join(repoRoot, 'bin/arw.mjs')}" verify - < /dev/zero`], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(oneReadableLine(r.stderr)).toMatch(/standard input: it is a device/);
  });
});

describe('size limits, checked before reading', () => {
  it('arw inspect on a 700 MB file exits 2 with one line naming the limit (no V8 fatal error)', () => {
    const big = join(dir, 'assignments.csv');
    writeFileSync(big, 'identityId,entitlementId\n');
    truncateSync(big, 700_000_000); // sparse: costs no disk
    try {
      const r = arw(['inspect', big]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.seconds).toBeLessThan(15);
      expect(oneReadableLine(r.stderr)).toMatch(
        /^arw inspect: .*assignments\.csv is 667\.6 MiB, over the limit of \d+ MiB one import can hold in this process$/,
      );
      const suggest = arw(['suggest', big]);
      expect(suggest.code).toBe(2);
      expect(oneReadableLine(suggest.stderr)).toMatch(/over the limit of \d+ MiB/);
    } finally {
      rmSync(big, { force: true });
    }
  });
});

describe('the extension must match the kind of archive', () => {
  async function verify(...argv: string[]) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main(['verify', ...argv], { out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: repoRoot });
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  }

  it.each([
    ['sample-decision-set.arwdec', 'renamed.arwpkg', 'a decision set', 'a certification package'],
    ['sample-work-package.arwwork', 'renamed.arwpkg', 'a work package', 'a certification package'],
    ['sample.arwpkg', 'renamed.arwdec', 'a certification package', 'a decision set'],
    ['sample-decision-set.arwdec', 'renamed.arwwork', 'a decision set', 'a work package'],
  ])('%s renamed %s fails with exit 1, saying which kind it is', async (from, to, is, promised) => {
    const file = join(dir, to);
    copyFileSync(join(PACKAGES, from), file);
    const r = await verify(file, '--trust', KEYS);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^INVALID {2}renamed\./);
    const ext = to.slice(to.lastIndexOf('.'));
    expect(r.stdout).toContain(`[archive] ${to} is ${is}, but its extension ${ext} promises ${promised}`);
    const json = await verify(file, '--trust', KEYS, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'invalid', reasons: [{ check: 'archive' }] });
  });

  it('each sample under its own extension (or a neutral one) still verifies with exit 0', async () => {
    for (const name of ['sample-decision-set.arwdec', 'sample-work-package.arwwork', 'sample.arwpkg'])
      expect((await verify(join(PACKAGES, name), '--trust', KEYS)).code, name).toBe(0);
    const neutral = join(dir, 'download.zip');
    copyFileSync(join(PACKAGES, 'sample-decision-set.arwdec'), neutral);
    expect((await verify(neutral, '--trust', KEYS)).code).toBe(0);
  });
});

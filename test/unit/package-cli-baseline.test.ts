// `arw verify NEW --baseline OLD`: the baseline certification verified first and matched by digest and decision; the
// output names the baseline (digest, campaign, certification time) so the chain can be followed back; a carried
// decision that is not the baseline's, or a baseline that does not verify, exits 1 naming why.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/arw';
import type { CliIo } from '../../electron/cli/io';
import { baselinePair, type BaselinePair } from '../fixtures/packages/baseline-kit';
import { flipByte } from '../fixtures/packages/package-kit';

async function arw(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: process.cwd() };
  const code = await main(argv, io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

let dir: string;
let pair: BaselinePair;
let forged: BaselinePair;
const path = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'arw-baseline-'));
  pair = await baselinePair();
  forged = await baselinePair({ forge: (c) => ({ ...c, at: new Date(Date.parse(c.at) + 60_000).toISOString() }) });
  writeFileSync(path('old.arwpkg'), pair.old.built.bytes);
  writeFileSync(path('new.arwpkg'), pair.next.bytes);
  writeFileSync(path('keys.json'), JSON.stringify({ keys: pair.trustedKeys }));
  writeFileSync(path('altered-old.arwpkg'), flipByte(pair.old.built.bytes, Math.floor(pair.old.built.bytes.length / 3)));
  writeFileSync(path('forged-old.arwpkg'), forged.old.built.bytes);
  writeFileSync(path('forged-new.arwpkg'), forged.next.bytes);
  writeFileSync(path('forged-keys.json'), JSON.stringify({ keys: forged.trustedKeys }));
}, 120_000);

describe('arw verify --baseline', () => {
  it("exits 0 when NEW and its baseline verify and every carried decision is the baseline's; names the baseline", async () => {
    const r = await arw('verify', path('new.arwpkg'), '--baseline', path('old.arwpkg'), '--trust', path('keys.json'));
    expect(r.stdout.split('\n')[0]).toMatch(/^VALID {2}new\.arwpkg/);
    expect(r.code).toBe(0);
    const l = pair.link;
    expect(r.stdout).toContain(`Baseline      ✓ follows ${l.campaignName} (${l.campaignId}), certified ${l.certifiedAt}`);
    expect(r.stdout).toContain(`  package     ${l.packageDigest}`);
    expect(r.stdout).toContain(`  statement   ${l.statementDigest}`);
    expect(r.stdout).toContain(`  decisions   ${pair.carried.length} carried from the baseline (confirmed by a reviewer), `);
    expect(r.stdout).toContain('  checked     against old.arwpkg: VALID, package and statement digests match the link');
    expect(r.stdout).toContain('  which follows no earlier certification');
    expect(r.stderr).toBe('');
  });

  it('without --baseline: 0, checked against the link only, with a warning saying how to check against the baseline', async () => {
    const r = await arw('verify', path('new.arwpkg'), '--trust', path('keys.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  checked     against the link only');
    expect(r.stderr).toMatch(/warning: the baseline package \(sha256:[0-9a-f]{64}\) was not supplied/);
  });

  it('exits 1 when a carried decision does not match the baseline, naming the item', async () => {
    const r = await arw('verify', path('forged-new.arwpkg'), '--baseline', path('forged-old.arwpkg'), '--trust', path('forged-keys.json'));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^INVALID {2}forged-new\.arwpkg: \d+ problems? \(baseline\)/);
    const item = forged.carried[0]!.replace('\u001f', ' / ');
    expect(r.stdout).toContain(`✗ [baseline] ${item}: the carried decision (keep by `);
    expect(r.stdout).toMatch(/does not match the baseline's decision of the item \(keep by \w+ at /);
    // The same package passes on its own: only the baseline shows the forgery.
    expect((await arw('verify', path('forged-new.arwpkg'), '--trust', path('forged-keys.json'))).code).toBe(0);
  });

  it('exits 1 when the baseline was altered: it does not verify and is not the package the link names', async () => {
    const r = await arw('verify', path('new.arwpkg'), '--baseline', path('altered-old.arwpkg'), '--trust', path('keys.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ \[baseline\] the baseline package does not verify \(invalid\), so it cannot be a baseline/);
    expect(r.stdout).toMatch(/✗ \[baseline\] the baseline package supplied is not the one the link names/);
    expect(r.stdout).toContain('  checked     against altered-old.arwpkg: INVALID, package digest DIFFERS');
  });

  it('--json carries the baseline report; a missing baseline file is unreadable input (2)', async () => {
    const r = await arw('verify', path('new.arwpkg'), '--baseline', path('old.arwpkg'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { baseline: { link: unknown; supplied: { verdict: string } }; statementDigest: string };
    expect(report.baseline.link).toEqual(pair.link);
    expect(report.baseline.supplied.verdict).toBe('valid');
    const missing = await arw('verify', path('new.arwpkg'), '--baseline', path('missing.arwpkg'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the baseline package .*missing\.arwpkg: no such file/);
  });
});

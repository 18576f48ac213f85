// `arw suggest` through its run() on the sample workbench CSV.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/commands/suggest';
import { UsageError, type CliIo } from '../../electron/cli/io';
import { DEFAULT_POLICY, ENGINE_VERSION, policyDigest } from '../../shared/suggest';

const repoRoot = resolve(import.meta.dirname, '../..');
const fixture = 'test/fixtures/workbench-csv';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: repoRoot };
}

interface JsonOut {
  engine: string;
  policyDigest: string;
  suggestions: {
    identityId: string;
    entitlementId: string | null;
    credentialId: string | null;
    action: string;
    confidence: number;
    riskTier: string;
    decisionClass: string;
    signals: { id: string; message: string; value: unknown; threshold: unknown }[];
  }[];
}

describe('arw suggest', () => {
  it('prints the suggestions as JSON with engine and policy digest', async () => {
    const io = capture();
    expect(await run([fixture, '--as-of', '2026-11-22', '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout.join('\n')) as JsonOut;
    expect(out.engine).toBe(ENGINE_VERSION);
    expect(out.policyDigest).toBe(policyDigest(DEFAULT_POLICY));
    // 18 assignments + 3 credentials + 3 non-human identities in the sample.
    expect(out.suggestions).toHaveLength(24);
    for (const s of out.suggestions)
      expect(Object.keys(s)).toEqual([
        'identityId',
        'entitlementId',
        'credentialId',
        'action',
        'confidence',
        'riskTier',
        'decisionClass',
        'signals',
      ]);
    const terminated = out.suggestions.find((s) => s.identityId === 'u1004' && s.entitlementId === 'billing-approve')!;
    expect(terminated.action).toBe('revoke');
    expect(terminated.signals[0]).toEqual({
      id: 'orphaned-identity',
      message: 'identity is terminated and still holds Billing-Approve',
      value: 'terminated',
      threshold: 'disabled|terminated',
    });
    const stale = out.suggestions.find((s) => s.identityId === 'u1001' && s.entitlementId === 'prod-db-admin')!;
    // Last used 2026-04-24, as of 2026-11-22: 212 days.
    expect(stale.signals[0]).toEqual({
      id: 'unused-access',
      message: 'last used 212 days ago; policy window 90 days',
      value: 212,
      threshold: 90,
    });
    expect(stale.decisionClass).toBe('never-delegate');
    const key = out.suggestions.find((s) => s.credentialId === 'AKIAEXAMPLEREPORTS1')!;
    expect(key.action).toBe('rotate');
  });

  it('is reproducible with --as-of', async () => {
    const a = capture();
    const b = capture();
    await run([fixture, '--as-of=2026-11-22', '--json'], a);
    await run(
      [
        `${fixture}/identities.csv`,
        `${fixture}/entitlements.csv`,
        `${fixture}/assignments.csv`,
        `${fixture}/credentials.csv`,
        '--as-of',
        '2026-11-22',
        '--json',
      ],
      b,
    );
    expect(b.stdout.join('\n')).toBe(a.stdout.join('\n'));
  });

  it('prints a readable summary without --json', async () => {
    const io = capture();
    expect(await run([fixture, '--as-of', '2026-11-22'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('24 review items (18 assignments)');
    expect(text).toMatch(/revoke\s+u1004 billing-approve/);
    expect(text).toContain(policyDigest(DEFAULT_POLICY));
  });

  it('applies a policy file and refuses an invalid one, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arw-policy-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ schema: 'arw-policy', version: 1, unusedAccess: { windowDays: 365, graceDays: 365 } }));
    const io = capture();
    await run([fixture, '--as-of', '2026-11-22', '--json', '--policy', good], io);
    const out = JSON.parse(io.stdout.join('\n')) as JsonOut;
    expect(out.policyDigest).not.toBe(policyDigest(DEFAULT_POLICY));
    expect(out.suggestions.find((s) => s.identityId === 'u1001' && s.entitlementId === 'prod-db-admin')!.action).toBe('keep');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema: 'arw-policy', version: 1, unusedAccess: { windowDays: -1 } }));
    await expect(run([fixture, '--policy', bad], capture())).rejects.toThrow(/unusedAccess\.windowDays/);
  });

  it('refuses bad usage', async () => {
    await expect(run([], capture())).rejects.toThrow(UsageError);
    await expect(run([fixture, '--as-of', 'yesterday'], capture())).rejects.toThrow(/--as-of "yesterday" is not an ISO 8601 date/);
    await expect(run([fixture, '--frobnicate'], capture())).rejects.toThrow(/unknown option --frobnicate/);
    const missing = capture();
    expect(await run(['no/such/folder'], missing)).toBe(2);
    expect(missing.stderr).toEqual(['arw suggest: cannot read no/such/folder: no such file']);
  });
});

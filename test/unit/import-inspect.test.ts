// `arw inspect`: JSON shape, folders of workbench CSV, exit 0 / 1 (a file rejected as a whole) / 2 (usage).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/commands/inspect';
import { UsageError } from '../../electron/cli/io';

const repoRoot = resolve(__dirname, '../..');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), cwd: repoRoot } };
}

describe('arw inspect', () => {
  it('reads a folder of workbench CSV and prints sources and totals as JSON', async () => {
    const c = io();
    const code = await run(['test/fixtures/workbench-csv', '--json'], c.io);
    expect(code).toBe(0);
    const report = JSON.parse(c.out.join('\n'));
    expect(Object.keys(report)).toEqual(['sources', 'totals']);
    expect(report.sources.map((s: { file: string }) => s.file).sort()).toEqual(
      ['assignments.csv', 'credentials.csv', 'entitlements.csv', 'identities.csv'].map((f) => `test/fixtures/workbench-csv/${f}`),
    );
    for (const s of report.sources) {
      expect(Object.keys(s)).toEqual(['file', 'format', 'sha256', 'rows', 'rejected', 'errors']);
      expect(s.format).toBe('workbench-csv');
      expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(Object.keys(report.totals)).toEqual(['identities', 'entitlements', 'assignments', 'credentials']);
    expect(report.totals.assignments).toBe(report.sources.find((s: { file: string }) => s.file.endsWith('assignments.csv')).rows);
  });

  it('exits 1 when a file is rejected as a whole, with the reason as an error; row errors keep their lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arw-inspect-'));
    writeFileSync(join(dir, 'notes.txt'), 'hello\nworld\n');
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ bindings: [{ role: 'roles/viewer', members: ['user:a@x.com', 'nobody'] }] }));
    const c = io();
    const code = await run([dir, '--json'], c.io);
    expect(code).toBe(1);
    const report = JSON.parse(c.out.join('\n'));
    const notes = report.sources.find((s: { file: string }) => s.file.endsWith('notes.txt'));
    expect(notes.format).toBeNull();
    expect(notes.errors[0].message).toMatch(/not a known identity-data format/);
    const policy = report.sources.find((s: { file: string }) => s.file.endsWith('policy.json'));
    expect(policy).toMatchObject({ format: 'gcp-iam', rows: 2, rejected: 1 });
    expect(policy.errors[0]).toMatchObject({ line: 1 });
    expect(report.totals.identities).toBe(1);
  });

  it('prints a table without --json, and refuses bad usage', async () => {
    const c = io();
    expect(await run(['test/fixtures/workbench-csv/identities.csv', 'test/fixtures/workbench-csv/entitlements.csv'], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^file\s+format\s+rows\s+rejected$/);
    expect(c.out.join('\n')).toMatch(/identities 10\s+entitlements 6/);
    await expect(run([], io().io)).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--bogus'], io().io)).rejects.toBeInstanceOf(UsageError);
    const missing = io();
    expect(await run(['no/such/file'], missing.io)).toBe(2);
    expect(missing.err[0]).toMatch(/cannot read no\/such\/file/);
  });
});

describe('arw inspect --assignments', () => {
  it('lists each effective assignment with its path (empty for a direct grant); totals count effective assignments', async () => {
    const c = io();
    const code = await run(['test/fixtures/nested/openldap-nested.ldif', '--json', '--assignments'], c.io);
    expect(code).toBe(0);
    const report = JSON.parse(c.out.join('\n'));
    const ann = 'uid=ann,ou=people,dc=example,dc=com';
    const g = (cn: string) => `cn=${cn},ou=groups,dc=example,dc=com`;
    expect(report.assignments).toContainEqual({ identityId: ann, entitlementId: g('ap-team'), path: [] });
    expect(report.assignments).toContainEqual({
      identityId: ann,
      entitlementId: g('erp-payments-approve'),
      path: [g('ap-team'), g('finance-all')],
    });
    for (const a of report.assignments) expect(Object.keys(a)).toEqual(['identityId', 'entitlementId', 'path']);
    // 3 direct grants (ann, bob, cyd) + 4 inherited (ann ×2, bob, cyd): the fixture has 7 effective assignments.
    expect(report.totals.assignments).toBe(report.assignments.length);
    expect(report.assignments.filter((a: { path: string[] }) => a.path.length === 0)).toHaveLength(3);
    expect(report.assignments).toHaveLength(7);
    expect(report.cycles).toEqual([[g('loop-a'), g('loop-b')]]);
  });

  it('in text, an inherited grant reads "via" its groups and the cycle is named', async () => {
    const c = io();
    expect(await run(['test/fixtures/nested/openldap-nested.ldif', '--assignments'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain(
      'uid=ann,ou=people,dc=example,dc=com  cn=erp-payments-approve,ou=groups,dc=example,dc=com  via cn=ap-team,ou=groups,dc=example,dc=com → cn=finance-all,ou=groups,dc=example,dc=com',
    );
    expect(text).toMatch(/nesting cycle \(not followed twice\): cn=loop-a.* → cn=loop-b.* → cn=loop-a/);
    expect(text).toContain('assignments 7');
  });
});

describe.skipIf(!existsSync(resolve(repoRoot, '../shared/datasets/baton-c1z')))('arw inspect on Baton .c1z files', () => {
  it('reads a v1 sync with the SQLite engine started for it, and refuses the unfinished one with its reason', async () => {
    const dir = resolve(repoRoot, '../shared/datasets/baton-c1z');
    const c = io();
    const code = await run(
      [join(dir, 'sync.36zfOAoWMxQdISbixanQCRBiX7E.unexpanded.c1z'), join(dir, 'sync-in-progress.c1z'), '--json', '--assignments'],
      c.io,
    );
    expect(code).toBe(1);
    const report = JSON.parse(c.out.join('\n'));
    expect(report.sources.map((s: { format: string | null }) => s.format)).toEqual(['baton-c1z', null]);
    expect(report.sources[1].errors[0].message).toMatch(/never finished/);
    expect(report.totals.assignments).toBe(report.assignments.length);
    expect(report.assignments.some((a: { path: string[] }) => a.path.length > 0)).toBe(true);
  });
});

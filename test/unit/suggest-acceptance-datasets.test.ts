// Issue 17 acceptance through `arw suggest` on real exports from ARW_DATASETS (default ../shared/datasets): the
// AWS credential report's stale console password with MFA off and its root user; an AD account whose
// lastLogonTimestamp is two years old; and no keep anywhere without positive evidence named first.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/commands/suggest';
import type { CliIo } from '../../electron/cli/io';

const repoRoot = resolve(import.meta.dirname, '../..');
const datasets = process.env.ARW_DATASETS ?? resolve(repoRoot, '../shared/datasets');
const aws = join(datasets, 'aws-iam-credential-report');
const ldif = join(datasets, 'ldif');
const present = existsSync(aws) && existsSync(ldif);
if (!present) console.log(`skipping issue-17 dataset acceptance tests: ${datasets} (aws-iam-credential-report, ldif) not found`);

interface JsonSuggestion {
  identityId: string;
  entitlementId: string | null;
  credentialId: string | null;
  action: string;
  riskTier: string;
  decisionClass: string;
  signals: { id: string; message: string; value: unknown }[];
}

/** Signals that can carry a keep: each is positive evidence (recent use, peers holding it, an owner, a credential in use). */
const POSITIVE = new Set([
  'unused-access',
  'peer-outlier.department-title',
  'peer-outlier.manager',
  'peer-outlier.department',
  'peer-outlier.nearest-neighbours',
  'nhi.owner',
  'nhi.credential-unused',
  'nhi.credential-rotation',
  'credential-inactive',
  'password-unused',
  'identity.dormant',
]);

async function suggestJson(paths: string[], asOf: string): Promise<JsonSuggestion[]> {
  const stdout: string[] = [];
  const io: CliIo = { out: (t) => stdout.push(t), err: () => undefined, cwd: repoRoot };
  expect(await run([...paths, '--as-of', asOf, '--json'], io)).toBe(0);
  return (JSON.parse(stdout.join('\n')) as { suggestions: JsonSuggestion[] }).suggestions;
}

function expectKeepsNameEvidence(out: JsonSuggestion[]): void {
  for (const s of out) {
    if (s.action !== 'keep') continue;
    expect(
      POSITIVE.has(s.signals[0]?.id ?? ''),
      `${s.identityId} ${s.entitlementId ?? s.credentialId ?? ''}: ${JSON.stringify(s.signals[0])}`,
    ).toBe(true);
    expect(s.signals[0]!.message).not.toMatch(/^usage unknown|never used/);
  }
}

describe.skipIf(!present)('arw suggest on real exports (issue 17 acceptance)', () => {
  it('AWS credential report: a console password unused for years with MFA off → disable-login; the root user listed as critical', async () => {
    const out = await suggestJson([join(aws, 'cloudmapper_demo_credential_report.csv')], '2026-12-01');
    // "user": password_enabled true, password_last_used 2018-05-07, mfa_active false.
    const pw = out.find((s) => s.identityId.endsWith(':user/user') && s.credentialId === 'console-password')!;
    expect(['disable-login', 'revoke']).toContain(pw.action);
    expect(pw.signals[0]!.message).toContain('MFA is off');
    expect(pw.signals[0]!.value).toBe(3129); // 2018-05-07T15:35:54 → 2026-12-01
    const root = out.find((s) => s.identityId.endsWith(':root') && s.entitlementId === null && s.credentialId === null)!;
    expect(root.riskTier).toBe('critical');
    expect(root.decisionClass).toBe('never-delegate');
    const special = root.signals.find((g) => g.id === 'identity.special-account')!;
    expect(special.message).toContain('last sign-in 2019-03-03');
    expect(special.message).toContain('MFA on');
    expect(special.message).toContain('1 active key, last used 2018-11-27');
    expectKeepsNameEvidence(out);
  });

  it('every credential report: no keep without positive evidence; every root user is a critical item', async () => {
    for (const f of readdirSync(aws)
      .filter((n) => n.endsWith('.csv'))
      .sort()) {
      const out = await suggestJson([join(aws, f)], '2026-12-01');
      expectKeepsNameEvidence(out);
      for (const s of out.filter((x) => x.identityId.endsWith(':root') && !x.entitlementId && !x.credentialId))
        expect(s.riskTier, f).toBe('critical');
    }
  });

  it('LDIF: no keep without positive evidence on the real directories', async () => {
    for (const f of ['389ds_Example.ldif', 'openldap_tests_memberof.out.ldif'])
      expectKeepsNameEvidence(await suggestJson([join(ldif, f)], '2026-12-01'));
  });

  it('AD LDIF: flags an account whose lastLogonTimestamp is two years old', async () => {
    // The shared LDIF files come from OpenLDAP and 389 DS and carry no AD sign-in attribute: a small AD export
    // stands in, read by the same importer and CLI.
    const filetime = (iso: string) => String((BigInt(Date.parse(iso)) + 11_644_473_600_000n) * 10_000n);
    const entry = (cn: string, logon: string) =>
      [
        `dn: CN=${cn},OU=Staff,DC=corp,DC=example`,
        'objectClass: top',
        'objectClass: person',
        'objectClass: organizationalPerson',
        'objectClass: user',
        `cn: ${cn}`,
        `sAMAccountName: ${cn.toLowerCase()}`,
        `displayName: ${cn}`,
        'userAccountControl: 512',
        `lastLogonTimestamp: ${filetime(logon)}`,
        '',
      ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'arw-ad-'));
    writeFileSync(
      join(dir, 'ad.ldif'),
      ['version: 1', '', entry('Stale User', '2024-11-20T08:00:00Z'), entry('Busy User', '2026-11-28T08:00:00Z')].join('\n'),
    );
    const out = await suggestJson([join(dir, 'ad.ldif')], '2026-12-01');
    const stale = out.find((s) => s.identityId.toLowerCase().includes('stale') && !s.entitlementId && !s.credentialId)!;
    expect(stale.action).toBe('disable-login');
    expect(stale.signals[0]!.id).toBe('identity.dormant');
    expect(stale.signals[0]!.message).toContain('2024-11-20');
    expect(out.some((s) => s.identityId.toLowerCase().includes('busy') && s.action !== 'keep' && s.action !== 'none')).toBe(false);
  });
});

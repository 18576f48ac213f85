// Issue 17, observations 1–8: each on a small hand-built organisation with the confounder, expected figures
// computed here. Each test fails on the engine before the issue (babf33e) and passes after.
import { describe, expect, it } from 'vitest';
import {
  assignmentItemId,
  credentialItemId,
  identityItemId,
  type Assignment,
  type Entitlement,
  type Identity,
  type SnapshotData,
} from '../../shared/model';
import { DAY_MS } from '../../shared/model/time';
import { DEFAULT_POLICY, SUGGESTED_ACTIONS, suggest, type Policy, type Suggestion } from '../../shared/suggest';
import { campaignDashboard } from '../../shared/review/dashboard';
import { inScope } from '../../shared/review/scope';

const AS_OF = Date.parse('2026-06-30T00:00:00Z');
const daysAgo = (d: number) => new Date(AS_OF - d * DAY_MS).toISOString().slice(0, 10);

function person(id: string, extra: Partial<Identity> = {}): Identity {
  return { id, displayName: id, type: 'human', status: 'active', ...extra };
}
function ent(id: string, application = 'App', privilege: Entitlement['privilege'] = 'low'): Entitlement {
  return { id, name: id, application, privilege };
}
function grant(
  identityId: string,
  entitlementId: string,
  usedDaysAgo: number | null,
  source = 'iga.csv',
  grantedDaysAgo = 400,
): Assignment {
  const a: Assignment = { identityId, entitlementId, source, grantedAt: daysAgo(grantedDaysAgo) };
  if (usedDaysAgo !== null) a.lastUsedAt = daysAgo(usedDaysAgo);
  return a;
}
function run(data: Partial<SnapshotData>, policy: Policy = DEFAULT_POLICY): Map<string, Suggestion> {
  const full: SnapshotData = { identities: [], entitlements: [], assignments: [], credentials: [], ...data };
  return new Map(suggest(full, policy, { asOf: AS_OF }).map((s) => [s.itemId, s]));
}
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `${prefix}${String(k).padStart(2, '0')}`);

describe('1. evidence coverage per application and entitlement', () => {
  // One source (iga.csv) reports usage for CRM, not for Expenses; every Finance analyst holds both.
  const team = ids('f', 12);
  const data = (): Partial<SnapshotData> => ({
    identities: team.map((id) => person(id, { department: 'Finance', title: 'Analyst', managerId: 'boss' })),
    entitlements: [ent('crm-user', 'CRM'), ent('crm-reports', 'CRM'), ent('expenses-user', 'Expenses')],
    // One CRM use 300 days ago: the source's usage history covers the window.
    assignments: [...team.flatMap((id) => [grant(id, 'crm-user', 3), grant(id, 'expenses-user', null)]), grant('f00', 'crm-reports', 300)],
  });

  it('does not call access "never used" when no holder of its application has a usage date; it says so', () => {
    const s = run(data()).get(assignmentItemId('f00', 'expenses-user'))!;
    expect(s.action).not.toBe('revoke');
    const usage = s.signals.find((g) => g.id === 'unused-access')!;
    expect(usage.verdict).toBeUndefined();
    expect(usage.message).toContain('usage unknown');
    expect(usage.message).toContain('application "Expenses"');
    // Every peer holds it: a keep, naming the peers as its evidence.
    expect(s.action).toBe('keep');
    expect(s.signals[0]!.id).toMatch(/^peer-outlier\./);
  });

  it('lets the policy say an application reports usage (then never used counts) or does not', () => {
    const reported: Policy = {
      ...DEFAULT_POLICY,
      unusedAccess: { ...DEFAULT_POLICY.unusedAccess, rules: [{ application: 'Exp*', usage: 'reported' }] },
    };
    const s = run(data(), reported).get(assignmentItemId('f00', 'expenses-user'))!;
    expect(s.signals.find((g) => g.id === 'unused-access')!.verdict).toBe('revoke');
    const notReported: Policy = {
      ...DEFAULT_POLICY,
      unusedAccess: { ...DEFAULT_POLICY.unusedAccess, rules: [{ application: 'CRM', usage: 'not-reported' }] },
    };
    const crm = run(
      {
        ...data(),
        assignments: [...data().assignments!, grant('f00', 'crm-admin', null)],
        entitlements: [...data().entitlements!, ent('crm-admin', 'CRM')],
      },
      notReported,
    );
    expect(crm.get(assignmentItemId('f00', 'crm-admin'))!.signals.find((g) => g.id === 'unused-access')!.message).toContain(
      'the policy says application "CRM" reports no usage',
    );
  });
});

describe('2. usage cadence', () => {
  // Year-end close: all 20 holders last used it 150–160 days ago (one season), past the 90-day window.
  const team = ids('c', 20);
  const base = (): Partial<SnapshotData> => ({
    identities: [...team, 'late'].map((id) => person(id, { department: 'Finance', title: 'Accountant', managerId: 'boss' })),
    entitlements: [ent('year-end-close', 'ERP'), ent('ledger', 'ERP')],
    assignments: [
      ...team.map((id, k) => grant(id, 'year-end-close', 150 + (k % 11))),
      ...[...team, 'late'].map((id) => grant(id, 'ledger', 2)),
      grant('late', 'year-end-close', 520),
    ],
  });

  it('keeps periodic access whose holders all last used it in the same season', () => {
    const m = run(base());
    const s = m.get(assignmentItemId('c00', 'year-end-close'))!;
    expect(s.action).toBe('keep');
    const usage = s.signals.find((g) => g.id === 'unused-access')!;
    expect(usage.message).toContain('periodic use');
    expect(usage.value).toBe(150);
    expect(usage.threshold as number).toBeGreaterThan(160);
  });

  it('revokes the holder who missed the cycle, saying it in figures against the other holders', () => {
    const s = run(base()).get(assignmentItemId('late', 'year-end-close'))!;
    expect(s.action).toBe('revoke');
    // 20 other holders, all within 160 days of today; the window widened to the cadence.
    expect(s.signals[0]!.message).toMatch(/^unused 520 days while 20 of 20 holders used it in the last \d+ days; window \d+ days/);
  });

  it('takes a window per application from the policy', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      unusedAccess: { ...DEFAULT_POLICY.unusedAccess, rules: [{ application: 'Payroll', windowDays: 400 }] },
    };
    const data: Partial<SnapshotData> = {
      identities: [person('u1'), person('u2')],
      entitlements: [ent('pay', 'Payroll'), ent('x', 'Other')],
      assignments: [grant('u1', 'pay', 300), grant('u2', 'x', 300), grant('u2', 'pay', 1)],
    };
    expect(
      run(data, policy)
        .get(assignmentItemId('u1', 'pay'))!
        .signals.find((g) => g.id === 'unused-access'),
    ).toMatchObject({ value: 300, threshold: 400, verdict: 'keep' });
    expect(run(data, policy).get(assignmentItemId('u2', 'x'))!.action).toBe('revoke');
  });
});

describe('3. specialists', () => {
  it('does not revoke rare access of its own department that is in recent use: "rare but in use", kept at low confidence', () => {
    const eng = ids('e', 30);
    const data: Partial<SnapshotData> = {
      identities: [
        ...eng.map((id, k) => person(id, { department: 'Engineering', title: 'Engineer', managerId: `m${k % 3}` })),
        ...ids('s', 10).map((id) => person(id, { department: 'Sales', title: 'Rep', managerId: 'ms' })),
      ],
      entitlements: [ent('git', 'GitHub'), ent('prod-oncall', 'AWS', 'critical'), ent('crm', 'CRM')],
      assignments: [
        ...eng.map((id) => grant(id, 'git', 1)),
        grant('e00', 'prod-oncall', 6),
        ...ids('s', 10).map((id) => grant(id, 'crm', 1)),
        ...eng.slice(0, 20).map((id) => grant(id, 'crm', 3)),
      ],
    };
    const s = run(data).get(assignmentItemId('e00', 'prod-oncall'))!;
    expect(s.action).not.toBe('revoke');
    const sp = s.signals.find((g) => g.id === 'peer-outlier.specialist')!;
    expect(sp.message).toContain('rare but in use (6 days ago)');
    expect(s.confidence).toBeLessThanOrEqual(0.6);
  });
});

describe('4. duplicate accounts within one source', () => {
  it('flags the second account of one person (same e-mail, same source), not the one in use', () => {
    const data: Partial<SnapshotData> = {
      identities: [
        person('jdoe', { email: 'J.Doe@corp.example', sources: ['ad.ldif'], lastLoginAt: daysAgo(2) }),
        person('jdoe2', { email: 'j.doe@corp.example', sources: ['ad.ldif'], lastLoginAt: daysAgo(40) }),
        person('other', { email: 'j.doe@corp.example', sources: ['okta.json'] }),
        person('e1', { employeeId: '42', sources: ['hr.csv'] }),
        person('e2', { employeeId: '42', sources: ['hr.csv'] }),
      ],
    };
    const m = run(data);
    expect(m.get(identityItemId('jdoe2'))).toMatchObject({ action: 'disable-login' });
    expect(m.get(identityItemId('jdoe2'))!.signals[0]!.message).toContain('same e-mail j.doe@corp.example as jdoe (jdoe) in ad.ldif');
    expect(m.get(identityItemId('jdoe'))?.action).not.toBe('disable-login');
    expect(m.get(identityItemId('other'))?.action ?? 'no item').not.toBe('disable-login');
    expect(m.get(identityItemId('e2'))!.signals[0]!.message).toContain('same employee id 42');
  });
});

describe('5. cohort moves', () => {
  it('flags old-department access that went unused after a team moved together, though the team makes it common in its new group', () => {
    const sales = ids('s', 20);
    const moved = ids('m', 6);
    const data: Partial<SnapshotData> = {
      identities: [
        ...sales.map((id) => person(id, { department: 'Sales', title: 'Rep', managerId: 'ms' })),
        ...moved.map((id) => person(id, { department: 'Marketing', title: 'Rep', managerId: 'mm' })),
      ],
      entitlements: [ent('crm-pipeline', 'CRM'), ent('crm-quotes', 'CRM'), ent('cms', 'CMS')],
      assignments: [
        ...sales.flatMap((id, k) => [grant(id, 'crm-pipeline', k % 5), grant(id, 'crm-quotes', k % 7)]),
        // Moved 60 days ago: still hold the Sales access, last used just before the move; use the new tools daily.
        ...moved.flatMap((id) => [grant(id, 'crm-pipeline', 62), grant(id, 'crm-quotes', 61), grant(id, 'cms', 1)]),
      ],
    };
    const s = run(data).get(assignmentItemId('m00', 'crm-pipeline'))!;
    expect(s.action).toBe('revoke');
    expect(s.signals[0]!.id).toBe('cohort-move');
    expect(s.signals[0]!.message).toContain('belongs to Sales (20 of its 26 holders');
    expect(s.signals[0]!.message).toContain('unused 62 days while 20 of 25 holders used it since');
    // The Sales reps themselves keep it.
    expect(run(data).get(assignmentItemId('s00', 'crm-pipeline'))!.action).toBe('keep');
  });
});

describe('6. identity-level signals', () => {
  it('flags a dormant account from its last sign-in', () => {
    const s = run({ identities: [person('old', { lastLoginAt: '2024-06-01T10:00:00Z' })] }).get(identityItemId('old'))!;
    expect(s.action).toBe('disable-login');
    expect(s.signals[0]).toMatchObject({ id: 'identity.dormant', value: 758, threshold: 90 });
  });

  it('disables an unused console password with MFA off, and names MFA', () => {
    const m = run({
      identities: [
        person('user', {
          passwordLogin: true,
          mfa: false,
          passwordLastUsedAt: '2022-05-07T15:35:54Z',
          lastLoginAt: '2022-05-07T15:35:54Z',
        }),
      ],
      credentials: [
        {
          identityId: 'user',
          credentialId: 'console-password',
          kind: 'console-password',
          active: true,
          lastUsedAt: '2022-05-07T15:35:54Z',
        },
      ],
    });
    const c = m.get(credentialItemId('user', 'console-password'))!;
    expect(c.action).toBe('disable-login');
    expect(c.signals[0]!.message).toContain('MFA is off');
    expect(m.get(identityItemId('user'))!.signals.map((g) => g.id)).toContain('identity.no-mfa');
  });

  it('surfaces "password never expires"', () => {
    const s = run({ identities: [person('pne', { passwordNeverExpires: true, lastLoginAt: daysAgo(3) })] }).get(identityItemId('pne'))!;
    expect(s.signals.map((g) => g.id)).toContain('identity.password-never-expires');
  });

  it('always lists a root account as a critical item with its sign-in and key evidence, in every campaign scope', () => {
    const root: Identity = {
      id: 'arn:aws:iam::1:root',
      displayName: '<root_account>',
      type: 'system',
      status: 'active',
      specialAccount: 'root',
      mfa: true,
      passwordLastUsedAt: daysAgo(20),
      lastLoginAt: daysAgo(20),
    };
    const m = run({
      identities: [root],
      credentials: [
        {
          identityId: root.id,
          credentialId: 'access-key-1',
          kind: 'access-key',
          active: true,
          lastUsedAt: daysAgo(400),
          createdAt: daysAgo(900),
        },
      ],
    });
    const s = m.get(identityItemId(root.id))!;
    expect(s.riskTier).toBe('critical');
    expect(s.decisionClass).toBe('never-delegate');
    const g = s.signals.find((x) => x.id === 'identity.special-account')!;
    expect(g.message).toContain('last sign-in');
    expect(g.message).toContain('MFA on');
    expect(g.message).toContain('1 active key');
    expect(inScope({ applications: ['CRM'], identityTypes: ['human'], privileges: ['low'] }, s, root, undefined)).toBe(true);
  });
});

describe('7. "no evidence" is its own answer', () => {
  it('answers none ("no suggestion", with its reason) when nothing points either way, and counts it apart', () => {
    const m = run({
      identities: [person('u1')],
      entitlements: [ent('e1')],
      assignments: [{ identityId: 'u1', entitlementId: 'e1', source: 's', usageKnown: false }],
    });
    const s = m.get(assignmentItemId('u1', 'e1'))!;
    expect(s.action).toBe('none');
    expect(s.signals[0]!.message).toMatch(/^no suggestion: /);
    expect(s.signals[0]!.message).toContain('usage unknown');
    expect(SUGGESTED_ACTIONS).toContain('none');
    const dash = campaignDashboard(
      [{ itemId: s.itemId, riskTier: s.riskTier, action: s.action, decisionClass: s.decisionClass }],
      new Map(),
      [],
      new Map(),
    );
    expect(dash.byTierAndAction.find((r) => r.tier === 'low')).toMatchObject({ none: 1, keep: 0 });
  });

  it('never keeps without naming positive evidence first', () => {
    const m = run({
      identities: [person('u1'), { ...person('svc'), type: 'service', ownerId: 'u1' }],
      entitlements: [ent('e1')],
      assignments: [grant('u1', 'e1', 3), grant('svc', 'e1', null, 'other')],
      credentials: [{ identityId: 'svc', credentialId: 'k', kind: 'access-key', active: true }],
    });
    for (const s of m.values()) if (s.action === 'keep') expect(s.signals[0]!.verdict, s.itemId).toBe('keep');
    expect(m.get(credentialItemId('svc', 'k'))!.action).toBe('none');
  });
});

describe('8. classification: system principals and lifecycle states', () => {
  it('reviews a system principal without asking for an owner, and does not read disuse of a suspended account as evidence', () => {
    const m = run({
      identities: [
        { id: 'system:unauthenticated', displayName: 'system:unauthenticated', type: 'system', status: 'active', principal: 'group' },
        person('locked', { status: 'suspended', sourceStatus: 'LOCKED_OUT', lastLoginAt: daysAgo(10) }),
        person('h'),
      ],
      entitlements: [ent('cluster-view', 'Kubernetes', 'medium'), ent('e1'), ent('e2')],
      assignments: [grant('system:unauthenticated', 'cluster-view', null), grant('locked', 'e1', 200), grant('h', 'e2', 5)],
    });
    expect(m.get(identityItemId('system:unauthenticated'))?.action ?? 'no item').not.toBe('assign-owner');
    // Medium privilege on a non-human principal: tiered as non-human (no +1 below high, but classed apart from people).
    expect(m.get(assignmentItemId('system:unauthenticated', 'cluster-view'))!.riskReasons!.join(' ')).toContain('identity class system');
    const locked = m.get(assignmentItemId('locked', 'e1'))!;
    expect(locked.action).not.toBe('revoke');
    expect(locked.signals.some((g) => g.id === 'lifecycle-status' && g.message.includes('suspended (LOCKED_OUT)'))).toBe(true);
  });

  it('flags an account never activated long after its creation', () => {
    const s = run({
      identities: [person('staged', { status: 'never-activated', sourceStatus: 'PROVISIONED', createdAt: daysAgo(300) })],
    }).get(identityItemId('staged'))!;
    expect(s.action).toBe('disable-login');
    expect(s.signals[0]!.message).toContain('never activated (PROVISIONED), created 300 days ago');
  });
});

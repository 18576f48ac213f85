// Confounded organisation B, "cloud + SaaS": Okta people with lifecycle states and SSO usage per application (one
// bookmark-style application reports none), AWS accounts through Identity Center (role usage), an AWS credential
// report (root users, legacy console users, CI users with access keys) and Kubernetes workloads, these two in
// confounded-org-b-iam.ts. Squads under managers inside few, large departments; platform squads grouped into domains
// that own their AWS accounts. Labels as in confounded-truth.ts; built as SnapshotData directly.
import { assignmentItemId, identityItemId, type Identity, type Privilege } from '../../shared/model';
import { NameBook } from './confounded-names';
import type { ConfoundedOptions } from './confounded-org-a';
import { OrgBuilder, Prng, type ConfoundedOrganisation } from './confounded-truth';
import { addIamAccounts } from './confounded-org-b-iam';

interface Cycle {
  name: string;
  app: string;
  cycle: number;
  lastRun: [number, number];
}
interface DeptSpec {
  name: string;
  weight: number;
  titles: string[];
  apps: string[];
  periodic?: Cycle;
  specialist?: { name: string; app: string; privilege: Privilege };
}
const DEPTS: DeptSpec[] = [
  {
    name: 'Engineering',
    weight: 40,
    titles: ['Software Engineer', 'Senior Software Engineer', 'Site Reliability Engineer'],
    apps: ['GitHub', 'Datadog', 'PagerDuty'],
  },
  { name: 'Product', weight: 8, titles: ['Product Manager', 'Product Designer'], apps: ['Figma', 'Amplitude', 'Miro'] },
  {
    name: 'Sales',
    weight: 16,
    titles: ['Account Executive', 'Sales Development Rep'],
    apps: ['Salesforce', 'Gong'],
    periodic: { name: 'Quarterly Commission Close', app: 'Salesforce', cycle: 91, lastRun: [93, 100] },
  },
  { name: 'Customer Success', weight: 12, titles: ['Customer Success Manager', 'Support Engineer'], apps: ['Zendesk', 'Salesforce'] },
  {
    name: 'Finance',
    weight: 6,
    titles: ['Accountant', 'FP&A Analyst'],
    apps: ['NetSuite', 'Bill.com'],
    periodic: { name: 'Year-End Close', app: 'NetSuite', cycle: 365, lastRun: [160, 174] },
    specialist: { name: 'Payment Release', app: 'Bill.com', privilege: 'critical' },
  },
  {
    name: 'People',
    weight: 5,
    titles: ['People Partner', 'Recruiter'],
    apps: ['Rippling', 'Greenhouse'],
    periodic: { name: 'Compensation Cycle Admin', app: 'Rippling', cycle: 365, lastRun: [101, 113] },
  },
  {
    name: 'Data',
    weight: 8,
    titles: ['Data Engineer', 'Data Analyst'],
    apps: ['Snowflake', 'Looker'],
    specialist: { name: 'Pipeline On-Call Operator', app: 'Snowflake', privilege: 'high' },
  },
  {
    name: 'Security',
    weight: 5,
    titles: ['Security Engineer', 'Security Analyst'],
    apps: ['CrowdStrike', 'Datadog'],
    periodic: { name: 'Annual Pen-Test Scope Admin', app: 'CrowdStrike', cycle: 365, lastRun: [196, 210] },
  },
];
/** Okta bookmark / SWA applications: the SSO log carries no sign-ins for them. */
const BLIND_APPS = new Set(['Zoom', 'Miro']);
const OKTA_SOURCE = 'okta-app-usage.json';
const AWS_SOURCE = 'aws-identity-center.json';

interface Squad {
  dept: DeptSpec;
  manager: Person;
  members: Person[];
  domain: number;
}
interface Person {
  identity: Identity;
  dept: DeptSpec;
  title: string;
  hired: number;
  grants: { ent: string; i: number }[];
}

export function generateCloudOrg(options: ConfoundedOptions): ConfoundedOrganisation {
  const rng = new Prng(options.seed * 104729 + 3);
  const b = new OrgBuilder(options.asOf ?? '2026-06-30');
  const names = new NameBook();
  const pick = <T>(xs: readonly T[]) => rng.one(xs);
  const total = Math.max(200, Math.floor(options.identities));
  const nWorkload = Math.round(total * 0.05);
  const nCi = Math.round(total * 0.03);
  // Shape varies with the seed: squads per platform domain, the main title's share, when the DR drill ran.
  const squadsPerDomain = rng.between(4, 9);
  const mainTitleShare = 0.5 + rng.next() * 0.2;
  const drShift = rng.between(0, 25);
  const nHumanTarget = total - nWorkload - nCi;

  const app = new Map<string, string>();
  const ent = (application: string, name: string, privilege: Privilege, id?: string): string => {
    const eid = id ?? `${application}/${name}`.toLowerCase().replace(/[^a-z0-9/:.-]+/g, '-');
    if (!app.has(eid)) b.entitlements.push({ id: eid, name, application, privilege });
    app.set(eid, application);
    return eid;
  };
  const sourceOf = (e: string) => (app.get(e)!.startsWith('AWS ') ? AWS_SOURCE : OKTA_SOURCE);
  const people: Person[] = [];
  const pad = (n: number) => String(n).padStart(6, '0');
  let seq = 1;
  const newPerson = (dept: DeptSpec, title: string, managerId: string | undefined, hired: number): Person => {
    const n = names.next(pick);
    const id = `00u${pad(seq++)}`;
    const identity: Identity = {
      id,
      displayName: n.displayName,
      email: `${n.local}@cloudco.example`,
      type: 'human',
      status: 'active',
      sourceStatus: 'ACTIVE',
      department: dept.name,
      title,
      ...(managerId ? { managerId } : {}),
      employeeId: String(100000 + seq),
      login: `${n.local}@cloudco.example`,
      createdAt: b.ago(hired),
      lastLoginAt: b.ago(rng.between(0, 6)),
      passwordLogin: true,
      mfa: true,
      sources: ['okta-users.json'],
    };
    b.identities.push(identity);
    const p = { identity, dept, title, hired, grants: [] };
    people.push(p);
    return p;
  };
  const grant = (p: Person, e: string, grantedAgo: number, usedAgo: number | undefined) => {
    const blind = BLIND_APPS.has(app.get(e)!);
    b.assignments.push({
      identityId: p.identity.id,
      entitlementId: e,
      source: sourceOf(e),
      grantedAt: b.ago(grantedAgo),
      ...(blind || usedAgo === undefined ? {} : { lastUsedAt: b.ago(usedAgo) }),
    });
    p.grants.push({ ent: e, i: b.assignments.length - 1 });
  };
  const use = (hired: number) => Math.min(hired, rng.chance(0.8) ? rng.between(0, 20) : rng.between(21, 70));

  // ---- people in squads ----
  const ceo = newPerson(DEPTS[0]!, 'Chief Executive Officer', undefined, 2500);
  const weightSum = DEPTS.reduce((s, d) => s + d.weight, 0);
  const squads: Squad[] = [];
  const hireAgo = () => (rng.chance(0.05) ? rng.between(2, 40) : rng.between(120, 2500));
  for (const dept of DEPTS) {
    const size = Math.max(8, Math.round(((nHumanTarget - 1) * dept.weight) / weightSum));
    const head = newPerson(dept, `VP ${dept.name}`, ceo.identity.id, rng.between(500, 2500));
    let left = size - 1;
    let k = 0;
    while (left >= 4) {
      const n = Math.min(left - 1, rng.between(5, 9));
      const manager = newPerson(dept, `${dept.name} Manager`, head.identity.id, rng.between(300, 2500));
      const members: Person[] = [];
      for (let m = 0; m < n; m++)
        members.push(
          newPerson(
            dept,
            rng.chance(mainTitleShare) ? dept.titles[0]! : dept.titles[1 + Math.floor(rng.next() * (dept.titles.length - 1))]!,
            manager.identity.id,
            hireAgo(),
          ),
        );
      squads.push({ dept, manager, members, domain: Math.floor(k++ / squadsPerDomain) });
      left -= n + 1;
    }
  }

  // ---- catalogue and access ----
  const company = [ent('Slack', 'Member', 'low'), ent('Google Workspace', 'User', 'low'), ent('Zoom', 'Licensed User', 'low')];
  const deptEnts = new Map(
    DEPTS.map((d) => [d, d.apps.map((a, i) => ent(a, `${d.name} ${i === 0 ? 'Member' : 'User'}`, i === 0 ? 'medium' : 'low'))]),
  );
  const titleEnts = new Map<string, string[]>();
  for (const d of DEPTS)
    for (const t of d.titles)
      titleEnts.set(`${d.name}|${t}`, [ent(d.apps[0]!, `${t} Role`, 'medium'), ent(d.apps[1]!, `${t} Workspace`, 'low')]);
  const managerEnt = ent('Rippling', 'Manager Self Service', 'medium');
  const awsAccounts: string[] = [];
  const domainEnts = new Map<number, { dev: string; ro: string; admin: string; dr: string }>();
  const domainOf = (d: number) => {
    let e = domainEnts.get(d);
    if (!e) {
      const prod = `prod-${d + 1}`;
      awsAccounts.push(prod, `staging-${d + 1}`, `dr-${d + 1}`);
      e = {
        dev: ent('AWS staging', `staging-${d + 1} Developer`, 'medium', `aws:staging-${d + 1}:developer`),
        ro: ent('AWS prod', `${prod} ReadOnly`, 'low', `aws:${prod}:readonly`),
        admin: ent('AWS prod', `${prod} AdministratorAccess`, 'critical', `aws:${prod}:administratoraccess`),
        dr: ent('AWS dr', `dr-${d + 1} DRFailoverOperator`, 'high', `aws:dr-${d + 1}:drfailoveroperator`),
      };
      domainEnts.set(d, e);
    }
    return e;
  };
  awsAccounts.push('security', 'log-archive', 'billing');
  const drRun = new Map<number, number>();
  const periodicRun = new Map<string, number>();
  for (const s of squads)
    for (const p of [s.manager, ...s.members]) {
      for (const e of [...company, ...deptEnts.get(s.dept)!]) grant(p, e, Math.max(0, p.hired - rng.between(0, 3)), use(p.hired));
      if (p !== s.manager)
        for (const e of titleEnts.get(`${s.dept.name}|${p.title}`)!) grant(p, e, Math.max(0, p.hired - rng.between(0, 3)), use(p.hired));
      else grant(p, managerEnt, p.hired, use(p.hired));
      if (s.dept.name === 'Engineering') {
        const d = domainOf(s.domain);
        grant(p, d.dev, p.hired, use(p.hired));
        grant(p, d.ro, p.hired, use(p.hired));
      }
    }
  // Periodic work: DR failover drills (SREs of a domain, half-yearly) and each periodic department's main title.
  const periodicHolders: { p: Person; e: string; run: number; cycle: number }[] = [];
  for (const s of squads) {
    if (s.dept.name === 'Engineering') {
      const run = drRun.get(s.domain) ?? drShift + rng.between(96, 102);
      drRun.set(s.domain, run);
      for (const p of s.members)
        if (p.title === 'Site Reliability Engineer' && p.hired > run + 30)
          periodicHolders.push({ p, e: domainOf(s.domain).dr, run, cycle: 182 });
    }
    const c = s.dept.periodic;
    if (c) {
      const e = ent(c.app, c.name, 'high');
      const run = periodicRun.get(e) ?? rng.between(c.lastRun[0], c.lastRun[1] - 5);
      periodicRun.set(e, run);
      for (const p of s.members)
        if (p.title === s.dept.titles[0] && p.hired > run + 30) periodicHolders.push({ p, e, run, cycle: c.cycle });
    }
  }
  const perEnt = new Map<string, number>();
  for (const h of periodicHolders) {
    const i = perEnt.get(h.e) ?? 0;
    perEnt.set(h.e, i + 1);
    const lapsed = i % 12 === 7;
    const used = h.run + rng.between(0, 5) + (lapsed ? h.cycle + rng.between(5, 40) : 0);
    grant(h.p, h.e, Math.min(h.p.hired, used + rng.between(20, 300)), used);
    if (lapsed) b.anomaly(assignmentItemId(h.p.identity.id, h.e), 'periodic-lapsed');
    else b.normal(assignmentItemId(h.p.identity.id, h.e), 'periodic-work');
  }
  // Specialists: the squad's on-call production admin, or the department's one release / on-call role per squad.
  for (const s of squads) {
    const spec =
      s.dept.name === 'Engineering'
        ? domainOf(s.domain).admin
        : s.dept.specialist
          ? ent(s.dept.specialist.app, s.dept.specialist.name, s.dept.specialist.privilege)
          : undefined;
    const p = s.members.find((m) => m.hired > 60);
    if (!spec || !p || s.members.length < 3) continue;
    grant(p, spec, rng.between(30, 600), rng.between(1, 8));
    b.normal(assignmentItemId(p.identity.id, spec), 'specialist');
  }
  for (const a of b.assignments)
    if (BLIND_APPS.has(app.get(a.entitlementId)!)) b.normal(assignmentItemId(a.identityId, a.entitlementId), 'usage-blind-app');
  for (const p of people) {
    if ((names.counts.get(p.identity.displayName) ?? 0) > 1) b.normal(identityItemId(p.identity.id), 'namesake');
    if (p.hired > 40) continue;
    b.normal(identityItemId(p.identity.id), 'new-hire');
    for (const g of p.grants) {
      const a = b.assignments[g.i]!;
      if (rng.chance(0.5)) delete a.lastUsedAt;
      b.normal(assignmentItemId(a.identityId, a.entitlementId), 'new-hire');
    }
  }

  // Contractors: in Okta without department, title or manager (no peer group at all), using a few tools this month.
  const nContractors = Math.max(2, Math.round(people.length * 0.02));
  for (let k = 1; k <= nContractors; k++) {
    const n = names.next(pick);
    const d = pick(DEPTS);
    const c: Identity = {
      id: `00c${pad(k)}`,
      displayName: n.displayName,
      email: `${n.local}@partner.example`,
      type: 'human',
      status: 'active',
      sourceStatus: 'ACTIVE',
      login: `${n.local}@partner.example`,
      createdAt: b.ago(rng.between(60, 700)),
      lastLoginAt: b.ago(rng.between(0, 5)),
      passwordLogin: true,
      mfa: true,
      sources: ['okta-users.json'],
    };
    b.identities.push(c);
    b.normal(identityItemId(c.id), 'contractor-no-peers');
    for (const e of [company[0]!, deptEnts.get(d)![0]!, ...(rng.chance(0.5) ? [titleEnts.get(`${d.name}|${d.titles[0]}`)![0]!] : [])]) {
      b.assignments.push({
        identityId: c.id,
        entitlementId: e,
        source: sourceOf(e),
        grantedAt: b.ago(rng.between(30, 60)),
        lastUsedAt: b.ago(rng.between(0, 14)),
      });
      b.normal(assignmentItemId(c.id, e), 'contractor-no-peers');
    }
  }

  // ---- anomalies on people ----
  const pool = squads.flatMap((s) => s.members).filter((p) => p.hired > 120);
  const taken = new Set<Person>();
  const draw = (share: number): Person[] => {
    const want = Math.max(1, Math.round(pool.length * share));
    const out: Person[] = [];
    for (let t = 0; out.length < want && t < want * 20; t++) {
      const p = pool[Math.floor(rng.next() * pool.length)]!;
      if (taken.has(p)) continue;
      taken.add(p);
      out.push(p);
    }
    return out;
  };
  const withUsage = (p: Person) =>
    p.grants.map((g) => b.assignments[g.i]!).filter((a) => a.lastUsedAt && !BLIND_APPS.has(app.get(a.entitlementId)!));
  for (const p of draw(0.015)) {
    const a = withUsage(p).find((x) => titleEnts.get(`${p.dept.name}|${p.title}`)?.includes(x.entitlementId) || x.source === AWS_SOURCE);
    if (!a || periodicHolders.some((h) => h.p === p && h.e === a.entitlementId)) continue;
    a.lastUsedAt = b.ago(rng.between(150, 500));
    b.anomaly(assignmentItemId(a.identityId, a.entitlementId), 'unused-access');
  }
  for (const p of draw(0.006)) {
    const other = DEPTS.find((d) => d !== p.dept && d.name !== 'Engineering') ?? DEPTS[1]!;
    const e = titleEnts.get(`${other.name}|${other.titles[0]}`)![0]!;
    grant(p, e, rng.between(150, 600), undefined);
    b.anomaly(assignmentItemId(p.identity.id, e), 'never-used-access');
  }
  const lifecycle = (p: Person, status: Identity['status'], sourceStatus: string, lastLogin: number) =>
    Object.assign(p.identity, { status, sourceStatus, lastLoginAt: b.ago(lastLogin) });
  const ageUsage = (p: Person, from: number) => {
    for (const a of p.grants.map((g) => b.assignments[g.i]!))
      if (a.lastUsedAt && Date.parse(a.lastUsedAt) > Date.parse(b.ago(from))) a.lastUsedAt = b.ago(from + rng.between(0, 20));
  };
  for (const p of draw(0.008)) {
    const left = rng.between(5, 200);
    lifecycle(p, 'terminated', 'DEPROVISIONED', left + 1);
    ageUsage(p, left);
    b.covered(identityItemId(p.identity.id), 'terminated-entitled');
    for (const g of p.grants) b.anomaly(assignmentItemId(p.identity.id, b.assignments[g.i]!.entitlementId), 'terminated-entitled');
  }
  const identityLevel = (
    people: Person[],
    kind: 'dormant-account' | 'suspended-entitled',
    status: Identity['status'],
    sourceStatus: string,
    lo: number,
    hi: number,
  ) => {
    for (const p of people) {
      const last = rng.between(lo, hi);
      lifecycle(p, status, sourceStatus, last);
      ageUsage(p, last);
      // A suspended account's access may be answered item by item instead: all of it revoked also counts.
      const access = p.grants.map((g) => assignmentItemId(p.identity.id, b.assignments[g.i]!.entitlementId));
      b.anomaly(identityItemId(p.identity.id), kind, undefined, kind === 'suspended-entitled' ? access : undefined);
      for (const g of p.grants) b.covered(assignmentItemId(p.identity.id, b.assignments[g.i]!.entitlementId), kind);
    }
  };
  identityLevel(draw(0.01), 'dormant-account', 'active', 'ACTIVE', 200, 800);
  identityLevel(draw(0.004), 'suspended-entitled', 'suspended', 'SUSPENDED', 200, 600);
  for (const p of draw(0.003)) {
    lifecycle(p, 'suspended', 'LOCKED_OUT', rng.between(0, 2));
    b.normal(identityItemId(p.identity.id), 'locked-out-recently');
    for (const g of p.grants) b.normal(assignmentItemId(p.identity.id, b.assignments[g.i]!.entitlementId), 'locked-out-recently');
  }
  // Okta users never activated: long-staged ones holding access (anomaly) and this week's new hires (normal).
  const staged = (kind: 'never-activated-entitled' | 'staged-new-hire', created: number) => {
    const s = pick(squads);
    const p = newPerson(s.dept, s.dept.titles[0]!, s.manager.identity.id, created);
    Object.assign(p.identity, { status: 'never-activated', sourceStatus: rng.chance(0.5) ? 'STAGED' : 'PROVISIONED' });
    delete p.identity.lastLoginAt;
    delete p.identity.mfa;
    for (const e of [...company, ...deptEnts.get(s.dept)!]) grant(p, e, created, undefined);
    if (kind === 'never-activated-entitled')
      b.anomaly(
        identityItemId(p.identity.id),
        kind,
        undefined,
        p.grants.map((g) => assignmentItemId(p.identity.id, b.assignments[g.i]!.entitlementId)),
      );
    else b.normal(identityItemId(p.identity.id), kind);
    for (const g of p.grants) {
      const item = assignmentItemId(p.identity.id, b.assignments[g.i]!.entitlementId);
      if (kind === 'never-activated-entitled') b.covered(item, kind);
      else b.normal(item, kind);
    }
  };
  const nStaged = Math.max(1, Math.round(pool.length * 0.003));
  for (let k = 0; k < nStaged; k++) staged('never-activated-entitled', rng.between(150, 400));
  for (let k = 0; k < nStaged; k++) staged('staged-new-hire', rng.between(1, 10));
  // Duplicate Okta users: a contractor converted to employee keeps the old user (same e-mail or same employee id).
  let dn = 0;
  for (const p of draw(0.004)) {
    const sameEmail = dn++ % 2 === 0;
    const recent = rng.chance(0.5);
    const dup: Identity = {
      ...p.identity,
      id: `00x${pad(dn)}`,
      login: `${p.identity.login}.old`,
      createdAt: b.ago(rng.between(p.hired, p.hired + 400)),
      lastLoginAt: b.ago(recent ? rng.between(2, 40) : rng.between(150, 500)),
      title: 'Contractor',
    };
    if (sameEmail) delete dup.employeeId;
    else dup.email = `${p.identity.email!.split('@')[0]}.contractor@cloudco.example`;
    b.identities.push(dup);
    b.anomaly(identityItemId(dup.id), 'duplicate-account', [identityItemId(p.identity.id)]);
    b.covered(identityItemId(p.identity.id), 'duplicate-account');
    for (const e of [company[0]!, deptEnts.get(p.dept)![0]!]) {
      b.assignments.push({
        identityId: dup.id,
        entitlementId: e,
        source: OKTA_SOURCE,
        grantedAt: dup.createdAt,
        lastUsedAt: dup.lastLoginAt,
      });
      b.covered(assignmentItemId(dup.id, e), 'duplicate-account');
    }
  }
  // Squads moved from Product to Engineering (a reorg): Product tools unused since, except the shared Miro board
  // (a usage-blind application, so left out) and Figma, which they still use.
  const movable = squads.filter((s) => s.dept.name === 'Product' && [s.manager, ...s.members].every((p) => !taken.has(p) && p.hired > 160));
  const eng = DEPTS[0]!;
  for (let m = 0; m < Math.max(1, Math.round(squads.length / 40)) && movable.length; m++) {
    const s = movable.splice(Math.floor(rng.next() * movable.length), 1)[0]!;
    const moved = rng.between(120, Math.min(300, Math.min(...[s.manager, ...s.members].map((p) => p.hired)) - 30));
    const d = domainOf(0);
    for (const p of [s.manager, ...s.members]) {
      taken.add(p);
      p.identity.department = eng.name;
      p.identity.title = p === s.manager ? `${eng.name} Manager` : eng.titles[0]!;
      for (const g of p.grants) {
        const a = b.assignments[g.i]!;
        if (company.includes(a.entitlementId) || a.entitlementId === managerEnt) continue;
        const item = assignmentItemId(a.identityId, a.entitlementId);
        // Old access without usage data (Miro): nothing shows the disuse, so it is not counted either way.
        if (!a.lastUsedAt) {
          b.covered(item, 'old-department-access');
          continue;
        }
        if (app.get(a.entitlementId) === 'Figma') {
          a.lastUsedAt = b.ago(rng.between(0, 15));
          b.normal(item, 'cohort-still-used');
        } else {
          a.lastUsedAt = b.ago(Math.max(moved + rng.between(1, 30), b.daysAgo(a.lastUsedAt)));
          b.anomaly(item, 'old-department-access');
        }
      }
      const newEnts = [...deptEnts.get(eng)!, ...(p === s.manager ? [] : titleEnts.get(`${eng.name}|${eng.titles[0]}`)!), d.dev, d.ro];
      for (const e of newEnts) grant(p, e, moved, Math.min(moved, rng.between(0, 20)));
    }
  }

  // ---- AWS credential report: root users, break-glass, legacy console users, CI users; Kubernetes workloads ----
  const secHead = people.find((p) => p.identity.title === 'VP Security')!;
  const engManagers = squads.filter((s) => s.dept.name === 'Engineering').map((s) => s.manager.identity.id);
  addIamAccounts({ b, rng, names, ent, awsAccounts, secHead, engManagers, nCi, nWorkload });
  return b.build(options.seed, 'confoundedB');
}

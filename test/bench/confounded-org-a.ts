// Confounded organisation A, "enterprise directory + applications": an HR feed and Active Directory (groups without
// usage data) plus SAP and an IGA export carrying usage for most applications. Departments with titles, teams under
// managers. Planted anomalies and confounders are labelled (see confounded-truth.ts); the data is built as
// SnapshotData directly, as an importer would leave it, so the engine is measured alone.
import { assignmentItemId, credentialItemId, identityItemId, type Identity, type Privilege } from '../../shared/model';
import { NameBook } from './confounded-names';
import { OrgBuilder, Prng, type ConfoundedOrganisation } from './confounded-truth';

export interface ConfoundedOptions {
  seed: number;
  /** Total identities, people and service accounts (1,000–100,000). */
  identities: number;
  /** "Today" (YYYY-MM-DD); default 2026-06-30. */
  asOf?: string;
}

interface Periodic {
  name: string;
  app: string;
  /** Days between uses, and how long ago the last cycle ran (all holders within this span). */
  cycle: number;
  lastRun: [number, number];
}
interface DeptType {
  name: string;
  apps: string[];
  titles: string[];
  periodic?: Periodic;
  specialist?: { name: string; app: string; privilege: Privilege };
}

const DEPT_TYPES: DeptType[] = [
  {
    name: 'Finance',
    apps: ['SAP ERP', 'Treasury Gateway'],
    titles: ['Accountant', 'Financial Analyst', 'AP Clerk'],
    periodic: { name: 'Year-End Close Posting', app: 'SAP ERP', cycle: 365, lastRun: [160, 174] },
    specialist: { name: 'Wire Release', app: 'Treasury Gateway', privilege: 'critical' },
  },
  {
    name: 'People',
    apps: ['Workday', 'ServiceNow'],
    titles: ['HR Business Partner', 'Recruiter', 'Payroll Specialist'],
    periodic: { name: 'Compensation Cycle Admin', app: 'Workday', cycle: 365, lastRun: [101, 113] },
  },
  {
    name: 'Engineering',
    apps: ['Jira', 'Production Servers'],
    titles: ['Software Engineer', 'QA Engineer', 'Site Reliability Engineer'],
    periodic: { name: 'DR Failover Operator', app: 'Production Servers', cycle: 182, lastRun: [95, 106] },
    specialist: { name: 'Prod On-Call Admin', app: 'Production Servers', privilege: 'critical' },
  },
  {
    name: 'Sales',
    apps: ['Salesforce', 'DocuWare'],
    titles: ['Account Executive', 'Sales Engineer', 'Sales Operations'],
    periodic: { name: 'Quarterly Forecast Lock', app: 'Salesforce', cycle: 91, lastRun: [93, 99] },
  },
  {
    name: 'Procurement',
    apps: ['SAP ERP', 'DocuWare'],
    titles: ['Buyer', 'Category Manager'],
    periodic: { name: 'Annual Vendor Recertification', app: 'SAP ERP', cycle: 365, lastRun: [196, 210] },
  },
  {
    name: 'Support',
    apps: ['ServiceNow', 'Salesforce'],
    titles: ['Support Agent', 'Support Engineer'],
    specialist: { name: 'Major Incident Commander', app: 'ServiceNow', privilege: 'high' },
  },
  {
    name: 'IT',
    apps: ['ServiceNow', 'Production Servers'],
    titles: ['Systems Administrator', 'Service Desk Analyst'],
    periodic: { name: 'Quarterly Patch Window Approver', app: 'ServiceNow', cycle: 91, lastRun: [92, 97] },
    specialist: { name: 'Backup Restore Operator', app: 'Production Servers', privilege: 'high' },
  },
  { name: 'Legal', apps: ['ServiceNow', 'DocuWare'], titles: ['Counsel', 'Paralegal'] },
  { name: 'Marketing', apps: ['Salesforce', 'Jira'], titles: ['Marketing Manager', 'Content Designer'] },
  { name: 'Operations', apps: ['SAP ERP', 'ServiceNow'], titles: ['Operations Analyst', 'Planner', 'Logistics Coordinator'] },
];
const REGIONS = ['', ' EMEA', ' APAC', ' Americas', ' Nordics', ' DACH', ' Iberia', ' ANZ'];
const VERBS = ['View', 'Edit', 'Approve', 'Report', 'Post', 'Admin', 'Submit', 'Export'];
/** The IGA export carries usage for every application except these (their connectors report none). */
const BLIND_APPS = new Set(['Concur', 'DocuWare']);

interface Title {
  name: string;
  bundle: string[];
  optional: { ent: string; share: number }[];
  periodic?: { ent: string; p: Periodic; run: number };
}
interface Dept {
  name: string;
  type: DeptType;
  bundle: string[];
  titles: Title[];
  managerTitle: Title;
  specialistEnt?: string;
  size: number;
}
interface Person {
  identity: Identity;
  dept: Dept;
  title: Title;
  grants: string[];
  hired: number;
}

export function generateEnterpriseOrg(options: ConfoundedOptions): ConfoundedOrganisation {
  const rng = new Prng(options.seed * 7919 + 11);
  const b = new OrgBuilder(options.asOf ?? '2026-06-30');
  const names = new NameBook();
  const pick = <T>(xs: readonly T[]) => rng.one(xs);
  const total = Math.max(200, Math.floor(options.identities));
  const nService = Math.round(total * 0.07);
  const nBreakGlass = Math.max(1, Math.round(total / 5000));
  // The shape itself varies with the seed (department and team sizes, when the periodic runs were: a quarterly run
  // can only be a few days later, or the next quarter's would have happened), so another seed is a somewhat
  // different organisation, not only other draws.
  const deptSize = rng.between(80, 150);
  const teamMin = rng.between(4, 7);
  const teamMax = teamMin + rng.between(4, 7);
  const runShift = rng.between(0, 20);
  const nHuman = total - nService - nBreakGlass;

  // ---- catalogue ----
  const entSource = new Map<string, string>();
  const entIds = new Set<string>();
  const ent = (app: string, name: string, privilege: Privilege): string => {
    let id = `${app}:${name}`.toLowerCase().replace(/[^a-z0-9:]+/g, '-');
    for (let k = 2; entIds.has(id); k++) id = `${app}:${name}-${k}`.toLowerCase().replace(/[^a-z0-9:]+/g, '-');
    entIds.add(id);
    b.entitlements.push({ id, name, application: app, privilege });
    entSource.set(id, app === 'Active Directory' ? 'ad-groups.ldif' : app === 'SAP ERP' ? 'sap-usage.csv' : 'iga-export.csv');
    return id;
  };
  const company = [
    ent('Active Directory', 'All Staff', 'low'),
    ent('Active Directory', 'VPN Users', 'low'),
    ent('Workday', 'Employee Self Service', 'low'),
    ent('ServiceNow', 'Requester', 'low'),
    ent('Concur', 'Expense User', 'low'),
  ];
  const managerEnts = [ent('Workday', 'Team Approvals', 'medium'), ent('Concur', 'Expense Approver', 'medium')];
  const nDept = Math.max(3, Math.round(nHuman / deptSize));
  const depts: Dept[] = [];
  for (let d = 0; d < nDept; d++) {
    const type = DEPT_TYPES[d % DEPT_TYPES.length]!;
    const name = `${type.name}${REGIONS[Math.floor(d / DEPT_TYPES.length) % REGIONS.length]}${d >= DEPT_TYPES.length * REGIONS.length ? ` ${Math.floor(d / (DEPT_TYPES.length * REGIONS.length)) + 1}` : ''}`;
    const bundle = [
      ent('Active Directory', `GG-${name}-Staff`, 'low'),
      ent(type.apps[0]!, `${name} Workspace`, 'low'),
      ent(type.apps[1]!, `${name} Records`, 'medium'),
    ];
    const titles: Title[] = type.titles.map((t, i) => ({
      name: t,
      bundle: [0, 1, 2].map((k) =>
        ent(type.apps[k % 2]!, `${name} ${t} ${VERBS[(i + k) % VERBS.length]}`, k === 2 && i === 0 ? 'high' : 'medium'),
      ),
      optional: [0, 1].map((k) => ({
        ent: ent(type.apps[(k + 1) % 2]!, `${name} ${t} Extra ${k + 1}`, 'low'),
        share: 0.3 + rng.next() * 0.4,
      })),
    }));
    if (type.periodic)
      titles[0]!.periodic = {
        ent: ent(type.periodic.app, `${name} ${type.periodic.name}`, 'high'),
        p: type.periodic,
        run:
          (type.periodic.cycle >= 182 ? runShift : Math.min(runShift, 4)) +
          rng.between(type.periodic.lastRun[0], type.periodic.lastRun[1] - 6),
      };
    const managerTitle: Title = { name: `${type.name} Manager`, bundle: [...managerEnts], optional: [] };
    const specialistEnt = type.specialist
      ? ent(type.specialist.app, `${name} ${type.specialist.name}`, type.specialist.privilege)
      : undefined;
    depts.push({ name, type, bundle, titles, managerTitle, specialistEnt, size: 0 });
  }
  const servicePool = [
    ent('Active Directory', 'SVC-Batch-Read', 'low'),
    ent('SAP ERP', 'RFC Integration', 'medium'),
    ent('ServiceNow', 'Integration API', 'medium'),
    ent('Salesforce', 'API Sync', 'medium'),
  ];
  const domainAdmins = ent('Active Directory', 'Domain Admins', 'critical');

  // ---- people ----
  const people: Person[] = [];
  const byId = new Map<string, Person>();
  const pad = (n: number) => String(n).padStart(6, '0');
  let next = 1;
  const newPerson = (dept: Dept, title: Title, managerId: string | undefined, hired: number): Person => {
    const n = names.next(pick);
    const num = next++;
    const identity: Identity = {
      id: `e${pad(num)}`,
      displayName: n.displayName,
      email: `${n.local}@corp.example`,
      type: 'human',
      status: 'active',
      sourceStatus: 'Active',
      department: dept.name,
      title: title.name,
      ...(managerId ? { managerId } : {}),
      employeeId: `E${pad(num)}`,
      login: n.local.replace('.', '').slice(0, 20),
      createdAt: b.ago(hired),
      lastLoginAt: b.ago(rng.between(0, 9)),
      passwordLogin: true,
      passwordNeverExpires: false,
      sources: ['hr.csv', 'ad.ldif'],
    };
    b.identities.push(identity);
    const p: Person = { identity, dept, title, grants: [], hired };
    people.push(p);
    byId.set(identity.id, p);
    dept.size++;
    return p;
  };
  const grant = (p: Person, entId: string, grantedAgo: number, usedAgo: number | undefined) => {
    const source = entSource.get(entId)!;
    const usage = source === 'ad-groups.ldif' ? { usageKnown: false } : usedAgo === undefined ? {} : { lastUsedAt: b.ago(usedAgo) };
    b.assignments.push({ identityId: p.identity.id, entitlementId: entId, grantedAt: b.ago(grantedAgo), source, ...usage });
    p.grants.push(entId);
  };
  const normalUse = () => (rng.chance(0.85) ? rng.between(0, 30) : rng.between(31, 75));
  const usedAgoFor = (entId: string, hired: number) => (BLIND_APPS.has(appOf(entId)) ? undefined : Math.min(normalUse(), hired));
  const entApp = new Map(b.entitlements.map((e) => [e.id, e.application]));
  const appOf = (id: string) => entApp.get(id) ?? b.entitlements.find((e) => e.id === id)!.application;

  const ceoDept = depts[0]!;
  const ceo = newPerson(ceoDept, ceoDept.managerTitle, undefined, 3000);
  ceo.identity.title = 'Chief Executive Officer';
  const hireAgo = () => (rng.chance(0.04) ? rng.between(3, 40) : rng.between(120, 4000));
  const teams: Person[][] = [];
  const perDept = Math.floor((nHuman - 1) / nDept);
  for (const dept of depts) {
    const head = newPerson(dept, dept.managerTitle, ceo.identity.id, rng.between(800, 4000));
    let left = perDept - 1;
    while (left > 0) {
      const size = Math.min(left - 1, rng.between(teamMin, teamMax));
      if (size < 3) break;
      const mgr = newPerson(dept, dept.managerTitle, head.identity.id, rng.between(400, 4000));
      const team = [mgr];
      for (let k = 0; k < size; k++) {
        const r = rng.next();
        const title =
          dept.titles[r < 0.55 ? 0 : Math.min(dept.titles.length - 1, 1 + Math.floor(((r - 0.55) / 0.45) * (dept.titles.length - 1)))]!;
        team.push(newPerson(dept, title, mgr.identity.id, hireAgo()));
      }
      teams.push(team);
      left -= size + 1;
    }
  }
  while (people.length < nHuman) {
    const team = teams[people.length % teams.length]!;
    const p = team[1] ?? team[0]!;
    team.push(newPerson(p.dept, p.title, team[0]!.identity.id, hireAgo()));
  }

  // ---- access: company, department, title bundles with usage ----
  for (const p of people) {
    const h = p.hired;
    for (const e of [...company, ...p.dept.bundle, ...p.title.bundle]) grant(p, e, Math.max(0, h - rng.between(0, 5)), usedAgoFor(e, h));
    for (const o of p.title.optional) if (rng.chance(o.share)) grant(p, o.ent, Math.max(0, h - rng.between(0, 200)), usedAgoFor(o.ent, h));
  }
  // Periodic work: every holder used it in the last run (within days of each other); a few missed the last run.
  for (const dept of depts)
    for (const t of dept.titles) {
      if (!t.periodic) continue;
      const holders = people.filter((p) => p.dept === dept && p.title === t && p.hired > t.periodic!.run + 30);
      holders.forEach((p, i) => {
        const lapsed = holders.length >= 6 && (i % 11 === 5 || (i === 3 && holders.length < 11));
        const used = t.periodic!.run + rng.between(0, 6) + (lapsed ? t.periodic!.p.cycle + rng.between(5, 40) : 0);
        grant(p, t.periodic!.ent, Math.min(p.hired, used + rng.between(30, 400)), used);
        const item = assignmentItemId(p.identity.id, t.periodic!.ent);
        if (lapsed) b.anomaly(item, 'periodic-lapsed');
        else b.normal(item, 'periodic-work');
      });
    }
  // Specialists: one person per team holds the department's on-call / release role, in use this week.
  for (const team of teams) {
    const dept = team[0]!.dept;
    if (!dept.specialistEnt || team.length < 4) continue;
    const p = team[1 + rng.between(0, team.length - 2)]!;
    if (p.hired <= 60) continue;
    grant(p, dept.specialistEnt, rng.between(30, 700), rng.between(1, 8));
    b.normal(assignmentItemId(p.identity.id, dept.specialistEnt), 'specialist');
  }
  // Usage-blind applications: every holder of Concur and DocuWare lacks a usage date, in a source that has them.
  for (const a of b.assignments)
    if (BLIND_APPS.has(appOf(a.entitlementId))) b.normal(assignmentItemId(a.identityId, a.entitlementId), 'usage-blind-app');
  // New hires: recent grants not used yet; namesakes: different people with the same name.
  for (const p of people) if (p.hired <= 40) b.normal(identityItemId(p.identity.id), 'new-hire');
  const byIdentity = new Map<string, number[]>();
  b.assignments.forEach((a, i) => {
    const list = byIdentity.get(a.identityId);
    if (list) list.push(i);
    else byIdentity.set(a.identityId, [i]);
  });
  for (const p of people)
    if (p.hired <= 40)
      for (const i of byIdentity.get(p.identity.id) ?? []) {
        const a = b.assignments[i]!;
        if (a.lastUsedAt && rng.chance(0.5)) delete a.lastUsedAt;
        b.normal(assignmentItemId(a.identityId, a.entitlementId), 'new-hire');
      }
  for (const p of people) if ((names.counts.get(p.identity.displayName) ?? 0) > 1) b.normal(identityItemId(p.identity.id), 'namesake');

  // ---- anomalies on people ----
  const candidates = people.filter((p) => p.hired > 120 && p !== ceo && p.title !== p.dept.managerTitle);
  const taken = new Set<Person>();
  const draw = (share: number, min = 1): Person[] => {
    const want = Math.max(min, Math.round(candidates.length * share));
    const out: Person[] = [];
    for (let tries = 0; out.length < want && tries < want * 20; tries++) {
      const p = candidates[Math.floor(rng.next() * candidates.length)]!;
      if (taken.has(p)) continue;
      taken.add(p);
      out.push(p);
    }
    return out;
  };
  const assignmentsOf = (p: Person) => (byIdentity.get(p.identity.id) ?? []).map((i) => b.assignments[i]!);
  const usable = (a: { entitlementId: string; source: string }) => a.source !== 'ad-groups.ldif' && !BLIND_APPS.has(appOf(a.entitlementId));
  for (const p of draw(0.015)) {
    const a = assignmentsOf(p).find((x) => usable(x) && p.title.bundle.includes(x.entitlementId));
    if (!a) continue;
    a.lastUsedAt = b.ago(rng.between(150, 500));
    b.anomaly(assignmentItemId(a.identityId, a.entitlementId), 'unused-access');
  }
  for (const p of draw(0.006)) {
    const other = p.dept.titles.find((t) => t !== p.title) ?? p.dept.titles[0]!;
    const e = other.bundle.find((x) => !p.grants.includes(x) && !BLIND_APPS.has(appOf(x)));
    if (!e) continue;
    grant(p, e, rng.between(150, 600), undefined);
    b.anomaly(assignmentItemId(p.identity.id, e), 'never-used-access');
  }
  for (const p of draw(0.008)) {
    const left = rng.between(5, 200);
    Object.assign(p.identity, { status: 'terminated', sourceStatus: 'Terminated', lastLoginAt: b.ago(left + rng.between(0, 5)) });
    b.covered(identityItemId(p.identity.id), 'terminated-entitled');
    for (const a of assignmentsOf(p)) {
      if (a.lastUsedAt && Date.parse(a.lastUsedAt) > Date.parse(b.ago(left))) a.lastUsedAt = b.ago(left + rng.between(0, 10));
      b.anomaly(assignmentItemId(a.identityId, a.entitlementId), 'terminated-entitled');
    }
  }
  for (const p of draw(0.01)) {
    const last = rng.between(200, 900);
    p.identity.lastLoginAt = b.ago(last);
    b.anomaly(identityItemId(p.identity.id), 'dormant-account');
    for (const a of assignmentsOf(p)) {
      if (a.lastUsedAt) a.lastUsedAt = b.ago(last + rng.between(0, 30));
      b.covered(assignmentItemId(a.identityId, a.entitlementId), 'dormant-account');
    }
  }
  for (const p of draw(0.01)) {
    p.identity.passwordNeverExpires = true;
    b.anomaly(identityItemId(p.identity.id), 'password-never-expires');
  }
  // Duplicate accounts in AD: a second account for the same person (same employee id, or same e-mail).
  let dupNo = 0;
  for (const p of draw(0.004)) {
    const sameId = dupNo++ % 2 === 0;
    const old = rng.chance(0.5);
    const dup: Identity = {
      ...p.identity,
      id: `x${pad(dupNo)}`,
      login: `${p.identity.login}2`,
      ...(sameId ? { email: `${p.identity.login}.alt@corp.example` } : { employeeId: undefined }),
      createdAt: b.ago(rng.between(90, p.hired)),
      lastLoginAt: b.ago(old ? rng.between(150, 500) : rng.between(3, 40)),
      sources: ['ad.ldif'],
    };
    if (!sameId) delete dup.employeeId;
    b.identities.push(dup);
    b.anomaly(identityItemId(dup.id), 'duplicate-account', [identityItemId(p.identity.id)]);
    b.covered(identityItemId(p.identity.id), 'duplicate-account');
    for (const e of [company[0]!, company[1]!, ...p.title.bundle.slice(0, 2)]) {
      const source = entSource.get(e)!;
      const usage =
        source === 'ad-groups.ldif'
          ? { usageKnown: false }
          : BLIND_APPS.has(appOf(e))
            ? {}
            : { lastUsedAt: b.ago(old ? rng.between(150, 500) : rng.between(3, 40)) };
      b.assignments.push({ identityId: dup.id, entitlementId: e, source, grantedAt: dup.createdAt, ...usage });
      b.covered(assignmentItemId(dup.id, e), 'duplicate-account');
    }
  }
  // Teams that moved together to another department: their old department's access went unused at the move,
  // except one shared workspace they still use; the whole manager group holds it, so it looks common there.
  const movable = teams.filter((t) => t.length >= 5 && t.every((p) => !taken.has(p) && p.hired > 160));
  const nMoves = Math.max(1, Math.round(depts.length / 6));
  for (let m = 0; m < nMoves && movable.length; m++) {
    const team = movable.splice(Math.floor(rng.next() * movable.length), 1)[0]!;
    const from = team[0]!.dept;
    const to = depts.filter((d) => d !== from)[Math.floor(rng.next() * (depts.length - 1))]!;
    // The move happened after everyone in the team had joined, and after their old access was last used.
    const moved = rng.between(120, Math.min(300, Math.min(...team.map((p) => p.hired)) - 30));
    for (const p of team) {
      taken.add(p);
      const oldTitle = p.title;
      const newTitle = p.title === from.managerTitle ? to.managerTitle : to.titles[0]!;
      p.identity.department = to.name;
      p.identity.title = newTitle.name;
      const keep = new Set([...company, ...managerEnts]);
      for (const a of assignmentsOf(p)) {
        if (keep.has(a.entitlementId)) continue;
        // The old department's AD group carries no usage: only its owners show it is left over; not counted.
        if (a.source === 'ad-groups.ldif') {
          b.covered(assignmentItemId(a.identityId, a.entitlementId), 'old-department-access');
          continue;
        }
        if (a.entitlementId === from.bundle[1]) {
          a.lastUsedAt = b.ago(rng.between(0, 20));
          b.normal(assignmentItemId(a.identityId, a.entitlementId), 'cohort-still-used');
        } else if (
          from.bundle.includes(a.entitlementId) ||
          oldTitle.bundle.includes(a.entitlementId) ||
          oldTitle.optional.some((o) => o.ent === a.entitlementId) ||
          a.entitlementId === from.specialistEnt ||
          a.entitlementId === oldTitle.periodic?.ent
        ) {
          // Without usage data (a usage-blind application) nothing shows the disuse: not counted either way.
          if (!a.lastUsedAt) b.covered(assignmentItemId(a.identityId, a.entitlementId), 'old-department-access');
          else {
            a.lastUsedAt = b.ago(Math.max(moved + rng.between(1, 30), b.daysAgo(a.lastUsedAt)));
            b.anomaly(assignmentItemId(a.identityId, a.entitlementId), 'old-department-access');
          }
        }
      }
      for (const e of [...to.bundle, ...newTitle.bundle])
        if (!p.grants.includes(e)) grant(p, e, moved - rng.between(0, 5), usedAgoFor(e, moved));
    }
  }

  // ---- service accounts and break-glass ----
  const itPeople = people.filter((p) => p.dept.type.name === 'IT' && p.identity.status === 'active');
  const owners = itPeople.length ? itPeople : people.slice(1, 50);
  for (let k = 1; k <= nService; k++) {
    const app = pick(['sap', 'crm', 'backup', 'etl', 'monitor', 'print', 'sync']);
    const id: Identity = {
      id: `svc${pad(k)}`,
      displayName: `svc-${app}-${k}`,
      type: 'service',
      status: 'active',
      login: `svc-${app}-${k}`,
      createdAt: b.ago(rng.between(100, 3000)),
      lastLoginAt: b.ago(rng.between(0, 3)),
      passwordLogin: false,
      sources: ['ad.ldif'],
      ownerId: pick(owners).identity.id,
    };
    b.identities.push(id);
    const roll = rng.next();
    if (roll < 0.1) {
      delete id.ownerId;
      b.anomaly(identityItemId(id.id), 'ownerless-nhi');
    }
    for (const e of [servicePool[0]!, pick(servicePool.slice(1))]) {
      const source = entSource.get(e)!;
      b.assignments.push({
        identityId: id.id,
        entitlementId: e,
        source,
        grantedAt: id.createdAt,
        ...(source === 'ad-groups.ldif' ? { usageKnown: false } : { lastUsedAt: b.ago(rng.between(0, 2)) }),
      });
    }
    const credentialId = `${id.login}-secret`;
    const kind = rng.chance(0.5) ? 'client-secret' : 'api-key';
    const k2 = rng.next();
    if (k2 < 0.12) {
      const age = rng.between(200, 1500);
      b.credentials.push({
        identityId: id.id,
        credentialId,
        kind,
        createdAt: b.ago(age),
        lastRotatedAt: b.ago(age),
        lastUsedAt: b.ago(rng.between(0, 3)),
        active: true,
        source: 'iga-export.csv',
      });
      b.anomaly(credentialItemId(id.id, credentialId), 'stale-key');
    } else if (k2 < 0.18) {
      const age = rng.between(30, 80);
      b.credentials.push({
        identityId: id.id,
        credentialId,
        kind,
        createdAt: b.ago(age),
        lastRotatedAt: b.ago(age),
        lastUsedAt: b.ago(rng.between(200, 700)),
        active: true,
        source: 'iga-export.csv',
      });
      b.anomaly(credentialItemId(id.id, credentialId), 'unused-key');
    } else {
      const age = rng.between(5, 80);
      b.credentials.push({
        identityId: id.id,
        credentialId,
        kind,
        createdAt: b.ago(age + rng.between(0, 1000)),
        lastRotatedAt: b.ago(age),
        lastUsedAt: b.ago(rng.between(0, 3)),
        active: true,
        source: 'iga-export.csv',
      });
    }
  }
  for (let k = 1; k <= nBreakGlass; k++) {
    const id: Identity = {
      id: `bg${pad(k)}`,
      displayName: `Emergency Domain Admin ${k}`,
      type: 'service',
      status: 'active',
      login: `bg-admin-${k}`,
      specialAccount: 'break-glass',
      createdAt: b.ago(rng.between(900, 3000)),
      lastLoginAt: b.ago(rng.between(200, 700)),
      passwordLogin: true,
      mfa: true,
      passwordNeverExpires: true,
      sources: ['ad.ldif'],
      ownerId: pick(owners).identity.id,
    };
    b.identities.push(id);
    b.assignments.push({
      identityId: id.id,
      entitlementId: domainAdmins,
      source: 'ad-groups.ldif',
      grantedAt: id.createdAt,
      usageKnown: false,
    });
    b.scope(identityItemId(id.id), 'break-glass-account', ['revoke', 'disable-login']);
    b.scope(assignmentItemId(id.id, domainAdmins), 'break-glass-account', ['revoke']);
  }
  return b.build(options.seed, 'confoundedA');
}

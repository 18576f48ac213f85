// The organisation generator's catalogue (see org-generator.ts): name tables, and the entitlements it builds from a
// seeded PRNG: a company bundle, departments with bundles and titles (each with a role bundle, optional extras and a
// niche tool), one toxic pair per department, manager, service-account and workload entitlements.
import type { Privilege } from '../../shared/model';
import type { OrgShape, Rng } from './org-shapes';

const DEPARTMENTS = [
  'Finance',
  'Engineering',
  'Sales',
  'Marketing',
  'People',
  'Legal',
  'Operations',
  'IT',
  'Support',
  'Procurement',
  'Data',
  'Security',
  'Product',
  'Facilities',
  'Research',
  'Logistics',
  'Treasury',
  'Compliance',
  'Design',
  'Partnerships',
];
const REGIONS = ['', ' EMEA', ' APAC', ' Americas', ' North', ' South', ' East', ' West'];
const TITLES = [
  'Analyst',
  'Specialist',
  'Associate',
  'Coordinator',
  'Engineer',
  'Consultant',
  'Officer',
  'Administrator',
  'Planner',
  'Clerk',
  'Representative',
  'Advisor',
];
const TITLE_PREFIX = ['', 'Senior ', 'Junior ', 'Lead ', 'Principal '];
export const APPS = [
  { name: 'SAP ERP', source: 'erp-export' },
  { name: 'Salesforce', source: 'crm-export' },
  { name: 'AWS', source: 'cloud-iam' },
  { name: 'GitHub', source: 'cloud-iam' },
  { name: 'Workday', source: 'hr-directory' },
  { name: 'SharePoint', source: 'directory' },
  { name: 'Jira', source: 'directory' },
  { name: 'Mainframe', source: 'legacy-mainframe' },
];
const VERBS = ['Read', 'Write', 'Report', 'Export', 'Edit', 'View', 'Manage', 'Submit', 'Review', 'Admin'];
export const FIRST = [
  'Ana',
  'Ravi',
  'Mara',
  'Lena',
  'Tom',
  'Jun',
  'Kate',
  'Omar',
  'Ines',
  'Piotr',
  'Aiko',
  'Sven',
  'Leila',
  'Diego',
  'Nora',
  'Kwame',
  'Yara',
  'Felix',
  'Chen',
  'Elif',
];
export const LAST = [
  'Silva',
  'Iyer',
  'Okoro',
  'Fischer',
  'Becker',
  'Tanaka',
  "O'Brien",
  'Haddad',
  'Novak',
  'Costa',
  'Mensah',
  'Larsen',
  'Kaya',
  'Rossi',
  'Dubois',
  'Nguyen',
  'Khan',
  'Moreau',
  'Schmidt',
  'Sato',
];
const SOD_PAIRS: [string, string][] = [
  ['Vendor-Create', 'Payment-Approve'],
  ['Purchase-Order-Create', 'Purchase-Order-Approve'],
  ['Deploy-Prod', 'Change-Approve'],
  ['Payroll-Edit', 'Payroll-Approve'],
];

export interface Ent {
  id: string;
  name: string;
  app: (typeof APPS)[number];
  privilege: Privilege;
}

export interface Title {
  name: string;
  weight: number;
  bundle: number[];
  optional: { ent: number; share: number }[];
}

export interface Dept {
  name: string;
  bundle: number[];
  titles: Title[];
  privileged: number[];
}

export interface Grant {
  ent: number;
  granted: number; // days before asOf
  used: number; // days before asOf; -1 never used
}

export interface Person {
  id: string;
  dept: number;
  title: number;
  managerId: string;
  hired: number; // days before asOf
  status: 'active' | 'disabled' | 'terminated';
  grants: Grant[];
}

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The entitlement catalogue, drawn from `rng` in a fixed order (the same seed gives the same catalogue). */
export function buildCatalogue(rng: Rng, shape: OrgShape, nHuman: number) {
  const ents: Ent[] = [];
  const entIds = new Set<string>();
  const addEnt = (name: string, app: (typeof APPS)[number], privilege: Privilege): number => {
    let id = slug(`${app.name}-${name}`);
    for (let k = 2; entIds.has(id); k++) id = slug(`${app.name}-${name}-${k}`);
    entIds.add(id);
    ents.push({ id, name, app, privilege });
    return ents.length - 1;
  };
  const companyBundle = [addEnt('Email', APPS[5]!, 'low'), addEnt('Intranet', APPS[5]!, 'low'), addEnt('Jira-User', APPS[6]!, 'low')];
  const nDept = Math.max(2, Math.round(nHuman / shape.peoplePerDepartment));
  const depts: Dept[] = [];
  const usedDeptNames = new Set<string>();
  for (let d = 0; d < nDept; d++) {
    let name = `${DEPARTMENTS[d % DEPARTMENTS.length]}${REGIONS[Math.floor(d / DEPARTMENTS.length) % REGIONS.length]}`;
    if (usedDeptNames.has(name)) name = `${name} ${Math.floor(d / (DEPARTMENTS.length * REGIONS.length)) + 2}`;
    usedDeptNames.add(name);
    const appsOfDept = [rng.pick(APPS), rng.pick(APPS), rng.pick(APPS)];
    const bundle: number[] = [];
    for (let k = 0; k < shape.departmentBundle; k++)
      bundle.push(addEnt(`${name}-${rng.pick(VERBS)}-${k + 1}`, appsOfDept[k % 3]!, k === 0 ? 'medium' : 'low'));
    const nTitles = rng.int(shape.titlesPerDepartment[0], shape.titlesPerDepartment[1]);
    const titles: Title[] = [];
    const titleNames = new Set<string>();
    for (let t = 0; t < nTitles; t++) {
      let tn = `${rng.pick(TITLE_PREFIX)}${rng.pick(TITLES)}`;
      while (titleNames.has(tn)) tn = `${rng.pick(TITLE_PREFIX)}${rng.pick(TITLES)}`;
      titleNames.add(tn);
      const tb: number[] = [];
      const nb = rng.int(shape.titleBundle[0], shape.titleBundle[1]);
      for (let k = 0; k < nb; k++) {
        const priv: Privilege = rng.chance(0.12) ? (rng.chance(0.3) ? 'critical' : 'high') : rng.chance(0.5) ? 'medium' : 'low';
        tb.push(addEnt(`${name}-${tn}-${rng.pick(VERBS)}-${k + 1}`, rng.pick(appsOfDept), priv));
      }
      const optional: Title['optional'] = [];
      for (let k = 0; k < shape.optionalPool; k++) {
        // The last optional entitlement of a role is a niche tool a few of its people use (4–12 %): legitimately
        // rare among peers, a trap for a naive rarity rule.
        const niche = k === shape.optionalPool - 1 && shape.nicheTools;
        const share = niche
          ? 0.04 + rng.next() * 0.08
          : shape.optionalShare[0] + rng.next() * (shape.optionalShare[1] - shape.optionalShare[0]);
        optional.push({
          ent: addEnt(`${name}-${tn}-Optional-${rng.pick(VERBS)}-${k + 1}`, rng.pick(appsOfDept), rng.chance(0.2) ? 'medium' : 'low'),
          share,
        });
      }
      titles.push({ name: tn, weight: 0.3 + rng.next() * (t === 0 ? 3 : 1), bundle: tb, optional });
    }
    // One toxic pair per department: side A in one title's bundle, side B in another's.
    if (titles.length >= 2) {
      const [a, b] = SOD_PAIRS[d % SOD_PAIRS.length]!;
      titles[0]!.bundle.push(addEnt(`${name}-${a}`, appsOfDept[0]!, 'high'));
      titles[1]!.bundle.push(addEnt(`${name}-${b}`, appsOfDept[0]!, 'high'));
    }
    const privileged = titles.flatMap((t) => t.bundle).filter((e) => ents[e]!.privilege === 'high' || ents[e]!.privilege === 'critical');
    privileged.push(addEnt(`${name}-Admin`, appsOfDept[1]!, 'critical'));
    depts.push({ name, bundle, titles, privileged });
  }
  // Managers and heads hold a management bundle.
  const managerBundle = [addEnt('Approve-Timesheets', APPS[4]!, 'medium'), addEnt('Team-Reports', APPS[4]!, 'low')];
  const servicePool: number[] = [];
  for (let k = 0; k < 40; k++)
    servicePool.push(
      addEnt(`Service-API-${rng.pick(VERBS)}-${k + 1}`, APPS[2 + (k % 2)]!, k % 5 === 0 ? 'high' : k % 2 ? 'medium' : 'low'),
    );
  const workloadPool: number[] = [];
  for (let k = 0; k < 30; k++) workloadPool.push(addEnt(`Workload-${rng.pick(VERBS)}-${k + 1}`, APPS[2]!, k % 3 ? 'low' : 'medium'));
  const workloadPrivileged = [
    addEnt('Cluster-Admin', APPS[2]!, 'critical'),
    addEnt('IAM-Full-Access', APPS[2]!, 'critical'),
    addEnt('Secrets-Write', APPS[2]!, 'high'),
  ];
  return { ents, companyBundle, nDept, depts, managerBundle, servicePool, workloadPool, workloadPrivileged };
}

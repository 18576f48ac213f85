// A seeded generator of realistic organisations in workbench CSV v1, with planted anomalies and their ground truth.
// Departments with titles and teams under managers; each identity holds role-shaped entitlement bundles (company,
// department, title, optional extras) with grant and usage dates; service accounts with owners and keys, workloads
// and AI agents. Planted anomalies: leftover access after a transfer, unused and never-used grants, terminated or
// disabled identities still entitled, stale and unused keys, ownerless service accounts, password login on a service
// account, separation-of-duties pairs, one-off privileged grants, privileged workloads. A little legitimate noise
// (one-off grants from a sibling title, new hires' unused grants) is NOT in the truth: flagging it counts against
// the engine. Same seed and options → the same bytes. 100k identities (~1M assignments) take a few seconds.
import { assignmentItemId, credentialItemId, identityItemId } from '../../shared/model';
import {
  ANOMALY_KINDS,
  BASE_RATES,
  Rng,
  SHAPES,
  type AnomalyKind,
  type GeneratedOrganisation,
  type GenerateOptions,
  type OrgShape,
  type TruthItem,
} from './org-shapes';
import type { SuggestedAction } from '../../shared/suggest';
import { buildCatalogue, FIRST, LAST, type Dept, type Grant, type Person, type Title } from './org-catalogue';

export * from './org-shapes';

function resolveShape(shape: GenerateOptions['shape']): OrgShape {
  if (shape === undefined) return SHAPES.balanced!;
  if (typeof shape === 'string') {
    const s = SHAPES[shape];
    if (!s) throw new Error(`unknown organisation shape "${shape}"; shapes: ${Object.keys(SHAPES).join(', ')}`);
    return s;
  }
  return { ...SHAPES.balanced!, ...shape, rates: { ...BASE_RATES, ...(shape.rates ?? {}) } };
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function generateOrganisation(options: GenerateOptions): GeneratedOrganisation {
  const shape = resolveShape(options.shape);
  const rng = new Rng(options.seed * 2654435761 + 17);
  const asOfText = options.asOf ?? '2026-06-30';
  const asOf = Date.parse(`${asOfText.slice(0, 10)}T00:00:00Z`);
  const dayCache: string[] = [];
  const day = (daysAgo: number): string => {
    const d = Math.max(0, Math.round(daysAgo));
    return (dayCache[d] ??= new Date(asOf - d * 86_400_000).toISOString().slice(0, 10));
  };

  const total = Math.max(20, Math.floor(options.identities));
  const nService = Math.round(total * shape.serviceShare);
  const nWorkload = Math.round(total * shape.workloadShare);
  const nAgent = Math.round(total * shape.agentShare);
  const nHuman = total - nService - nWorkload - nAgent;

  // ---- entitlement catalogue (org-catalogue.ts) ----
  const { ents, companyBundle, nDept, depts, managerBundle, servicePool, workloadPool, workloadPrivileged } = buildCatalogue(
    rng,
    shape,
    nHuman,
  );
  const noUsageSource = shape.usageMissingSource ? 'legacy-mainframe' : null;

  const truth: TruthItem[] = [];
  const counts = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>;
  const plant = (itemId: string, kind: AnomalyKind, expected: SuggestedAction) => {
    truth.push({ itemId, kind, expected });
    counts[kind]++;
  };

  // ---- people, teams, managers ----
  const people: Person[] = [];
  const pad = (n: number) => String(n).padStart(6, '0');
  let nextId = 1;
  const ceo: Person = { id: `u${pad(nextId++)}`, dept: 0, title: -1, managerId: '', hired: 4000, status: 'active', grants: [] };
  people.push(ceo);
  const perDept = Math.floor((nHuman - 1) / nDept);
  const titleOf = new Map<Person, string>([[ceo, 'Chief Executive Officer']]);
  const normalGrant = (ent: number, hired: number): Grant => {
    const granted = Math.max(0, hired - rng.int(0, 30));
    // Normal use is recent; a few grants are used only now and then (still within the window).
    const recent = rng.chance(0.9) ? rng.int(0, 20) : rng.int(20, 75);
    const used = granted < 20 && rng.chance(0.5) ? -1 : Math.min(granted, recent);
    return { ent, granted, used };
  };
  const roleGrants = (d: Dept, t: Title, hired: number): Grant[] => {
    const g: Grant[] = [];
    for (const e of companyBundle) g.push(normalGrant(e, hired));
    for (const e of d.bundle) g.push(normalGrant(e, hired));
    for (const e of t.bundle) g.push(normalGrant(e, hired));
    for (const o of t.optional) if (rng.chance(o.share)) g.push(normalGrant(o.ent, Math.min(hired, rng.int(30, 1500))));
    return g;
  };
  const hireDays = () => (rng.chance(0.04) ? rng.int(1, 60) : rng.int(90, 3000));
  for (let d = 0; d < nDept; d++) {
    const dept = depts[d]!;
    const count = d === nDept - 1 ? nHuman - 1 - perDept * (nDept - 1) : perDept;
    if (count <= 0) continue;
    const head: Person = {
      id: `u${pad(nextId++)}`,
      dept: d,
      title: -1,
      managerId: ceo.id,
      hired: rng.int(400, 3000),
      status: 'active',
      grants: [],
    };
    head.grants = [...companyBundle, ...dept.bundle, ...managerBundle].map((e) => normalGrant(e, head.hired));
    titleOf.set(head, 'Head of Department');
    people.push(head);
    const totalWeight = dept.titles.reduce((s, t) => s + t.weight, 0);
    const byTitle: number[][] = dept.titles.map(() => []);
    let remaining = count - 1;
    for (let t = 0; t < dept.titles.length && remaining > 0; t++) {
      const n =
        t === dept.titles.length - 1 ? remaining : Math.min(remaining, Math.round(((count - 1) * dept.titles[t]!.weight) / totalWeight));
      for (let k = 0; k < n; k++) byTitle[t]!.push(t);
      remaining -= n;
    }
    // Teams: each title's people in teams under a team manager (who reports to the head).
    for (let t = 0; t < dept.titles.length; t++) {
      let left = byTitle[t]!.length;
      while (left > 0) {
        const size = Math.min(left, rng.int(shape.teamSize[0], shape.teamSize[1]));
        const mgr: Person = {
          id: `u${pad(nextId++)}`,
          dept: d,
          title: -1,
          managerId: head.id,
          hired: rng.int(200, 3000),
          status: 'active',
          grants: [],
        };
        mgr.grants = [...companyBundle, ...dept.bundle, ...managerBundle].map((e) => normalGrant(e, mgr.hired));
        titleOf.set(mgr, `${dept.titles[t]!.name} Manager`);
        people.push(mgr);
        left--;
        for (let k = 0; k < size - 1 && left > 0; k++, left--) {
          const hired = hireDays();
          const p: Person = {
            id: `u${pad(nextId++)}`,
            dept: d,
            title: t,
            managerId: mgr.id,
            hired,
            status: 'active',
            grants: roleGrants(dept, dept.titles[t]!, hired),
          };
          people.push(p);
        }
      }
    }
  }

  // ---- anomalies on people (each person carries at most one) ----
  const staff = people.filter((p) => p.title >= 0);
  const taken = new Set<Person>();
  const candidates = (filter: (p: Person) => boolean, n: number): Person[] => {
    const out: Person[] = [];
    let tries = 0;
    while (out.length < n && tries++ < n * 20 + 100) {
      const p = staff[Math.floor(rng.next() * staff.length)]!;
      if (taken.has(p) || !filter(p)) continue;
      taken.add(p);
      out.push(p);
    }
    return out;
  };
  const rate = (k: AnomalyKind) => Math.round(staff.length * shape.rates[k]);
  const holds = (p: Person, e: number) => p.grants.some((g) => g.ent === e);
  const pendingTruth: { p: Person; ent: number; kind: AnomalyKind }[] = [];

  for (const p of candidates((q) => q.hired > 400, rate('transfer-leftover'))) {
    // Moved from another department and title; the old title and department bundles stayed.
    const od = (p.dept + 1 + rng.int(0, nDept - 2)) % nDept;
    const old = depts[od]!;
    const ot = old.titles[rng.int(0, old.titles.length - 1)]!;
    const movedDaysAgo = rng.int(60, Math.min(p.hired - 30, 900));
    for (const e of [...old.bundle, ...ot.bundle]) {
      if (holds(p, e)) continue;
      const used = rng.chance(0.5) ? rng.int(0, 40) : rng.int(Math.min(movedDaysAgo, 100), Math.max(movedDaysAgo, 100));
      p.grants.push({ ent: e, granted: p.hired, used });
      pendingTruth.push({ p, ent: e, kind: 'transfer-leftover' });
    }
  }
  for (const p of candidates((q) => q.hired > 200, rate('unused-grant'))) {
    const g = p.grants[rng.int(3, p.grants.length - 1)]!;
    if (noUsageSource && ents[g.ent]!.app.source === noUsageSource) continue;
    g.granted = Math.max(g.granted, 200);
    g.used = rng.int(100, Math.min(600, g.granted));
    pendingTruth.push({ p, ent: g.ent, kind: 'unused-grant' });
  }
  for (const p of candidates((q) => q.hired > 200, rate('never-used-grant'))) {
    const g = p.grants[rng.int(3, p.grants.length - 1)]!;
    if (noUsageSource && ents[g.ent]!.app.source === noUsageSource) continue;
    g.granted = rng.int(120, Math.max(121, p.hired));
    g.used = -1;
    pendingTruth.push({ p, ent: g.ent, kind: 'never-used-grant' });
  }
  const terminated: Person[] = [];
  for (const p of candidates(() => true, rate('terminated-entitled'))) {
    p.status = rng.chance(0.7) ? 'terminated' : 'disabled';
    const left = rng.int(10, 300);
    for (const g of p.grants) {
      if (g.used >= 0) g.used = Math.max(g.used, left + rng.int(0, 30));
      pendingTruth.push({ p, ent: g.ent, kind: 'terminated-entitled' });
    }
    terminated.push(p);
  }
  for (const p of candidates(() => true, rate('privileged-one-off'))) {
    const od = (p.dept + 1 + rng.int(0, nDept - 2)) % nDept;
    const e = rng.pick(depts[od]!.privileged);
    if (holds(p, e)) continue;
    p.grants.push({ ent: e, granted: rng.int(10, 400), used: rng.int(0, 30) });
    pendingTruth.push({ p, ent: e, kind: 'privileged-one-off' });
  }
  for (const p of candidates((q) => q.title === 0 && depts[q.dept]!.titles.length >= 2, rate('sod-conflict'))) {
    const other = depts[p.dept]!.titles[1]!.bundle;
    const e = other[other.length - 1]!; // the department's side-B toxic entitlement
    p.grants.push({ ent: e, granted: rng.int(10, 300), used: rng.int(0, 30) });
    pendingTruth.push({ p, ent: e, kind: 'sod-conflict' });
  }
  // Legitimate noise: a grant from a sibling title, used now (not an anomaly; flagging it is a false positive).
  for (const p of candidates(() => true, Math.round(staff.length * shape.legitOneOffRate))) {
    const d = depts[p.dept]!;
    const t = d.titles[(p.title + 1) % d.titles.length]!;
    const e = t.bundle[0]!;
    if (!holds(p, e)) p.grants.push({ ent: e, granted: rng.int(10, 300), used: rng.int(0, 20) });
  }
  for (const { p, ent, kind } of pendingTruth) plant(assignmentItemId(p.id, ents[ent]!.id), kind, 'revoke');

  // ---- non-human identities ----
  interface Nhi {
    id: string;
    name: string;
    type: 'service' | 'workload' | 'agent';
    dept: number;
    ownerId: string;
    created: number;
    grants: Grant[];
    creds: { id: string; kind: string; created: number; rotated: number; used: number; expires: number | null }[];
  }
  const nhis: Nhi[] = [];
  const activeStaff = staff.filter((p) => p.status === 'active');
  const owner = () => rng.pick(activeStaff.length ? activeStaff : people).id;
  const nhiGrant = (ent: number, created: number): Grant => ({
    ent,
    granted: Math.max(0, created - rng.int(0, 10)),
    used: rng.int(0, Math.min(10, created)),
  });
  for (let k = 0; k < nService; k++) {
    const created = rng.int(60, 2500);
    const grants = [] as Grant[];
    const n = rng.int(2, 6);
    const seen = new Set<number>();
    for (let q = 0; q < n; q++) {
      const e = rng.pick(servicePool);
      if (!seen.has(e)) {
        grants.push(nhiGrant(e, created));
        seen.add(e);
      }
    }
    const creds: Nhi['creds'] = [];
    const nk = rng.chance(0.3) ? 2 : 1;
    for (let q = 0; q < nk; q++) {
      const ckCreated = rng.int(Math.min(created, 30), created);
      creds.push({
        id: `AKIA${pad(k)}${q}${rng.int(1000, 9999)}`,
        kind: 'access-key',
        created: ckCreated,
        rotated: rng.int(0, Math.min(75, ckCreated)),
        used: rng.int(0, 7),
        expires: null,
      });
    }
    nhis.push({
      id: `svc-${pad(k + 1)}`,
      name: `Service ${k + 1}`,
      type: 'service',
      dept: rng.int(0, nDept - 1),
      ownerId: owner(),
      created,
      grants,
      creds,
    });
  }
  for (let k = 0; k < nWorkload; k++) {
    const created = rng.int(30, 1500);
    const grants = [] as Grant[];
    const seen = new Set<number>();
    for (let q = 0; q < rng.int(2, 5); q++) {
      const e = rng.pick(workloadPool);
      if (!seen.has(e)) {
        grants.push(nhiGrant(e, created));
        seen.add(e);
      }
    }
    nhis.push({
      id: `wl-${pad(k + 1)}`,
      name: `Workload ${k + 1}`,
      type: 'workload',
      dept: rng.int(0, nDept - 1),
      ownerId: owner(),
      created,
      grants,
      creds: [],
    });
  }
  for (let k = 0; k < nAgent; k++) {
    const created = rng.int(20, 400);
    const grants = [nhiGrant(companyBundle[2]!, created), nhiGrant(rng.pick(servicePool), created)];
    if (grants[0]!.ent === grants[1]!.ent) grants.pop();
    const tokCreated = rng.int(1, Math.min(created, 60));
    nhis.push({
      id: `agent-${pad(k + 1)}`,
      name: `Agent ${k + 1}`,
      type: 'agent',
      dept: rng.int(0, nDept - 1),
      ownerId: owner(),
      created,
      grants,
      creds: [
        {
          id: `tok-${pad(k + 1)}`,
          kind: 'token',
          created: tokCreated,
          rotated: tokCreated,
          used: rng.int(0, 3),
          expires: -rng.int(30, 300),
        },
      ],
    });
  }
  const services = nhis.filter((n) => n.type === 'service');
  const nhiTaken = new Set<Nhi>();
  const pickNhi = (pool: Nhi[], n: number): Nhi[] => {
    const out: Nhi[] = [];
    let tries = 0;
    while (out.length < n && tries++ < n * 20 + 50 && pool.length) {
      const x = rng.pick(pool);
      if (nhiTaken.has(x)) continue;
      nhiTaken.add(x);
      out.push(x);
    }
    return out;
  };
  for (const s of pickNhi(services, Math.round(services.length * shape.rates['ownerless-service']))) {
    s.ownerId = terminated.length && rng.chance(0.3) ? rng.pick(terminated).id : '';
    plant(identityItemId(s.id), 'ownerless-service', 'assign-owner');
  }
  for (const s of pickNhi(services, Math.round(services.length * shape.rates['stale-key']))) {
    const c = s.creds[0]!;
    c.created = Math.max(c.created, rng.int(120, 1200));
    c.rotated = rng.int(100, c.created);
    plant(credentialItemId(s.id, c.id), 'stale-key', 'rotate');
  }
  for (const s of pickNhi(services, Math.round(services.length * shape.rates['unused-key']))) {
    const c = s.creds[0]!;
    if (rng.chance(0.3)) {
      c.used = -1;
      c.created = rng.int(60, Math.max(61, s.created));
      c.rotated = Math.min(c.rotated, c.created);
    } else c.used = rng.int(100, 400);
    plant(credentialItemId(s.id, c.id), 'unused-key', 'revoke');
  }
  for (const s of pickNhi(services, Math.round(services.length * shape.rates['service-password']))) {
    const id = `console-${s.id}`;
    s.creds.push({ id, kind: 'password', created: rng.int(10, 60), rotated: rng.int(0, 10), used: rng.int(0, 10), expires: null });
    plant(credentialItemId(s.id, id), 'service-password', 'disable-login');
  }
  const workloads = nhis.filter((n) => n.type === 'workload');
  for (const w of pickNhi(workloads, Math.round(workloads.length * shape.rates['privileged-workload']))) {
    const e = rng.pick(workloadPrivileged);
    w.grants.push({ ent: e, granted: rng.int(10, 300), used: rng.int(0, 10) });
    plant(assignmentItemId(w.id, ents[e]!.id), 'privileged-workload', 'reduce');
  }

  // ---- write workbench CSV ----
  const identityRows: string[] = ['id,displayName,email,type,status,department,title,managerId,ownerId,createdAt'];
  for (const p of people) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const display = rng.chance(0.01) ? `${last}, ${first}` : `${first} ${last}`;
    const title = p.title >= 0 ? depts[p.dept]!.titles[p.title]!.name : (titleOf.get(p) ?? '');
    identityRows.push(
      [
        p.id,
        csvField(display),
        `${p.id}@example.com`,
        'human',
        p.status,
        csvField(depts[p.dept]!.name),
        csvField(title),
        p.managerId,
        '',
        day(p.hired),
      ].join(','),
    );
  }
  for (const n of nhis)
    identityRows.push([n.id, n.name, '', n.type, 'active', csvField(depts[n.dept]!.name), '', '', n.ownerId, day(n.created)].join(','));

  const entRows: string[] = ['id,name,application,privilege,description,ownerId'];
  for (const e of ents) entRows.push([e.id, csvField(e.name), csvField(e.app.name), e.privilege, '', ''].join(','));

  const assignmentChunks: string[] = ['identityId,entitlementId,grantedAt,lastUsedAt,source'];
  let assignments = 0;
  let buf: string[] = [];
  const row = (identityId: string, g: Grant) => {
    const e = ents[g.ent]!;
    const usageKnown = e.app.source !== noUsageSource;
    buf.push(`${identityId},${e.id},${day(g.granted)},${usageKnown && g.used >= 0 ? day(g.used) : ''},${e.app.source}`);
    assignments++;
    if (buf.length >= 50_000) {
      assignmentChunks.push(buf.join('\n'));
      buf = [];
    }
  };
  for (const p of people) for (const g of p.grants) row(p.id, g);
  for (const n of nhis) for (const g of n.grants) row(n.id, g);
  if (buf.length) assignmentChunks.push(buf.join('\n'));

  const credRows: string[] = ['identityId,credentialId,kind,createdAt,lastRotatedAt,lastUsedAt,expiresAt,active'];
  let credentials = 0;
  for (const n of nhis)
    for (const c of n.creds) {
      credRows.push(
        [
          n.id,
          c.id,
          c.kind,
          day(c.created),
          day(c.rotated),
          c.used >= 0 ? day(c.used) : '',
          c.expires === null ? '' : new Date(asOf - c.expires * 86_400_000).toISOString().slice(0, 10),
          'true',
        ].join(','),
      );
      credentials++;
    }

  return {
    files: [
      { name: 'identities.csv', text: `${identityRows.join('\n')}\n` },
      { name: 'entitlements.csv', text: `${entRows.join('\n')}\n` },
      { name: 'assignments.csv', text: `${assignmentChunks.join('\n')}\n` },
      { name: 'credentials.csv', text: `${credRows.join('\n')}\n` },
    ],
    truth: { asOf: `${asOfText.slice(0, 10)}T00:00:00Z`, seed: options.seed, shape: shape.name, items: truth, counts },
    counts: { identities: people.length + nhis.length, entitlements: ents.length, assignments, credentials },
  };
}

/**
 * Generate an organisation and write its workbench CSV files into `dir` (created if needed), plus `truth.json`.
 * For the import bench: 100k identities (~1M assignments, ~60 MB of CSV) are written in a few seconds.
 * Returns the paths written and the generated organisation's counts and truth.
 */
export async function writeOrganisation(
  dir: string,
  options: GenerateOptions,
): Promise<{ paths: string[]; counts: GeneratedOrganisation['counts']; truth: GeneratedOrganisation['truth'] }> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await mkdir(dir, { recursive: true });
  const org = generateOrganisation(options);
  const paths: string[] = [];
  for (const f of org.files) {
    const path = join(dir, f.name);
    await writeFile(path, f.text, 'utf8');
    paths.push(path);
  }
  await writeFile(join(dir, 'truth.json'), JSON.stringify(org.truth), 'utf8');
  return { paths, counts: org.counts, truth: org.truth };
}

// `npm run bench -- carry-forward`: an organisation certified (every suggestion's action taken as the decision,
// revocations carried out), then 5 % churn — joiners, leavers, movers, new grants, usage changes — and the next
// campaign compared with the certified one. Reports the share of items needing a fresh look (high and critical
// items left out: they are always reviewed; target ≤ 10 %) and the time to compare (1M assignments: ≤ 10 s).
import { loadavg } from 'node:os';
import { importFiles } from '../../../shared/import';
import { assignmentItemId, credentialItemId, type SnapshotData } from '../../../shared/model';
import { utf8 } from '../../../shared/codec';
import { compareWithBaseline, reviewLoad, type BaselineItem, type ComparableItem } from '../../../shared/review';
import { DEFAULT_POLICY, suggest, type Suggestion } from '../../../shared/suggest';
import { generateOrganisation } from '../org-generator';
import type { BenchStage, Metrics } from '../stage';

const SIZES = (process.env.ARW_BENCH_CARRY_IDENTITIES ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const CHURN = 0.05;
const DAY = 86_400_000;

/** A small deterministic generator, so a run can be repeated. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function itemsOf(data: SnapshotData, suggestions: Suggestion[]): ComparableItem[] {
  const identities = new Map(data.identities.map((i) => [i.id, i]));
  const entitlements = new Map(data.entitlements.map((e) => [e.id, e]));
  const credentials = new Map(data.credentials.map((c) => [credentialItemId(c.identityId, c.credentialId), c]));
  return suggestions.map((s) => {
    const who = identities.get(s.identityId)!;
    const ent = s.entitlementId ? entitlements.get(s.entitlementId) : undefined;
    const cred = s.credentialId ? credentials.get(s.itemId) : undefined;
    return {
      itemId: s.itemId,
      identity: { id: who.id, displayName: who.displayName, type: who.type, status: who.status },
      target: ent
        ? { kind: 'entitlement', id: ent.id, name: ent.name, application: ent.application, privilege: ent.privilege }
        : cred
          ? { kind: 'credential', id: cred.credentialId, name: cred.kind, application: cred.source ?? '', privilege: 'high' }
          : null,
      suggestion: s,
    };
  });
}

/** The certification: each suggestion's action decided; revocations, rotations and disabled logins carried out. */
function certify(items: ComparableItem[], decidedAt: string): { baseline: BaselineItem[]; removed: Set<string> } {
  const removed = new Set<string>();
  const baseline = items.map((item): BaselineItem => {
    const action = item.suggestion?.action;
    const decided = action === undefined || action === 'none' ? 'keep' : action;
    if (decided === 'revoke') removed.add(item.itemId);
    return { ...item, decision: { action: decided, reviewerId: 'bench', at: decidedAt, rationale: 'bench certification' } };
  });
  return { baseline, removed };
}

/** 5 % of identities churn: a fifth each joins, leaves, moves department, gains a grant, or changes its usage. */
function churn(data: SnapshotData, removed: Set<string>, asOf: number, seed: number): { data: SnapshotData; churned: number } {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const identities = data.identities.map((i) => ({ ...i }));
  // A new array (the baseline's data stays as it was): revoked grants are gone after the certification.
  const assignments = data.assignments.filter((a) => !removed.has(assignmentItemId(a.identityId, a.entitlementId)));
  const byIdentity = new Map<string, number[]>();
  assignments.forEach((a, k) => {
    const list = byIdentity.get(a.identityId);
    if (list) list.push(k);
    else byIdentity.set(a.identityId, [k]);
  });
  const humans = identities.filter((i) => i.type === 'human' && i.status === 'active');
  const departments = [...new Set(humans.map((i) => i.department).filter((d): d is string => !!d))];
  const n = Math.round(identities.length * CHURN);
  const leavers = new Set<string>();
  const added: typeof assignments = [];
  for (let k = 0; k < n; k++) {
    const who = pick(humans);
    const mine = byIdentity.get(who.id) ?? [];
    switch (k % 5) {
      case 0: {
        // A joiner: a new person with a colleague's access.
        const id = `${who.id}-joiner-${k}`;
        identities.push({
          ...who,
          id,
          displayName: `${who.displayName} (new)`,
          email: undefined,
          employeeId: undefined,
          login: undefined,
          createdAt: new Date(asOf - 20 * DAY).toISOString(),
        });
        for (const j of mine)
          added.push({
            ...assignments[j]!,
            identityId: id,
            grantedAt: new Date(asOf - 20 * DAY).toISOString(),
            lastUsedAt: new Date(asOf - 2 * DAY).toISOString(),
          });
        break;
      }
      case 1:
        leavers.add(who.id);
        who.status = 'terminated';
        break;
      case 2: {
        // A mover: new department, and the new team's first grant.
        who.department = pick(departments);
        const other = pick(humans);
        const theirs = byIdentity.get(other.id);
        if (theirs?.length)
          added.push({ ...assignments[pick(theirs)]!, identityId: who.id, grantedAt: new Date(asOf - 10 * DAY).toISOString() });
        break;
      }
      case 3: {
        const other = pick(humans);
        const theirs = byIdentity.get(other.id);
        if (theirs?.length)
          added.push({ ...assignments[pick(theirs)]!, identityId: who.id, grantedAt: new Date(asOf - 5 * DAY).toISOString() });
        break;
      }
      default:
        // Usage change: one of the person's grants unused for a year.
        if (mine.length) {
          const j = pick(mine);
          assignments[j] = { ...assignments[j]!, lastUsedAt: new Date(asOf - 365 * DAY).toISOString(), usageKnown: true };
        }
    }
  }
  const seen = new Set(assignments.map((a) => assignmentItemId(a.identityId, a.entitlementId)));
  for (const a of added) {
    const key = assignmentItemId(a.identityId, a.entitlementId);
    if (!seen.has(key)) {
      seen.add(key);
      assignments.push(a);
    }
  }
  return { data: { ...data, identities, assignments }, churned: n };
}

export const stage: BenchStage = {
  name: 'carry-forward',
  description: 'next campaign against the last certification after 5 % churn: review load and comparison time',
  async run(ctx) {
    const metrics: Metrics = {};
    for (const identities of SIZES) {
      const label = identities >= 1000 ? `${Math.round(identities / 1000)}k` : String(identities);
      const org = generateOrganisation({ seed: 21, identities, shape: { optionalPool: 4 } });
      const data = importFiles(org.files.map((f) => ({ name: f.name, bytes: utf8(f.text) }))).data;
      org.files.length = 0;
      const certifiedAt = Date.parse(org.truth.asOf);
      const before = itemsOf(data, suggest(data, DEFAULT_POLICY, { asOf: certifiedAt }));
      const { baseline, removed } = certify(before, new Date(certifiedAt).toISOString());
      // The next quarter: 91 days later, after the churn.
      const asOf = certifiedAt + 91 * DAY;
      const next = churn(data, removed, asOf, 22);
      // Usage moves on between two quarters: every grant used in the last quarter was used again lately.
      next.data.assignments = next.data.assignments.map((a) =>
        a.lastUsedAt && Date.parse(a.lastUsedAt) > certifiedAt - 90 * DAY
          ? { ...a, lastUsedAt: new Date(Date.parse(a.lastUsedAt) + 91 * DAY).toISOString() }
          : a,
      );
      const current = itemsOf(next.data, suggest(next.data, DEFAULT_POLICY, { asOf }));
      ctx.log(
        `${label}: ${data.assignments.length} assignments certified, ${next.churned} identities churned, ${current.length} items in the next campaign`,
      );
      const load = loadavg()[0]!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const comparison = compareWithBaseline(baseline, current, { asOf });
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      const share = reviewLoad(comparison);
      metrics[`${label}.assignments`] = data.assignments.length;
      metrics[`${label}.items`] = share.items;
      metrics[`${label}.unchanged`] = comparison.counts.unchanged;
      metrics[`${label}.changed`] = comparison.counts.changed;
      metrics[`${label}.new`] = comparison.counts.new;
      metrics[`${label}.removed`] = comparison.counts.removed;
      metrics[`${label}.highOrCritical`] = share.highOrCritical;
      metrics[`${label}.itemsNeedingReview.share`] = Math.round(share.share * 10_000) / 10_000;
      metrics[`${label}.itemsNeedingReview.target`] = `${share.share <= 0.1 ? 'met' : 'NOT met'} (≤ 0.10)`;
      metrics[`${label}.compareSeconds`] = Math.round(seconds * 1000) / 1000;
      metrics[`${label}.compareCpuSeconds`] = Math.round((cpu.user + cpu.system) / 1000) / 1000;
      metrics[`${label}.compareTarget`] = `${seconds <= 10 ? 'met' : 'NOT met'} (≤ 10 s)`;
      metrics[`${label}.loadAverage`] = Math.round(load * 10) / 10;
    }
    return metrics;
  },
};

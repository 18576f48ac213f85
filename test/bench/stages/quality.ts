// `npm run bench -- quality`: precision and recall of the suggestion engine on generated organisations with
// planted anomalies, per anomaly kind, per deciding signal and overall, and the share of normal items wrongly
// flagged — at 1k, 10k and 100k identities, over several seeds and shapes, with the default policy (never tuned
// to one organisation). Data goes through the real importer (workbench CSV) and the real engine.
// Then the confounded organisations (confounded-org-a.ts, confounded-org-b.ts; labels in confounded-truth.ts):
// revoke precision and recall per anomaly kind, the share of each confounder flagged, vendor-rule baselines.
// Env: ARW_QUALITY_TIDY=0 skips the tidy shapes, ARW_QUALITY_TIDY_SIZES (default 1000,10000,100000),
// ARW_QUALITY_CONFOUNDED_SIZES (default 1000,10000; 0 skips), ARW_QUALITY_SEED_BASE (default 7000).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importFiles } from '../../../shared/import';
import type { SnapshotData } from '../../../shared/model';
import { utf8 } from '../../../shared/codec/digest';
import { DEFAULT_POLICY, suggest, type Policy, type Suggestion } from '../../../shared/suggest';
import { confoundedPlan, runConfounded } from '../confounded-report';
import { isFlag } from '../confounded-truth';
import { ANOMALY_KINDS, SHAPES, generateOrganisation, type AnomalyKind, type GeneratedOrganisation } from '../org-generator';
import type { BenchStage, Metrics } from '../stage';

export interface QualityResult {
  items: number;
  truth: number;
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
  normalAssignments: number;
  normalAssignmentsFlagged: number;
  normalFlaggedShare: number;
  perKind: Record<AnomalyKind, { planted: number; found: number }>;
  perSignal: Record<string, { flagged: number; correct: number }>;
}

/** The signal family that decided a suggestion ("peer-outlier.manager" → "peer-outlier"). */
export function decidingSignal(s: Suggestion): string {
  if (!isFlag(s.action)) return s.action;
  const id = s.signals[0]?.id ?? 'unknown';
  return id.startsWith('peer-outlier') ? 'peer-outlier' : id;
}

/** Compare suggestions with the generator's ground truth. A planted item counts as found when the suggestion's
 * action is the expected one; any other action than keep or none ("no suggestion") on an item counts as flagged. */
export function evaluate(suggestions: Suggestion[], truth: GeneratedOrganisation['truth']): QualityResult {
  const expected = new Map(truth.items.map((t) => [t.itemId, t]));
  const perKind = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, { planted: 0, found: 0 }])) as QualityResult['perKind'];
  for (const t of truth.items) perKind[t.kind].planted++;
  const perSignal: QualityResult['perSignal'] = {};
  let flagged = 0;
  let tp = 0;
  let normalAssignments = 0;
  let normalAssignmentsFlagged = 0;
  const seen = new Set<string>();
  for (const s of suggestions) {
    const t = expected.get(s.itemId);
    const isFlagged = isFlag(s.action);
    if (t) {
      seen.add(s.itemId);
      if (s.action === t.expected) {
        tp++;
        perKind[t.kind].found++;
      }
    } else if (s.itemId.startsWith('a:')) {
      normalAssignments++;
      if (isFlagged) normalAssignmentsFlagged++;
    }
    if (isFlagged) {
      flagged++;
      const sig = decidingSignal(s);
      const entry = (perSignal[sig] ??= { flagged: 0, correct: 0 });
      entry.flagged++;
      if (t && s.action === t.expected) entry.correct++;
    }
  }
  return {
    items: suggestions.length,
    truth: truth.items.length,
    flagged,
    truePositives: tp,
    precision: flagged ? tp / flagged : 1,
    recall: truth.items.length ? tp / truth.items.length : 1,
    normalAssignments,
    normalAssignmentsFlagged,
    normalFlaggedShare: normalAssignments ? normalAssignmentsFlagged / normalAssignments : 0,
    perKind,
    perSignal,
  };
}

export function runOrganisation(
  org: GeneratedOrganisation,
  policy: Policy = DEFAULT_POLICY,
): { suggestions: Suggestion[]; seconds: number } {
  const imported = importFiles(org.files.map((f) => ({ name: f.name, bytes: utf8(f.text) })));
  const errors = imported.files.reduce((n, f) => n + f.errors.length, 0) + imported.refused.length;
  if (errors)
    throw new Error(
      `generated organisation did not import cleanly: ${JSON.stringify([...imported.refused, ...imported.files.flatMap((f) => f.errors)].slice(0, 3))}`,
    );
  const t0 = performance.now();
  const suggestions = suggest(imported.data, policy, { asOf: Date.parse(org.truth.asOf) });
  return { suggestions, seconds: (performance.now() - t0) / 1000 };
}

function merge(results: QualityResult[]): QualityResult {
  const perKind = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, { planted: 0, found: 0 }])) as QualityResult['perKind'];
  const perSignal: QualityResult['perSignal'] = {};
  const sum = (f: (r: QualityResult) => number) => results.reduce((s, r) => s + f(r), 0);
  for (const r of results) {
    for (const k of ANOMALY_KINDS) {
      perKind[k].planted += r.perKind[k].planted;
      perKind[k].found += r.perKind[k].found;
    }
    for (const [sig, v] of Object.entries(r.perSignal)) {
      const e = (perSignal[sig] ??= { flagged: 0, correct: 0 });
      e.flagged += v.flagged;
      e.correct += v.correct;
    }
  }
  const flagged = sum((r) => r.flagged);
  const tp = sum((r) => r.truePositives);
  const truth = sum((r) => r.truth);
  const normalAssignments = sum((r) => r.normalAssignments);
  const normalAssignmentsFlagged = sum((r) => r.normalAssignmentsFlagged);
  return {
    items: sum((r) => r.items),
    truth,
    flagged,
    truePositives: tp,
    precision: flagged ? tp / flagged : 1,
    recall: truth ? tp / truth : 1,
    normalAssignments,
    normalAssignmentsFlagged,
    normalFlaggedShare: normalAssignments ? normalAssignmentsFlagged / normalAssignments : 0,
    perKind,
    perSignal,
  };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
/** A share as a percentage with 3 decimals (0.00012 → 0.012). */
const pct3 = (x: number) => Math.round(x * 100_000) / 1000;

const RUNS: { size: number; seeds: number[]; shapes: string[] }[] = [
  { size: 1_000, seeds: [101, 102, 103], shapes: Object.keys(SHAPES) },
  { size: 10_000, seeds: [201, 202], shapes: Object.keys(SHAPES) },
  { size: 100_000, seeds: [301], shapes: ['balanced', 'nhi-heavy'] },
];

export const stage: BenchStage = {
  name: 'quality',
  description: 'precision / recall of suggestions on generated organisations with planted anomalies (default policy)',
  async run(ctx) {
    const metrics: Metrics = {};
    const all: QualityResult[] = [];
    let worstPrecision = 1;
    let worstRecall = 1;
    let worstNormal = 0;
    const tidySizes = (process.env.ARW_QUALITY_TIDY_SIZES ?? '1000,10000,100000').split(',').map(Number);
    const tidyRuns = process.env.ARW_QUALITY_TIDY === '0' ? [] : RUNS.filter((r) => tidySizes.includes(r.size));
    for (const { size, seeds, shapes } of tidyRuns) {
      const results: QualityResult[] = [];
      for (const shape of shapes)
        for (const seed of seeds) {
          const org = generateOrganisation({ seed, identities: size, shape });
          const { suggestions } = runOrganisation(org);
          const r = evaluate(suggestions, org.truth);
          ctx.log(
            `${size} identities, shape ${shape}, seed ${seed}: precision ${r3(r.precision)}, recall ${r3(r.recall)}, normal flagged ${pct3(r.normalFlaggedShare)}% (${r.truth} planted, ${r.flagged} flagged)`,
          );
          results.push(r);
          worstPrecision = Math.min(worstPrecision, r.precision);
          worstRecall = Math.min(worstRecall, r.recall);
          worstNormal = Math.max(worstNormal, r.normalFlaggedShare);
        }
      const m = merge(results);
      all.push(...results);
      const label = size >= 1000 ? `${size / 1000}k` : String(size);
      metrics[`${label}.runs`] = results.length;
      metrics[`${label}.planted`] = m.truth;
      metrics[`${label}.precision`] = r3(m.precision);
      metrics[`${label}.recall`] = r3(m.recall);
      metrics[`${label}.normalFlaggedPercent`] = pct3(m.normalFlaggedShare);
    }
    const m = merge(all);
    if (!all.length) return { ...metrics, ...confounded() };
    metrics['overall.precision'] = r3(m.precision);
    metrics['overall.recall'] = r3(m.recall);
    metrics['overall.normalFlaggedPercent'] = pct3(m.normalFlaggedShare);
    metrics['overall.normalAssignmentsFlagged'] = `${m.normalAssignmentsFlagged} of ${m.normalAssignments}`;
    metrics['worstRun.precision'] = r3(worstPrecision);
    metrics['worstRun.recall'] = r3(worstRecall);
    metrics['worstRun.normalFlaggedPercent'] = pct3(worstNormal);
    for (const k of ANOMALY_KINDS)
      metrics[`recall.${k}`] = m.perKind[k].planted
        ? `${r3(m.perKind[k].found / m.perKind[k].planted)} (${m.perKind[k].found}/${m.perKind[k].planted})`
        : 'n/a';
    for (const [sig, v] of Object.entries(m.perSignal).sort(([a], [b]) => a.localeCompare(b)))
      metrics[`precision.${sig}`] = `${r3(v.correct / v.flagged)} (${v.correct}/${v.flagged})`;
    // Real user-permission data without ground truth (HP Labs role-mining benchmarks): how much the peer signal
    // would flag where only nearest neighbours apply (no departments, titles or managers in that data).
    const hp = join(process.env.ARW_DATASETS ?? resolve(import.meta.dirname, '../../../../shared/datasets'), 'role-mining-benchmarks/hp');
    if (existsSync(hp)) {
      for (const name of ['hc', 'fire1', 'apj', 'customer', 'americas_small']) {
        const data: SnapshotData = { identities: [], entitlements: [], assignments: [], credentials: [] };
        const users = new Set<string>();
        const perms = new Set<string>();
        for (const line of readFileSync(join(hp, `${name}.txt`), 'utf8').split('\n')) {
          const [u, p] = line.trim().split(/\s+/);
          if (!u || !p) continue;
          users.add(u);
          perms.add(p);
          data.assignments.push({ identityId: `u${u}`, entitlementId: `p${p}`, source: 'hp', usageKnown: false });
        }
        for (const u of users) data.identities.push({ id: `u${u}`, displayName: u, type: 'human', status: 'active' });
        for (const p of perms) data.entitlements.push({ id: `p${p}`, name: `p${p}`, application: 'hp', privilege: 'low' });
        const out = suggest(data, DEFAULT_POLICY, { asOf: Date.parse('2026-01-01') });
        const flagged = out.filter((x) => isFlag(x.action)).length;
        metrics[`realData.hp-${name}.flaggedPercent`] = `${pct3(flagged / out.length)} (${flagged} of ${out.length}, no ground truth)`;
      }
    } else metrics['realData.hp'] = `skipped: ${hp} not found`;
    metrics.targets =
      m.precision >= 0.9 && m.recall >= 0.9 && m.normalFlaggedShare <= 0.03
        ? 'met (precision ≥ 0.90, recall ≥ 0.90, ≤ 3% normal flagged)'
        : 'NOT met';
    return { ...metrics, ...confounded() };
    function confounded() {
      const plan = confoundedPlan();
      return plan.sizes.length ? runConfounded(plan, ctx.log) : { confounded: 'skipped (ARW_QUALITY_CONFOUNDED_SIZES=0)' };
    }
  },
};

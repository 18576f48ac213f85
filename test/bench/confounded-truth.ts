// Ground truth for the confounded organisations (confounded-org-a.ts, confounded-org-b.ts) and how suggestions are
// scored against it. Written apart from the engine: only the model and the public suggestion types are used.
// Label semantics (also in /work/notes/17-gen.md):
// - anomaly: the item should be flagged; found when the item's suggestion has one of `accept`.
// - normal: a confounder that must NOT be flagged; flagged = any action other than keep or none.
// - scope: root / break-glass accounts: the identity item must be present with risk tier critical, and its action
//   must not be one of `forbid` (a break-glass account is unused by design).
// - covered: items of an identity-level anomaly (a dormant account's assignments, a duplicate's other account):
//   any action is fine; left out of precision, recall and the normal share.
// Items without a label are ordinary normal access: flagging them is a false positive.
import type { Assignment, Credential, Entitlement, Identity, SnapshotData } from '../../shared/model';
import type { Suggestion, SuggestedAction } from '../../shared/suggest/types';

export const ANOMALY_KINDS = [
  'unused-access',
  'never-used-access',
  'old-department-access',
  'periodic-lapsed',
  'terminated-entitled',
  'suspended-entitled',
  'never-activated-entitled',
  'duplicate-account',
  'dormant-account',
  'console-no-mfa',
  'password-never-expires',
  'stale-key',
  'unused-key',
  'ownerless-nhi',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export const CONFOUNDER_KINDS = [
  'usage-blind-app',
  'periodic-work',
  'specialist',
  'cohort-still-used',
  'new-hire',
  'staged-new-hire',
  'locked-out-recently',
  'namesake',
  'nhi-no-interactive-login',
  'contractor-no-peers',
] as const;
export type ConfounderKind = (typeof CONFOUNDER_KINDS)[number];

export const SCOPE_KINDS = ['root-account', 'break-glass-account'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export type LabelKind = AnomalyKind | ConfounderKind | ScopeKind;

export interface Label {
  itemId: string;
  truth: 'anomaly' | 'normal' | 'scope' | 'covered';
  kind: LabelKind;
  /** anomaly: the actions that count as a correct flag. */
  accept?: readonly SuggestedAction[];
  /** anomaly: found also when one of these items (e.g. the other account of a duplicate pair) has an accepted action. */
  alternates?: string[];
  /** anomaly: found also when every one of these items (e.g. all of a suspended account's access) has an accepted action. */
  allOf?: string[];
  /** scope: actions that are wrong on this item. */
  forbid?: readonly SuggestedAction[];
}

/** What each anomaly kind accepts as a correct flag (one place, so the notes and the generators agree). */
export const ACCEPT: Record<AnomalyKind, readonly SuggestedAction[]> = {
  'unused-access': ['revoke'],
  'never-used-access': ['revoke'],
  'old-department-access': ['revoke'],
  'periodic-lapsed': ['revoke'],
  'terminated-entitled': ['revoke'],
  'suspended-entitled': ['revoke', 'disable-login'],
  'never-activated-entitled': ['revoke', 'disable-login'],
  'duplicate-account': ['revoke', 'disable-login'],
  'dormant-account': ['revoke', 'disable-login'],
  'console-no-mfa': ['disable-login', 'revoke'],
  'password-never-expires': ['rotate', 'disable-login'],
  'stale-key': ['rotate'],
  'unused-key': ['revoke', 'rotate'],
  'ownerless-nhi': ['assign-owner'],
};

export interface ConfoundedOrganisation {
  data: SnapshotData;
  labels: Label[];
  asOf: string;
  seed: number;
  generator: string;
}

/** Deterministic PRNG (splitmix32), independent of the tidy generator's. */
export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed * 0x9e3779b1) >>> 0 || 1;
  }
  next(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  }
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** Collects records and labels; dates are written relative to the organisation's "today". */
export class OrgBuilder {
  readonly identities: Identity[] = [];
  readonly entitlements: Entitlement[] = [];
  readonly assignments: Assignment[] = [];
  readonly credentials: Credential[] = [];
  readonly labels: Label[] = [];
  private readonly asOfMs: number;
  private readonly days: string[] = [];
  constructor(readonly asOf: string) {
    this.asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  }
  /** Whole days between an ISO timestamp written by `ago` and today. */
  daysAgo(iso: string): number {
    return Math.round((this.asOfMs + 43_200_000 - Date.parse(iso)) / 86_400_000);
  }
  /** ISO timestamp `n` days before today (whole days, noon UTC). */
  ago(n: number): string {
    const d = Math.max(0, Math.round(n));
    return (this.days[d] ??= new Date(this.asOfMs - d * 86_400_000 + 43_200_000).toISOString());
  }
  anomaly(itemId: string, kind: AnomalyKind, alternates?: string[], allOf?: string[]): void {
    this.labels.push({
      itemId,
      truth: 'anomaly',
      kind,
      accept: ACCEPT[kind],
      ...(alternates ? { alternates } : {}),
      ...(allOf?.length ? { allOf } : {}),
    });
  }
  normal(itemId: string, kind: ConfounderKind): void {
    this.labels.push({ itemId, truth: 'normal', kind });
  }
  scope(itemId: string, kind: ScopeKind, forbid: readonly SuggestedAction[] = []): void {
    this.labels.push({ itemId, truth: 'scope', kind, forbid });
  }
  covered(itemId: string, kind: LabelKind): void {
    this.labels.push({ itemId, truth: 'covered', kind });
  }
  build(seed: number, generator: string): ConfoundedOrganisation {
    // One label per item: an anomaly outranks a scope check, which outranks "covered", which outranks a confounder
    // (a terminated person's access to a usage-blind application is still to be revoked).
    const rank = { anomaly: 3, scope: 2, covered: 1, normal: 0 } as const;
    const best = new Map<string, Label>();
    for (const l of this.labels) {
      const had = best.get(l.itemId);
      if (!had || rank[l.truth] > rank[had.truth]) best.set(l.itemId, l);
    }
    return {
      data: { identities: this.identities, entitlements: this.entitlements, assignments: this.assignments, credentials: this.credentials },
      labels: [...best.values()],
      asOf: this.asOf,
      seed,
      generator,
    };
  }
}

export const isFlag = (action: string): boolean => action !== 'keep' && action !== 'none';

export interface Ratio {
  n: number;
  of: number;
}

export interface ConfoundedResult {
  suggestions: number;
  noSuggestion: number;
  anomalies: Ratio;
  /** Access (a:) anomalies to revoke, found when the action is revoke. */
  revokeAnomalies: Ratio;
  flags: Ratio;
  revokes: Ratio;
  normalAssignments: Ratio;
  perKind: Record<AnomalyKind, Ratio>;
  confounders: Record<ConfounderKind, Ratio>;
  scope: Record<ScopeKind, Ratio>;
  /** Wrong flags by what the item was (label kind or "ordinary-assignment" etc.) and action. */
  wrongFlags: Record<string, number>;
  /** Wrong flags by the deciding (first) signal's id. */
  wrongBySignal: Record<string, number>;
}

const ratios = <K extends string>(keys: readonly K[]): Record<K, Ratio> =>
  Object.fromEntries(keys.map((k) => [k, { n: 0, of: 0 }])) as Record<K, Ratio>;

export function emptyResult(): ConfoundedResult {
  return {
    suggestions: 0,
    noSuggestion: 0,
    anomalies: { n: 0, of: 0 },
    revokeAnomalies: { n: 0, of: 0 },
    flags: { n: 0, of: 0 },
    revokes: { n: 0, of: 0 },
    normalAssignments: { n: 0, of: 0 },
    perKind: ratios(ANOMALY_KINDS),
    confounders: ratios(CONFOUNDER_KINDS),
    scope: ratios(SCOPE_KINDS),
    wrongFlags: {},
    wrongBySignal: {},
  };
}

const itemKind = (itemId: string) => (itemId.startsWith('a:') ? 'assignment' : itemId.startsWith('c:') ? 'credential' : 'identity');

/** Score suggestions against labels. Precision figures (`flags`, `revokes`: n correct of all made) count flags on
 * anomaly, normal and unlabelled items, and forbidden actions on scope items. */
export function scoreConfounded(suggestions: readonly Suggestion[], labels: readonly Label[]): ConfoundedResult {
  const r = emptyResult();
  const byItem = new Map<string, Suggestion>();
  for (const s of suggestions) byItem.set(s.itemId, s);
  const labelOf = new Map<string, Label>();
  for (const l of labels) labelOf.set(l.itemId, l);
  const accepted = (id: string, accept: readonly string[]) => {
    const s = byItem.get(id);
    return !!s && accept.includes(s.action);
  };
  for (const l of labels) {
    if (l.truth === 'anomaly') {
      const ok =
        accepted(l.itemId, l.accept!) ||
        (l.alternates ?? []).some((a) => accepted(a, l.accept!)) ||
        (!!l.allOf && l.allOf.every((a) => accepted(a, l.accept!)));
      const k = r.perKind[l.kind as AnomalyKind];
      k.of++;
      r.anomalies.of++;
      if (ok) {
        k.n++;
        r.anomalies.n++;
      }
      if (l.itemId.startsWith('a:') && l.accept!.includes('revoke')) {
        r.revokeAnomalies.of++;
        if (
          accepted(l.itemId, ['revoke']) ||
          (l.alternates ?? []).some((a) => accepted(a, ['revoke'])) ||
          (!!l.allOf && l.allOf.every((a) => accepted(a, ['revoke'])))
        )
          r.revokeAnomalies.n++;
      }
    } else if (l.truth === 'normal') {
      const c = r.confounders[l.kind as ConfounderKind];
      c.of++;
      const s = byItem.get(l.itemId);
      if (s && isFlag(s.action)) c.n++;
    } else if (l.truth === 'scope') {
      const c = r.scope[l.kind as ScopeKind];
      c.of++;
      const s = byItem.get(l.itemId);
      if (s && s.riskTier === 'critical' && !(l.forbid ?? []).includes(s.action)) c.n++;
    }
  }
  for (const s of suggestions) {
    r.suggestions++;
    if ((s.action as string) === 'none') r.noSuggestion++;
    const l = labelOf.get(s.itemId);
    if (s.itemId.startsWith('a:') && (!l || l.truth === 'normal')) {
      r.normalAssignments.of++;
      if (isFlag(s.action)) r.normalAssignments.n++;
    }
    if (!isFlag(s.action) || l?.truth === 'covered') continue;
    if (l?.truth === 'scope' && !(l.forbid ?? []).includes(s.action)) continue;
    const correct = l?.truth === 'anomaly' && l.accept!.includes(s.action);
    r.flags.of++;
    if (correct) r.flags.n++;
    if (s.action === 'revoke') {
      r.revokes.of++;
      if (correct) r.revokes.n++;
    }
    if (!correct) {
      const what = l ? `${l.kind}` : `ordinary-${itemKind(s.itemId)}`;
      const key = `${what}.${s.action}`;
      r.wrongFlags[key] = (r.wrongFlags[key] ?? 0) + 1;
      const sig = s.signals[0]?.id ?? 'unknown';
      r.wrongBySignal[sig] = (r.wrongBySignal[sig] ?? 0) + 1;
    }
  }
  return r;
}

export function mergeResults(results: readonly ConfoundedResult[]): ConfoundedResult {
  const m = emptyResult();
  const add = (a: Ratio, b: Ratio) => {
    a.n += b.n;
    a.of += b.of;
  };
  for (const r of results) {
    m.suggestions += r.suggestions;
    m.noSuggestion += r.noSuggestion;
    for (const k of ['anomalies', 'revokeAnomalies', 'flags', 'revokes', 'normalAssignments'] as const) add(m[k], r[k]);
    for (const k of ANOMALY_KINDS) add(m.perKind[k], r.perKind[k]);
    for (const k of CONFOUNDER_KINDS) add(m.confounders[k], r.confounders[k]);
    for (const k of SCOPE_KINDS) add(m.scope[k], r.scope[k]);
    for (const [k, v] of Object.entries(r.wrongFlags)) m.wrongFlags[k] = (m.wrongFlags[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.wrongBySignal)) m.wrongBySignal[k] = (m.wrongBySignal[k] ?? 0) + v;
  }
  return m;
}

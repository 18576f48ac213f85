// Re-review only what changed: each item of a new campaign compared with the last signed certification (the
// baseline). A prior decision is never applied by itself; this module only says which items may carry a prior
// decision for a reviewer to confirm, and why the others need a fresh look.
import type { IdentityStatus, IdentityType, Privilege } from '../model';
import type { DecisionClass, RiskTier, SuggestedAction } from '../suggest';
import type { BaselineLink, DecisionAction, SuggestionSnapshot } from './types';

/** An item as a campaign (or a certification package's decisions.json) holds it. */
export interface ComparableItem {
  itemId: string;
  identity: { id: string; displayName: string; type: IdentityType; status: IdentityStatus };
  target: { kind: 'entitlement' | 'credential'; id: string; name: string; application: string; privilege: Privilege } | null;
  suggestion: Pick<SuggestionSnapshot, 'action' | 'riskTier' | 'decisionClass' | 'signals' | 'policyDigest'> | null;
  /** The groups an inherited grant comes through, direct one first; absent or empty for a direct grant. */
  path?: readonly string[];
}

/** The prior decision as the baseline package records it. */
export interface PriorDecision {
  action: DecisionAction;
  reviewerId: string;
  at: string;
  rationale: string | null;
  keepUntil?: string;
  approver?: { id: string; at: string } | null;
}

export interface BaselineItem extends ComparableItem {
  decision: PriorDecision | null;
}

/**
 * The evidence a decision rests on, in terms that do not drift with the calendar: the days since last use grow
 * every day, so usage counts by what it implied (the signals and their verdicts), not by its figure.
 */
export interface ItemEvidence {
  status: IdentityStatus;
  identityClass: IdentityType;
  privilege: Privilege | null;
  riskTier: RiskTier | null;
  decisionClass: DecisionClass | null;
  suggestedAction: SuggestedAction | null;
  policyDigest: string | null;
  /** "signal-id:verdict", sorted. */
  signals: string;
  path: string;
}

export type EvidenceField = keyof ItemEvidence;
export interface EvidenceChange {
  field: EvidenceField;
  before: string;
  after: string;
}

/**
 * unchanged: same grant, same evidence, and a prior decision a reviewer may confirm.
 * changed: same grant, but the evidence moved (or the prior decision cannot stand: see `reason`).
 * new: not in the baseline. removed: in the baseline, gone now (listed for the record, not reviewed).
 */
export type ChangeKind = 'unchanged' | 'changed' | 'new' | 'removed';

export interface ItemComparison {
  itemId: string;
  kind: ChangeKind;
  current: ComparableItem | null;
  baseline: BaselineItem | null;
  changes: EvidenceChange[];
  /** Why a same-evidence item still needs a fresh decision (no prior decision, expired exception, revocation not carried out). */
  reason: string | null;
}

export interface BaselineComparison {
  items: ItemComparison[];
  counts: Record<ChangeKind, number>;
}

export function evidenceOf(item: ComparableItem): ItemEvidence {
  const s = item.suggestion;
  return {
    status: item.identity.status,
    identityClass: item.identity.type,
    privilege: item.target?.privilege ?? null,
    riskTier: s?.riskTier ?? null,
    decisionClass: s?.decisionClass ?? null,
    suggestedAction: s?.action ?? null,
    policyDigest: s?.policyDigest ?? null,
    signals: s ? signalsKey(s.signals) : '',
    path: (item.path ?? []).join(' → '),
  };
}

const FIELDS: readonly EvidenceField[] = [
  'status',
  'identityClass',
  'privilege',
  'riskTier',
  'decisionClass',
  'suggestedAction',
  'policyDigest',
  'signals',
  'path',
];

/**
 * Whether two items rest on the same evidence, without building anything in the common case: a million items are
 * compared at once (the fields are spelt out by `evidenceChanges` only when they differ).
 */
export function sameEvidence(a: ComparableItem, b: ComparableItem): boolean {
  if (a.identity.status !== b.identity.status || a.identity.type !== b.identity.type) return false;
  if ((a.target?.privilege ?? null) !== (b.target?.privilege ?? null)) return false;
  const x = a.suggestion;
  const y = b.suggestion;
  if (!x || !y) return x === y && samePath(a.path, b.path);
  if (x.action !== y.action || x.riskTier !== y.riskTier || x.decisionClass !== y.decisionClass || x.policyDigest !== y.policyDigest)
    return false;
  if (!samePath(a.path, b.path)) return false;
  const n = x.signals.length;
  if (n !== y.signals.length) return false;
  let inOrder = true;
  for (let k = 0; k < n && inOrder; k++) inOrder = x.signals[k]!.id === y.signals[k]!.id && x.signals[k]!.verdict === y.signals[k]!.verdict;
  // The engine lists the deciding signal first, so the same signals may come in another order.
  return inOrder || signalsKey(x.signals) === signalsKey(y.signals);
}

function samePath(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const n = a?.length ?? 0;
  if (n !== (b?.length ?? 0)) return false;
  for (let k = 0; k < n; k++) if (a![k] !== b![k]) return false;
  return true;
}

function signalsKey(signals: readonly { id: string; verdict?: string }[]): string {
  return signals
    .map((g) => `${g.id}:${g.verdict ?? ''}`)
    .sort()
    .join(' ');
}

export function evidenceChanges(before: ItemEvidence, after: ItemEvidence): EvidenceChange[] {
  const out: EvidenceChange[] = [];
  for (const field of FIELDS) {
    const a = String(before[field] ?? '');
    const b = String(after[field] ?? '');
    if (a !== b) out.push({ field, before: a, after: b });
  }
  return out;
}

/** YYYY-MM-DD of an epoch-ms instant (UTC), to compare with a time-bound exception's last day. */
function day(asOf: number): string {
  return new Date(asOf).toISOString().slice(0, 10);
}

/**
 * Why the baseline's decision cannot be carried to an item whose evidence did not change, or null when a reviewer
 * may confirm it. Only a decision to keep can carry: any other decision on a grant that is still there was not
 * carried out, which is news, not history.
 */
export function carryProblem(prior: PriorDecision | null, asOf: number): string | null {
  if (!prior) return 'no decision in the baseline';
  if (prior.action === 'cant-decide') return 'escalated without a decision in the baseline';
  if (prior.action !== 'keep') return `${prior.action} decided on ${prior.at.slice(0, 10)} but the grant is still there`;
  if (prior.keepUntil && prior.keepUntil < day(asOf)) return `time-bound exception expired on ${prior.keepUntil}`;
  return null;
}

export function compareWithBaseline(
  baseline: Iterable<BaselineItem>,
  current: Iterable<ComparableItem>,
  options: { asOf: number },
): BaselineComparison {
  // Matched baseline items leave the map, so what is left at the end was removed.
  const before = new Map<string, BaselineItem>();
  for (const item of baseline) before.set(item.itemId, item);
  const items: ItemComparison[] = [];
  const counts: Record<ChangeKind, number> = { unchanged: 0, changed: 0, new: 0, removed: 0 };
  for (const item of current) {
    const prior = before.get(item.itemId);
    let entry: ItemComparison;
    if (prior === undefined) {
      entry = { itemId: item.itemId, kind: 'new', current: item, baseline: null, changes: [], reason: null };
    } else {
      before.delete(item.itemId);
      const changes = sameEvidence(prior, item) ? [] : evidenceChanges(evidenceOf(prior), evidenceOf(item));
      const reason = changes.length === 0 ? carryProblem(prior.decision, options.asOf) : null;
      entry = {
        itemId: item.itemId,
        kind: changes.length === 0 && reason === null ? 'unchanged' : 'changed',
        current: item,
        baseline: prior,
        changes,
        reason,
      };
    }
    counts[entry.kind]++;
    items.push(entry);
  }
  for (const [itemId, prior] of before) {
    items.push({ itemId, kind: 'removed', current: null, baseline: prior, changes: [], reason: null });
    counts.removed++;
  }
  return { items, counts };
}

function isHighRisk(item: ComparableItem | null): boolean {
  const tier = item?.suggestion?.riskTier ?? item?.target?.privilege;
  return tier === 'high' || tier === 'critical';
}

/** The "changed or new since the baseline, plus every high and critical item" scope: removed items are never in it. */
export function needsFreshReview(entry: ItemComparison): boolean {
  if (entry.kind === 'removed') return false;
  return entry.kind !== 'unchanged' || isHighRisk(entry.current);
}

/**
 * Whether a carried decision may be confirmed in bulk: only where the policy allows bulk for the item (decision
 * class "suggest"), never for high or critical items; expired exceptions never carry at all.
 */
export function bulkConfirmEligible(entry: ItemComparison): boolean {
  return entry.kind === 'unchanged' && !isHighRisk(entry.current) && (entry.current?.suggestion?.decisionClass ?? 'suggest') === 'suggest';
}

/** The review load: the share of items needing a fresh look, with high and critical items (always reviewed) left out. */
export function reviewLoad(comparison: BaselineComparison): {
  items: number;
  needingReview: number;
  highOrCritical: number;
  share: number;
} {
  let items = 0;
  let needingReview = 0;
  let highOrCritical = 0;
  for (const entry of comparison.items) {
    if (entry.kind === 'removed') continue;
    items++;
    if (isHighRisk(entry.current)) highOrCritical++;
    else if (needsFreshReview(entry)) needingReview++;
  }
  return { items, needingReview, highOrCritical, share: items === 0 ? 0 : needingReview / items };
}

/**
 * What a campaign created from a baseline keeps of the comparison: the link, and one row per compared item plus
 * the baseline's removed items. The app stores it with the campaign; the package builder writes it for the
 * report and the auditor ("changes since the last certification").
 */
export interface BaselineChanges {
  link: BaselineLink;
  counts: Record<ChangeKind, number>;
  rows: BaselineChangeRow[];
}

export interface BaselineChangeRow {
  itemId: string;
  kind: ChangeKind;
  identityName: string;
  targetName: string;
  application: string;
  /** The evidence fields that moved (changed items only). */
  changed: EvidenceField[];
  /** Why a same-evidence item still needs a fresh decision. */
  reason: string | null;
  /** The baseline's decision for this item, for the record (absent for new items). */
  prior: Pick<PriorDecision, 'action' | 'reviewerId' | 'at' | 'keepUntil'> | null;
}

export function baselineChangesOf(comparison: BaselineComparison, link: BaselineLink): BaselineChanges {
  const rows = comparison.items.map((entry): BaselineChangeRow => {
    const item = entry.current ?? entry.baseline;
    const d = entry.baseline?.decision ?? null;
    return {
      itemId: entry.itemId,
      kind: entry.kind,
      identityName: item?.identity.displayName ?? '',
      targetName: item?.target?.name ?? '',
      application: item?.target?.application ?? '',
      changed: entry.changes.map((c) => c.field),
      reason: entry.reason,
      prior: d ? { action: d.action, reviewerId: d.reviewerId, at: d.at, ...(d.keepUntil ? { keepUntil: d.keepUntil } : {}) } : null,
    };
  });
  return { link, counts: { ...comparison.counts }, rows };
}

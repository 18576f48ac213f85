// What makes an item decided, overridden or approved, and what an auditor must find for every item. The builder
// counts with these rules and the verifier re-counts with them, so the manifest's counts mean one thing; both stand
// on review/counts (itemStanding), the one definition the review screens use too.
import { itemStanding, type ItemStanding } from '../review';
import { isOverride, requiresApproval, sameActorProblem } from '../review';
import type { HumanDecision, PackageCounts, PackageItem } from './types';

/** The item holds a decision ("cant-decide" is an escalation, not a decision), approved or not. */
export function isDecided(item: PackageItem): item is PackageItem & { decision: HumanDecision } {
  return item.decision !== null && item.decision.action !== 'cant-decide';
}

/** The item's standing: open, escalated, awaiting approval or decided (final). */
export function packageItemStanding(item: PackageItem): ItemStanding {
  const d = item.decision;
  return itemStanding(
    item.suggestion?.decisionClass ?? null,
    d ? { action: d.action, approved: d.approver !== null && d.approver.id !== d.reviewerId } : null,
  );
}

/** A final decision: decided, and approved by a second person where the policy wants one. */
export function isFinal(item: PackageItem): item is PackageItem & { decision: HumanDecision } {
  return packageItemStanding(item) === 'decided';
}

/** The human chose differently from the assistant (deciding an item that had no suggestion counts too). */
export function isOverridden(item: PackageItem): boolean {
  return isDecided(item) && isOverride(item.suggestion?.action ?? null, item.decision.action);
}

export function isStepUpApproved(item: PackageItem): boolean {
  return isDecided(item) && item.decision.approver !== null && item.decision.approver.id !== item.decision.reviewerId;
}

export function countItems(items: readonly PackageItem[]): PackageCounts {
  const counts: PackageCounts = { items: 0, decided: 0, overridden: 0, stepUpApproved: 0, open: 0, noSuggestion: 0 };
  for (const item of items) countItem(counts, item);
  return counts;
}

/** Adds one item to `counts` (countItems, one item at a time): decided means final; everything else is open. */
export function countItem(counts: PackageCounts, item: PackageItem): void {
  counts.items++;
  if (!isFinal(item)) counts.open++;
  else counts.decided++;
  if (isOverridden(item)) counts.overridden++;
  if (isStepUpApproved(item)) counts.stepUpApproved++;
  if (item.suggestion?.action === 'none') counts.noSuggestion++;
}

/** Kinds that only say the item is not finished (the verdict is INCOMPLETE), and kinds that break a rule (INVALID). */
export const UNDECIDED_KINDS = ['open', 'escalated', 'awaiting-approval'] as const;
export type UndecidedKind = (typeof UNDECIDED_KINDS)[number];
export type CompletenessProblemKind =
  UndecidedKind | 'override-without-rationale' | 'never-delegate-without-rationale' | 'step-up-self-approved';

export interface CompletenessProblem {
  kind: CompletenessProblemKind;
  message: string;
}

export function isUndecidedKind(kind: CompletenessProblemKind): kind is UndecidedKind {
  return (UNDECIDED_KINDS as readonly string[]).includes(kind);
}

/** "Ann Lee — Domain Admins (Active Directory)": how an auditor recognises an item. */
export function itemLabel(item: Pick<PackageItem, 'identity' | 'target'>): string {
  return item.target
    ? `${item.identity.displayName} — ${item.target.name} (${item.target.application})`
    : `${item.identity.displayName} (the identity itself)`;
}

/** Everything missing for the item to count as certified: a final human decision, a rationale, a distinct approver. */
export function completenessProblems(item: PackageItem): CompletenessProblem[] {
  const label = itemLabel(item);
  const standing = packageItemStanding(item);
  const decision = item.decision;
  if (standing === 'open') return [{ kind: 'open', message: `${label}: no human decision` }];
  if (standing === 'escalated') return [{ kind: 'escalated', message: `${label}: escalated (the reviewer could not decide), still open` }];
  const problems: CompletenessProblem[] = [];
  const d = decision!;
  const hasRationale = (d.rationale ?? '').trim() !== '';
  const decisionClass = item.suggestion?.decisionClass ?? null;
  if (!hasRationale && isOverridden(item)) {
    const suggested = item.suggestion ? `suggested ${item.suggestion.action}` : 'no suggestion';
    problems.push({
      kind: 'override-without-rationale',
      message: `${label}: override without a rationale (${suggested}, decided ${d.action})`,
    });
  } else if (!hasRationale && decisionClass === 'never-delegate') {
    problems.push({ kind: 'never-delegate-without-rationale', message: `${label}: never-delegate item decided without a rationale` });
  }
  if (requiresApproval(decisionClass)) {
    if (d.approver && d.approver.id === d.reviewerId) {
      problems.push({
        kind: 'step-up-self-approved',
        message: `${label}: ${decisionClass} item approved by its own reviewer ${d.reviewerId}: a second, different person must approve`,
      });
    } else if (standing === 'awaiting-approval') {
      problems.push({
        kind: 'awaiting-approval',
        message: `${label}: decided ${d.action} by ${d.reviewerId}, awaiting a second person's approval (${decisionClass})`,
      });
    }
  }
  return problems;
}

/** The self-approval rule, for callers that hold reviewer ids and key fingerprints (see review/rules). */
export { sameActorProblem };

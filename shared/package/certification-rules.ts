// What makes an item decided, overridden or approved, and what an auditor must find for every item. The builder
// counts with these rules and the verifier re-counts with them, so the manifest's counts mean one thing.
import { isOverride } from '../review/rules';
import type { HumanDecision, PackageCounts, PackageItem } from './types';

/** "cant-decide" is an escalation, not a decision: such an item is still open. */
export function isDecided(item: PackageItem): item is PackageItem & { decision: HumanDecision } {
  return item.decision !== null && item.decision.action !== 'cant-decide';
}

/** The human chose differently from the assistant (deciding an item that had no suggestion counts too). */
export function isOverridden(item: PackageItem): boolean {
  return isDecided(item) && isOverride(item.suggestion?.action ?? null, item.decision.action);
}

export function isStepUpApproved(item: PackageItem): boolean {
  return isDecided(item) && item.decision.approver !== null && item.decision.approver.id !== item.decision.reviewerId;
}

export function countItems(items: readonly PackageItem[]): PackageCounts {
  const counts: PackageCounts = { items: 0, decided: 0, overridden: 0, stepUpApproved: 0, open: 0 };
  for (const item of items) countItem(counts, item);
  return counts;
}

/** Adds one item to `counts` (countItems, one item at a time). */
export function countItem(counts: PackageCounts, item: PackageItem): void {
  counts.items++;
  if (!isDecided(item)) counts.open++;
  else {
    counts.decided++;
    if (isOverridden(item)) counts.overridden++;
    if (isStepUpApproved(item)) counts.stepUpApproved++;
  }
}

export type CompletenessProblemKind = 'open' | 'override-without-rationale' | 'never-delegate-without-rationale' | 'step-up-without-approver' | 'step-up-self-approved';

export interface CompletenessProblem {
  kind: CompletenessProblemKind;
  message: string;
}

/** Everything missing for the item to count as certified: a human decision, a rationale, a distinct approver. */
export function completenessProblems(item: PackageItem): CompletenessProblem[] {
  if (!isDecided(item)) {
    const message = item.decision ? 'the reviewer could not decide (cant-decide): the item is still open' : 'no human decision';
    return [{ kind: 'open', message }];
  }
  const problems: CompletenessProblem[] = [];
  const decision = item.decision;
  const hasRationale = (decision.rationale ?? '').trim() !== '';
  const decisionClass = item.suggestion?.decisionClass ?? null;
  if (!hasRationale && isOverridden(item)) {
    const suggested = item.suggestion ? `suggested ${item.suggestion.action}` : 'no suggestion';
    problems.push({ kind: 'override-without-rationale', message: `override without a rationale (${suggested}, decided ${decision.action})` });
  } else if (!hasRationale && decisionClass === 'never-delegate') {
    problems.push({ kind: 'never-delegate-without-rationale', message: 'never-delegate item decided without a rationale' });
  }
  if (decisionClass === 'step-up') {
    if (!decision.approver) problems.push({ kind: 'step-up-without-approver', message: `step-up item has no approver (decided ${decision.action} by ${decision.reviewerId})` });
    else if (decision.approver.id === decision.reviewerId) problems.push({ kind: 'step-up-self-approved', message: `step-up item approved by its own reviewer ${decision.reviewerId}: a second, different person must approve` });
  }
  return problems;
}

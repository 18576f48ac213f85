// decisions.json must say what the audit log says: for every item, its decision is the standing (last, not undone)
// decision event of the chain, with the same reviewer, time, rationale, acceptance and step-up approval.
import { isOverride } from '../review/rules';
import { StandingDecisionLog, type ItemDecision } from '../review/state';
import type { AuditEvent, DecisionAction } from '../review/types';
import type { HumanDecision, PackageItem } from './types';

export interface ItemMismatch {
  itemId: string;
  message: string;
}

export function decisionChainMismatches(items: readonly PackageItem[], events: readonly AuditEvent[]): ItemMismatch[] {
  return mismatchesWithStanding(items, standingDecisions(events));
}

/** What decisions.json must say of an item's decision: the log's standing decision, flat (it crosses threads). */
export interface StandingDecision {
  seq: number;
  action: DecisionAction;
  acceptedSuggestion: boolean;
  rationale: string | null;
  reviewerId: string;
  at: string;
  approverId: string | null;
  approvalAt: string | null;
}

export function standingDecision(d: ItemDecision | null): StandingDecision | null {
  if (!d) return null;
  return {
    seq: d.seq,
    action: d.action,
    acceptedSuggestion: d.acceptedSuggestion,
    rationale: d.rationale ?? null,
    reviewerId: d.reviewer.id,
    at: d.at,
    approverId: d.approval?.approver.id ?? null,
    approvalAt: d.approval?.at ?? null,
  };
}

/** Each item the log speaks of, with its standing decision (null once every decision about it was undone). */
export function standingDecisions(events: readonly AuditEvent[]): Map<string, StandingDecision | null> {
  const log = new StandingDecisionLog();
  for (const e of events) log.apply(e);
  return standingOf(log);
}

export function standingOf(log: StandingDecisionLog): Map<string, StandingDecision | null> {
  const out = new Map<string, StandingDecision | null>();
  for (const [itemId, d] of log.standing()) out.set(itemId, standingDecision(d));
  return out;
}

/** decisionChainMismatches, given the log's standing decisions. */
export function mismatchesWithStanding(items: readonly PackageItem[], states: ReadonlyMap<string, StandingDecision | null>): ItemMismatch[] {
  const mismatches: ItemMismatch[] = [];
  const listed = new Set<string>();
  for (const item of items) {
    listed.add(item.itemId);
    const standing = states.get(item.itemId) ?? null;
    const message = decisionMismatch(item.decision, standing);
    if (message) mismatches.push({ itemId: item.itemId, message });
    if (item.decision && item.decision.acceptedSuggestion === isOverride(item.suggestion?.action ?? null, item.decision.action)) {
      mismatches.push({
        itemId: item.itemId,
        message: `the decision says the suggestion was ${item.decision.acceptedSuggestion ? '' : 'not '}accepted, but it ${item.decision.acceptedSuggestion ? 'differs from' : 'equals'} the suggested action`,
      });
    }
  }
  for (const [itemId, current] of states) {
    if (current && !listed.has(itemId)) mismatches.push({ itemId, message: `the audit log decides this item (event ${current.seq}) but decisions.json does not list it` });
  }
  return mismatches;
}

function decisionMismatch(decision: HumanDecision | null, standing: StandingDecision | null): string | null {
  if (!decision && !standing) return null;
  if (!decision) return `decisions.json has no decision, but the audit log's standing decision is ${standing!.action} (event ${standing!.seq})`;
  if (!standing) return `decisions.json holds a decision (${decision.action}) that the audit log does not`;
  const rationale = decision.rationale ?? null;
  const approverId = decision.approver?.id ?? null;
  const approvalAt = decision.approver?.at ?? null;
  // The common case, every field equal, allocates nothing.
  if (
    decision.action === standing.action &&
    decision.reviewerId === standing.reviewerId &&
    decision.at === standing.at &&
    rationale === standing.rationale &&
    decision.acceptedSuggestion === standing.acceptedSuggestion &&
    approverId === standing.approverId &&
    approvalAt === standing.approvalAt
  ) {
    return null;
  }
  const differences: string[] = [];
  const compare = (field: string, inFile: unknown, inLog: unknown) => {
    if (inFile !== inLog) differences.push(`${field} ${JSON.stringify(inFile)} ≠ ${JSON.stringify(inLog)}`);
  };
  compare('action', decision.action, standing.action);
  compare('reviewer', decision.reviewerId, standing.reviewerId);
  compare('time', decision.at, standing.at);
  compare('rationale', rationale, standing.rationale);
  compare('acceptedSuggestion', decision.acceptedSuggestion, standing.acceptedSuggestion);
  compare('approver', approverId, standing.approverId);
  compare('approval time', approvalAt, standing.approvalAt);
  return `the decision differs from the audit log's standing decision (event ${standing.seq}): ${differences.join('; ')}`;
}

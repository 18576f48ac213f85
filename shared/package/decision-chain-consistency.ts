// decisions.json must say what the audit log says: for every item, its decision is the standing (last, not undone)
// decision event of the chain, with the same reviewer, time, rationale, acceptance and step-up approval.
import { isOverride } from '../review/rules';
import { deriveItemStates, type ItemDecision } from '../review/state';
import type { AuditEvent } from '../review/types';
import type { HumanDecision, PackageItem } from './types';

export interface ItemMismatch {
  itemId: string;
  message: string;
}

export function decisionChainMismatches(items: readonly PackageItem[], events: readonly AuditEvent[]): ItemMismatch[] {
  const states = deriveItemStates(events);
  const mismatches: ItemMismatch[] = [];
  const listed = new Set<string>();
  for (const item of items) {
    listed.add(item.itemId);
    const standing = states.get(item.itemId)?.current ?? null;
    const message = decisionMismatch(item.decision, standing);
    if (message) mismatches.push({ itemId: item.itemId, message });
    if (item.decision && item.decision.acceptedSuggestion === isOverride(item.suggestion?.action ?? null, item.decision.action)) {
      mismatches.push({
        itemId: item.itemId,
        message: `the decision says the suggestion was ${item.decision.acceptedSuggestion ? '' : 'not '}accepted, but it ${item.decision.acceptedSuggestion ? 'differs from' : 'equals'} the suggested action`,
      });
    }
  }
  for (const [itemId, state] of states) {
    if (state.current && !listed.has(itemId)) mismatches.push({ itemId, message: `the audit log decides this item (event ${state.current.seq}) but decisions.json does not list it` });
  }
  return mismatches;
}

function decisionMismatch(decision: HumanDecision | null, standing: ItemDecision | null): string | null {
  if (!decision && !standing) return null;
  if (!decision) return `decisions.json has no decision, but the audit log's standing decision is ${standing!.action} (event ${standing!.seq})`;
  if (!standing) return `decisions.json holds a decision (${decision.action}) that the audit log does not`;
  const differences: string[] = [];
  const compare = (field: string, inFile: unknown, inLog: unknown) => {
    if (inFile !== inLog) differences.push(`${field} ${JSON.stringify(inFile)} ≠ ${JSON.stringify(inLog)}`);
  };
  compare('action', decision.action, standing.action);
  compare('reviewer', decision.reviewerId, standing.reviewer.id);
  compare('time', decision.at, standing.at);
  compare('rationale', decision.rationale ?? null, standing.rationale ?? null);
  compare('acceptedSuggestion', decision.acceptedSuggestion, standing.acceptedSuggestion);
  compare('approver', decision.approver?.id ?? null, standing.approval?.approver.id ?? null);
  compare('approval time', decision.approver?.at ?? null, standing.approval?.at ?? null);
  return differences.length ? `the decision differs from the audit log's standing decision (event ${standing.seq}): ${differences.join('; ')}` : null;
}

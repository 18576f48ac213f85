// The current state of every review item, derived from the audit log alone (undo is an event, never an erase).
import type { AuditEvent, CarriedDecision, DecisionAction, ReasonCategory, ReviewerRef } from './types';
import { remediationLinkOf, type RemediationLink } from './remediation-link';

export interface ItemDecision {
  seq: number;
  action: DecisionAction;
  acceptedSuggestion: boolean;
  rationale?: string;
  reviewer: ReviewerRef;
  at: string;
  reasonCategory?: ReasonCategory;
  /** assign-owner: the owner chosen. */
  ownerId?: string;
  /** keep as a time-bound exception: until this date. */
  keepUntil?: string;
  /** cant-decide: the reviewer id the item is escalated to. */
  escalatedTo?: string;
  /** The prior decision of the baseline certification this decision confirms (absent on a fresh decision). */
  carried?: CarriedDecision;
  /** revoke / reduce of inherited access: the link of its path the reviewer chose to cut. */
  remediation?: RemediationLink;
  approval?: { seq: number; approver: ReviewerRef; at: string; rationale?: string; reasonCategory?: ReasonCategory };
}

/** A decision sent back by an approver (a `reject` event): the decision no longer stands, the item is open again. */
export interface ReturnedDecision {
  seq: number;
  /** The decision event rejected. */
  refersTo: number;
  by: ReviewerRef;
  /** The reviewer whose decision was sent back (who should decide again). */
  reviewerId: string;
  reason: string;
  at: string;
}

export interface ItemState {
  current: ItemDecision | null;
  /** Every decision, approval, reject and undo event about the item, in order. */
  history: AuditEvent[];
  /** The last reject, while no later decision stands (the item is back with `returned.reviewerId`). */
  returned?: ReturnedDecision;
}

export function deriveItemStates(events: readonly AuditEvent[]): Map<string, ItemState> {
  const log = new ItemStateLog();
  for (const e of events) log.apply(e);
  return log.states;
}

/** Item states kept up to date one event at a time (a reviewer's session appends thousands of events). */
export class ItemStateLog {
  readonly states = new Map<string, ItemState>();
  private readonly stacks = new Map<string, ItemDecision[]>();
  lastSeq = 0;

  /** Applies the next event of the chain; returns the item it changed, if any. */
  apply(e: AuditEvent): string | null {
    this.lastSeq = Math.max(this.lastSeq, e.seq);
    return applyEvent(this.states, this.stacks, e);
  }
}

function applyEvent(states: Map<string, ItemState>, stacks: Map<string, ItemDecision[]>, e: AuditEvent): string | null {
  if (!e.itemId) return null;
  let state = states.get(e.itemId);
  if (!state) {
    state = { current: null, history: [] };
    states.set(e.itemId, state);
  }
  const rejected = e.type === 'reject' ? stacks.get(e.itemId)?.find((d) => d.seq === e.refersTo) : undefined;
  if (applyToStack(stacks, e)) state.history.push(e);
  state.current = stacks.get(e.itemId)?.at(-1) ?? null;
  if (rejected)
    state.returned = {
      seq: e.seq,
      refersTo: rejected.seq,
      by: e.actor,
      reviewerId: rejected.reviewer.id,
      reason: e.rationale ?? '',
      at: e.at,
    };
  else if (e.type === 'decision') delete state.returned;
  return e.itemId;
}

/**
 * An event's effect on its item's standing decisions (a stack: undo removes the decision it names, approval marks
 * it); true when it is a decision, undo or approval event, which belongs to the item's history.
 */
function applyToStack(stacks: Map<string, ItemDecision[]>, e: AuditEvent): boolean {
  if (!e.itemId) return false;
  let stack = stacks.get(e.itemId);
  if (!stack) {
    stack = [];
    stacks.set(e.itemId, stack);
  }
  if (e.type === 'decision' && e.action) {
    const d: ItemDecision = {
      seq: e.seq,
      action: e.action,
      acceptedSuggestion: e.acceptedSuggestion ?? false,
      rationale: e.rationale,
      reviewer: e.actor,
      at: e.at,
    };
    if (e.reasonCategory !== undefined) d.reasonCategory = e.reasonCategory;
    if (e.ownerId !== undefined) d.ownerId = e.ownerId;
    if (e.keepUntil !== undefined) d.keepUntil = e.keepUntil;
    if (e.escalatedTo !== undefined) d.escalatedTo = e.escalatedTo;
    if (e.carried !== undefined) d.carried = e.carried;
    const remediation = e.details ? remediationLinkOf(e.details) : undefined;
    if (remediation) d.remediation = remediation;
    stack.push(d);
    return true;
  }
  // A reject withdraws the decision as an undo does (the approver sends it back); the item is open again.
  if (e.type === 'undo' || e.type === 'reject') {
    const idx = stack.findIndex((d) => d.seq === e.refersTo);
    if (idx >= 0) stack.splice(idx, 1);
    return true;
  }
  if (e.type === 'approval') {
    const d = stack.find((x) => x.seq === e.refersTo);
    if (d) {
      d.approval = { seq: e.seq, approver: e.actor, at: e.at };
      if (e.rationale !== undefined) d.approval.rationale = e.rationale;
      if (e.reasonCategory !== undefined) d.approval.reasonCategory = e.reasonCategory;
    }
    return true;
  }
  return false;
}

/**
 * Each item's standing decision, one event at a time, without keeping the events (the verifier reads 100,000-event
 * logs this way): the same `current` as deriveItemStates, for every item an event names.
 */
export class StandingDecisionLog {
  private readonly stacks = new Map<string, ItemDecision[]>();

  apply(e: AuditEvent): void {
    applyToStack(this.stacks, e);
  }

  /** Every item an event named, with its standing decision (null when none stands). */
  standing(): Map<string, ItemDecision | null> {
    return new Map(this.currents());
  }

  /** The item's standing decision: null when none stands, undefined when no event named the item. */
  current(itemId: string): ItemDecision | null | undefined {
    const stack = this.stacks.get(itemId);
    return stack ? (stack.at(-1) ?? null) : undefined;
  }

  /** Every item an event named, in the order one first did. */
  itemIds(): IterableIterator<string> {
    return this.stacks.keys();
  }

  /** Every item an event named, in the order one first did, with its standing decision. */
  *currents(): Generator<[string, ItemDecision | null]> {
    for (const [itemId, stack] of this.stacks) yield [itemId, stack.at(-1) ?? null];
  }
}

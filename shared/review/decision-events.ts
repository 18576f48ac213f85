// The review's use cases as audit events: what a decision, a bulk accept, an undo, an approval, a rejection or a
// drift warning records. The screen validates with the rules of this folder, builds the event here, has it signed
// and sends it to the backend; nothing about an event's shape is decided in a component.
import { isOverride } from './rules';
import type { RemediationLink } from './remediation-link';
import type { AuditEventBody, CarriedDecision, DecisionAction, ReasonCategory, ReviewerRef, SuggestionSnapshot } from './types';

interface EventBase {
  campaignId: string;
  actor: ReviewerRef;
  /** ISO time of the event (now, by default). */
  at?: string;
}

export interface DecisionInput extends EventBase {
  itemId: string;
  action: DecisionAction;
  /** The suggestion as the reviewer saw it. */
  suggestion: SuggestionSnapshot;
  rationale?: string;
  reasonCategory?: ReasonCategory;
  ownerId?: string;
  keepUntil?: string;
  escalatedTo?: string;
  /** revoke / reduce of inherited access: the link of its path to cut, as the reviewer saw it with its blast radius. */
  remediation?: RemediationLink;
  /** The baseline's prior decision the reviewer confirms (every rule of a fresh decision still applies). */
  carried?: CarriedDecision;
  secondsOnScreen: number;
}

const now = (at?: string) => at ?? new Date().toISOString();

/** A reviewer's decision on one item; a reason category is kept only with a rationale. */
export function decisionEvent(d: DecisionInput): AuditEventBody {
  const s = d.suggestion;
  return {
    campaignId: d.campaignId,
    type: 'decision',
    at: now(d.at),
    actor: d.actor,
    itemId: d.itemId,
    action: d.action,
    acceptedSuggestion: !isOverride(s.action, d.action),
    ...(d.rationale ? { rationale: d.rationale } : {}),
    ...(d.rationale && d.reasonCategory ? { reasonCategory: d.reasonCategory } : {}),
    ...(d.ownerId ? { ownerId: d.ownerId } : {}),
    ...(d.keepUntil ? { keepUntil: d.keepUntil } : {}),
    ...(d.escalatedTo ? { escalatedTo: d.escalatedTo } : {}),
    ...(d.remediation ? { details: { remediation: d.remediation } } : {}),
    suggestion: {
      action: s.action,
      confidence: s.confidence,
      riskTier: s.riskTier,
      decisionClass: s.decisionClass,
      signals: s.signals,
      engine: s.engine,
      policyDigest: s.policyDigest,
    },
    secondsOnScreen: d.secondsOnScreen,
    ...(d.carried ? { carried: d.carried } : {}),
  };
}

/** One item of a bulk confirmation of unchanged items: the baseline's decision confirmed, marked as bulk. */
export function bulkConfirmEvent(
  b: EventBase & { itemId: string; suggestion: SuggestionSnapshot; carried: CarriedDecision; bulkSize: number },
): AuditEventBody {
  return {
    campaignId: b.campaignId,
    type: 'decision',
    at: now(b.at),
    actor: b.actor,
    itemId: b.itemId,
    action: b.carried.action,
    acceptedSuggestion: !isOverride(b.suggestion.action, b.carried.action),
    suggestion: b.suggestion,
    secondsOnScreen: 0,
    carried: b.carried,
    details: { bulk: true, bulkSize: b.bulkSize },
  };
}

/** One item of a bulk accept: its own event, marked as bulk, so the record shows how it was decided. */
export function bulkAcceptEvent(b: EventBase & { itemId: string; suggestion: SuggestionSnapshot; bulkSize: number }): AuditEventBody {
  return {
    campaignId: b.campaignId,
    type: 'decision',
    at: now(b.at),
    actor: b.actor,
    itemId: b.itemId,
    action: b.suggestion.action as DecisionAction,
    acceptedSuggestion: true,
    suggestion: b.suggestion,
    secondsOnScreen: 0,
    details: { bulk: true, bulkSize: b.bulkSize },
  };
}

/** The fast-accept warning, part of the record: the package reports drift warnings per reviewer. */
export function driftNote(n: EventBase & { streak: number; fastAcceptSeconds: number }): AuditEventBody {
  return {
    campaignId: n.campaignId,
    type: 'note',
    at: now(n.at),
    actor: n.actor,
    details: { drift: 'fast-accept-streak', streak: n.streak, fastAcceptSeconds: n.fastAcceptSeconds },
  };
}

/** An undo, approval or rejection of the standing decision `refersTo`; a reason category only with a rationale. */
export function followUpEvent(
  f: EventBase & {
    type: 'undo' | 'approval' | 'reject';
    itemId: string;
    refersTo: number;
    rationale?: string;
    reasonCategory?: ReasonCategory;
  },
): AuditEventBody {
  return {
    campaignId: f.campaignId,
    type: f.type,
    at: now(f.at),
    actor: f.actor,
    itemId: f.itemId,
    refersTo: f.refersTo,
    ...(f.rationale ? { rationale: f.rationale } : {}),
    ...(f.rationale && f.reasonCategory ? { reasonCategory: f.reasonCategory } : {}),
  };
}

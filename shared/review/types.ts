// Decisions and the append-only, hash-chained audit log. The machine's suggestion and the human's decision
// are separate fields of every decision event, so anyone can see which is which.
import type { DecisionClass, RiskTier, Signal, SuggestedAction } from '../suggest/types';

export const DECISION_ACTIONS = ['keep', 'revoke', 'reduce', 'rotate', 'disable-login', 'assign-owner', 'cant-decide'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export interface ReviewerRef {
  id: string;
  name: string;
  email?: string;
  /** "SHA256:<hex>" of the reviewer's Ed25519 public key. */
  keyFingerprint: string;
}

/** What the assistant suggested, as the reviewer saw it. */
export interface SuggestionSnapshot {
  action: SuggestedAction;
  confidence: number;
  riskTier: RiskTier;
  decisionClass: DecisionClass;
  signals: Signal[];
  engine: string;
  policyDigest: string;
}

export type AuditEventType = 'campaign-created' | 'decision' | 'undo' | 'approval' | 'reclassification' | 'note';

export interface AuditEventBody {
  campaignId: string;
  type: AuditEventType;
  /** ISO 8601 time the event was recorded. */
  at: string;
  actor: ReviewerRef;
  itemId?: string;
  /** decision: the human's action. */
  action?: DecisionAction;
  /** decision: true when the human chose the suggested action. */
  acceptedSuggestion?: boolean;
  rationale?: string;
  suggestion?: SuggestionSnapshot;
  secondsOnScreen?: number;
  /** undo / approval: the seq of the decision event it refers to. */
  refersTo?: number;
  /** Free-form, type-specific details (campaign scope, reclassification from/to...). */
  details?: Record<string, unknown>;
}

export interface AuditEvent extends AuditEventBody {
  seq: number;
  /** SHA-256 (hex) of the previous event's canonical JSON; 64 zeros for the first. */
  prevHash: string;
  /** SHA-256 (hex) of this event's canonical JSON without `hash`. */
  hash: string;
}

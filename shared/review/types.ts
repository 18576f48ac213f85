// Decisions and the append-only, hash-chained audit log. The machine's suggestion and the human's decision
// are separate fields of every decision event, so anyone can see which is which.
import type { DecisionClass, RiskTier, Signal, SuggestedAction } from '../suggest';

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

export type AuditEventType = 'campaign-created' | 'decision' | 'undo' | 'approval' | 'reject' | 'reclassification' | 'note';

/** Why a decision stands, from a short list; the rationale's text says the specifics. */
export const REASON_CATEGORIES = [
  'business-need',
  'owner-confirmed',
  'compensating-control',
  'time-bound-exception',
  'leaver-mover',
  'other',
] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];
export const REASON_CATEGORY_LABELS: Record<ReasonCategory, string> = {
  'business-need': 'Business need',
  'owner-confirmed': 'Owner confirmed',
  'compensating-control': 'Compensating control',
  'time-bound-exception': 'Time-bound exception',
  'leaver-mover': 'Leaver / mover',
  other: 'Other',
};

/**
 * A per-event signature: Ed25519 by the acting reviewer's key over eventSigningPayload(event) (a 32-byte SHA-256 of
 * the event's canonical JSON without seq, prevHash, hash and signature), made when the event is recorded.
 */
export interface EventSignature {
  /** "SHA256:<hex>" of the signing key (the actor's keyFingerprint). */
  keyFingerprint: string;
  /** Base64 of the 64-byte Ed25519 signature. */
  sig: string;
}

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
  /** decision / approval / reject: the reason category chosen with the rationale. */
  reasonCategory?: ReasonCategory;
  /** decision assign-owner: the identity id of the owner chosen. */
  ownerId?: string;
  /** decision keep as a time-bound exception: the date (YYYY-MM-DD) until which the access is kept. */
  keepUntil?: string;
  /** decision cant-decide: the reviewer id of the person the item is escalated to. */
  escalatedTo?: string;
  /** Signed by the actor when recorded (decision, undo, approval, reject). */
  signature?: EventSignature;
  /**
   * decision: the reviewer confirmed the prior decision the baseline certification recorded for this item (same
   * grant, same evidence), instead of deciding afresh. Absent on a fresh decision.
   */
  carried?: CarriedDecision;
  /** Free-form, type-specific details (campaign scope, reclassification from/to...). */
  details?: Record<string, unknown>;
}

/**
 * The previous certification a campaign starts from, by digest. Recorded in the campaign-created event's
 * `details.baseline`, named again in the package's certification statement, and checked by the verifier.
 */
export interface BaselineLink {
  /** "sha256:<hex>" of the baseline .arwpkg file's bytes. */
  packageDigest: string;
  /** "sha256:<hex>" of the baseline's signed certification statement (its canonical JSON payload). */
  statementDigest: string;
  campaignId: string;
  campaignName: string;
  /** ISO time the baseline was certified (its statement's time). */
  certifiedAt: string;
  /** 'all': every item is in the campaign; 'changed-and-high': changed or new items plus every high and critical one. */
  scope: 'all' | 'changed-and-high';
}

/** A prior decision confirmed by a reviewer, as the decision event records it. */
export interface CarriedDecision {
  /** The baseline's packageDigest. */
  packageDigest: string;
  /** The prior decision as the baseline recorded it. */
  action: DecisionAction;
  reviewerId: string;
  at: string;
  keepUntil?: string;
}

export interface AuditEvent extends AuditEventBody {
  seq: number;
  /** SHA-256 (hex) of the previous event's canonical JSON; 64 zeros for the first. */
  prevHash: string;
  /** SHA-256 (hex) of this event's canonical JSON without `hash`. */
  hash: string;
}

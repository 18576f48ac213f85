// What the suggestion engine produces. A suggestion is never a decision.
import type { Privilege } from '../model';

export const SUGGESTED_ACTIONS = ['keep', 'revoke', 'rotate', 'disable-login', 'assign-owner', 'reduce'] as const;
export type SuggestedAction = (typeof SUGGESTED_ACTIONS)[number];

export type RiskTier = Privilege; // low | medium | high | critical
export const RISK_TIERS = ['low', 'medium', 'high', 'critical'] as const satisfies readonly RiskTier[];

export const DECISION_CLASSES = ['suggest', 'step-up', 'never-delegate'] as const;
export type DecisionClass = (typeof DECISION_CLASSES)[number];

/** One piece of evidence behind a suggestion, with the actual value and the threshold it was compared with. */
export interface Signal {
  /** Stable id, e.g. "unused-access", "peer-outlier.department-title". */
  id: string;
  /** Plain words with the numbers: "last used 212 days ago; policy window 90 days". */
  message: string;
  value: number | string | boolean | null;
  threshold: number | string | null;
}

export interface Suggestion {
  /** Review item id (see model: assignmentItemId, credentialItemId, identityItemId). */
  itemId: string;
  identityId: string;
  entitlementId?: string;
  credentialId?: string;
  action: SuggestedAction;
  confidence: number;
  riskTier: RiskTier;
  decisionClass: DecisionClass;
  signals: Signal[];
  engine: string;
  policyDigest: string;
}

export interface SuggestOptions {
  /** "Today" for the engine, epoch ms; fixes results for reproducibility. */
  asOf: number;
  onProgress?: (done: number, total: number) => void;
  /** Checked between steps; when it returns true the engine stops with an error "cancelled". */
  isCancelled?: () => boolean;
}

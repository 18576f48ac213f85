// What the suggestion engine produces. A suggestion is never a decision.
import type { Entitlement, Identity, Privilege } from '../model';

/** 'none': no suggestion — no evidence either way (its reason is the first signal); shown as "no suggestion", counted apart. */
export const SUGGESTED_ACTIONS = ['keep', 'revoke', 'rotate', 'disable-login', 'assign-owner', 'reduce', 'none'] as const;
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
  /** What this signal alone points to; the suggestion's action comes from the deciding signal (listed first). */
  verdict?: SuggestedAction;
  /** Confidence of this signal on its own, 0–1. */
  confidence?: number;
  /** Peer signals: the group compared with. `holders` lists the peers holding the entitlement (the identity itself
   * excluded) when it is rare; for other verdicts `holders` may be omitted and the group listed with `listPeers`. */
  peers?: PeerGroupRef;
}

export interface PeerGroupRef {
  /** "department-title:Finance/AP Clerk", "manager:u1005", "nearest-neighbours:u1002". */
  group: string;
  /** Number of peers (the identity itself excluded). */
  size: number;
  /** Peer ids holding the entitlement, when listed (sorted). */
  holders?: string[];
  /** Nearest-neighbour groups: the neighbour ids (sorted by similarity, best first). */
  members?: string[];
}

/** Suggestions are immutable values: the engine shares identical signal objects (the same peer-group figures, the
 * same days since last use) between suggestions to save memory, so never modify one in place. */
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
  /** Why the risk tier is what it is, in words (privilege, identity class, reversibility, blast radius). */
  riskReasons?: string[];
}

export interface SuggestOptions {
  /** "Today" for the engine, epoch ms; fixes results for reproducibility. */
  asOf: number;
  onProgress?: (done: number, total: number) => void;
  /** Checked between steps; when it returns true the engine stops with an error "cancelled". */
  isCancelled?: () => boolean;
  /** Compute one contiguous part of the output (for running parts on several threads): part `index` of `of` holds
   * the suggestions at positions [floor(total*index/of), floor(total*(index+1)/of)); the parts concatenated in
   * order equal the whole output, byte for byte. */
  part?: { index: number; of: number };
  /** Streams the output instead of returning it: called with the suggestions in order, `batchSize` at a time (the
   * last batch may be shorter; none when there is nothing), `done` counting those handed over so far of `total`
   * (the part's). The engine keeps no reference to a batch once handed over, and returns an empty array. The last
   * batch follows the final progress report (done = total). */
  onSuggestions?: (batch: Suggestion[], done: number, total: number) => void;
  /** Suggestions per batch for `onSuggestions` (a positive integer); 50,000 by default. */
  batchSize?: number;
  /** Only the items this accepts are computed (all where absent): a campaign scoped to part of a snapshot whose
   * whole output would not fit. The index is still built over the whole snapshot, so an item computed reads what it
   * would in the whole run; positions, parts and totals count the accepted items alone. Called once per item before
   * any is computed: an assignment (its identity and entitlement, either absent where unknown), a credential (its
   * identity and id), an identity item (its identity). */
  select?: (identity: Identity | undefined, entitlement: Entitlement | undefined, credentialId?: string) => boolean;
}

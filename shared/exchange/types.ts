// Types of the campaign exchange: work packages out, decision sets back, and the owner's merge.
import type { SourceEvidence } from '../model';
import type {
  CampaignInfo,
  CertificationInput,
  HumanDecision,
  ItemIdentity,
  ItemTarget,
  PackageReviewer,
  PackageSigner,
  PolicyInfo,
  StatementSubject,
  TrustedKey,
} from '../package';
import type { AuditEvent, BaselineChanges, DecisionAction } from '../review';
import type { Suggestion } from '../suggest';
import type { ExchangeKind } from './layout';

export type { ExchangeKind } from './layout';

/** A person with an Ed25519 key: the owner, a reviewer or an approver. */
export interface KeyedPerson {
  id: string;
  name: string;
  email: string | null;
  /** "SHA256:<hex>" of the raw public key. */
  fingerprint: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
}

/** The key that signed an exchange archive. */
export interface ExchangeSigner {
  keyid: string;
  fingerprint: string;
  publicKey: string;
}

// ---------------------------------------------------------------- the campaign, on the owner's laptop

export interface CampaignItem {
  itemId: string;
  identity: ItemIdentity;
  target: ItemTarget | null;
  suggestion: Suggestion | null;
  /** The reviewer the item is assigned to. */
  reviewerId: string;
}

/** What the owner's merge needs to know about the campaign. */
export interface ExchangeCampaign {
  info: CampaignInfo;
  policy: PolicyInfo;
  sources: SourceEvidence[];
  engineVersion: string;
  owner: KeyedPerson;
  /** Everyone who may decide or approve, with their keys (a reviewer's key change means a new entry here). */
  reviewers: PackageReviewer[];
  items: CampaignItem[];
  /** For a campaign started from the last certification: the comparison, carried into the certification package. */
  baselineChanges?: BaselineChanges;
}

// ---------------------------------------------------------------- work package

export type WorkPackageKind = 'review' | 'approval';

/** A decision waiting for a second person's approval (in an approval work package). */
export interface PendingApproval {
  decision: Omit<HumanDecision, 'approver'>;
  /** The decision event in the decider's decision set: its seq and hash. */
  event: { seq: number; hash: string };
  /** The statement digest ("sha256:<hex>") of the decision set that holds the decision. */
  decisionSet: string;
  decider: { id: string; fingerprint: string };
}

/** One item as the reviewer sees it: only what the review needs. */
export interface WorkItem {
  itemId: string;
  identity: ItemIdentity;
  target: ItemTarget | null;
  suggestion: Suggestion | null;
  /** Set in an approval work package: the decision to approve. */
  pending?: PendingApproval;
}

export interface WorkItemsDocument {
  schema: 'arw-work-items/v1';
  workPackageId: string;
  items: WorkItem[];
}

export interface WorkPackagePredicate {
  formatVersion: 1;
  kind: WorkPackageKind;
  /** Unique per package ("<campaign>/<reviewer>/<kind>/<n>"). */
  id: string;
  issuedAt: string;
  campaign: { id: string; name: string; createdAt: string; dueDate: string | null };
  owner: KeyedPerson;
  reviewer: KeyedPerson;
  policyDigest: string;
  /** "sha256:<hex>" of the canonical JSON of the campaign's import evidence (sources). */
  snapshotDigest: string;
  engineVersion: string;
  itemCount: number;
  signer: ExchangeSigner;
}

export interface WorkPackageInput {
  kind: WorkPackageKind;
  id: string;
  issuedAt: string;
  campaign: CampaignInfo;
  owner: KeyedPerson;
  reviewer: KeyedPerson;
  policy: PolicyInfo;
  sources: SourceEvidence[];
  engineVersion: string;
  items: WorkItem[];
}

export interface ExchangeStatement<P> {
  _type: 'https://in-toto.io/Statement/v1';
  subject: StatementSubject[];
  predicateType: string;
  predicate: P;
}

export interface BuiltExchange<P> {
  bytes: Uint8Array;
  statement: ExchangeStatement<P>;
  /** "sha256:<hex>" of the statement's bytes: what the other side names this archive by. */
  statementDigest: string;
}

// ---------------------------------------------------------------- decision set

export interface DriftMetrics {
  schema: 'arw-drift-metrics/v1';
  reviewerId: string;
  decisions: number;
  accepted: number;
  overridden: number;
  acceptanceRate: number | null;
  medianSecondsOnScreen: number | null;
  /** Accepts made in under 5 seconds on screen. */
  fastAccepts: number;
  longestFastAcceptStreak: number;
  approvals: number;
  undos: number;
  warnings: string[];
}

export interface DecisionSetPredicate {
  formatVersion: 1;
  campaign: { id: string };
  workPackage: { id: string; kind: WorkPackageKind; statementDigest: string };
  reviewer: KeyedPerson;
  createdAt: string;
  chain: { head: string; length: number };
  counts: { items: number; decided: number; open: number };
  signer: ExchangeSigner;
}

export interface DecisionSetInput {
  /** The work package the set answers (its verified bytes or its built form). */
  workPackage: { statementDigest: string; predicate: WorkPackagePredicate; items: WorkItem[] };
  reviewer: KeyedPerson;
  createdAt: string;
  /** The reviewer's own hash chain of events for this work package. */
  events: AuditEvent[];
}

// ---------------------------------------------------------------- verification

export const EXCHANGE_CHECKS = [
  'archive',
  'files',
  'envelope',
  'manifest',
  'signatures',
  'trust',
  'chain',
  'consistency',
  'answers',
] as const;
export type ExchangeCheck = (typeof EXCHANGE_CHECKS)[number];

export interface ExchangeFinding {
  check: ExchangeCheck;
  message: string;
  file?: string;
  itemId?: string;
}

export interface ExchangeSignerReport {
  keyid: string;
  fingerprint: string | null;
  signatureValid: boolean;
  pinned: boolean;
  trustedAs: { name: string; email?: string } | null;
}

export interface ExchangeFileReport {
  name: string;
  expectedSha256: string | null;
  actualSha256: string | null;
  status: 'ok' | 'digest-mismatch' | 'missing' | 'unexpected';
}

interface ExchangeReportBase<K extends ExchangeKind, P> {
  kind: K;
  verdict: 'valid' | 'invalid';
  readable: boolean;
  reasons: ExchangeFinding[];
  warnings: ExchangeFinding[];
  checks: Record<ExchangeCheck, boolean>;
  signers: ExchangeSignerReport[];
  files: ExchangeFileReport[];
  statement: ExchangeStatement<P> | null;
  /** "sha256:<hex>" of the signed statement, when readable. */
  statementDigest: string | null;
  /** The one DSSE signature (base64), when it verified. */
  signature: string | null;
}

export interface WorkPackageReport extends ExchangeReportBase<'work-package', WorkPackagePredicate> {
  items: WorkItem[];
  policy: object | null;
}

export interface DecisionSetReport extends ExchangeReportBase<'decision-set', DecisionSetPredicate> {
  events: AuditEvent[];
  metrics: DriftMetrics | null;
  /** Items of the work package still without a standing decision (approval: without an approval); null when unknown. */
  itemsLeft: number | null;
}

export interface ExchangeVerifyOptions {
  trustedKeys?: TrustedKey[];
}

export interface DecisionSetVerifyOptions extends ExchangeVerifyOptions {
  /** The work package the set claims to answer: its archive bytes, an already verified report, or a lookup by the
   * statement digest the set names (undefined: not a work package of this campaign). */
  workPackage?: Uint8Array | WorkPackageReport | ((statementDigest: string) => WorkPackageReport | undefined);
}

// ---------------------------------------------------------------- merge

export interface DecisionProvenance {
  decisionSet: string;
  workPackage: string;
  reviewerId: string;
  keyid: string;
  fingerprint: string;
  /** The DSSE signature (base64) over the decision set's statement. */
  signature: string;
  /** The event in the decision set's own chain. */
  seq: number;
  hash: string;
  /** The seq the event referred to in its own chain (undo, approval): what its actor signed (review/signing.ts). */
  refersTo?: number;
}

export interface MergedItem {
  itemId: string;
  reviewerId: string;
  decision: HumanDecision | null;
  decidedBy: DecisionProvenance | null;
  approvedBy: DecisionProvenance | null;
}

export type OpenReason = 'no-decision-set' | 'not-decided' | 'cant-decide' | 'conflict' | 'awaiting-approval';

export interface OpenItem {
  itemId: string;
  reviewerId: string;
  reason: OpenReason;
}

export interface MergeRejection {
  what: 'work-package' | 'decision-set';
  /** Position in the list given to the merge. */
  index: number;
  statementDigest: string | null;
  reviewerId: string | null;
  reasons: string[];
}

export interface Supersession {
  reviewerId: string;
  workPackage: string;
  superseded: string;
  by: string;
  /** True when the newer set's chain starts with every event of the older one. */
  extendsOlder: boolean;
  /** Items the older set decided that the newer one no longer does. */
  itemsDroppedByNewer: number;
}

export interface MergeConflict {
  itemId: string;
  kind: 'decision' | 'approval';
  /** The decision sets that disagree, with what each says. */
  sides: Array<{ decisionSet: string; reviewerId: string; action: DecisionAction | 'approve' }>;
}

export interface RefusedApproval {
  itemId: string;
  decisionSet: string;
  approverId: string;
  reason: string;
}

export interface AcceptedDecisionSet {
  statementDigest: string;
  workPackage: string;
  kind: WorkPackageKind;
  reviewerId: string;
  keyid: string;
  fingerprint: string;
  createdAt: string;
  events: number;
  itemsLeft: number;
}

export interface MergeResult {
  items: MergedItem[];
  openItems: OpenItem[];
  accepted: AcceptedDecisionSet[];
  superseded: Supersession[];
  duplicates: Array<{ index: number; statementDigest: string }>;
  conflicts: MergeConflict[];
  refusedApprovals: RefusedApproval[];
  rejected: MergeRejection[];
  /** The merged campaign audit chain: each accepted set's events re-chained, with their provenance in details. */
  auditEvents: AuditEvent[];
  /** Ready for buildCertificationPackage (decisions follow the merged chain). */
  certificationInput: CertificationInput;
  /** Reviewers whose decisions or approvals the input holds: each must sign the certification package. */
  signersNeeded: string[];
}

export interface MergeOptions {
  /** Must pin the owner (work packages) and every reviewer (decision sets). */
  trustedKeys: TrustedKey[];
}

export type { PackageSigner };

// The certification package: what goes in (CertificationInput), what is written (files + in-toto Statement + DSSE
// envelope), and what an auditor gets back from verification (VerifyReport). See docs/package-format.md.
import type { IdentityStatus, IdentityType, Privilege, SourceEvidence } from '../model';
import type {
  AuditEvent,
  BaselineChanges,
  BaselineLink,
  CarriedDecision,
  DecisionAction,
  RemediationLink,
  ReviewerRef,
  SuggestionSnapshot,
} from '../review';
import type { Suggestion } from '../suggest';

// ---------------------------------------------------------------- input

export interface CampaignInfo {
  id: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  dueDate?: string;
  /** What the campaign covers, in words ("all assignments of GitHub and AWS, human and non-human"). */
  scope: string;
}

export interface PolicyInfo {
  /** The policy document exactly as the engine used it (written to policy.json). */
  document: object;
  /** "sha256:<hex>" of the document's canonical JSON (RFC 8785). */
  digest: string;
}

/** A reviewer with the raw Ed25519 public key behind `keyFingerprint`. */
export interface PackageReviewer extends ReviewerRef {
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
}

export interface ItemIdentity {
  id: string;
  displayName: string;
  type: IdentityType;
  status: IdentityStatus;
}

/** What the identity holds: an entitlement (access) or a credential (a key, secret, certificate...). */
export interface ItemTarget {
  kind: 'entitlement' | 'credential';
  id: string;
  name: string;
  /** The application or system where the remediation is carried out. */
  application: string;
  privilege: Privilege;
}

export interface StepUpApproval {
  /** Reviewer id of the second person. */
  id: string;
  at: string;
}

/** The human's decision, kept apart from the machine's suggestion. */
export interface HumanDecision {
  action: DecisionAction;
  reviewerId: string;
  at: string;
  rationale: string | null;
  acceptedSuggestion: boolean;
  approver: StepUpApproval | null;
  /** assign-owner: the owner chosen (identity id). */
  ownerId?: string;
  /** keep as a time-bound exception: until this date (YYYY-MM-DD). */
  keepUntil?: string;
  /** cant-decide: the reviewer the item was escalated to. */
  escalatedTo?: string;
  /**
   * The reviewer confirmed the prior decision of the baseline certification (the decision event's `carried`) rather
   * than deciding afresh. Absent on a fresh decision; the builder fills it from the audit log when left out.
   */
  carried?: CarriedDecision;
  /** revoke / reduce of inherited access: the link of its grant path to cut, with its blast radius. */
  remediation?: RemediationLink;
}

export interface CertificationItemInput {
  itemId: string;
  identity: ItemIdentity;
  /** Null for an item about the identity itself (e.g. an owner for a service account). */
  target: ItemTarget | null;
  suggestion: Suggestion | null;
  decision: HumanDecision | null;
}

export interface CertificationInput {
  campaign: CampaignInfo;
  sources: SourceEvidence[];
  policy: PolicyInfo;
  engineVersion: string;
  reviewers: PackageReviewer[];
  items: CertificationItemInput[];
  /** The campaign's whole hash-chained audit log, in order. */
  auditEvents: AuditEvent[];
  /**
   * Signed decision sets to embed (campaigns across laptops): a reviewer whose every audit event names one of these
   * sets, signed with that reviewer's key, in its `details.provenance` need not sign the package. Checked by the
   * caller (shared/exchange's merge) before it hands them over.
   */
  decisionSets?: EmbeddedDecisionSet[];
  /**
   * The comparison with the baseline certification, for a campaign whose campaign-created event names one
   * (`details.baseline`): written to baseline-changes.json and the report. Required exactly when the log names one.
   */
  baselineChanges?: BaselineChanges;
}

export interface EmbeddedDecisionSet {
  /** The decision set archive, as the reviewer signed it. */
  bytes: Uint8Array;
  /** `sha256:` + the SHA-256 of its manifest.intoto.json. */
  statementDigest: string;
  reviewerId: string;
  /** The fingerprint of the key that signed it (the reviewer's). */
  fingerprint: string;
}

/** A predicate entry for each embedded decision set. */
export interface PredicateDecisionSet {
  file: string;
  statementDigest: string;
  reviewerId: string;
  fingerprint: string;
}

/** Signing is injected: the app signs with a non-extractable key; tests with real WebCrypto keys. */
export interface PackageSigner {
  keyId: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

// ---------------------------------------------------------------- files

/** One row of decisions.json: the machine's suggestion and the human's decision side by side. */
export interface PackageItem {
  itemId: string;
  identity: ItemIdentity;
  target: ItemTarget | null;
  suggestion: SuggestionSnapshot | null;
  decision: HumanDecision | null;
}

export interface DecisionsDocument {
  schema: 'arw-certification-decisions/v1';
  campaignId: string;
  items: PackageItem[];
}

/** exception: access kept as a time-bound exception, to be removed or reviewed again when it expires. */
export type RemediationKind = 'revoke' | 'reduce' | 'rotate' | 'disable-login' | 'assign-owner' | 'exception';

export interface RemediationAction {
  kind: RemediationKind;
  itemId: string;
  identityId: string;
  identityName: string;
  targetKind: 'entitlement' | 'credential' | 'identity';
  targetId: string;
  targetName: string;
  decidedBy: string;
  decidedAt: string;
  approvedBy: string | null;
  rationale: string | null;
  /** exception: the date it expires; assign-owner: null. */
  until: string | null;
  /** assign-owner: the owner to assign. */
  ownerId: string | null;
  /** Inherited access: where to carry it out (the link to cut); absent for a direct grant. */
  link?: RemediationLink;
}

export interface RemediationPlan {
  schema: 'arw-remediation/v1';
  campaignId: string;
  systems: Array<{ system: string; actions: RemediationAction[] }>;
}

// ---------------------------------------------------------------- manifest

export interface PackageCounts {
  items: number;
  decided: number;
  overridden: number;
  stepUpApproved: number;
  open: number;
  /** Items whose suggestion is `none` ("no suggestion": no evidence either way), counted apart from every keep.
   * Absent from manifests written before this count existed. */
  noSuggestion: number;
}

export interface PredicateReviewer {
  id: string;
  name: string;
  email: string | null;
  fingerprint: string;
  publicKey: string;
}

export interface PredicateSigner {
  keyid: string;
  fingerprint: string;
  publicKey: string;
  /** The reviewer this key belongs to, or null (e.g. a campaign owner's countersignature). */
  reviewerId: string | null;
}

export interface ImportEvidence {
  name: string;
  sha256: string;
  format: string;
  rows: number;
  size: number;
}

export interface CertificationPredicate {
  formatVersion: 1;
  campaign: { id: string; name: string; scope: string; createdAt: string; dueDate: string | null };
  /** From the campaign's creation to its last audit event. */
  period: { from: string; to: string };
  reviewers: PredicateReviewer[];
  signers: PredicateSigner[];
  counts: PackageCounts;
  policyDigest: string;
  engineVersion: string;
  auditChain: { head: string; length: number };
  importEvidence: ImportEvidence[];
  /** Present only when the package embeds decision sets. */
  decisionSets?: PredicateDecisionSet[];
  /** The previous certification this campaign started from (present only then): see baseline-changes.json. */
  baseline?: BaselineLink;
}

export interface StatementSubject {
  name: string;
  digest: { sha256: string };
}

/** in-toto Statement v1. */
export interface Statement {
  _type: 'https://in-toto.io/Statement/v1';
  subject: StatementSubject[];
  predicateType: string;
  predicate: CertificationPredicate;
}

export interface DsseSignature {
  keyid: string;
  /** Base64 Ed25519 signature over the DSSE pre-authentication encoding. */
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** Base64 of the Statement's bytes (identical to manifest.intoto.json). */
  payload: string;
  signatures: DsseSignature[];
}

export interface BuiltPackage {
  /** The .arwpkg archive as consecutive parts (write them in order; nothing joins them). */
  parts: Uint8Array[];
  /** The archive's length in bytes. */
  size: number;
  /** The .arwpkg archive in one buffer (joined from `parts` when first read). */
  readonly bytes: Uint8Array;
  manifest: Statement;
  /** Each file of the package, read back from the archive when first read (the manifest and envelope included). */
  files: Record<string, Uint8Array>;
  /** Each file's length in bytes (uncompressed). */
  fileSizes: Record<string, number>;
}

// ---------------------------------------------------------------- trust

/** One entry of a trusted-keys file: a JWK (OKP/Ed25519) with a name, an email and the fingerprint. */
export interface TrustedKey {
  name: string;
  email?: string;
  /** "SHA256:<hex>" of the raw public key. */
  fingerprint: string;
  /** Raw 32-byte public key, base64 (the same bytes as `x`). */
  publicKey: string;
  kty: 'OKP';
  crv: 'Ed25519';
  /** Raw public key, base64url without padding (JWK). */
  x: string;
}

export interface TrustedKeysFile {
  keys: TrustedKey[];
}

// ---------------------------------------------------------------- verification

export const CHECKS = [
  'archive',
  'envelope',
  'signatures',
  'trust',
  'files',
  'manifest',
  'chain',
  'consistency',
  'completeness',
  'counts',
  'baseline',
] as const;
export type CheckName = (typeof CHECKS)[number];

/** One problem (or warning), in words an auditor understands, tagged with the check that found it. */
export interface Finding {
  check: CheckName;
  message: string;
  file?: string;
  itemId?: string;
}

export interface SignerReport {
  keyid: string;
  fingerprint: string | null;
  reviewerId: string | null;
  signatureValid: boolean;
  /** True when a trusted-keys entry with this fingerprint and key was given. */
  pinned: boolean;
  trustedAs: { name: string; email?: string } | null;
}

/** unlisted: present but the manifest gives no digest for it (or the manifest is unreadable); damaged: present but
 * its compressed data does not inflate to what the archive states. */
export type FileStatus = 'ok' | 'digest-mismatch' | 'missing' | 'unexpected' | 'unlisted' | 'damaged';

export interface FileReport {
  name: string;
  size: number | null;
  expectedSha256: string | null;
  actualSha256: string | null;
  status: FileStatus;
}

export interface ChainReport {
  ok: boolean;
  length: number;
  head: string | null;
  manifestHead: string | null;
  manifestLength: number | null;
}

export interface CompletenessReport {
  items: number;
  /** Items without a final decision: no decision, escalated, or awaiting approval. */
  open: number;
  escalated: number;
  overridesWithoutRationale: number;
  neverDelegateWithoutRationale: number;
  /** Decided items awaiting a second person's approval (step-up and never-delegate). */
  stepUpWithoutApprover: number;
  stepUpSelfApproved: number;
}

/** An item without a final decision, named for the auditor. */
export interface UndecidedItem {
  itemId: string;
  /** "Ann Lee — Domain Admins (Active Directory)". */
  label: string;
  standing: 'open' | 'escalated' | 'awaiting-approval';
  message: string;
}

/** The thresholds a reviewer's behaviour is judged by (the package policy's drift section, and the acceptance-rate rule). */
export interface ReviewerThresholds {
  fastAcceptSeconds: number;
  fastAcceptStreak: number;
  highAcceptanceRate: number;
  minDecisionsForRate: number;
}

/**
 * One reviewer's behaviour (decision-boundary drift), with the thresholds it is judged by: computed by
 * reviewer-metrics.ts, written to report.xlsx when the package is built, and shown beside the verdict.
 */
export interface ReviewerMetrics {
  reviewerId: string;
  name: string;
  fingerprint: string;
  /** Items whose standing decision is this reviewer's. */
  decisions: number;
  accepted: number;
  overrides: number;
  acceptanceRate: number | null;
  /** Median seconds on screen over every decision event of the reviewer (including later undone ones). */
  medianSecondsPerDecision: number | null;
  fastAccepts: number;
  longestFastAcceptStreak: number;
  approvalsGiven: number;
  thresholds: ReviewerThresholds;
  /** One line per threshold crossed. */
  driftWarnings: string[];
}

export type Verdict = 'valid' | 'incomplete' | 'invalid';

export interface VerifyReport {
  kind: 'certification-package';
  /**
   * valid: intact, every signature verifies, every item has a final decision. incomplete: intact and signed, but some
   * items have no final decision (each named in `undecided`). invalid: tampered, bad or missing signatures, or a rule
   * broken (override without rationale, self-approval, one key acting as two people...).
   */
  verdict: Verdict;
  /** False when the bytes are not a ZIP archive at all (the CLI exits 2 rather than 1). */
  readable: boolean;
  /** Every problem that makes the package invalid; empty when the verdict is valid or incomplete. */
  reasons: Finding[];
  /** Items without a final decision, each named (the first UNDECIDED_LISTED; `undecidedCount` says how many in all). */
  undecided: UndecidedItem[];
  undecidedCount: number;
  /** Reviewer behaviour per reviewer (acceptance rate, pace, fast streaks, drift warnings), from decisions.json and the audit log. */
  reviewerBehaviour: ReviewerMetrics[];
  warnings: Finding[];
  /** Every check and whether it passed (false also when it could not run). */
  checks: Record<CheckName, boolean>;
  signers: SignerReport[];
  files: FileReport[];
  chain: ChainReport | null;
  completeness: CompletenessReport | null;
  counts: { manifest: PackageCounts | null; actual: PackageCounts | null };
  campaign: CertificationPredicate['campaign'] | null;
  statement: Statement | null;
  /** The decisions, parsed, for display (empty when decisions.json could not be read). */
  decisions: PackageItem[];
  /** The embedded decision sets and what each proves (empty when the package embeds none). */
  embeddedSets: EmbeddedSetReport[];
  /** "sha256:<hex>" of the signed statement (the DSSE payload, manifest.intoto.json's bytes); null when unreadable. */
  statementDigest: string | null;
  /** The baseline certification the package names, and what was checked of it (null when it names none). */
  baseline: BaselineReport | null;
}

/** The previous certification a package names (its statement's `baseline`), and whether it was checked against it. */
export interface BaselineReport {
  link: BaselineLink;
  /** The comparison counts baseline-changes.json gives (null when it could not be read). */
  counts: BaselineChanges['counts'] | null;
  /** Decided items whose decision was carried from the baseline (confirmed by a reviewer)... */
  carried: number;
  /** ...and those decided afresh. */
  fresh: number;
  /**
   * Whether the baseline package itself was supplied and checked (VerifyOptions.baseline): its verdict, and whether
   * its bytes and statement are the ones the link names. Null when it was not supplied.
   */
  supplied: {
    verdict: Verdict;
    packageDigestMatches: boolean;
    statementDigestMatches: boolean;
    /** The baseline's own reasons, when it does not verify (the first 25). */
    reasons: Finding[];
    /** The certification the baseline itself started from: the next link back in the chain (null: none). */
    follows: BaselineLink | null;
  } | null;
}

export interface EmbeddedSetContext {
  statement: Statement;
  /** The package's audit events (null when audit-log.jsonl could not be read). */
  events: readonly AuditEvent[] | null;
  trustedKeys?: readonly TrustedKey[];
}

export interface EmbeddedSetCheck {
  /** Reviewer ids whose every audit event is proven, content for content, by an embedded set signed with their key. */
  proven: Set<string>;
  problems: Omit<Finding, 'itemId'>[];
  sets: EmbeddedSetReport[];
}

export interface EmbeddedSetReport {
  file: string;
  statementDigest: string | null;
  reviewerId: string | null;
  fingerprint: string | null;
  verdict: 'valid' | 'invalid';
  /** The package's events this set proves. */
  events: number;
  pinned: boolean;
}

export type EmbeddedSetVerifier = (
  sets: readonly { file: string; bytes: Uint8Array }[],
  context: EmbeddedSetContext,
) => Promise<EmbeddedSetCheck>;

// The domain model: what an imported snapshot holds, and what review produces.
// Dates are ISO 8601 strings (UTC) in records; engines turn them into epoch ms where they compute.
import type { AssignmentColumns } from './assignment-columns';

/** 'system': root accounts, anonymous/unauthenticated and platform principals (AWS root, Kubernetes system:*); not human. */
export const IDENTITY_TYPES = ['human', 'service', 'workload', 'agent', 'system'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/** Lifecycle: 'suspended' (locked out or suspended, may come back), 'never-activated' (staged, provisioned, never signed in). */
export const IDENTITY_STATUSES = ['active', 'disabled', 'terminated', 'suspended', 'never-activated'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

export const PRIVILEGES = ['low', 'medium', 'high', 'critical'] as const;
export type Privilege = (typeof PRIVILEGES)[number];

export interface Identity {
  /** Stable id within the snapshot (after correlation: the merged identity's id). */
  id: string;
  displayName: string;
  email?: string;
  type: IdentityType;
  /** Why the identity has this class, in words ("workbench CSV column type", "Kubernetes ServiceAccount"). */
  typeReason?: string;
  status: IdentityStatus;
  department?: string;
  title?: string;
  managerId?: string;
  /** The accountable human for a non-human identity. */
  ownerId?: string;
  createdAt?: string;
  /** Correlation keys. */
  employeeId?: string;
  login?: string;
  /** Last interactive sign-in, where the source reports one. */
  lastLoginAt?: string;
  /** Whether the identity can log in with a password / console (AWS console, LDAP password...). */
  passwordLogin?: boolean;
  /** Last password / console sign-in (AWS password_last_used), where the source reports it apart. */
  passwordLastUsedAt?: string;
  /** True: MFA active; false: the source says it is off; undefined: the source does not say. */
  mfa?: boolean;
  /** The password is exempt from expiry (AD userAccountControl 0x10000). */
  passwordNeverExpires?: boolean;
  /** A root or break-glass account: always in scope as a critical item. */
  specialAccount?: 'root' | 'break-glass';
  /** Name of the source file(s) the identity came from. */
  sources?: string[];
  /** The status exactly as the source states it when it is richer than `status` (e.g. Okta "STAGED", "LOCKED_OUT"). */
  sourceStatus?: string;
  /** Set when the identity stands for many people or principals (a group, a whole domain, the public), not one account. */
  principal?: 'group' | 'domain' | 'public';
  /** Set when a person merged records the importer left apart as ambiguous: "merged by <person>: <why>". */
  mergeReason?: string;
}

export interface Entitlement {
  id: string;
  name: string;
  application: string;
  privilege: Privilege;
  /** Why this privilege level ("policy allows * on *"). */
  privilegeReason?: string;
  description?: string;
  ownerId?: string;
  sources?: string[];
}

export interface Assignment {
  identityId: string;
  entitlementId: string;
  grantedAt?: string;
  /** Undefined: never used, or no usage data (see `usageKnown`). */
  lastUsedAt?: string;
  /** False when the source carries no usage data at all for this assignment (never "never used"). */
  usageKnown?: boolean;
  source: string;
  /** Inherited access: the groups (or roles, rules) from the one the identity is directly in to the one that
   * holds the entitlement, shortest first found. Absent for a direct grant. */
  path?: string[];
  /** Inherited access: the entitlement ids of every direct grant of this identity it derives from. */
  derivedFrom?: string[];
}

/** One nesting link: holding `memberId` (a group, role or rule) grants `groupId` too. */
export interface GrantLink {
  memberId: string;
  groupId: string;
  /** How the link is made: group in group, role assigned to a group, policy attached to a group, a rule. */
  kind?: 'group' | 'role' | 'policy' | 'rule';
  source?: string;
}

export interface Credential {
  identityId: string;
  credentialId: string;
  /** access-key, password, certificate, token, ssh-key, client-secret, ... */
  kind: string;
  createdAt?: string;
  lastRotatedAt?: string;
  lastUsedAt?: string;
  expiresAt?: string;
  active: boolean;
  source?: string;
}

/** Evidence of one imported file: it goes into every certification package built from the snapshot. */
export interface SourceEvidence {
  file: string;
  size: number;
  sha256: string;
  format: string;
  formatVersion: string;
  formatReason: string;
  parser: string;
  parserVersion: string;
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  importedAt: string;
}

/** A problem with one row or field of an input file, worded for a person. */
export interface RowError {
  file: string;
  /** 1-based line (or record number for formats without lines). 0 when the error concerns the whole file. */
  line: number;
  column?: number;
  field?: string;
  message: string;
}

export interface SnapshotData {
  identities: Identity[];
  entitlements: Entitlement[];
  assignments: Assignment[];
  credentials: Credential[];
  /** Nesting between entitlements, as the source states it; effective assignments in `assignments` derive from it. */
  links?: GrantLink[];
  /** Nesting cycles found while expanding (each a list of entitlement ids); reported, never followed twice. */
  cycles?: string[][];
}

/** A snapshot's records with its assignments as column chunks (what a suggest worker receives). */
export type ColumnarSnapshotData = Omit<SnapshotData, 'assignments'> & { assignmentChunks: readonly AssignmentColumns[] };

export interface Snapshot extends SnapshotData {
  id: string;
  name: string;
  createdAt: string;
  sources: SourceEvidence[];
}

export interface SnapshotCounts {
  identities: number;
  entitlements: number;
  assignments: number;
  credentials: number;
}

export function countSnapshot(data: SnapshotData): SnapshotCounts {
  return {
    identities: data.identities.length,
    entitlements: data.entitlements.length,
    assignments: data.assignments.length,
    credentials: data.credentials.length,
  };
}

/** Direct grants only (no path): the assignments as the source lists them. */
export function countDirectAssignments(data: SnapshotData): number {
  let n = 0;
  for (const a of data.assignments) if (!a.path?.length) n++;
  return n;
}

export function emptySnapshotData(): SnapshotData {
  return { identities: [], entitlements: [], assignments: [], credentials: [] };
}

/** Review items are keyed by their target; the key is stable across snapshots with the same ids. */
export function assignmentItemId(identityId: string, entitlementId: string): string {
  return `a:${identityId}\u001f${entitlementId}`;
}
export function credentialItemId(identityId: string, credentialId: string): string {
  return `c:${identityId}\u001f${credentialId}`;
}
export function identityItemId(identityId: string): string {
  return `i:${identityId}`;
}

export * from './canonical-json';
export * from './time';
export * from './cancellation';
export * from './assignment-columns';

// The suggestion policy: a versioned JSON document. Its SHA-256 (over canonical JSON) goes into every package.
// Defaults and where they come from: docs/policy.md.
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../codec';
import { IDENTITY_STATUSES, IDENTITY_TYPES, PRIVILEGES, type IdentityStatus, type IdentityType, type Privilege } from '../model';
import { DECISION_CLASSES, type DecisionClass, type RiskTier } from './types';

export interface SodPair {
  /** Stable id of the rule, shown in the explanation. */
  id: string;
  description: string;
  /** Entitlement matchers against the id and the name, case-insensitive; `*` matches any run of characters; in
   * names, spaces and underscores count as hyphens ("Vendor Create" matches `*vendor-create*`). */
  a: string;
  b: string;
}

export interface UsageRule {
  /** Application name (glob, case-insensitive); omitted: any. */
  application?: string;
  /** Entitlement id or name (glob, case-insensitive); omitted: any in the application. */
  entitlement?: string;
  /** 'reported': an empty last-use date means never used; 'not-reported': usage unknown. Omitted: inferred. */
  usage?: 'reported' | 'not-reported';
  /** This application's or entitlement's own disuse window. */
  windowDays?: number;
}

export interface Policy {
  schema: 'arw-policy';
  version: number;
  name: string;
  unusedAccess: {
    enabled: boolean;
    /** Last use older than this many days → revoke. */
    windowDays: number;
    /** Never used and granted longer ago than this → revoke. */
    graceDays: number;
    /** Never-used grants are only flagged when the usage data covers at least this share of the window. */
    minCoverage: number;
    /** Sources (assignment `source`, glob) known to carry no usage data: their empty lastUsedAt means "unknown". */
    sourcesWithoutUsage: string[];
    /** A source with at least this many assignments and not one lastUsedAt is taken to carry no usage data. */
    inferMissingUsageMinRows: number;
    /** An entitlement none of whose holders (at least this many) has a last-use date: usage unknown for it. */
    inferMissingUsageMinHolders: number;
    /** Per application or entitlement: whether its usage is reported and its own window. First matching rule wins. */
    rules: UsageRule[];
    /** The entitlement's own cadence: its holders' last uses widen the window for periodic work. */
    cadence: {
      enabled: boolean;
      /** The cadence is the age within which this share of the holders with a last-use date last used it. */
      quantile: number;
      /** Judged from at least this many holders with a last-use date. */
      minHolders: number;
      /** The cadence never widens the window beyond this many days (a yearly cycle and some slack). */
      maxDays: number;
      /** Only last uses clustered in one season widen it: the middle half of them within this many days. */
      seasonDays: number;
    };
  };
  /** After a move, access that belongs to another department and went unused while its holders there use it. */
  cohortMove: {
    enabled: boolean;
    /** The entitlement belongs to a department when at least this share of its holders sit there. */
    homeShare: number;
    /** Flag only when the identity's last use is at least this many days old... */
    minDays: number;
    /** ...and at least this share of the other holders with a last-use date used it since. */
    recentShare: number;
  };
  /** Identity-level evidence: sign-in, MFA, password expiry, duplicate accounts, lifecycle. */
  identity: {
    enabled: boolean;
    /** No sign-in (lastLoginAt / passwordLastUsedAt) for longer than this → dormant account. */
    dormantDays: number;
    /** A password / console login without MFA is flagged. */
    requireMfa: boolean;
    /** "Password never expires" is surfaced. */
    passwordNeverExpires: boolean;
    /** Two accounts of one person within one source (same e-mail or employee id). */
    duplicateAccounts: boolean;
    /** An account never activated this many days after its creation is left over. */
    neverActivatedGraceDays: number;
  };
  peerOutlier: {
    enabled: boolean;
    /** Share of peers holding the entitlement below which it is rare (→ revoke). */
    rareShare: number;
    /** Share at or above which it is common (→ keep). */
    commonShare: number;
    /** A peer group is only used with at least this many peers (the identity itself excluded). */
    minPeers: number;
    /** department: the whole department stands in when the department/title group has fewer than minPeers. */
    groups: { departmentTitle: boolean; manager: boolean; department: boolean };
    nearestNeighbours: { enabled: boolean; k: number; minSimilarity: number };
    /** A rare entitlement only decides when most of its other holders sit outside the identity's own group
     * (department/title, or department when that group is too small): below this share inside, it belongs to
     * another role. At or above, it is role-specific (an optional extra of the identity's own role). */
    maxHomeShare: number;
    /** An entitlement no other active person holds decides only from this privilege up. */
    uniqueGrantMinPrivilege: Privilege;
  };
  orphaned: {
    enabled: boolean;
    /** Identity statuses that must not hold access. */
    statuses: IdentityStatus[];
    /** Authoritative HR/directory sources, matched (glob, case-insensitive) against each identity's `sources`.
     * Empty: not checked. Only evaluated when at least one identity in the snapshot comes from one of them. */
    authoritativeSources: string[];
    /** Identity types the authoritative source is expected to hold (non-human identities are usually not in HR). */
    authoritativeTypes: IdentityType[];
  };
  nonHuman: {
    enabled: boolean;
    /** A non-human identity needs an accountable owner who is an active identity in the snapshot. */
    requireOwner: boolean;
    /** Credential not rotated for longer than this → rotate. */
    rotationDays: number;
    /** Credential last used longer ago than this → revoke it. */
    unusedCredentialDays: number;
    /** Credential never used and created longer ago than this → revoke it. */
    credentialGraceDays: number;
    /** Credential kinds that mean interactive password/console login. */
    passwordLoginKinds: string[];
    /** Identity types on which password/console login is not allowed. */
    noPasswordLoginTypes: IdentityType[];
    /** Identity types on which high/critical privilege → reduce. */
    reducePrivilegeTypes: IdentityType[];
    /** Privileges that count as too much for those types. */
    reducePrivileges: Privilege[];
  };
  separationOfDuties: { enabled: boolean; pairs: SodPair[] };
  privileged: {
    enabled: boolean;
    privileges: Privilege[];
    /** Privileged grants land at least in this decision class. */
    minimumDecisionClass: DecisionClass;
    /** Confidence of a "keep" on a privileged grant is capped here: a human must look. */
    keepConfidenceCap: number;
  };
  risk: {
    /** An identity holding at least this many entitlements has a wide blast radius (credential and identity items). */
    wideBlastRadiusEntitlements: number;
  };
  decisionClasses: Record<RiskTier, DecisionClass>;
  /** Decision-boundary drift: warn a reviewer after this many accepts in a row, each faster than `fastAcceptSeconds`. */
  drift: { fastAcceptStreak: number; fastAcceptSeconds: number };
}

export const DEFAULT_POLICY: Policy = {
  schema: 'arw-policy',
  version: 1,
  name: 'Default least-privilege policy',
  unusedAccess: {
    enabled: true,
    windowDays: 90,
    graceDays: 90,
    minCoverage: 0.5,
    sourcesWithoutUsage: [],
    inferMissingUsageMinRows: 20,
    inferMissingUsageMinHolders: 3,
    rules: [],
    cadence: { enabled: true, quantile: 0.75, minHolders: 3, maxDays: 400, seasonDays: 62 },
  },
  cohortMove: { enabled: true, homeShare: 0.6, minDays: 30, recentShare: 0.75 },
  identity: {
    enabled: true,
    dormantDays: 90,
    requireMfa: true,
    passwordNeverExpires: true,
    duplicateAccounts: true,
    neverActivatedGraceDays: 90,
  },
  peerOutlier: {
    enabled: true,
    rareShare: 0.1,
    commonShare: 0.7,
    minPeers: 5,
    groups: { departmentTitle: true, manager: true, department: true },
    nearestNeighbours: { enabled: true, k: 10, minSimilarity: 0.3 },
    maxHomeShare: 0.5,
    uniqueGrantMinPrivilege: 'high',
  },
  orphaned: { enabled: true, statuses: ['disabled', 'terminated'], authoritativeSources: [], authoritativeTypes: ['human'] },
  nonHuman: {
    enabled: true,
    requireOwner: true,
    rotationDays: 90,
    unusedCredentialDays: 90,
    credentialGraceDays: 45,
    passwordLoginKinds: ['password', 'console-password', 'login-profile'],
    noPasswordLoginTypes: ['service', 'workload', 'agent'],
    reducePrivilegeTypes: ['workload'],
    reducePrivileges: ['high', 'critical'],
  },
  separationOfDuties: {
    enabled: true,
    pairs: [
      { id: 'sod-vendor-payment', description: 'create vendors and approve payments', a: '*vendor-create*', b: '*payment-approve*' },
      {
        id: 'sod-po-create-approve',
        description: 'create and approve purchase orders',
        a: '*purchase-order-create*',
        b: '*purchase-order-approve*',
      },
      { id: 'sod-deploy-approve', description: 'deploy to production and approve changes', a: '*deploy-prod*', b: '*change-approve*' },
      { id: 'sod-payroll-edit-approve', description: 'edit and approve payroll', a: '*payroll-edit*', b: '*payroll-approve*' },
    ],
  },
  privileged: { enabled: true, privileges: ['high', 'critical'], minimumDecisionClass: 'step-up', keepConfidenceCap: 0.7 },
  risk: { wideBlastRadiusEntitlements: 50 },
  decisionClasses: { low: 'suggest', medium: 'suggest', high: 'step-up', critical: 'never-delegate' },
  drift: { fastAcceptStreak: 20, fastAcceptSeconds: 3 },
};

const D = DEFAULT_POLICY;
const days = z.number().int().min(0).max(36_500);
const share = z.number().min(0).max(1);
const privileges = z.array(z.enum(PRIVILEGES));
const types = z.array(z.enum(IDENTITY_TYPES));
const decisionClass = z.enum(DECISION_CLASSES);

const usageRule = z
  .strictObject({
    application: z.string().min(1).optional(),
    entitlement: z.string().min(1).optional(),
    usage: z.enum(['reported', 'not-reported']).optional(),
    windowDays: days.min(1).optional(),
  })
  .refine((r) => r.application !== undefined || r.entitlement !== undefined, { message: 'a rule names an application or an entitlement' })
  .refine((r) => r.usage !== undefined || r.windowDays !== undefined, { message: 'a rule sets usage or windowDays' });

const sodPair = z.strictObject({
  id: z.string().min(1),
  description: z.string().default(''),
  a: z.string().min(1),
  b: z.string().min(1),
});

/** The policy file's schema. Every section and field is optional and falls back to DEFAULT_POLICY; unknown keys are errors. */
export const policySchema = z.strictObject({
  $schema: z.string().optional(),
  schema: z.literal('arw-policy'),
  version: z.literal(1),
  name: z.string().min(1).default(D.name),
  unusedAccess: z
    .strictObject({
      enabled: z.boolean().default(D.unusedAccess.enabled),
      windowDays: days.min(1).default(D.unusedAccess.windowDays),
      graceDays: days.default(D.unusedAccess.graceDays),
      minCoverage: share.default(D.unusedAccess.minCoverage),
      sourcesWithoutUsage: z.array(z.string()).default(D.unusedAccess.sourcesWithoutUsage),
      inferMissingUsageMinRows: z.number().int().min(1).default(D.unusedAccess.inferMissingUsageMinRows),
      inferMissingUsageMinHolders: z.number().int().min(1).default(D.unusedAccess.inferMissingUsageMinHolders),
      rules: z.array(usageRule).default(D.unusedAccess.rules),
      cadence: z
        .strictObject({
          enabled: z.boolean().default(D.unusedAccess.cadence.enabled),
          quantile: share.default(D.unusedAccess.cadence.quantile),
          minHolders: z.number().int().min(1).default(D.unusedAccess.cadence.minHolders),
          maxDays: days.min(1).default(D.unusedAccess.cadence.maxDays),
          seasonDays: days.min(1).default(D.unusedAccess.cadence.seasonDays),
        })
        .prefault({}),
    })
    .prefault({}),
  cohortMove: z
    .strictObject({
      enabled: z.boolean().default(D.cohortMove.enabled),
      homeShare: share.default(D.cohortMove.homeShare),
      minDays: days.default(D.cohortMove.minDays),
      recentShare: share.default(D.cohortMove.recentShare),
    })
    .prefault({}),
  identity: z
    .strictObject({
      enabled: z.boolean().default(D.identity.enabled),
      dormantDays: days.min(1).default(D.identity.dormantDays),
      requireMfa: z.boolean().default(D.identity.requireMfa),
      passwordNeverExpires: z.boolean().default(D.identity.passwordNeverExpires),
      duplicateAccounts: z.boolean().default(D.identity.duplicateAccounts),
      neverActivatedGraceDays: days.default(D.identity.neverActivatedGraceDays),
    })
    .prefault({}),
  peerOutlier: z
    .strictObject({
      enabled: z.boolean().default(D.peerOutlier.enabled),
      rareShare: share.default(D.peerOutlier.rareShare),
      commonShare: share.default(D.peerOutlier.commonShare),
      minPeers: z.number().int().min(1).default(D.peerOutlier.minPeers),
      groups: z
        .strictObject({
          departmentTitle: z.boolean().default(D.peerOutlier.groups.departmentTitle),
          manager: z.boolean().default(D.peerOutlier.groups.manager),
          department: z.boolean().default(D.peerOutlier.groups.department),
        })
        .prefault({}),
      nearestNeighbours: z
        .strictObject({
          enabled: z.boolean().default(D.peerOutlier.nearestNeighbours.enabled),
          k: z.number().int().min(1).max(100).default(D.peerOutlier.nearestNeighbours.k),
          minSimilarity: share.default(D.peerOutlier.nearestNeighbours.minSimilarity),
        })
        .prefault({}),
      maxHomeShare: share.default(D.peerOutlier.maxHomeShare),
      uniqueGrantMinPrivilege: z.enum(PRIVILEGES).default(D.peerOutlier.uniqueGrantMinPrivilege),
    })
    .prefault({})
    .refine((p) => p.rareShare < p.commonShare, { message: 'rareShare must be below commonShare', path: ['rareShare'] }),
  orphaned: z
    .strictObject({
      enabled: z.boolean().default(D.orphaned.enabled),
      statuses: z.array(z.enum(IDENTITY_STATUSES)).default(D.orphaned.statuses),
      authoritativeSources: z.array(z.string().min(1)).default(D.orphaned.authoritativeSources),
      authoritativeTypes: types.default(D.orphaned.authoritativeTypes),
    })
    .prefault({}),
  nonHuman: z
    .strictObject({
      enabled: z.boolean().default(D.nonHuman.enabled),
      requireOwner: z.boolean().default(D.nonHuman.requireOwner),
      rotationDays: days.min(1).default(D.nonHuman.rotationDays),
      unusedCredentialDays: days.min(1).default(D.nonHuman.unusedCredentialDays),
      credentialGraceDays: days.default(D.nonHuman.credentialGraceDays),
      passwordLoginKinds: z.array(z.string().min(1)).default(D.nonHuman.passwordLoginKinds),
      noPasswordLoginTypes: types.default(D.nonHuman.noPasswordLoginTypes),
      reducePrivilegeTypes: types.default(D.nonHuman.reducePrivilegeTypes),
      reducePrivileges: privileges.default(D.nonHuman.reducePrivileges),
    })
    .prefault({}),
  separationOfDuties: z
    .strictObject({
      enabled: z.boolean().default(D.separationOfDuties.enabled),
      pairs: z.array(sodPair).default(D.separationOfDuties.pairs),
    })
    .prefault({})
    .refine((s) => new Set(s.pairs.map((p) => p.id)).size === s.pairs.length, { message: 'pair ids must be unique', path: ['pairs'] }),
  privileged: z
    .strictObject({
      enabled: z.boolean().default(D.privileged.enabled),
      privileges: privileges.default(D.privileged.privileges),
      minimumDecisionClass: decisionClass.default(D.privileged.minimumDecisionClass),
      keepConfidenceCap: share.default(D.privileged.keepConfidenceCap),
    })
    .prefault({}),
  risk: z.strictObject({ wideBlastRadiusEntitlements: z.number().int().min(1).default(D.risk.wideBlastRadiusEntitlements) }).prefault({}),
  decisionClasses: z
    .strictObject({
      low: decisionClass.default(D.decisionClasses.low),
      medium: decisionClass.default(D.decisionClasses.medium),
      high: decisionClass.default(D.decisionClasses.high),
      critical: decisionClass.default(D.decisionClasses.critical),
    })
    .prefault({}),
  drift: z
    .strictObject({
      fastAcceptStreak: z.number().int().min(1).default(D.drift.fastAcceptStreak),
      fastAcceptSeconds: z.number().positive().default(D.drift.fastAcceptSeconds),
    })
    .prefault({}),
});

export type PolicyParseResult = { ok: true; policy: Policy } | { ok: false; errors: string[] };

/** Validate a policy (parsed JSON or its text). Errors name the field: "peerOutlier.rareShare: ...". */
export function parsePolicy(input: unknown): PolicyParseResult {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (error) {
      return { ok: false, errors: [`(file): not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
    }
  }
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const path = issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
          .join('.')
          .replace(/\.\[/g, '[');
        const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
        return `${path || '(policy)'}: ${issue.message}${keys}`;
      }),
    };
  }
  const { $schema: _ignored, ...policy } = parsed.data;
  return { ok: true, policy: policy as Policy };
}

export function policyDigest(policy: Policy): string {
  return `sha256:${sha256Hex(canonicalJson(policy))}`;
}

const DECISION_ORDER: Record<DecisionClass, number> = { suggest: 0, 'step-up': 1, 'never-delegate': 2 };

/** The stricter of two decision classes. */
export function stricterDecisionClass(a: DecisionClass, b: DecisionClass): DecisionClass {
  return DECISION_ORDER[a] >= DECISION_ORDER[b] ? a : b;
}

/**
 * The decision class of an item from the policy, for every tier: the tier's class, raised to the privileged minimum
 * for privileged grants, and never below step-up for a critical item (a floor no policy lowers: critical access is
 * always decided by two people).
 */
export function decisionClassFor(
  tier: RiskTier,
  policy: Pick<Policy, 'decisionClasses' | 'privileged'>,
  privileged = policy.privileged.privileges.includes(tier),
): DecisionClass {
  let cls = policy.decisionClasses[tier];
  if (privileged && policy.privileged.enabled) cls = stricterDecisionClass(cls, policy.privileged.minimumDecisionClass);
  if (tier === 'critical') cls = stricterDecisionClass(cls, 'step-up');
  return cls;
}

// Who reviews an item: the campaign's rule (the identity's manager, the entitlement's owner, the non-human
// identity's owner, or one named reviewer), with a fallback reviewer when the rule finds nobody.
import type { Entitlement, Identity } from '../model';
import type { Suggestion } from '../suggest';

export const ASSIGNMENT_RULES = ['manager', 'entitlement-owner', 'identity-owner', 'named'] as const;
export type AssignmentRule = (typeof ASSIGNMENT_RULES)[number];

export interface ReviewerProfile {
  id: string;
  name: string;
  email?: string;
}

export interface AssignmentPolicy {
  rule: AssignmentRule;
  /** The reviewer for rule "named", and the fallback for every other rule. */
  fallbackReviewerId: string;
}

export interface Assigned {
  reviewerId: string;
  /** Why this reviewer, in words ("manager Jun Tanaka (u1000)"; "fallback: entitlement has no owner"). */
  reason: string;
}

/** Maps identity ids (managers, owners) to reviewer profiles on this machine: by profile id, then email. */
export class ReviewerDirectory {
  private readonly byId = new Map<string, ReviewerProfile>();
  private readonly byEmail = new Map<string, ReviewerProfile>();
  constructor(
    profiles: readonly ReviewerProfile[],
    private readonly identities: ReadonlyMap<string, Identity>,
  ) {
    for (const p of profiles) {
      this.byId.set(p.id, p);
      if (p.email) this.byEmail.set(p.email.toLowerCase(), p);
    }
  }

  profileForIdentity(identityId: string | undefined): ReviewerProfile | undefined {
    if (!identityId) return undefined;
    const direct = this.byId.get(identityId);
    if (direct) return direct;
    const email = this.identities.get(identityId)?.email?.toLowerCase();
    return email ? this.byEmail.get(email) : undefined;
  }
}

export function assignReviewer(
  policy: AssignmentPolicy,
  s: Pick<Suggestion, 'identityId'>,
  identity: Identity | undefined,
  entitlement: Entitlement | undefined,
  directory: ReviewerDirectory,
): Assigned {
  const fallback = (why: string): Assigned => ({ reviewerId: policy.fallbackReviewerId, reason: `fallback reviewer: ${why}` });
  if (policy.rule === 'named') return { reviewerId: policy.fallbackReviewerId, reason: 'named reviewer of the campaign' };
  const [who, label] =
    policy.rule === 'manager'
      ? identity && identity.type !== 'human' && !identity.managerId
        ? [identity.ownerId, 'owner of the non-human identity']
        : [identity?.managerId, 'manager']
      : policy.rule === 'entitlement-owner'
        ? [entitlement?.ownerId, 'entitlement owner']
        : [identity?.ownerId, 'owner of the non-human identity'];
  if (!who)
    return fallback(
      `no ${policy.rule === 'entitlement-owner' ? (entitlement ? 'owner on the entitlement' : 'entitlement (credential or identity item)') : label} on record for ${s.identityId}`,
    );
  const profile = directory.profileForIdentity(who);
  if (!profile) return fallback(`${label} ${who} has no reviewer profile on this machine`);
  if (profile.id === s.identityId) return fallback(`${profile.name} would review their own access`);
  return { reviewerId: profile.id, reason: `${label} ${profile.name} (${who})` };
}

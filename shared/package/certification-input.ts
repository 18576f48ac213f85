// Assembles what a certification package is built from: the campaign, its snapshot's evidence, the policy, every
// review item with the machine's suggestion and the human's standing decision (derived from the audit log) side by
// side, and the log itself. Domain only: the app's workers hand it what they read from storage.
import type { CertificationInput, CertificationItemInput, PackageReviewer } from './types';
import { decisionDetail } from './decisions-file';
import { deriveItemStates, type AuditEvent, type BaselineChanges } from '../review';
import type { Suggestion } from '../suggest';
import type { Snapshot } from '../model';

/** The campaign as stored, as far as the package needs it. */
export interface CertifiedCampaign {
  id: string;
  name: string;
  createdAt: string;
  dueDate?: string;
  scope: string;
  policyDigest: string;
  engine: string;
}

/** A reviewer profile, as far as the package needs it. */
export interface CertifiedReviewer {
  id: string;
  name: string;
  email?: string;
  fingerprint: string;
  publicKey: string;
}

export function certificationInput(args: {
  campaign: CertifiedCampaign;
  snapshot: Snapshot;
  suggestions: Suggestion[];
  events: AuditEvent[];
  reviewers: CertifiedReviewer[];
  policy: object;
  /** For a campaign started from the last certification: the comparison it was created with. */
  baselineChanges?: BaselineChanges | null;
}): CertificationInput {
  const { campaign, snapshot, suggestions, events } = args;
  const states = deriveItemStates(events);
  const items: CertificationItemInput[] = reviewItems(snapshot, suggestions).map((item) => {
    const current = states.get(item.itemId)?.current ?? null;
    return {
      ...item,
      decision: current
        ? {
            action: current.action,
            reviewerId: current.reviewer.id,
            at: current.at,
            rationale: current.rationale ?? null,
            acceptedSuggestion: current.acceptedSuggestion,
            approver: current.approval ? { id: current.approval.approver.id, at: current.approval.at } : null,
            // The owner, the exception's last day and the escalation, as the log records them (the verifier compares).
            ...decisionDetail(current),
          }
        : null,
    };
  });
  const involved = new Set(events.filter((e) => e.type === 'decision' || e.type === 'approval').map((e) => e.actor.id));
  const reviewers: PackageReviewer[] = args.reviewers
    .filter((r) => involved.has(r.id))
    .map((r) => ({
      id: r.id,
      name: r.name,
      ...(r.email ? { email: r.email } : {}),
      keyFingerprint: r.fingerprint,
      publicKey: r.publicKey,
    }));
  return {
    campaign: {
      id: campaign.id,
      name: campaign.name,
      createdAt: campaign.createdAt,
      ...(campaign.dueDate ? { dueDate: campaign.dueDate } : {}),
      scope: campaign.scope,
    },
    sources: snapshot.sources,
    policy: { document: args.policy, digest: campaign.policyDigest },
    engineVersion: campaign.engine,
    reviewers,
    items,
    auditEvents: events,
    ...(args.baselineChanges ? { baselineChanges: args.baselineChanges } : {}),
  };
}

/** Each item of a campaign as a package lists it: who, what (entitlement or credential) and the suggestion. */
export function reviewItems(snapshot: Snapshot, suggestions: readonly Suggestion[]): Omit<CertificationItemInput, 'decision'>[] {
  const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
  const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
  const credentials = new Map(snapshot.credentials.map((c) => [`${c.identityId}\u001f${c.credentialId}`, c]));
  return suggestions.map((s) => {
    const identity = identities.get(s.identityId);
    const entitlement = s.entitlementId ? entitlements.get(s.entitlementId) : undefined;
    const credential = s.credentialId ? credentials.get(`${s.identityId}\u001f${s.credentialId}`) : undefined;
    return {
      itemId: s.itemId,
      identity: {
        id: s.identityId,
        displayName: identity?.displayName ?? s.identityId,
        type: identity?.type ?? 'human',
        status: identity?.status ?? 'active',
      },
      target: entitlement
        ? {
            kind: 'entitlement',
            id: entitlement.id,
            name: entitlement.name,
            application: entitlement.application,
            privilege: entitlement.privilege,
          }
        : credential
          ? {
              kind: 'credential',
              id: credential.credentialId,
              name: `${credential.kind} ${credential.credentialId}`,
              application: credential.source ?? 'credentials',
              privilege: s.riskTier,
            }
          : null,
      suggestion: s,
    };
  });
}

// A campaign's scope: which review items it covers. Empty lists mean "all".
import type { Entitlement, Identity, IdentityType, Privilege } from '../model';
import type { Suggestion } from '../suggest';

export interface CampaignScope {
  applications: string[];
  identityTypes: IdentityType[];
  privileges: Privilege[];
  /**
   * Only these items, when present: a campaign started from a baseline with the "changed or new, plus every high
   * and critical item" option (shared/review/carry-forward.ts needsFreshReview) names the items it kept.
   */
  itemIds?: readonly string[];
}

export const EVERYTHING: CampaignScope = { applications: [], identityTypes: [], privileges: [] };

/** The application an item belongs to: the entitlement's, or the hygiene bucket for credential and identity items. */
export function itemApplication(s: Pick<Suggestion, 'credentialId'>, entitlement: Entitlement | undefined): string {
  if (entitlement) return entitlement.application;
  return s.credentialId ? 'credentials' : 'identity hygiene';
}

const idSets = new WeakMap<readonly string[], Set<string>>();

export function inScope(
  scope: CampaignScope,
  s: Pick<Suggestion, 'itemId' | 'credentialId' | 'riskTier'>,
  identity: Identity | undefined,
  entitlement: Entitlement | undefined,
): boolean {
  // The item list was cut from this scope already (the special accounts below included): it decides alone.
  if (scope.itemIds) {
    let ids = idSets.get(scope.itemIds);
    if (!ids) idSets.set(scope.itemIds, (ids = new Set(scope.itemIds)));
    return ids.has(s.itemId);
  }
  // Root and break-glass accounts are reviewed in every campaign, whatever its filters: they can do anything.
  if (identity?.specialAccount) return true;
  if (scope.applications.length && !scope.applications.includes(itemApplication(s, entitlement))) return false;
  if (scope.identityTypes.length && !(identity && scope.identityTypes.includes(identity.type))) return false;
  if (scope.privileges.length && !scope.privileges.includes(entitlement?.privilege ?? s.riskTier)) return false;
  return true;
}

export function describeScope(scope: CampaignScope): string {
  const parts = [
    scope.applications.length ? `applications: ${scope.applications.join(', ')}` : 'all applications',
    scope.identityTypes.length ? `identity classes: ${scope.identityTypes.join(', ')}` : 'all identity classes',
    scope.privileges.length ? `privilege: ${scope.privileges.join(', ')}` : 'all privilege levels',
  ];
  if (scope.itemIds) parts.push(`changed or new since the baseline, plus every high and critical item (${scope.itemIds.length} items)`);
  return parts.join('; ');
}

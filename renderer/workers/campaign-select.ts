// The items a scoped campaign needs computed (the engine's select option), decided from what is known before an item
// is computed: where the scope asks for privilege levels, a credential's or an identity's item is judged by its risk
// tier, known only once computed, so it is kept and the campaign's scope filter decides after.
import { inScope, type CampaignScope } from '../../shared/review';
import type { SuggestOptions } from '../../shared/suggest';

export function scopeSelector(scope: CampaignScope): NonNullable<SuggestOptions['select']> {
  // An item list is cut from another scope's suggestions, computed already: nothing here narrows it.
  if (scope.itemIds) return () => true;
  const loose: CampaignScope = { ...scope, privileges: [] };
  return (identity, entitlement, credentialId) =>
    inScope(
      entitlement ? scope : loose,
      { itemId: '', riskTier: 'low', ...(credentialId !== undefined ? { credentialId } : {}) },
      identity,
      entitlement,
    );
}

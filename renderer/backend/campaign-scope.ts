// Which of a snapshot's suggestions a campaign covers (its scope filter), for the tasks that rebuild a campaign's view.
import type { Snapshot } from '../../shared/model';
import { inScope, type CampaignScope } from '../../shared/review';
import type { SuggestionSummary } from '../db';

/** The suggestions (full or summaries) a campaign covers. */
export function scoped<S extends SuggestionSummary>(
  scope: CampaignScope,
  snapshot: Pick<Snapshot, 'identities' | 'entitlements'>,
  suggestions: readonly S[],
): S[] {
  const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
  const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
  return suggestions.filter((s) =>
    inScope(scope, s, identities.get(s.identityId), s.entitlementId ? entitlements.get(s.entitlementId) : undefined),
  );
}

// Which of a snapshot's suggestions a campaign covers (its scope filter), for the tasks that rebuild a campaign's view.
import type { Entitlement, Identity, Snapshot } from '../../shared/model';
import { canonicalJson, sha256Hex } from '../../shared/codec';
import { inScope, type CampaignScope } from '../../shared/review';
import type { ColumnarSnapshot, SuggestionSummary } from '../db';
import { scopeSelector } from '../workers';

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

/** Whether a scope leaves items out by its filters (an item list alone is cut from suggestions computed already). */
export function narrows(scope: CampaignScope): boolean {
  return !scope.itemIds && (scope.applications.length > 0 || scope.identityTypes.length > 0 || scope.privileges.length > 0);
}

/** The scope's filters as a short stable digest: a set computed for a scope alone is stored under its own key. */
export function scopeDigest(scope: CampaignScope): string {
  const sorted = (l: readonly string[]) => [...l].sort();
  const text = canonicalJson({
    applications: sorted(scope.applications),
    identityTypes: sorted(scope.identityTypes),
    privileges: sorted(scope.privileges),
  });
  return sha256Hex(text).slice(0, 16);
}

/** At most how many items a scoped computation emits (what the engine's select accepts: every assignment,
 * credential and identity of the scope; identity items are fewer), counted from the stored columns before any work. */
export function scopedItemCount(scope: CampaignScope, snapshot: ColumnarSnapshot): number {
  const select = scopeSelector(scope);
  const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
  const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
  let n = 0;
  for (const c of snapshot.assignmentChunks) {
    // A chunk's rows repeat its strings: each id is looked up once per chunk.
    const identityOf = new Map<number, Identity | undefined>();
    const entitlementOf = new Map<number, Entitlement | undefined>();
    const lookup = <T>(cache: Map<number, T | undefined>, all: Map<string, T>, k: number): T | undefined => {
      if (cache.has(k)) return cache.get(k);
      const v = all.get(c.strings[k]!);
      cache.set(k, v);
      return v;
    };
    for (let r = 0; r < c.identity.length; r++)
      if (select(lookup(identityOf, identities, c.identity[r]!), lookup(entitlementOf, entitlements, c.entitlement[r]!))) n++;
  }
  for (const c of snapshot.credentials) if (select(identities.get(c.identityId), undefined, c.credentialId)) n++;
  for (const i of snapshot.identities) if (select(i, undefined)) n++;
  return n;
}

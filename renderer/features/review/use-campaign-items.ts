// Loads a campaign's review items: suggestions joined with the snapshot's identities and entitlements.
import { useEffect, useState } from 'react';
import type { Assignment, Credential, Entitlement, Identity, Snapshot } from '../../../shared/model';
import type { Suggestion } from '../../../shared/suggest';
import { inScope } from '../../../shared/review/scope';
import { database, getCampaign, loadCampaignAssignments, loadCampaignSnapshot, loadSuggestions, type CampaignRecord } from '../../db';

export interface ReviewItem {
  itemId: string;
  suggestion: Suggestion;
  identity?: Identity;
  entitlement?: Entitlement;
  assignment?: Assignment;
  credential?: Credential;
  assignedReviewerId?: string;
  assignmentReason?: string;
}

export interface CampaignItems {
  campaign: CampaignRecord;
  items: ReviewItem[];
  identities: Map<string, Identity>;
  credentialsByIdentity: Map<string, Credential[]>;
  /** identityId → entitlement ids held, for listing which peers hold an entitlement. */
  holdings: Map<string, Set<string>>;
  sources: Snapshot['sources'];
}

export function useCampaignItems(campaignId: string | null): { data: CampaignItems | null; loading: boolean; error: string | null } {
  const [state, setState] = useState<{ data: CampaignItems | null; loading: boolean; error: string | null }>({ data: null, loading: false, error: null });
  useEffect(() => {
    if (!campaignId) {
      setState({ data: null, loading: false, error: null });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    (async () => {
      const db = database();
      const campaign = await getCampaign(db, campaignId);
      if (!campaign) throw new Error('campaign not found');
      const [snapshot, suggestions, assigned] = await Promise.all([loadCampaignSnapshot(db, campaign), loadSuggestions(db, campaign.suggestionKey), loadCampaignAssignments(db, campaign.id)]);
      const holdings = new Map<string, Set<string>>();
      for (const a of snapshot.assignments) {
        let set = holdings.get(a.identityId);
        if (!set) holdings.set(a.identityId, (set = new Set()));
        set.add(a.entitlementId);
      }
      const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
      const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
      const assignments = new Map(snapshot.assignments.map((a) => [`${a.identityId}\u001f${a.entitlementId}`, a]));
      const credentialsByIdentity = new Map<string, Credential[]>();
      for (const c of snapshot.credentials) credentialsByIdentity.set(c.identityId, [...(credentialsByIdentity.get(c.identityId) ?? []), c]);
      const scoped = suggestions.filter((s) => inScope(campaign.scopeFilter, s, identities.get(s.identityId), s.entitlementId ? entitlements.get(s.entitlementId) : undefined));
      const items: ReviewItem[] = scoped.map((s) => ({
        itemId: s.itemId,
        suggestion: s,
        identity: identities.get(s.identityId),
        entitlement: s.entitlementId ? entitlements.get(s.entitlementId) : undefined,
        assignment: s.entitlementId ? assignments.get(`${s.identityId}\u001f${s.entitlementId}`) : undefined,
        credential: s.credentialId ? credentialsByIdentity.get(s.identityId)?.find((c) => c.credentialId === s.credentialId) : undefined,
        assignedReviewerId: assigned.get(s.itemId)?.reviewerId,
        assignmentReason: assigned.get(s.itemId)?.reason,
      }));
      return { campaign, items, identities, credentialsByIdentity, holdings, sources: snapshot.sources };
    })().then(
      (data) => live && setState({ data, loading: false, error: null }),
      (e: unknown) => live && setState({ data: null, loading: false, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [campaignId]);
  return state;
}

export function itemTitle(item: ReviewItem): { who: string; what: string; app: string } {
  return {
    who: item.identity?.displayName ?? item.suggestion.identityId,
    what: item.entitlement?.name ?? item.credential?.credentialId ?? (item.suggestion.credentialId ? `credential ${item.suggestion.credentialId}` : 'identity'),
    app: item.entitlement?.application ?? (item.credential ? item.credential.kind : '—'),
  };
}

// The screens' live reads, each a query of the backend worker (service.ts).
import { useEffect, useState } from 'react';
import { ItemStateLog, type AuditEvent } from '../../shared/review';
import { subscribeEvents, useBackendQuery } from './client';

export const useSnapshots = () => useBackendQuery('snapshots');
/** Per snapshot: ambiguous matches resolved so far (live: the import screen's "N ambiguous, M resolved"). */
export const useResolvedCounts = () => useBackendQuery('resolvedCounts');
export const useCampaigns = () => useBackendQuery('campaigns');
export const useReviewers = () => useBackendQuery('reviewers');
export const useCampaignEvents = (campaignId: string | null) => useBackendQuery('campaignEvents', { campaignId });
/** Per campaign: items with a standing decision, in total and by the reviewer who made it (undo taken into account). */
export const useCampaignProgress = () => useBackendQuery('campaignProgress');
export const useCampaign = (id: string | null) => useBackendQuery('campaign', { id });
export const usePinnedKeys = () => useBackendQuery('pinnedKeys');
export const useReceivedApprovalPackages = () => useBackendQuery('receivedApprovalPackages');
export const useApprovalChain = (statementDigest: string) => useBackendQuery('approvalChain', { statementDigest });

/**
 * The campaign's audit log as item states, kept up to date incrementally: the backend reports only events newer
 * than the last one it reported, and each is applied to the state map. `version` changes whenever something new was applied.
 */
export function useItemStateLog(campaignId: string | null): { log: ItemStateLog; events: AuditEvent[]; version: number; loaded: boolean } {
  const [state, setState] = useState(() => ({ log: new ItemStateLog(), events: [] as AuditEvent[], version: 0, loaded: false }));
  useEffect(() => {
    const log = new ItemStateLog();
    const events: AuditEvent[] = [];
    let version = 0;
    setState({ log, events, version, loaded: false });
    if (!campaignId) return;
    return subscribeEvents(campaignId, (fresh) => {
      let applied = 0;
      for (const e of fresh) {
        if (e.seq <= log.lastSeq) continue;
        log.apply(e);
        events.push(e);
        applied++;
      }
      if (applied || version === 0) setState({ log, events, version: ++version, loaded: true });
    });
  }, [campaignId]);
  return state;
}

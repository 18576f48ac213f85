// Live queries for the UI: components re-render when the records they show change.
import Dexie, { liveQuery } from 'dexie';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { ItemStateLog, deriveItemStates, type AuditEvent } from '../../shared/review';
import { database } from './database';
import { getCampaign, listCampaigns, listEvents, listReviewers } from './review-repository';
import { approvalChain, listPinnedKeys, listReceivedApprovalPackages } from './exchange-repository';
import { listSnapshots } from './snapshot-repository';
import { resolvedCounts } from './correlation-resolutions';

export const useSnapshots = () => useLiveQuery(() => listSnapshots(database()), [], undefined);
/** Per snapshot: ambiguous matches resolved so far (live: the import screen's "N ambiguous, M resolved"). */
export const useResolvedCounts = () => useLiveQuery(() => resolvedCounts(database()), [], undefined);
export const useCampaigns = () => useLiveQuery(() => listCampaigns(database()), [], undefined);
export const useReviewers = () => useLiveQuery(() => listReviewers(database()), [], undefined);
export const useCampaignEvents = (campaignId: string | null) => useLiveQuery(() => (campaignId ? listEvents(database(), campaignId) : []), [campaignId], undefined);
/** Per campaign: items with a standing decision, in total and by the reviewer who made it (undo taken into account). */
export const useCampaignProgress = () =>
  useLiveQuery(
    async () => {
      const byCampaign = new Map<string, AuditEvent[]>();
      await database().events.each((e) => {
        if (e.type === 'decision' || e.type === 'undo' || e.type === 'approval') byCampaign.set(e.campaignId, [...(byCampaign.get(e.campaignId) ?? []), e]);
      });
      const progress = new Map<string, { decided: number; byReviewer: Map<string, number> }>();
      for (const [campaignId, events] of byCampaign) {
        const byReviewer = new Map<string, number>();
        let decided = 0;
        for (const state of deriveItemStates(events).values()) {
          if (!state.current) continue;
          decided++;
          byReviewer.set(state.current.reviewer.id, (byReviewer.get(state.current.reviewer.id) ?? 0) + 1);
        }
        progress.set(campaignId, { decided, byReviewer });
      }
      return progress;
    },
    [],
    undefined,
  );

/**
 * The campaign's audit log as item states, kept up to date incrementally: only events newer than the last one
 * seen are read, and each is applied to the state map. `version` changes whenever something new was applied.
 */
export function useItemStateLog(campaignId: string | null): { log: ItemStateLog; events: AuditEvent[]; version: number; loaded: boolean } {
  const [state, setState] = useState(() => ({ log: new ItemStateLog(), events: [] as AuditEvent[], version: 0, loaded: false }));
  useEffect(() => {
    const log = new ItemStateLog();
    const events: AuditEvent[] = [];
    let version = 0;
    setState({ log, events, version, loaded: false });
    if (!campaignId) return;
    const db = database();
    const subscription = liveQuery(() => db.events.where('[campaignId+seq]').between([campaignId, log.lastSeq + 1], [campaignId, Dexie.maxKey]).toArray()).subscribe({
      next: (fresh) => {
        let applied = 0;
        for (const e of fresh) {
          if (e.seq <= log.lastSeq) continue;
          log.apply(e);
          events.push(e);
          applied++;
        }
        if (applied || version === 0) setState({ log, events, version: ++version, loaded: true });
      },
      error: (e: unknown) => console.error('audit log subscription failed', e),
    });
    return () => subscription.unsubscribe();
  }, [campaignId]);
  return state;
}

export const useCampaign = (id: string | null) => useLiveQuery(() => (id ? getCampaign(database(), id) : undefined), [id], undefined);
export const usePinnedKeys = () => useLiveQuery(() => listPinnedKeys(database()), [], undefined);
export const useReceivedApprovalPackages = () => useLiveQuery(() => listReceivedApprovalPackages(database()), [], undefined);
export const useApprovalChain = (statementDigest: string) => useLiveQuery(() => approvalChain(database(), statementDigest), [statementDigest], undefined);

// Live queries for the UI: components re-render when the records they show change.
import { useLiveQuery } from 'dexie-react-hooks';
import { deriveItemStates, type AuditEvent } from '../../shared/review';
import { database } from './database';
import { listCampaigns, listEvents, listReviewers } from './review-repository';
import { listSnapshots } from './snapshot-repository';

export const useSnapshots = () => useLiveQuery(() => listSnapshots(database()), [], undefined);
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

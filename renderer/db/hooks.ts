// Live queries for the UI: components re-render when the records they show change.
import { useLiveQuery } from 'dexie-react-hooks';
import { database } from './database';
import { listCampaigns, listEvents, listReviewers } from './review-repository';
import { listSnapshots } from './snapshot-repository';

export const useSnapshots = () => useLiveQuery(() => listSnapshots(database()), [], undefined);
export const useCampaigns = () => useLiveQuery(() => listCampaigns(database()), [], undefined);
export const useReviewers = () => useLiveQuery(() => listReviewers(database()), [], undefined);
export const useCampaignEvents = (campaignId: string | null) => useLiveQuery(() => (campaignId ? listEvents(database(), campaignId) : []), [campaignId], undefined);
export const useEventCounts = () =>
  useLiveQuery(
    async () => {
      const counts = new Map<string, number>();
      await database().events.each((e) => {
        if (e.type === 'decision') counts.set(e.campaignId, (counts.get(e.campaignId) ?? 0) + 1);
      });
      return counts;
    },
    [],
    undefined,
  );

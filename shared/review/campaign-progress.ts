// Per campaign: items with a standing decision, in total and by the reviewer who made it (undo taken into account).
import type { AuditEvent } from './types';
import { deriveItemStates } from './state';

export interface CampaignProgress {
  decided: number;
  byReviewer: Map<string, number>;
}

/** Progress of every campaign whose decision, undo and approval events are given (in log order per campaign). */
export function campaignProgress(events: readonly AuditEvent[]): Map<string, CampaignProgress> {
  const byCampaign = new Map<string, AuditEvent[]>();
  for (const e of events) {
    if (e.type !== 'decision' && e.type !== 'undo' && e.type !== 'approval') continue;
    let list = byCampaign.get(e.campaignId);
    if (!list) byCampaign.set(e.campaignId, (list = []));
    list.push(e);
  }
  const progress = new Map<string, CampaignProgress>();
  for (const [campaignId, list] of byCampaign) {
    const byReviewer = new Map<string, number>();
    let decided = 0;
    for (const state of deriveItemStates(list).values()) {
      if (!state.current) continue;
      decided++;
      byReviewer.set(state.current.reviewer.id, (byReviewer.get(state.current.reviewer.id) ?? 0) + 1);
    }
    progress.set(campaignId, { decided, byReviewer });
  }
  return progress;
}

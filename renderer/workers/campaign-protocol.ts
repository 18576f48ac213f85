// Messages between the UI thread and the campaign worker: requests with an id, answered once each.
export type CampaignRequest =
  | { id: number; method: 'open'; campaignId: string }
  | { id: number; method: 'detail'; campaignId: string; index: number }
  | { id: number; method: 'snapshots'; campaignId: string; indices: number[] };

export type CampaignResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

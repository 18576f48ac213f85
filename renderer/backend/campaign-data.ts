// What a campaign worker reads from the database, served by the backend on a port of the worker's own (the UI hands
// one end to each): the campaign, its stored review table, and the snapshot, suggestions and assignments behind it.
import { connect, type Endpoint } from '../../shared/rpc';
import { summaryColumns, type CampaignDataHandlers, type PackedCampaignTable } from '../workers';
import {
  campaignTableBasis,
  database,
  getCampaign,
  getCampaignTable,
  loadCampaignAssignmentChunks,
  loadCampaignSnapshotColumns,
  loadSuggestionSummaries,
  loadSuggestionsAt,
  putCampaignTable,
  type CampaignRecord,
} from '../db';

async function campaignOf(campaignId: string): Promise<CampaignRecord> {
  const campaign = await getCampaign(database(), campaignId);
  if (!campaign) throw new Error('campaign not found');
  return campaign;
}

/** The reads served (exported for tests: the worker reaches them over a port). */
export const campaignHandlers: CampaignDataHandlers = {
  async campaignOpening({ campaignId, format }) {
    const campaign = await campaignOf(campaignId);
    const basis = await campaignTableBasis(database(), campaign.snapshotId);
    const stored = await getCampaignTable<PackedCampaignTable>(database(), campaign.id, format, basis);
    return { campaign, basis, stored };
  },
  async campaignData({ campaignId }) {
    const db = database();
    const campaign = await campaignOf(campaignId);
    const [snapshot, suggestions, assigned] = await Promise.all([
      loadCampaignSnapshotColumns(db, campaign),
      loadSuggestionSummaries(db, campaign.suggestionKey),
      loadCampaignAssignmentChunks(db, campaign.id),
    ]);
    return {
      campaign,
      snapshot,
      suggestions: summaryColumns(suggestions),
      assigned: assigned.map(({ itemIds, reviewerIds, reasons }) => ({ itemIds, reviewerIds, reasons })),
    };
  },
  async suggestionsAt({ campaignId, places }) {
    const campaign = await campaignOf(campaignId);
    return loadSuggestionsAt(database(), campaign.suggestionKey, places);
  },
  putCampaignTable: ({ campaignId, format, basis, table }) => putCampaignTable(database(), campaignId, format, basis, table),
};

/** Serves a campaign worker's reads on `port` for as long as the worker lives. */
export function serveCampaignPort({ port }: { port: MessagePort }): void {
  connect(port as unknown as Endpoint, campaignHandlers);
  port.start();
}

// The campaign worker: lives as long as the campaign is open in the app. It loads the snapshot, the
// suggestions and the reviewer assignments once (ARCHITECTURE.md, "Storage": snapshots are held in a worker),
// hands the UI thread a compact table of the items, and serves one item's full detail on demand.
import {
  campaignTableBasis,
  database,
  getCampaign,
  getCampaignTable,
  loadCampaignAssignments,
  loadCampaignSnapshot,
  loadSuggestions,
  putCampaignTable,
  type CampaignRecord,
} from '../db';
import {
  TABLE_FORMAT,
  buildCampaignTable,
  campaignData,
  itemDetail,
  packTable,
  suggestionSnapshot,
  tableTransferables,
  type CampaignData,
  type PackedCampaignTable,
} from './campaign-table';
import { connect, transfer } from '../../shared/rpc';
import type { SuggestionSnapshot } from '../../shared/review';
import type { ItemDetail } from './campaign-table';

let loaded: Promise<{ data: CampaignData; campaign: NonNullable<Awaited<ReturnType<typeof getCampaign>>> }> | null = null;

function load(campaignId: string) {
  loaded ??= (async () => {
    const db = database();
    const campaign = await getCampaign(db, campaignId);
    if (!campaign) throw new Error('campaign not found');
    const [snapshot, suggestions, assigned] = await Promise.all([
      loadCampaignSnapshot(db, campaign),
      loadSuggestions(db, campaign.suggestionKey),
      loadCampaignAssignments(db, campaign.id),
    ]);
    return { data: campaignData(campaign.scopeFilter, snapshot, suggestions, assigned), campaign };
  })();
  return loaded;
}

export interface OpenedCampaign {
  campaign: CampaignRecord;
  table: PackedCampaignTable;
  basis: string;
}

/** The calls a campaign worker serves (one campaign per worker: the first open names it). */
export type CampaignHandlers = {
  open: (args: { campaignId: string }) => Promise<OpenedCampaign>;
  detail: (args: { campaignId: string; index: number }) => Promise<ItemDetail>;
  snapshots: (args: { campaignId: string; indices: number[] }) => Promise<SuggestionSnapshot[]>;
};

const handlers: CampaignHandlers = {
  async open({ campaignId }) {
    const db = database();
    const campaign = await getCampaign(db, campaignId);
    if (!campaign) throw new Error('campaign not found');
    const basis = await campaignTableBasis(db, campaign.snapshotId);
    const stored = await getCampaignTable<PackedCampaignTable>(db, campaign.id, TABLE_FORMAT, basis);
    if (stored && stored.count === campaign.itemCount) {
      // The table is ready at once; the snapshot loads meanwhile, for the detail of items.
      void load(campaignId).catch(() => {});
      return transfer({ campaign, table: stored, basis }, tableTransferables(stored));
    }
    const { data } = await load(campaignId);
    const table = packTable(buildCampaignTable(data));
    // Copied to the UI thread (not transferred: it is stored too), so the next opening reads it back at once.
    void putCampaignTable(db, campaign.id, TABLE_FORMAT, basis, table).catch((e: unknown) => console.warn('campaign table not stored', e));
    return { campaign, table, basis };
  },
  async detail({ campaignId, index }) {
    const { data } = await load(campaignId);
    return itemDetail(data, index);
  },
  async snapshots({ campaignId, indices }) {
    const { data } = await load(campaignId);
    return indices.map((i) => suggestionSnapshot(data.items[i]!));
  },
};
connect(self as never, handlers);

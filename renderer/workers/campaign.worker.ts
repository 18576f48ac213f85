// The campaign worker: lives as long as the campaign is open in the app. It loads the snapshot, the
// suggestions and the reviewer assignments once (ARCHITECTURE.md, "Storage": snapshots are held in a worker),
// hands the UI thread a compact table of the items, and serves one item's full detail on demand. It reads them
// from the backend worker (the one thread that opens the database) over the port the UI hands it.
import type { CampaignAssignmentChunk, CampaignRecord, ItemPlaces, PlacedSummary, SuggestionPlace } from '../db';
import type { Suggestion } from '../../shared/suggest';
import {
  TABLE_FORMAT,
  buildCampaignTable,
  campaignData,
  itemDetail,
  itemIdsOf,
  packTable,
  suggestionSnapshot,
  tableTransferables,
  type CampaignData,
  type CampaignSnapshot,
  type PackedCampaignTable,
} from './campaign-table';
import { connect, transfer, type Channel, type Endpoint } from '../../shared/rpc';
import type { SuggestionSnapshot } from '../../shared/review';
import type { ItemDetail } from './campaign-table';
import { assignedMap, summariesOf, type SummaryColumns } from './campaign-crossing';
import { placesOf } from './campaign-early';

/** What the campaign worker asks the backend (renderer/backend serves it on the port). */
export type CampaignDataHandlers = {
  /** The campaign, its table's basis and the stored table if it is still current. */
  campaignOpening: (args: { campaignId: string; format: number }) => Promise<{
    campaign: CampaignRecord;
    basis: string;
    stored: PackedCampaignTable | undefined;
    /** Where each item's suggestion is stored, when they were stored with the table. */
    places?: ItemPlaces;
  }>;
  /** What the table and the items' detail are built from: the suggestions as summaries, each placed in its stored
   * chunk (a million full suggestions are gigabytes and many seconds to decode and copy). */
  campaignData: (args: { campaignId: string }) => Promise<{
    campaign: CampaignRecord;
    /** Its assignments as the stored columns: no object per assignment crosses. */
    snapshot: CampaignSnapshot;
    /** As columns, like the reviewer assignments (campaign-crossing.ts: an object per item is slow to clone). */
    suggestions: SummaryColumns;
    assigned: Pick<CampaignAssignmentChunk, 'itemIds' | 'reviewerIds' | 'reasons'>[];
  }>;
  /** The full suggestions at these places of the campaign's set (an item's detail, a decision's record of it). */
  suggestionsAt: (args: { campaignId: string; places: SuggestionPlace[] }) => Promise<Suggestion[]>;
  /** One item's detail while campaignData is still on its way (campaign-early.ts): equal to the loaded one. */
  earlyDetail: (args: { campaignId: string; index: number; itemId: string; place: SuggestionPlace }) => Promise<ItemDetail>;
  putCampaignTable: (args: {
    campaignId: string;
    format: number;
    basis: string;
    table: PackedCampaignTable;
    places: ItemPlaces;
  }) => Promise<void>;
};

// Set by the first open (a detail asked for before it waits for it).
let linked: (channel: Channel<CampaignDataHandlers>) => void = () => {};
const backend = new Promise<Channel<CampaignDataHandlers>>((resolve) => (linked = resolve));

let loaded: Promise<{ data: CampaignData<PlacedSummary>; campaign: CampaignRecord }> | null = null;
/** Set once `loaded` has resolved: a detail is then served from the data here. */
let ready = false;
/** What an item's detail is read by before the data is here: its id and its suggestion's place, by table index. */
let early: { places: ItemPlaces; itemIds: () => readonly string[] } | null = null;

function load(campaignId: string) {
  loaded ??= (async () => {
    const { campaign, snapshot, suggestions, assigned } = await (await backend).call('campaignData', { campaignId });
    const data = campaignData(campaign.scopeFilter, snapshot, summariesOf(suggestions), assignedMap(assigned));
    ready = true;
    return { data, campaign };
  })();
  return loaded;
}

/** The item ids of a stored table, split on first use (a stored table's are one string). */
function idsOf(stored: PackedCampaignTable): () => readonly string[] {
  let ids: readonly string[] | undefined;
  return () => (ids ??= itemIdsOf(stored));
}

/** The full suggestions of these items, read from the stored set by the backend. */
async function fullSuggestions(data: CampaignData<PlacedSummary>, campaignId: string, indices: readonly number[]): Promise<Suggestion[]> {
  const places = indices.map((i) => {
    const s = data.items[i];
    if (!s) throw new Error(`no item ${i} in this campaign`);
    return { chunk: s.chunk, row: s.row };
  });
  const full = await (await backend).call('suggestionsAt', { campaignId, places });
  full.forEach((s, k) => {
    const want = data.items[indices[k]!]!.itemId;
    if (s.itemId !== want) throw new Error(`the stored suggestion at ${places[k]!.chunk}:${places[k]!.row} is ${s.itemId}, not ${want}`);
  });
  return full;
}

export interface OpenedCampaign {
  campaign: CampaignRecord;
  table: PackedCampaignTable;
  basis: string;
}

/** The calls a campaign worker serves (one campaign per worker: the first open names it). */
export type CampaignHandlers = {
  open: (args: { campaignId: string; backend: MessagePort }) => Promise<OpenedCampaign>;
  detail: (args: { campaignId: string; index: number }) => Promise<ItemDetail>;
  snapshots: (args: { campaignId: string; indices: number[] }) => Promise<SuggestionSnapshot[]>;
};

const handlers: CampaignHandlers = {
  async open({ campaignId, backend: port }) {
    const channel = connect<CampaignDataHandlers>(port as unknown as Endpoint);
    port.start();
    linked(channel);
    const { campaign, basis, stored, places } = await channel.call('campaignOpening', { campaignId, format: TABLE_FORMAT });
    if (stored && stored.count === campaign.itemCount) {
      // The table is ready at once; the snapshot loads meanwhile, for the detail of items (served one by one by the
      // backend until then, where the places were stored).
      if (places?.chunk.length === stored.count) early = { places, itemIds: idsOf(stored) };
      void load(campaignId).catch(() => {});
      return transfer({ campaign, table: stored, basis }, tableTransferables(stored));
    }
    const { data: items } = await load(campaignId);
    const table = packTable(buildCampaignTable(items));
    // Copied to the UI thread (not transferred: it is stored too), so the next opening reads it back at once.
    void channel
      .call('putCampaignTable', { campaignId: campaign.id, format: TABLE_FORMAT, basis, table, places: placesOf(items.items) })
      .catch((e: unknown) => console.warn('campaign table not stored', e));
    return { campaign, table, basis };
  },
  async detail({ campaignId, index }) {
    if (!ready && early) {
      const itemId = early.itemIds()[index];
      if (itemId === undefined) throw new Error(`no item ${index} in this campaign`);
      const place = { chunk: early.places.chunk[index]!, row: early.places.row[index]! };
      return (await backend).call('earlyDetail', { campaignId, index, itemId, place });
    }
    const { data } = await load(campaignId);
    const [full] = await fullSuggestions(data, campaignId, [index]);
    return itemDetail(data, index, full);
  },
  async snapshots({ campaignId, indices }) {
    const { data } = await load(campaignId);
    return (await fullSuggestions(data, campaignId, indices)).map(suggestionSnapshot);
  },
};
connect(self as never, handlers);

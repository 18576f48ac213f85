// The campaign worker: lives as long as the campaign is open in the app. It loads the snapshot and the reviewer
// assignments once (ARCHITECTURE.md, "Storage": snapshots are held in a worker), hands the UI thread a compact table
// of the items, and serves one item's full detail on demand; until the snapshot is here the backend serves it
// (campaign-early.ts). It reads from the backend worker (the one thread that opens the database) over the port the
// UI hands it. The suggestions' summaries are read only where the table is built here (none is stored).
import type { CampaignAssignmentChunk, CampaignRecord, ItemPlaces, SuggestionPlace } from '../db';
import type { Suggestion } from '../../shared/suggest';
import {
  TABLE_FORMAT,
  selectedInOrder,
  buildCampaignTable,
  campaignData,
  itemIdsOf,
  packTable,
  suggestionSnapshot,
  tableTransferables,
  type CampaignSnapshot,
  type PackedCampaignTable,
} from './campaign-table';
import { connect, transfer, type Channel, type Endpoint } from '../../shared/rpc';
import type { SuggestionSnapshot } from '../../shared/review';
import type { ItemDetail } from './campaign-table';
import {
  assignedLookup,
  assignedMap,
  joinSnapshot,
  summariesOf,
  type AssignedColumns,
  type SnapshotHead,
  type SnapshotPart,
  type SummaryColumns,
} from './campaign-crossing';
import { detailOf, factsOf, placesOf, type SnapshotFacts } from './campaign-early';
import { campaignMark } from './campaign-timing';

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
  /** What an item's detail reads beside its suggestion, where the table is stored (no summaries): the snapshot's head
   * and how many parts follow (campaignPart, asked in order; the backend holds the snapshot until the last). */
  campaignFacts: (args: { campaignId: string }) => Promise<{ campaign: CampaignRecord; head: SnapshotHead; parts: number }>;
  campaignPart: (args: { campaignId: string; part: number }) => Promise<SnapshotPart>;
  /** The campaign's reviewer assignments, in campaign order. */
  campaignAssigned: (args: { campaignId: string }) => Promise<AssignedColumns>;
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

type Assigned = { reviewerId: string; reason: string };

/** The campaign's items as the worker keeps them: each one's id and the place of its suggestion, by table index. */
interface ItemRefs {
  itemIds: () => readonly string[];
  places: ItemPlaces;
}

/** What an item's detail is made from once the campaign is loaded. */
interface Loaded {
  campaign: CampaignRecord;
  facts: SnapshotFacts;
  assigned: (index: number, itemId: string) => Assigned | undefined;
}

let refs: ItemRefs | null = null;
/** The detail begun as the campaign opened, handed to the screen's first ask for it. */
let ahead: { index: number; detail: Promise<ItemDetail> } | null = null;
let firstDetailDone: () => void = () => {};
const firstDetail = new Promise<void>((resolve) => (firstDetailDone = resolve));
let firstAskedDone: () => void = () => {};
const firstAsked = new Promise<void>((resolve) => (firstAskedDone = resolve));
const FIRST_DETAIL_WAIT_MS = 3000;
let tableLeftDone: () => void = () => {};
const tableLeft = new Promise<void>((resolve) => (tableLeftDone = resolve));
let loaded: Promise<Loaded> | null = null;
/** Set once `loaded` has resolved: until then an item's detail is the backend's (read from its chunks). */
let ready = false;

/** The snapshot and reviewer assignments behind a stored table (`tableIds`: its item ids as one string, if so). */
function loadFacts(campaignId: string, tableIds: string | undefined): Promise<Loaded> {
  return (async () => {
    const b = await backend;
    // The snapshot is read, cloned and read again on two threads of a machine that may have two cores: the UI drawing
    // the first rows and the first detail (read from a few chunks) come first (or a few seconds after the table left).
    await tableLeft;
    // A detail asked by then is waited for however long it takes (a loaded machine); none asked, the load begins.
    const asked = await Promise.race([
      firstAsked.then(() => true),
      new Promise((resolve) => setTimeout(resolve, FIRST_DETAIL_WAIT_MS, false)),
    ]);
    if (asked) await firstDetail;
    campaignMark('worker: campaignFacts asked');
    const { campaign, head, parts } = await b.call('campaignFacts', { campaignId });
    const got: SnapshotPart[] = [];
    for (let part = 0; part < parts; part++) got.push(await b.call('campaignPart', { campaignId, part }));
    const assigned = await b.call('campaignAssigned', { campaignId });
    campaignMark('worker: campaignFacts received');
    // The look-ups over the snapshot only: the items are the stored table's.
    const data = campaignData(campaign.scopeFilter, joinSnapshot(head, got), [], new Map());
    const out = { campaign, facts: factsOf(data), assigned: assignedLookup(assigned, tableIds) };
    ready = true;
    campaignMark('worker: campaign facts built');
    return out;
  })();
}

/** Everything, summaries included, for a table built here. */
async function loadAll(campaignId: string) {
  campaignMark('worker: campaignData asked');
  const { campaign, snapshot, suggestions, assigned } = await (await backend).call('campaignData', { campaignId });
  campaignMark('worker: campaignData received');
  const data = campaignData(campaign.scopeFilter, snapshot, summariesOf(suggestions), assignedMap(assigned));
  const ids = data.items.map((s) => s.itemId);
  refs = { itemIds: () => ids, places: placesOf(data.items) };
  ready = true;
  return { data, loaded: { campaign, facts: factsOf(data), assigned: (_: number, itemId: string) => data.assigned.get(itemId) } };
}

function itemsOf(): ItemRefs {
  if (!refs) throw new Error('the campaign is not open');
  return refs;
}

function placeOf(index: number): { itemId: string; place: SuggestionPlace } {
  const r = itemsOf();
  const itemId = r.itemIds()[index];
  if (itemId === undefined) throw new Error(`no item ${index} in this campaign`);
  return { itemId, place: { chunk: r.places.chunk[index]!, row: r.places.row[index]! } };
}

/** The full suggestions of these items, read from the stored set by the backend. */
async function fullSuggestions(campaignId: string, indices: readonly number[]): Promise<Suggestion[]> {
  const asked = indices.map(placeOf);
  const full = await (await backend).call('suggestionsAt', { campaignId, places: asked.map((a) => a.place) });
  full.forEach((s, k) => {
    const { itemId, place } = asked[k]!;
    if (s.itemId !== itemId) throw new Error(`the stored suggestion at ${place.chunk}:${place.row} is ${s.itemId}, not ${itemId}`);
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
  /** `first`: where the screen opens in the table's own order, its selection (selectedInOrder): that item's detail is
   * begun here as the table leaves, before the screen has rendered it and asks. */
  open: (args: { campaignId: string; backend: MessagePort; first?: { pos: number; id: string | null } }) => Promise<OpenedCampaign>;
  detail: (args: { campaignId: string; index: number }) => Promise<ItemDetail>;
  snapshots: (args: { campaignId: string; indices: number[] }) => Promise<SuggestionSnapshot[]>;
};

const handlers: CampaignHandlers = {
  async open({ campaignId, backend: port, first }) {
    const channel = connect<CampaignDataHandlers>(port as unknown as Endpoint);
    port.start();
    linked(channel);
    const { campaign, basis, stored, places } = await channel.call('campaignOpening', { campaignId, format: TABLE_FORMAT });
    if (stored && stored.count === campaign.itemCount && places?.chunk.length === stored.count) {
      // The table is ready at once; the snapshot loads meanwhile, for the detail of items (the backend serves them
      // one by one until then).
      refs = { places, itemIds: idsOf(stored) };
      loaded = loadFacts(campaignId, 'packedItemIds' in stored ? stored.packedItemIds : undefined);
      loaded.catch(() => {});
      // Once the table has left: the ids split (a million take a while) and the first item's detail begun. The table's
      // arrays are transferred (detached here), so a restored selection is looked up in a copy of the id order.
      const byItemId = first?.id != null ? stored.byItemId.slice() : new Uint32Array(0);
      setTimeout(() => {
        tableLeftDone();
        const ids = refs?.itemIds();
        if (!first || !ids) return;
        const index = selectedInOrder({ byItemId, itemIds: ids, count: stored.count }, first);
        if (index >= 0) ahead = { index, detail: handlers.detail({ campaignId, index }) };
        ahead?.detail.catch(() => {});
      }, 0);
      return transfer({ campaign, table: stored, basis }, tableTransferables(stored));
    }
    const all = loadAll(campaignId);
    loaded = all.then((a) => a.loaded);
    const { data } = await all;
    const table = packTable(buildCampaignTable(data));
    // Copied to the UI thread (not transferred: it is stored too), so the next opening reads it back at once.
    void channel
      .call('putCampaignTable', { campaignId: campaign.id, format: TABLE_FORMAT, basis, table, places: itemsOf().places })
      .catch((e: unknown) => console.warn('campaign table not stored', e));
    return { campaign, table, basis };
  },
  async detail({ campaignId, index }) {
    if (!loaded) throw new Error('the campaign is not open');
    if (ahead?.index === index) {
      const { detail } = ahead;
      ahead = null;
      return detail;
    }
    const own = async () => {
      const l = await loaded!;
      const [full] = await fullSuggestions(campaignId, [index]);
      return detailOf(l.facts, index, full!, l.assigned(index, full!.itemId));
    };
    if (ready) return own();
    // The backend's until the data is here, or this worker's if that is first: the two are equal.
    const { itemId, place } = placeOf(index);
    campaignMark(`worker: early detail ${index} asked`);
    firstAskedDone();
    const early = (await backend).call('earlyDetail', { campaignId, index, itemId, place });
    // Settled either way, the load may begin (it is this detail's other way if the backend's failed).
    early.then(firstDetailDone, firstDetailDone);
    const d = await Promise.any([early, loaded.then(own)]).catch((e: unknown) => {
      throw e instanceof AggregateError ? e.errors[0] : e;
    });
    campaignMark(`worker: detail ${index} answered`);
    return d;
  },
  async snapshots({ campaignId, indices }) {
    await loaded;
    return (await fullSuggestions(campaignId, indices)).map(suggestionSnapshot);
  },
};
connect(self as never, handlers);

/** The item ids of a stored table, split on first use (a stored table's are one string). */
function idsOf(stored: PackedCampaignTable): () => readonly string[] {
  let ids: readonly string[] | undefined;
  return () => (ids ??= itemIdsOf(stored));
}

// What a campaign worker reads from the database, served by the backend on a port of the worker's own (the UI hands
// one end to each): the campaign, its stored review table, and the snapshot, suggestions and assignments behind it;
// and, while the worker loads, one item's detail made here (campaign-early.ts) from the chunks that hold it, or else
// from the snapshot read for that load.
import { connect, type Endpoint } from '../../shared/rpc';
import {
  assignedColumns,
  campaignMark,
  snapshotHead,
  snapshotPart,
  snapshotPartCount,
  detailOf,
  itemFacts,
  peersOfDetail,
  snapshotFacts,
  summaryColumns,
  type CampaignDataHandlers,
  type PackedCampaignTable,
  type SnapshotFacts,
} from '../workers';
import {
  campaignTableBasis,
  database,
  getCampaign,
  getStoredCampaignTable,
  loadCampaignAssignmentChunks,
  loadCampaignAssignmentOf,
  loadCampaignSnapshotColumns,
  loadSuggestionSummaries,
  loadSuggestionsAt,
  putCampaignTable,
  readSnapshotItem,
  type CampaignRecord,
  type ColumnarSnapshot,
} from '../db';

async function campaignOf(campaignId: string): Promise<CampaignRecord> {
  const campaign = await getCampaign(database(), campaignId);
  if (!campaign) throw new Error('campaign not found');
  return campaign;
}

/** A campaign's snapshot while something reads it (its whole load, early details): read once for all of them, let go
 * when the last is done. */
interface Reading {
  /** Read on first use: an early detail reads only the chunks it needs, if it can. */
  snapshot: () => Promise<ColumnarSnapshot>;
  facts?: SnapshotFacts;
  users: number;
  /** The early details under way: a reply of the whole load (cloning on this thread) waits for them. */
  early: Set<Promise<unknown>>;
  /** The early detail asked last (the next one waits for it). */
  lastEarly?: Promise<unknown>;
  /** Held for a worker asking for the snapshot's parts: let go at the last part, or when it stops asking. */
  lease?: ReturnType<typeof setTimeout>;
}
const readings = new Map<string, Reading>();
const LEASE_MS = 120_000;

function acquire(campaign: CampaignRecord): Reading {
  let r = readings.get(campaign.id);
  if (!r) {
    let read: Promise<ColumnarSnapshot> | undefined;
    const snapshot = () => {
      if (!read) (read = loadCampaignSnapshotColumns(database(), campaign)).catch(() => {});
      return read;
    };
    r = { snapshot, users: 0, early: new Set() };
    readings.set(campaign.id, r);
  }
  r.users++;
  return r;
}

function release(campaignId: string, r: Reading): void {
  if (--r.users === 0 && readings.get(campaignId) === r) readings.delete(campaignId);
}

async function withSnapshot<T>(campaign: CampaignRecord, work: (r: Reading) => Promise<T>): Promise<T> {
  const r = acquire(campaign);
  try {
    return await work(r);
  } finally {
    release(campaign.id, r);
  }
}

/** The reading held (one hold per reading) for LEASE_MS from now. */
function hold(campaign: CampaignRecord, r: Reading): void {
  if (r.lease === undefined) r.users++;
  else clearTimeout(r.lease);
  r.lease = setTimeout(() => letGo(campaign.id, r), LEASE_MS);
}

function letGo(campaignId: string, r: Reading): void {
  if (r.lease === undefined) return;
  clearTimeout(r.lease);
  r.lease = undefined;
  release(campaignId, r);
}

/** Lets the early details asked by now answer before a reply that holds this thread while it is cloned. */
async function earlyFirst(r: Reading): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await Promise.allSettled([...r.early]);
}

/** The reads served (exported for tests: the worker reaches them over a port). */
export const campaignHandlers: CampaignDataHandlers = {
  async campaignOpening({ campaignId, format }) {
    const campaign = await campaignOf(campaignId);
    const basis = await campaignTableBasis(database(), campaign.snapshotId);
    const stored = await getStoredCampaignTable<PackedCampaignTable>(database(), campaign.id, format, basis);
    // The first item's suggestion chunk read ahead (kept as the last chunk read): its detail is asked first.
    if (stored?.places?.chunk.length)
      void loadSuggestionsAt(database(), campaign.suggestionKey, [{ chunk: stored.places.chunk[0]!, row: stored.places.row[0]! }]).catch(
        () => {},
      );
    return { campaign, basis, stored: stored?.table, ...(stored?.places ? { places: stored.places } : {}) };
  },
  async campaignData({ campaignId }) {
    const db = database();
    const campaign = await campaignOf(campaignId);
    const [snapshot, suggestions, assigned] = await withSnapshot(campaign, async (r) => {
      campaignMark('backend: campaignData reads begin');
      const read = await Promise.all([
        r.snapshot().then((x) => (campaignMark('backend: snapshot read'), x)),
        loadSuggestionSummaries(db, campaign.suggestionKey).then((x) => (campaignMark('backend: summaries read'), x)),
        loadCampaignAssignmentChunks(db, campaign.id).then((x) => (campaignMark('backend: reviewer assignments read'), x)),
      ]);
      // An early detail waiting on the same reads, or asked meanwhile, answers before this reply holds the thread.
      await earlyFirst(r);
      campaignMark('backend: campaignData replies');
      return read;
    });
    return {
      campaign,
      snapshot,
      suggestions: summaryColumns(suggestions),
      assigned: assigned.map(({ itemIds, reviewerIds, reasons }) => ({ itemIds, reviewerIds, reasons })),
    };
  },
  async campaignFacts({ campaignId }) {
    const campaign = await campaignOf(campaignId);
    return withSnapshot(campaign, async (r) => {
      hold(campaign, r);
      campaignMark('backend: campaignFacts reads begin');
      const snapshot = await r.snapshot().catch((e: unknown) => {
        letGo(campaign.id, r);
        throw e;
      });
      campaignMark('backend: campaignFacts read');
      await earlyFirst(r);
      const parts = snapshotPartCount(snapshot);
      if (!parts) letGo(campaign.id, r);
      return { campaign, head: snapshotHead(snapshot), parts };
    });
  },
  async campaignPart({ campaignId, part }) {
    const campaign = await campaignOf(campaignId);
    return withSnapshot(campaign, async (r) => {
      const snapshot = await r.snapshot();
      await earlyFirst(r);
      const last = part === snapshotPartCount(snapshot) - 1;
      if (last) letGo(campaign.id, r);
      else hold(campaign, r);
      return snapshotPart(snapshot, part);
    });
  },
  async campaignAssigned({ campaignId }) {
    return assignedColumns(await loadCampaignAssignmentChunks(database(), campaignId));
  },
  async suggestionsAt({ campaignId, places }) {
    const campaign = await campaignOf(campaignId);
    return loadSuggestionsAt(database(), campaign.suggestionKey, places);
  },
  async earlyDetail({ campaignId, index, itemId, place }) {
    const db = database();
    const campaign = await campaignOf(campaignId);
    return withSnapshot(campaign, (r) => {
      // One after another, in the order asked: the screen's own item first, what it reads ahead after.
      const before = r.lastEarly;
      const work = (async () => {
        await before?.catch(() => {});
        const [[full], assigned] = await Promise.all([
          loadSuggestionsAt(db, campaign.suggestionKey, [place]),
          loadCampaignAssignmentOf(db, campaign.id, index, itemId),
        ]);
        if (full?.itemId !== itemId)
          throw new Error(`the stored suggestion at ${place.chunk}:${place.row} is ${full?.itemId}, not ${itemId}`);
        campaignMark(`backend: early detail ${index} suggestion read`);
        // The chunks that hold this item where the snapshot has their keys, else the whole snapshot (read once for
        // every early detail and the worker's load).
        const ask = {
          identityId: full.identityId,
          ...(full.entitlementId ? { entitlementId: full.entitlementId } : {}),
          peers: peersOfDetail(full),
        };
        const read = r.facts
          ? undefined
          : await readSnapshotItem(db, campaign, ask, (what) => campaignMark(`backend: early detail ${index}: ${what}`));
        campaignMark(`backend: early detail ${index} ${read ? 'chunks' : 'snapshot'} read`);
        // Read whole: kept for the worker's load that follows (campaignFacts), unless another read holds it already.
        if (!read && r.users === 1) hold(campaign, r);
        const facts = read ? itemFacts(read, ask) : (r.facts ??= snapshotFacts(await r.snapshot()));
        const detail = detailOf(facts, index, full, assigned);
        campaignMark(`backend: early detail ${index} built`);
        return detail;
      })();
      r.early.add(work);
      r.lastEarly = work;
      return work.finally(() => r.early.delete(work));
    });
  },
  putCampaignTable: ({ campaignId, format, basis, table, places }) =>
    putCampaignTable(database(), campaignId, format, basis, table, places),
};

/** Serves a campaign worker's reads on `port` for as long as the worker lives. */
export function serveCampaignPort({ port }: { port: MessagePort }): void {
  connect(port as unknown as Endpoint, campaignHandlers);
  port.start();
}

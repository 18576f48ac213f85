// The campaign worker: lives as long as the campaign is open in the app. It loads the snapshot, the
// suggestions and the reviewer assignments once (ARCHITECTURE.md, "Storage": snapshots are held in a worker),
// hands the UI thread a compact table of the items, and serves one item's full detail on demand.
import { campaignTableBasis, database, getCampaign, getCampaignTable, loadCampaignAssignments, loadCampaignSnapshot, loadSuggestions, putCampaignTable, type CampaignRecord } from '../db';
import { TABLE_FORMAT, buildCampaignTable, campaignData, itemDetail, packTable, suggestionSnapshot, tableTransferables, type CampaignData, type PackedCampaignTable } from './campaign-table';
import type { CampaignRequest, CampaignResponse } from './campaign-protocol';

interface WorkerScope {
  postMessage(message: CampaignResponse, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<CampaignRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

let loaded: Promise<{ data: CampaignData; campaign: NonNullable<Awaited<ReturnType<typeof getCampaign>>> }> | null = null;

function load(campaignId: string) {
  loaded ??= (async () => {
    const db = database();
    const campaign = await getCampaign(db, campaignId);
    if (!campaign) throw new Error('campaign not found');
    const [snapshot, suggestions, assigned] = await Promise.all([loadCampaignSnapshot(db, campaign), loadSuggestions(db, campaign.suggestionKey), loadCampaignAssignments(db, campaign.id)]);
    return { data: campaignData(campaign.scopeFilter, snapshot, suggestions, assigned), campaign };
  })();
  return loaded;
}

scope.onmessage = (event) => {
  const msg = event.data;
  const reply = (value: unknown, transfer: Transferable[] = []) => scope.postMessage({ id: msg.id, ok: true, value }, transfer);
  const fail = (e: unknown) => scope.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  (async () => {
    if (msg.method === 'open') {
      const db = database();
      const campaign = await getCampaign(db, msg.campaignId);
      if (!campaign) throw new Error('campaign not found');
      const basis = await campaignTableBasis(db, campaign.snapshotId);
      const stored = await getCampaignTable<PackedCampaignTable>(db, campaign.id, TABLE_FORMAT, basis);
      if (stored && stored.count === campaign.itemCount) {
        // The table is ready at once; the snapshot loads meanwhile, for the detail of items.
        reply({ campaign, table: stored, basis } satisfies { campaign: CampaignRecord; table: PackedCampaignTable; basis: string }, tableTransferables(stored));
        void load(msg.campaignId).catch(() => {});
        return;
      }
      const { data } = await load(msg.campaignId);
      const table = packTable(buildCampaignTable(data));
      // Copied to the UI thread (not transferred: it is stored too), so the next opening reads it back at once.
      reply({ campaign, table, basis });
      await putCampaignTable(db, campaign.id, TABLE_FORMAT, basis, table).catch((e: unknown) => console.warn('campaign table not stored', e));
    } else if (msg.method === 'detail') {
      const { data } = await load(msg.campaignId);
      reply(itemDetail(data, msg.index));
    } else if (msg.method === 'snapshots') {
      const { data } = await load(msg.campaignId);
      reply(msg.indices.map((i) => suggestionSnapshot(data.items[i]!)));
    }
  })().catch(fail);
};

// A campaign's compact item table (see renderer/workers/campaign-table.ts), stored once built: it is derived
// from the immutable snapshot, suggestions and reviewer assignments of the campaign, so it never goes stale.
// Opening a stored campaign reads a few typed arrays instead of 100,000 suggestion objects.
import { listClassCorrections } from './class-corrections';
import type { CampaignTableRecord, ItemPlaces, WorkbenchDatabase } from './database';

/** `basis` names what else the table was built from (the snapshot's class corrections): a table built on another basis is not returned. */
export async function getCampaignTable<T>(
  db: WorkbenchDatabase,
  campaignId: string,
  format: number,
  basis: string,
): Promise<T | undefined> {
  const r = await db.campaignTables.get(campaignId);
  return r && r.format === format && r.basis === basis ? (r.table as T) : undefined;
}

export async function putCampaignTable(
  db: WorkbenchDatabase,
  campaignId: string,
  format: number,
  basis: string,
  table: unknown,
  places?: ItemPlaces,
): Promise<void> {
  await db.campaignTables.put({ campaignId, format, basis, table, ...(places ? { places } : {}) });
}

/** As getCampaignTable, with the items' places where they were stored with it. */
export async function getStoredCampaignTable<T>(
  db: WorkbenchDatabase,
  campaignId: string,
  format: number,
  basis: string,
): Promise<{ table: T; places?: ItemPlaces } | undefined> {
  const r = await db.campaignTables.get(campaignId);
  if (!r || r.format !== format || r.basis !== basis) return undefined;
  return { table: r.table as T, ...(r.places ? { places: r.places } : {}) };
}

/** The basis of a campaign table: identity classes come from the snapshot with its class corrections applied (append-only). */
export async function campaignTableBasis(db: WorkbenchDatabase, snapshotId: string): Promise<string> {
  return `corrections:${(await listClassCorrections(db, snapshotId)).length}`;
}

export async function deleteCampaignTable(db: WorkbenchDatabase, campaignId: string): Promise<void> {
  await db.campaignTables.delete(campaignId);
}

export type { CampaignTableRecord };

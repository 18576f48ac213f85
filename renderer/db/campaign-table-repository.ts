// A campaign's compact item table (see renderer/workers/campaign-table.ts), stored once built: it is derived
// from the immutable snapshot, suggestions and reviewer assignments of the campaign, so it never goes stale.
// Opening a stored campaign reads a few typed arrays instead of 100,000 suggestion objects.
import type { CampaignTableRecord, WorkbenchDatabase } from './database';

export async function getCampaignTable<T>(db: WorkbenchDatabase, campaignId: string, format: number): Promise<T | undefined> {
  const r = await db.campaignTables.get(campaignId);
  return r && r.format === format ? (r.table as T) : undefined;
}

export async function putCampaignTable(db: WorkbenchDatabase, campaignId: string, format: number, table: unknown): Promise<void> {
  await db.campaignTables.put({ campaignId, format, table });
}

export async function deleteCampaignTable(db: WorkbenchDatabase, campaignId: string): Promise<void> {
  await db.campaignTables.delete(campaignId);
}

export type { CampaignTableRecord };

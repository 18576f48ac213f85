// Campaigns, reviewers, settings, and the append-only audit log. An event is committed before anyone is told it is saved.
import Dexie from 'dexie';
import { chainEvent } from '../../shared/review';
import type { AuditEvent, AuditEventBody } from '../../shared/review';
import type { CampaignAssignmentChunk, CampaignRecord, ReviewerRecord, WorkbenchDatabase } from './database';

export async function appendEvent(db: WorkbenchDatabase, body: AuditEventBody): Promise<AuditEvent> {
  return db.transaction('rw', db.events, async () => {
    const last = await db.events.where('[campaignId+seq]').between([body.campaignId, Dexie.minKey], [body.campaignId, Dexie.maxKey]).last();
    const event = chainEvent(last ?? null, body);
    await db.events.add(event);
    return event;
  });
}

export async function listEvents(db: WorkbenchDatabase, campaignId: string): Promise<AuditEvent[]> {
  return db.events.where('[campaignId+seq]').between([campaignId, Dexie.minKey], [campaignId, Dexie.maxKey]).toArray();
}

export async function createCampaign(db: WorkbenchDatabase, campaign: CampaignRecord, created: AuditEventBody): Promise<void> {
  await db.transaction('rw', db.campaigns, db.events, async () => {
    await db.campaigns.add(campaign);
    await appendEvent(db, created);
  });
}

export async function listCampaigns(db: WorkbenchDatabase): Promise<CampaignRecord[]> {
  return db.campaigns.orderBy('createdAt').reverse().toArray();
}

export async function getCampaign(db: WorkbenchDatabase, id: string): Promise<CampaignRecord | undefined> {
  return db.campaigns.get(id);
}

export async function listReviewers(db: WorkbenchDatabase): Promise<ReviewerRecord[]> {
  return db.reviewers.orderBy('id').toArray();
}

export async function saveReviewer(db: WorkbenchDatabase, reviewer: ReviewerRecord): Promise<void> {
  await db.reviewers.put(reviewer);
}

export async function getSetting<T>(db: WorkbenchDatabase, key: string): Promise<T | undefined> {
  return (await db.settings.get(key))?.value as T | undefined;
}

export async function putSetting(db: WorkbenchDatabase, key: string, value: unknown): Promise<void> {
  await db.settings.put({ key, value });
}

const ASSIGNMENTS_PER_CHUNK = 50_000;

export async function storeCampaignAssignments(
  db: WorkbenchDatabase,
  campaignId: string,
  rows: { itemId: string; reviewerId: string; reason: string }[],
): Promise<void> {
  await db.transaction('rw', db.campaignAssignments, async () => {
    await db.campaignAssignments.where('campaignId').equals(campaignId).delete();
    for (let i = 0, index = 0; i < rows.length; i += ASSIGNMENTS_PER_CHUNK, index++) {
      const part = rows.slice(i, i + ASSIGNMENTS_PER_CHUNK);
      await db.campaignAssignments.add({
        campaignId,
        index,
        itemIds: part.map((r) => r.itemId),
        reviewerIds: part.map((r) => r.reviewerId),
        reasons: part.map((r) => r.reason),
      });
    }
  });
}

/** A campaign's reviewer assignments as stored, its chunks in order (what a campaign worker is handed). */
export function loadCampaignAssignmentChunks(db: WorkbenchDatabase, campaignId: string): Promise<CampaignAssignmentChunk[]> {
  return db.campaignAssignments.where('campaignId').equals(campaignId).sortBy('index');
}

/** The reviewer assignment of one item (the `index`th of the campaign, as stored in campaign order), read from its
 * chunk alone where the order holds, else found in all of them; undefined for an item without one. */
export async function loadCampaignAssignmentOf(
  db: WorkbenchDatabase,
  campaignId: string,
  index: number,
  itemId: string,
): Promise<{ reviewerId: string; reason: string } | undefined> {
  const at = (c: CampaignAssignmentChunk | undefined, r: number) =>
    c && c.itemIds[r] === itemId ? { reviewerId: c.reviewerIds[r]!, reason: c.reasons[r]! } : undefined;
  const guess = at(
    await db.campaignAssignments.get([campaignId, Math.floor(index / ASSIGNMENTS_PER_CHUNK)]),
    index % ASSIGNMENTS_PER_CHUNK,
  );
  if (guess) return guess;
  for (const c of await loadCampaignAssignmentChunks(db, campaignId)) {
    const r = c.itemIds.indexOf(itemId);
    if (r >= 0) return at(c, r);
  }
  return undefined;
}

export async function loadCampaignAssignments(
  db: WorkbenchDatabase,
  campaignId: string,
): Promise<Map<string, { reviewerId: string; reason: string }>> {
  const out = new Map<string, { reviewerId: string; reason: string }>();
  for (const c of await loadCampaignAssignmentChunks(db, campaignId)) {
    for (let i = 0; i < c.itemIds.length; i++) out.set(c.itemIds[i]!, { reviewerId: c.reviewerIds[i]!, reason: c.reasons[i]! });
  }
  return out;
}

// Campaigns across laptops, stored: the owner's pinned colleagues' keys, the work packages issued and every decision
// set ever received (kept as the signed bytes, so the merge can always be re-run from scratch), and on a reviewer's
// laptop the work package received and, for approval packages, the approver's own event chain.
import type { TrustedKey } from '../../shared/package';
import type { WorkItem } from '../../shared/exchange';
import type { AuditEvent } from '../../shared/review';
import type { ReceivedWorkPackage, WorkbenchDatabase } from './database';

/** An approval work package received on the approver's laptop: the pending decisions to approve. */
export interface ReceivedApprovalPackage extends ReceivedWorkPackage {
  campaignId: string;
  campaignName: string;
  dueDate: string | null;
  items: WorkItem[];
}

export async function listReceivedApprovalPackages(db: WorkbenchDatabase): Promise<ReceivedApprovalPackage[]> {
  return (await db.settings.where('key').startsWith('exchange:approvalPackage:').toArray())
    .map((r) => r.value as ReceivedApprovalPackage)
    .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1));
}

export interface PinnedKey extends TrustedKey {
  /** The colleague's profile id on their laptop, when their exported key names it (decisions carry it). */
  arwProfileId?: string;
  pinnedAt: string;
  pinnedBy: string;
}

export interface IssuedWorkPackage {
  campaignId: string;
  statementDigest: string;
  id: string;
  kind: 'review' | 'approval';
  reviewerId: string;
  items: number;
  issuedAt: string;
  fileName: string;
  bytes: Uint8Array;
}

export interface ReceivedDecisionSet {
  campaignId: string;
  /** SHA-256 of the file's bytes (the same file received twice is kept once). */
  sha256: string;
  fileName: string;
  receivedAt: string;
  bytes: Uint8Array;
}

const PINNED = 'trustedKeys';
const issuedPrefix = (campaignId: string) => `exchange:${campaignId}:wp:`;
const receivedPrefix = (campaignId: string) => `exchange:${campaignId}:ds:`;

export async function listPinnedKeys(db: WorkbenchDatabase): Promise<PinnedKey[]> {
  return ((await db.settings.get(PINNED))?.value as PinnedKey[] | undefined) ?? [];
}

export async function savePinnedKeys(db: WorkbenchDatabase, keys: PinnedKey[]): Promise<void> {
  await db.settings.put({ key: PINNED, value: keys });
}

async function byPrefix<T>(db: WorkbenchDatabase, prefix: string): Promise<T[]> {
  return (await db.settings.where('key').startsWith(prefix).toArray()).map((r) => r.value as T);
}

export async function storeIssuedWorkPackages(db: WorkbenchDatabase, packages: IssuedWorkPackage[]): Promise<void> {
  await db.settings.bulkPut(packages.map((p) => ({ key: `${issuedPrefix(p.campaignId)}${p.statementDigest}`, value: p })));
}

export async function listIssuedWorkPackages(db: WorkbenchDatabase, campaignId: string): Promise<IssuedWorkPackage[]> {
  return (await byPrefix<IssuedWorkPackage>(db, issuedPrefix(campaignId))).sort((a, b) =>
    a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : a.id < b.id ? -1 : 1,
  );
}

/** Adds the files not seen before; returns how many were new. */
export async function storeReceivedDecisionSets(db: WorkbenchDatabase, sets: ReceivedDecisionSet[]): Promise<number> {
  return db.transaction('rw', db.settings, async () => {
    let added = 0;
    for (const s of sets) {
      const key = `${receivedPrefix(s.campaignId)}${s.sha256}`;
      if (await db.settings.get(key)) continue;
      await db.settings.add({ key, value: s });
      added++;
    }
    return added;
  });
}

export async function listReceivedDecisionSets(db: WorkbenchDatabase, campaignId: string): Promise<ReceivedDecisionSet[]> {
  return (await byPrefix<ReceivedDecisionSet>(db, receivedPrefix(campaignId))).sort((a, b) =>
    a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0,
  );
}

/** The work package this laptop received for a campaign (its signed bytes). */
export async function receivedWorkPackageBytes(db: WorkbenchDatabase, statementDigest: string): Promise<Uint8Array | undefined> {
  return (await db.settings.get(`exchange:received:${statementDigest}`))?.value as Uint8Array | undefined;
}

export async function storeReceivedWorkPackageBytes(db: WorkbenchDatabase, statementDigest: string, bytes: Uint8Array): Promise<void> {
  await db.settings.put({ key: `exchange:received:${statementDigest}`, value: bytes });
}

/** An approver's chain for one approval work package (kept apart from any review chain of the same campaign). */
export async function approvalChain(db: WorkbenchDatabase, statementDigest: string): Promise<AuditEvent[]> {
  return ((await db.settings.get(`exchange:approvals:${statementDigest}`))?.value as AuditEvent[] | undefined) ?? [];
}

export async function saveApprovalChain(db: WorkbenchDatabase, statementDigest: string, events: AuditEvent[]): Promise<void> {
  await db.settings.put({ key: `exchange:approvals:${statementDigest}`, value: events });
}

/**
 * Appends to an approver's chain in one transaction (read, chain, write), so an approval is on disk before the page
 * shows it. `next` receives the chain so far and returns the events to append (chained by the caller's rule).
 */
export async function appendToApprovalChain(
  db: WorkbenchDatabase,
  statementDigest: string,
  next: (events: AuditEvent[]) => AuditEvent[],
): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const events = await approvalChain(db, statementDigest);
    const added = next(events);
    if (added.length) await saveApprovalChain(db, statementDigest, [...events, ...added]);
  });
}

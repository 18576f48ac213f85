// An early detail read from the few chunks that hold its item (readSnapshotItem, by the keys written at import)
// equals the detail of the loaded campaign: an identity in the last identity chunk, a peer the snapshot does not hold,
// credential items; and where the chunks cannot give it (no keys, nesting links) the whole snapshot is read instead.
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeAssignmentChunks, importFiles } from '../../shared/import';
import { DEFAULT_POLICY, type Suggestion } from '../../shared/suggest';
import {
  database,
  deleteSnapshot,
  idKey,
  readSnapshotItem,
  removeIncompleteSnapshots,
  storeAssignmentChunk,
  storeSnapshot,
} from '../../renderer/db';
import { RECORDS_PER_CHUNK } from '../../renderer/db/chunk-codec';
import { tasks, type CreateCampaignArgs } from '../../renderer/backend/tasks';
import { campaignHandlers } from '../../renderer/backend/campaign-data';
import type { TaskContext } from '../../renderer/backend/protocol';
import { TABLE_FORMAT, assignedMap, campaignData, summariesOf, unpackTable } from '../../renderer/workers';
import { itemDetail, peersOfDetail } from '../../renderer/workers/campaign-table';
import { detailOf, itemFacts } from '../../renderer/workers/campaign-early';
import { writeWorkbenchCsv } from '../bench/workbench-data';

const ctx: TaskContext = { progress: () => {}, isCancelled: () => false, call: () => Promise.reject(new Error('no calls')) };
const actor = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aaaa' };
const everything = { applications: [], identityTypes: [], privileges: [] };
const args = (id: string, snapshotId: string): CreateCampaignArgs => ({
  id,
  name: id,
  snapshotId,
  policy: DEFAULT_POLICY,
  asOf: '2026-11-22',
  scope: everything,
  assignment: { rule: 'manager', fallbackReviewerId: actor.id },
  profiles: [actor],
  actor,
});
const load = (paths: string[]) =>
  importFiles(paths.map((f) => ({ name: f.split('/').pop()!, bytes: new Uint8Array(readFileSync(f)) }))).data;
// More identities than one record chunk holds, and assignments over two chunks.
const IDENTITIES = RECORDS_PER_CHUNK + 1500;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arw-campaign-chunks-'));
  try {
    const gen = writeWorkbenchCsv(dir, { identities: IDENTITIES, assignments: 70_000, seed: 7 });
    await storeSnapshot(database(), {
      id: 'gen',
      name: 'gen',
      createdAt: '2026-11-21T00:00:00Z',
      data: load(gen.files.map((f) => f.path)),
      sources: [],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const csv = readdirSync('test/fixtures/workbench-csv').map((f) => join('test/fixtures/workbench-csv', f));
  const sources = [{ file: 'credentials.csv', format: 'workbench-csv', sha256: 'ab'.repeat(32), bytes: 1, rows: 1 }];
  await storeSnapshot(database(), {
    id: 'csv',
    name: 'csv',
    createdAt: '2026-11-21T00:00:00Z',
    data: load(csv),
    sources: sources as never,
  });
  await storeSnapshot(database(), {
    id: 'nested',
    name: 'nested',
    createdAt: '2026-11-21T00:00:00Z',
    data: load([...csv, 'test/fixtures/nested/openldap-nested.ldif']),
    sources: [],
  });
}, 120_000);

/** A campaign over a snapshot: its table's places and the detail of the loaded campaign, by index. */
async function opened(name: string, snapshotId: string) {
  await tasks.createCampaign(args(name, snapshotId), ctx);
  const opening = await campaignHandlers.campaignOpening({ campaignId: name, format: TABLE_FORMAT });
  const table = unpackTable(opening.stored!);
  const places = opening.places!;
  const served = await campaignHandlers.campaignData({ campaignId: name });
  const data = campaignData(served.campaign.scopeFilter, served.snapshot, summariesOf(served.suggestions), assignedMap(served.assigned));
  const place = (index: number) => ({ chunk: places.chunk[index]!, row: places.row[index]! });
  const full = async (index: number): Promise<Suggestion> =>
    (await campaignHandlers.suggestionsAt({ campaignId: name, places: [place(index)] }))[0]!;
  return {
    campaign: served.campaign,
    data,
    full,
    loaded: async (index: number, s?: Suggestion) => itemDetail(data, index, s ?? (await full(index))),
    early: (index: number) => campaignHandlers.earlyDetail({ campaignId: name, index, itemId: table.itemIds[index]!, place: place(index) }),
  };
}

const askOf = (s: Suggestion) => ({
  identityId: s.identityId,
  ...(s.entitlementId ? { entitlementId: s.entitlementId } : {}),
  peers: peersOfDetail(s),
});

describe('an early detail read from the chunks that hold its item', () => {
  it('equals the loaded detail for an identity in the last record chunk, with peers, its assignment and a peer not in the snapshot', async () => {
    const c = await opened('gen', 'gen');
    const last = c.data.items.findLastIndex((s) => s.entitlementId !== undefined && Number(s.identityId.slice(1)) >= RECORDS_PER_CHUNK);
    expect(last).toBeGreaterThanOrEqual(0);
    const withPeers = c.data.items.findIndex((s, i) => i > 0 && s.entitlementId !== undefined);
    for (const index of [last, withPeers, 0, c.data.items.length - 1]) {
      const s = await c.full(index);
      const read = await readSnapshotItem(database(), c.campaign, askOf(s));
      expect(read, 'the keys give the chunks').toBeDefined();
      const early = await c.early(index);
      expect(early).toEqual(await c.loaded(index));
      expect(detailOf(itemFacts(read!, askOf(s)), index, s, undefined)).toEqual(
        await c.loaded(index, s).then((d) => ({ ...d, ...noReviewer })),
      );
      if (s.entitlementId) expect(early.assignment?.entitlementId).toBe(s.entitlementId);
    }
    const early = await c.early(last);
    expect(early.identity?.id).toBe(c.data.items[last]!.identityId);
    expect(early.peers.some((p) => p !== null && p.length > 0)).toBe(true);

    // A signal listing peers the snapshot does not hold (a last identity chunk's, one absent, one holding the
    // entitlement): named by id, holding nothing, as the loaded detail shows them.
    const s = await c.full(withPeers);
    const holder = c.data.items.find((o) => o.entitlementId === s.entitlementId && o.identityId !== s.identityId)!.identityId;
    const lastChunkPeer = c.data.items[last]!.identityId;
    const odd: Suggestion = {
      ...s,
      signals: [
        ...s.signals,
        { ...s.signals[0]!, peers: { group: 'department:x', members: ['nobody-here', lastChunkPeer, holder] } as never },
      ],
    };
    const read = await readSnapshotItem(database(), c.campaign, askOf(odd));
    const got = detailOf(itemFacts(read!, askOf(odd)), withPeers, odd, undefined);
    expect(got).toEqual({ ...(await c.loaded(withPeers, odd)), ...noReviewer });
    const listed = got.peers.at(-1)!;
    expect(listed.map((p) => [p.name, p.holds])).toEqual([
      ['nobody-here', false],
      [c.data.identities.get(lastChunkPeer)!.displayName, c.data.assignments.has(lastChunkPeer, s.entitlementId!)],
      [c.data.identities.get(holder)!.displayName, true],
    ]);
  }, 120_000);

  it('equals the loaded detail for every item of a snapshot with credentials and sources', async () => {
    const c = await opened('csv', 'csv');
    let credentials = 0;
    for (let index = 0; index < c.data.items.length; index++) {
      const s = await c.full(index);
      expect(await readSnapshotItem(database(), c.campaign, askOf(s))).toBeDefined();
      const early = await c.early(index);
      expect(early).toEqual(await c.loaded(index));
      if (early.credential) credentials++;
    }
    expect(credentials).toBeGreaterThan(0);
  }, 60_000);

  it('reads the whole snapshot where the chunks cannot give the detail: nesting links, keys absent', async () => {
    const nested = await opened('nested', 'nested');
    const index = nested.data.items.findIndex(
      (s) => s.entitlementId && nested.data.assignments.get(s.identityId, s.entitlementId)?.path?.length,
    );
    expect(index).toBeGreaterThanOrEqual(0);
    expect(await readSnapshotItem(database(), nested.campaign, askOf(await nested.full(index)))).toBeUndefined();
    const early = await nested.early(index);
    expect(early.grantPath?.length).toBeGreaterThan(0);
    expect(early).toEqual(await nested.loaded(index));

    // A snapshot stored before the keys were written.
    const c = await opened('no-keys', 'csv');
    const keys = await database().snapshotKeys.where('snapshotId').equals('csv').toArray();
    expect(keys.length).toBeGreaterThan(0);
    await database().snapshotKeys.where('snapshotId').equals('csv').delete();
    try {
      for (const index of [0, c.data.items.length - 1]) {
        expect(await readSnapshotItem(database(), c.campaign, askOf(await c.full(index)))).toBeUndefined();
        expect(await c.early(index)).toEqual(await c.loaded(index));
      }
    } finally {
      await database().snapshotKeys.bulkPut(keys);
    }
  }, 60_000);

  it('writes keys that hold every identity of the identity and assignment chunks', async () => {
    const chunks = await database().snapshotChunks.where('snapshotId').equals('gen').toArray();
    const keys = await database().snapshotKeys.where('snapshotId').equals('gen').toArray();
    const assignments = chunks.flatMap((c) => (c.kind === 'assignments' ? [c] : []));
    expect(assignments.length).toBe(2);
    expect(keys.filter((k) => k.kind === 'identities').length).toBe(2);
    for (const c of chunks) {
      const k = keys.find((r) => r.kind === c.kind && r.index === c.index);
      if (c.kind === 'identities') expect(new Set(k!.keys)).toEqual(new Set(c.rows.map((i) => idKey(i.id))));
      else if (c.kind === 'assignments')
        expect(new Set(k!.keys)).toEqual(new Set(Array.from(c.columns.identity, (s) => idKey(c.columns.strings[s]!))));
      else expect(k).toBeUndefined();
    }
    // Ascending, each once (holdsKey's binary search).
    for (const k of keys) for (let i = 1; i < k.keys.length; i++) expect(k.keys[i]!).toBeGreaterThan(k.keys[i - 1]!);
  });

  it('removes the keys with their chunks: an import never committed, a deleted snapshot', async () => {
    const db = database();
    const [columns] = encodeAssignmentChunks([{ identityId: 'u1', entitlementId: 'e1', source: 's' }]);
    await storeAssignmentChunk(db, 'half-imported', 0, columns!);
    const keysOf = (id: string) => db.snapshotKeys.where('snapshotId').equals(id).toArray();
    expect((await keysOf('half-imported')).map((k) => [k.kind, k.index, [...k.keys]])).toEqual([['assignments', 0, [idKey('u1')]]]);
    expect(await removeIncompleteSnapshots(db)).toBe(1);
    expect(await keysOf('half-imported')).toEqual([]);
    expect((await keysOf('nested')).length).toBeGreaterThan(0);
    await deleteSnapshot(db, 'nested');
    expect(await keysOf('nested')).toEqual([]);
    expect(await db.snapshotChunks.where('snapshotId').equals('nested').count()).toBe(0);
  });
});

// detailOf above is given no reviewer assignment: the loaded detail's is left out to compare.
const noReviewer = { assignedReviewerId: undefined, assignmentReason: undefined };

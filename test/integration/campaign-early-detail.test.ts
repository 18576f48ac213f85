// The detail of an item served before the campaign worker has its data (the backend reads the item's suggestion from
// its chunk and the snapshot behind it) equals the detail served once the whole campaign is loaded: for entitlement,
// credential and identity items, in a campaign over everything and in a scoped one.
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { DEFAULT_POLICY } from '../../shared/suggest';
import type { CampaignScope } from '../../shared/review';
import { database, storeSnapshot } from '../../renderer/db';
import { tasks, type CreateCampaignArgs } from '../../renderer/backend/tasks';
import { campaignHandlers } from '../../renderer/backend/campaign-data';
import type { TaskContext } from '../../renderer/backend/protocol';
import { TABLE_FORMAT, assignedMap, campaignData, summariesOf, unpackTable } from '../../renderer/workers';
import { itemDetail } from '../../renderer/workers/campaign-table';
import { detailOf, factsOf } from '../../renderer/workers/campaign-early';
import { assignedLookup, joinSnapshot } from '../../renderer/workers/campaign-crossing';
import { writeWorkbenchCsv } from '../bench/workbench-data';

const ctx: TaskContext = { progress: () => {}, isCancelled: () => false, call: () => Promise.reject(new Error('no calls')) };
const actor = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aaaa' };
const profiles = [actor, ...Array.from({ length: 10 }, (_, i) => ({ id: `u${String(i).padStart(7, '0')}`, name: `Manager ${i}` }))];
const scopes: Record<string, CampaignScope> = {
  everything: { applications: [], identityTypes: [], privileges: [] },
  scoped: { applications: ['App 3', 'App 17', 'credentials', 'identity hygiene'], identityTypes: [], privileges: [] },
};
const args = (id: string, snapshotId: string, scope: CampaignScope): CreateCampaignArgs => ({
  id,
  name: id,
  snapshotId,
  policy: DEFAULT_POLICY,
  asOf: '2026-11-22',
  scope,
  assignment: { rule: 'manager', fallbackReviewerId: actor.id },
  profiles,
  actor,
});

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arw-campaign-early-'));
  try {
    const gen = writeWorkbenchCsv(dir, { identities: 600, assignments: 6000, seed: 31 });
    const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
    await storeSnapshot(database(), { id: 'gen', name: 'gen', createdAt: '2026-11-21T00:00:00Z', data, sources: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The small fixture has credentials (the generated data has none), and nested groups give grant paths.
  const files = [
    ...readdirSync('test/fixtures/workbench-csv').map((f) => join('test/fixtures/workbench-csv', f)),
    'test/fixtures/nested/openldap-nested.ldif',
  ];
  const fixture = importFiles(files.map((f) => ({ name: f.split('/').pop()!, bytes: new Uint8Array(readFileSync(f)) }))).data;
  await storeSnapshot(database(), { id: 'fixture', name: 'fixture', createdAt: '2026-11-21T00:00:00Z', data: fixture, sources: [] });
});

describe('an item detail before the campaign has loaded', () => {
  const cases = [
    ...Object.entries(scopes).map(([name, scope]) => ({ name, snapshotId: 'gen', scope, kinds: ['entitlement', 'identity', 'last'] })),
    { name: 'fixture', snapshotId: 'fixture', scope: scopes.everything!, kinds: ['entitlement', 'credential', 'identity', 'last'] },
  ];
  for (const { name, snapshotId, scope, kinds: present } of cases)
    it(`equals the detail after the full load (${name}: ${present.join(', ')} items)`, async () => {
      await tasks.createCampaign(args(name, snapshotId, scope), ctx);
      const opening = await campaignHandlers.campaignOpening({ campaignId: name, format: TABLE_FORMAT });
      const table = unpackTable(opening.stored!);
      const places = opening.places!;
      expect(places.chunk.length).toBe(table.count);

      // The campaign as the worker loads it, and the detail it serves from that.
      const served = await campaignHandlers.campaignData({ campaignId: name });
      const data = campaignData(
        served.campaign.scopeFilter,
        served.snapshot,
        summariesOf(served.suggestions),
        assignedMap(served.assigned),
      );
      expect(data.items.map((s) => s.itemId)).toEqual(table.itemIds);
      const loaded = async (index: number) => {
        const s = data.items[index]!;
        const [full] = await campaignHandlers.suggestionsAt({ campaignId: name, places: [{ chunk: s.chunk, row: s.row }] });
        return itemDetail(data, index, full);
      };

      // The worker's own once loaded from a stored table: the snapshot's facts and the reviewer assignments, no summaries.
      const facts = await campaignHandlers.campaignFacts({ campaignId: name });
      const parts = [];
      for (let part = 0; part < facts.parts; part++) parts.push(await campaignHandlers.campaignPart({ campaignId: name, part }));
      const snapshot = joinSnapshot(facts.head, parts);
      expect(snapshot).toEqual(served.snapshot);
      const workerFacts = factsOf(campaignData(facts.campaign.scopeFilter, snapshot, [], new Map()));
      const assigned = await campaignHandlers.campaignAssigned({ campaignId: name });
      // By place where the order is the table's, else by id: the same either way.
      const packedIds = 'packedItemIds' in opening.stored! ? opening.stored.packedItemIds : undefined;
      expect(packedIds).toBeDefined();
      const assignedAt = assignedLookup(assigned, packedIds);
      const assignedById = assignedLookup(assigned, undefined);
      for (let i = 0; i < table.count; i += 97) expect(assignedAt(i, table.itemIds[i]!)).toEqual(data.assigned.get(table.itemIds[i]!));
      for (let i = 0; i < table.count; i += 97) expect(assignedById(i, table.itemIds[i]!)).toEqual(data.assigned.get(table.itemIds[i]!));

      const kinds = {
        entitlement: data.items.findIndex((s) => s.entitlementId !== undefined),
        credential: data.items.findIndex((s) => s.credentialId !== undefined),
        identity: data.items.findIndex((s) => s.entitlementId === undefined && s.credentialId === undefined),
        last: data.items.length - 1,
      };
      for (const [kind, index] of Object.entries(kinds)) {
        if (!present.includes(kind)) continue;
        expect(index, kind).toBeGreaterThanOrEqual(0);
        // Scoped: the items are a part of the set, so an item's place is not its index.
        const place = { chunk: places.chunk[index]!, row: places.row[index]! };
        const early = await campaignHandlers.earlyDetail({ campaignId: name, index, itemId: table.itemIds[index]!, place });
        const want = await loaded(index);
        expect(early, kind).toEqual(want);
        expect(detailOf(workerFacts, index, want.suggestion, assignedAt(index, want.itemId)), kind).toEqual(want);
        expect(early.suggestion.signals.length, kind).toBeGreaterThan(0);
        expect(early.assignedReviewerId, kind).toBeDefined();
      }
      if (name === 'fixture') {
        // Every item of the small fixture, inherited access (grant path, remediation) among them.
        let inherited = 0;
        for (let index = 0; index < data.items.length; index++) {
          const place = { chunk: places.chunk[index]!, row: places.row[index]! };
          const early = await campaignHandlers.earlyDetail({ campaignId: name, index, itemId: table.itemIds[index]!, place });
          expect(early).toEqual(await loaded(index));
          if (early.grantPath && early.remediation) inherited++;
        }
        expect(inherited).toBeGreaterThan(0);
      }
      const withPeers = data.items.findIndex((s, i) => s.entitlementId !== undefined && i > kinds.entitlement);
      expect(withPeers).toBeGreaterThan(0);
      const early = await campaignHandlers.earlyDetail({
        campaignId: name,
        index: withPeers,
        itemId: table.itemIds[withPeers]!,
        place: { chunk: places.chunk[withPeers]!, row: places.row[withPeers]! },
      });
      expect(early).toEqual(await loaded(withPeers));
      expect(early.assignment).toBeDefined();

      // A place that holds another item is refused, not shown as this one's.
      const other = kinds.entitlement === 0 ? 1 : 0;
      await expect(
        campaignHandlers.earlyDetail({
          campaignId: name,
          index: kinds.entitlement,
          itemId: table.itemIds[kinds.entitlement]!,
          place: { chunk: places.chunk[other]!, row: places.row[other]! },
        }),
      ).rejects.toThrow(/not/);
    });
});

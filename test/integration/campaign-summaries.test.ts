// A campaign created and opened from suggestion summaries (the backend and the campaign worker no longer decode
// every full suggestion) has the same items, reviewers, review table and item detail as one built from the engine's
// full suggestions, on a generated snapshot: computed fresh, and again from the stored set.
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { DEFAULT_POLICY, suggest, type Suggestion } from '../../shared/suggest';
import { ReviewerDirectory, assignReviewer, inScope, type CampaignScope } from '../../shared/review';
import { database, loadCampaignAssignments, loadSnapshot, loadSuggestionSummaries, storeSnapshot } from '../../renderer/db';
import { tasks, type CreateCampaignArgs } from '../../renderer/backend/tasks';
import { campaignHandlers } from '../../renderer/backend/campaign-data';
import type { TaskContext } from '../../renderer/backend/protocol';
import { TABLE_FORMAT, assignedMap, buildCampaignTable, campaignData, packTable, summariesOf } from '../../renderer/workers';
import { itemDetail, suggestionSnapshot } from '../../renderer/workers/campaign-table';
import { writeWorkbenchCsv } from '../bench/workbench-data';

const ctx: TaskContext = { progress: () => {}, isCancelled: () => false, call: () => Promise.reject(new Error('no calls')) };
const actor = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aaaa' };
const asOf = '2026-11-22';
// Half the managers have a profile here: the others' reports fall back to Alice.
const profiles = [actor, ...Array.from({ length: 10 }, (_, i) => ({ id: `u${String(i).padStart(7, '0')}`, name: `Manager ${i}` }))];
const scopes: Record<string, CampaignScope> = {
  everything: { applications: [], identityTypes: [], privileges: [] },
  narrow: { applications: ['App 3', 'App 17', 'credentials', 'identity hygiene'], identityTypes: [], privileges: [] },
};
const args = (id: string, scope: CampaignScope): CreateCampaignArgs => ({
  id,
  name: id,
  snapshotId: 'gen',
  policy: DEFAULT_POLICY,
  asOf,
  scope,
  assignment: { rule: 'manager', fallbackReviewerId: actor.id },
  profiles,
  actor,
});

let full: Suggestion[];
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arw-campaign-summaries-'));
  try {
    const gen = writeWorkbenchCsv(dir, { identities: 800, assignments: 8000, seed: 23 });
    const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
    await storeSnapshot(database(), { id: 'gen', name: 'gen', createdAt: '2026-11-21T00:00:00Z', data, sources: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  full = suggest(await loadSnapshot(database(), 'gen'), DEFAULT_POLICY, { asOf: Date.parse(`${asOf}T00:00:00Z`) });
});

/** The campaign as the full suggestions make it: its items, reviewers and table. */
async function expected(scope: CampaignScope) {
  const snapshot = await loadSnapshot(database(), 'gen');
  const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
  const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
  const directory = new ReviewerDirectory(profiles, identities);
  const ent = (s: Suggestion) => (s.entitlementId ? entitlements.get(s.entitlementId) : undefined);
  const items = full.filter((s) => inScope(scope, s, identities.get(s.identityId), ent(s)));
  const assigned = new Map(
    items.map((s) => {
      const { reviewerId, reason } = assignReviewer(args('x', scope).assignment, s, identities.get(s.identityId), ent(s), directory);
      return [s.itemId, { reviewerId, reason }] as const;
    }),
  );
  const data = campaignData(scope, snapshot, full, assigned);
  return { items, assigned, data, table: packTable(buildCampaignTable(data)) };
}

describe('a campaign from suggestion summaries', () => {
  for (const [name, scope] of Object.entries(scopes))
    it(`has the items, reviewers, table and detail the full suggestions give (${name}; fresh, then from the stored set)`, async () => {
      const want = await expected(scope);
      expect(want.items.length).toBeGreaterThan(name === 'everything' ? 5000 : 50);
      // Both rules of assignment occur: a manager's profile and the fallback.
      const reviewers = new Set([...want.assigned.values()].map((a) => a.reviewerId));
      expect(reviewers.has(actor.id) && reviewers.size > 2).toBe(true);
      for (const id of [`${name}-fresh`, `${name}-reused`]) {
        const created = await tasks.createCampaign(args(id, scope), ctx);
        expect(created.inScope).toBe(want.items.length);
        const db = database();
        expect([...(await loadCampaignAssignments(db, id))]).toEqual([...want.assigned]);
        const stored = await db.campaignTables.get(id);
        expect(stored?.format).toBe(TABLE_FORMAT);
        expect(stored?.table).toEqual(want.table);

        // The campaign worker's opening without a stored table, and an item's detail read on demand.
        // What crosses to the worker is columns (no object per item), read back to exactly the stored summaries.
        const served = await campaignHandlers.campaignData({ campaignId: id });
        expect(Array.isArray(served.suggestions)).toBe(false);
        expect(served.suggestions.confidence).toBeInstanceOf(Float64Array);
        const summaries = summariesOf(served.suggestions);
        expect(summaries.some((s) => 'signals' in s)).toBe(false);
        const storedSummaries = await loadSuggestionSummaries(db, served.campaign.suggestionKey);
        expect(JSON.stringify(summaries)).toBe(JSON.stringify(storedSummaries));
        expect([...assignedMap(served.assigned)]).toEqual([...want.assigned]);
        const data = campaignData(served.campaign.scopeFilter, served.snapshot, summaries, assignedMap(served.assigned));
        expect(packTable(buildCampaignTable(data))).toEqual(want.table);
        const picks = [0, 1, Math.floor(data.items.length / 2), data.items.length - 1];
        const read = await campaignHandlers.suggestionsAt({ campaignId: id, places: picks.map((i) => data.items[i]!) });
        picks.forEach((i, k) => {
          expect(JSON.stringify(read[k])).toEqual(JSON.stringify(want.items[i]));
          expect(itemDetail(data, i, read[k])).toEqual(itemDetail(want.data, i));
          expect(suggestionSnapshot(read[k]!)).toEqual(suggestionSnapshot(want.items[i]!));
        });
        expect(() => itemDetail(data, 0)).toThrow(/full suggestion was not read/);
        expect(() => itemDetail(data, 1, read[0])).toThrow(/not/);
      }
    });
});

// The backend's campaign path reads the snapshot's assignments as their stored columns (#19): a campaign created
// that way has the items, reviewers and review table (its "via" column from the inherited assignments included) that
// the snapshot decoded into objects gives, on generated data stored in several chunks.
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAssignmentChunks, importFiles } from '../../shared/import';
import { DEFAULT_POLICY, suggest, type Suggestion } from '../../shared/suggest';
import { ReviewerDirectory, assignReviewer, inScope, type CampaignScope } from '../../shared/review';
import {
  database,
  decodedSnapshot,
  inheritedAssignments,
  loadCampaignAssignments,
  loadSnapshot,
  loadSnapshotColumns,
  storeSnapshot,
} from '../../renderer/db';
import { tasks, type CreateCampaignArgs } from '../../renderer/backend/tasks';
import { campaignHandlers } from '../../renderer/backend/campaign-data';
import { itemDetail } from '../../renderer/workers/campaign-table';
import type { TaskContext } from '../../renderer/backend/protocol';
import { NONE, TABLE_FORMAT, buildCampaignTable, campaignData, packTable, unpackTable } from '../../renderer/workers';
import { writeWorkbenchCsv } from '../bench/workbench-data';

const ctx: TaskContext = { progress: () => {}, isCancelled: () => false, call: () => Promise.reject(new Error('no calls')) };
const actor = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aaaa' };
const asOf = '2026-11-22';
const profiles = [actor, ...Array.from({ length: 10 }, (_, i) => ({ id: `u${String(i).padStart(7, '0')}`, name: `Manager ${i}` }))];
const everything: CampaignScope = { applications: [], identityTypes: [], privileges: [] };
const args = (id: string): CreateCampaignArgs => ({
  id,
  name: id,
  snapshotId: 'cols',
  policy: DEFAULT_POLICY,
  asOf,
  scope: everything,
  assignment: { rule: 'manager', fallbackReviewerId: actor.id },
  profiles,
  actor,
});
/** Rows per stored chunk here: the generated snapshot spans several chunks, only the first ones with grant paths. */
const PER_CHUNK = 1000;

let inherited = 0;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arw-campaign-columns-'));
  try {
    const gen = writeWorkbenchCsv(dir, { identities: 600, assignments: 6000, seed: 31 });
    const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
    // Inherited access in the first three chunks: every fifth assignment comes through a group (another entitlement).
    const groups = data.entitlements.slice(0, 5).map((e) => e.id);
    data.assignments.forEach((a, i) => {
      if (i < 3 * PER_CHUNK && i % 5 === 0 && !groups.includes(a.entitlementId)) {
        a.path = [groups[i % groups.length]!, a.entitlementId];
        a.derivedFrom = [groups[i % groups.length]!];
        inherited++;
      }
    });
    const assignmentChunks = encodeAssignmentChunks(data.assignments, PER_CHUNK);
    await storeSnapshot(database(), {
      id: 'cols',
      name: 'cols',
      createdAt: '2026-11-21T00:00:00Z',
      data: { ...data, assignments: [] },
      sources: [],
      assignmentChunks,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  await database().delete();
});

describe('the campaign path from the assignment columns', () => {
  it('loads the stored chunks as they are: decoded, they are the assignments loadSnapshot gives', async () => {
    const objects = await loadSnapshot(database(), 'cols');
    const columnar = await loadSnapshotColumns(database(), 'cols');
    expect(columnar.assignmentChunks.length).toBe(6);
    expect('assignments' in columnar).toBe(false);
    expect(decodedSnapshot(columnar)).toEqual(objects);
    // Only chunks with an inherited row carry a path column; those rows are the inherited assignments.
    expect(columnar.assignmentChunks.filter((c) => c.path).length).toBe(3);
    const paths = objects.assignments.filter((a) => a.path?.length);
    expect(paths.length).toBe(inherited);
    expect(inheritedAssignments(columnar.assignmentChunks)).toEqual(paths);
  });

  it('refuses before any work where the estimate says the machine cannot hold the suggestions: nothing is stored', async () => {
    const labels: string[] = [];
    const watching: TaskContext = { ...ctx, progress: (p) => labels.push(p.label) };
    const refused = tasks.suggest(
      { snapshotId: 'cols', policy: DEFAULT_POLICY, asOf: `${asOf}T00:00:00Z`, scope: everything, memory: { heapLimitMiB: 300 } },
      watching,
    );
    await expect(refused).rejects.toThrow(/suggestions for 6,000 assignments need about [\d,]+ MiB of memory and the app can use 300 MiB/);
    await expect(tasks.createCampaign({ ...args('refused'), memory: { heapLimitMiB: 300 } }, watching)).rejects.toThrow(/can use 300 MiB/);
    // From the snapshot's stored count: refused before the snapshot is read.
    expect(labels).not.toContain('Loading snapshot');
    expect(await database().suggestionSets.count()).toBe(0);
    expect(await database().suggestionChunks.count()).toBe(0);
    expect(await database().campaigns.count()).toBe(0);
  });

  it('creates the campaign the decoded snapshot gives: items, reviewers and review table', async () => {
    const snapshot = await loadSnapshot(database(), 'cols');
    const full: Suggestion[] = suggest(snapshot, DEFAULT_POLICY, { asOf: Date.parse(`${asOf}T00:00:00Z`) });
    const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
    const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
    const directory = new ReviewerDirectory(profiles, identities);
    const ent = (s: Suggestion) => (s.entitlementId ? entitlements.get(s.entitlementId) : undefined);
    const items = full.filter((s) => inScope(everything, s, identities.get(s.identityId), ent(s)));
    const assigned = new Map(
      items.map((s) => {
        const { reviewerId, reason } = assignReviewer(args('x').assignment, s, identities.get(s.identityId), ent(s), directory);
        return [s.itemId, { reviewerId, reason }] as const;
      }),
    );
    const want = packTable(buildCampaignTable(campaignData(everything, snapshot, full, assigned)));
    // The via column names the granting group for the inherited items: the comparison covers it.
    expect(unpackTable(want).via.filter((v) => v !== NONE).length).toBeGreaterThan(inherited / 2);

    for (const id of ['fresh', 'reused']) {
      const created = await tasks.createCampaign(args(id), ctx);
      expect(created.inScope).toBe(items.length);
      expect([...(await loadCampaignAssignments(database(), id))]).toEqual([...assigned]);
      const stored = await database().campaignTables.get(id);
      expect(stored?.format).toBe(TABLE_FORMAT);
      expect(stored?.table).toEqual(want);
    }

    // The campaign worker's data as the backend serves it (the assignments as columns) gives every item's detail the
    // objects give: the assignment, its grant path and remediation, the peers' holdings.
    const served = await campaignHandlers.campaignData({ campaignId: 'fresh' });
    expect('assignmentChunks' in served.snapshot && !('assignments' in served.snapshot)).toBe(true);
    const fromColumns = campaignData(everything, served.snapshot, full, assigned);
    const fromObjects = campaignData(everything, snapshot, full, assigned);
    const via = unpackTable(want).via;
    const inheritedItems = [...via.keys()].filter((i) => via[i] !== NONE).slice(0, 20);
    const picks = [0, 1, 7, Math.floor(items.length / 2), items.length - 1, ...inheritedItems];
    for (const i of picks) expect(itemDetail(fromColumns, i)).toEqual(itemDetail(fromObjects, i));
    expect(inheritedItems.some((i) => itemDetail(fromColumns, i).grantPath?.length)).toBe(true);
    expect(picks.some((i) => itemDetail(fromColumns, i).peers.some((p) => p?.some((r) => r.holds)))).toBe(true);
    expect(fromColumns.assignments.get('nobody', 'nothing')).toBeUndefined();
    expect(fromColumns.assignments.all()).toEqual(snapshot.assignments);
  });
});

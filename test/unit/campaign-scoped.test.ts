// A campaign scoped to some applications of a snapshot whose whole suggestions do not fit (#19): only the scope's
// items are computed, over the whole snapshot's index, stored as a set of their own; the campaign equals the one the
// whole run gives for that scope; where even the scope does not fit, it is refused before anything is stored.
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
  decodeSuggestionChunks,
  loadCampaignAssignments,
  loadSnapshot,
  loadSnapshotColumns,
  loadSuggestionSummaries,
  loadSuggestionsAt,
  storeSnapshot,
} from '../../renderer/db';
import { tasks, type CreateCampaignArgs } from '../../renderer/backend/tasks';
import type { TaskContext } from '../../renderer/backend/protocol';
import { neededMiB, neededScopedMiB, planScopedSuggestions } from '../../renderer/backend/campaign-memory';
import { narrows, scopeDigest, scopedItemCount } from '../../renderer/backend/campaign-scope';
import { buildCampaignTable, campaignData, computeSuggestionPart, packTable, snapshotPayload } from '../../renderer/workers';
import { writeWorkbenchCsv } from '../bench/workbench-data';

const ctx: TaskContext = { progress: () => {}, isCancelled: () => false, call: () => Promise.reject(new Error('no calls')) };
const actor = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aaaa' };
const asOf = '2026-11-22';
const profiles = [actor, ...Array.from({ length: 10 }, (_, i) => ({ id: `u${String(i).padStart(7, '0')}`, name: `Manager ${i}` }))];
const scope: CampaignScope = { applications: ['App 0', 'App 1'], identityTypes: [], privileges: [] };
const ASSIGNMENTS = 6000;
const args = (id: string, heapLimitMiB: number): CreateCampaignArgs => ({
  id,
  name: id,
  snapshotId: 'big',
  policy: DEFAULT_POLICY,
  asOf,
  scope,
  assignment: { rule: 'manager', fallbackReviewerId: actor.id },
  profiles,
  actor,
  memory: { heapLimitMiB, cores: 2 },
});

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arw-campaign-scoped-'));
  try {
    const gen = writeWorkbenchCsv(dir, { identities: 600, assignments: ASSIGNMENTS, seed: 33 });
    const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
    await storeSnapshot(database(), {
      id: 'big',
      name: 'big',
      createdAt: '2026-11-21T00:00:00Z',
      data: { ...data, assignments: [] },
      sources: [],
      assignmentChunks: encodeAssignmentChunks(data.assignments, 1000),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  await database().delete();
});

describe('a scoped campaign on a snapshot too large for all its suggestions', () => {
  it('counts at most the scope items and tells which scopes narrow', async () => {
    const snapshot = await loadSnapshot(database(), 'big');
    const columns = await loadSnapshotColumns(database(), 'big');
    const whole = suggest(snapshot, DEFAULT_POLICY, { asOf: Date.parse(`${asOf}T00:00:00Z`) });
    const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
    const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
    const inScopeCount = whole.filter((s) =>
      inScope(scope, s, identities.get(s.identityId), s.entitlementId ? entitlements.get(s.entitlementId) : undefined),
    ).length;
    const counted = scopedItemCount(scope, columns);
    expect(counted).toBeGreaterThanOrEqual(inScopeCount);
    expect(counted).toBeLessThan(ASSIGNMENTS / 10);
    expect(narrows(scope)).toBe(true);
    expect(narrows({ applications: [], identityTypes: [], privileges: [] })).toBe(false);
    expect(narrows({ ...scope, itemIds: ['x'] })).toBe(false);
    expect(scopeDigest({ ...scope, applications: ['App 1', 'App 0'] })).toBe(scopeDigest(scope));
    expect(scopeDigest({ ...scope, applications: ['App 2'] })).not.toBe(scopeDigest(scope));
  });

  it('the estimate: every worker indexes the whole snapshot, the items are counted once; refused names both', () => {
    const at10M = planScopedSuggestions(10_000_000, 1_000_000, { heapLimitMiB: 4096, cores: 2 });
    expect(at10M).toMatchObject({ ok: true, threads: 1 });
    expect(neededScopedMiB(10_000_000, 1_000_000, 2)).toBeGreaterThan(4096);
    expect(neededScopedMiB(10_000_000, 1_000_000, 1)).toBeLessThan(neededMiB(10_000_000, 1));
    const refused = planScopedSuggestions(10_000_000, 5_000_000, { heapLimitMiB: 4096, cores: 2 });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.refusal).toContain('suggestions for the 5,000,000 items of this scope on a snapshot of 10,000,000 assignments');
    expect(refused.refusal).toContain('the app can use 4,096 MiB');
    // The most it names is what it accepts.
    const most = Number(/at most about ([\d,]+) items/.exec(refused.refusal)![1]!.replaceAll(',', ''));
    expect(planScopedSuggestions(10_000_000, most, { heapLimitMiB: 4096, cores: 1 }).ok).toBe(true);
    expect(planScopedSuggestions(10_000_000, most + 10_000, { heapLimitMiB: 4096, cores: 1 }).ok).toBe(false);
  });

  // Whole: about 326 MiB at 6,000 assignments; the scope's items alone: about 322.
  const between = 323;

  it('refuses a scope that does not fit either before anything is computed or stored', async () => {
    expect(neededMiB(ASSIGNMENTS, 1)).toBeGreaterThan(between);
    await expect(tasks.createCampaign(args('too-small', 310), ctx)).rejects.toThrow(
      /suggestions for the [\d,]+ items of this scope on a snapshot of 6,000 assignments need about [\d,]+ MiB of memory and the app can use 310 MiB/,
    );
    // A scope of everything is refused as the whole snapshot.
    await expect(
      tasks.createCampaign({ ...args('everything', between), scope: { applications: [], identityTypes: [], privileges: [] } }, ctx),
    ).rejects.toThrow(/suggestions for 6,000 assignments need about/);
    expect(await database().suggestionSets.count()).toBe(0);
    expect(await database().suggestionChunks.count()).toBe(0);
    expect(await database().campaigns.count()).toBe(0);
  });

  it('computes the scope items alone and creates the campaign the whole run gives for that scope', async () => {
    const snapshot = await loadSnapshot(database(), 'big');
    const whole: Suggestion[] = suggest(snapshot, DEFAULT_POLICY, { asOf: Date.parse(`${asOf}T00:00:00Z`) });
    const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
    const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
    const ent = (s: Suggestion) => (s.entitlementId ? entitlements.get(s.entitlementId) : undefined);
    const items = whole.filter((s) => inScope(scope, s, identities.get(s.identityId), ent(s)));
    const directory = new ReviewerDirectory(profiles, identities);
    const assigned = new Map(
      items.map((s) => {
        const { reviewerId, reason } = assignReviewer(args('x', 0).assignment, s, identities.get(s.identityId), ent(s), directory);
        return [s.itemId, { reviewerId, reason }] as const;
      }),
    );
    const want = packTable(buildCampaignTable(campaignData(scope, snapshot, whole, assigned)));

    for (const id of ['scoped', 'scoped-again']) {
      const created = await tasks.createCampaign(args(id, between), ctx);
      expect(created.inScope).toBe(items.length);
      expect([...(await loadCampaignAssignments(database(), id))]).toEqual([...assigned]);
      expect((await database().campaignTables.get(id))?.table).toEqual(want);
    }
    // One set, of the scope's items alone, under a key of its own (the second campaign reused it); no whole set.
    const sets = await database().suggestionSets.toArray();
    expect(sets.map((s) => s.scope)).toEqual([scopeDigest(scope)]);
    expect(sets[0]!.key).toContain(`|scope:${scopeDigest(scope)}`);
    expect(sets[0]!.count).toBe(items.length);
    const campaign = await database().campaigns.get('scoped');
    expect(campaign?.suggestionKey).toBe(sets[0]!.key);
    // The stored suggestions are the whole run's, byte for byte.
    const summaries = await loadSuggestionSummaries(database(), sets[0]!.key);
    expect(JSON.stringify(await loadSuggestionsAt(database(), sets[0]!.key, summaries))).toBe(JSON.stringify(items));
  });

  it('a suggest worker part with the scope gives the same items', async () => {
    const snapshot = await loadSnapshot(database(), 'big');
    const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
    const whole = suggest(snapshot, DEFAULT_POLICY, { asOf: asOfMs });
    const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
    const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
    const items = whole.filter((s) =>
      inScope(scope, s, identities.get(s.identityId), s.entitlementId ? entitlements.get(s.entitlementId) : undefined),
    );
    const payload = snapshotPayload(snapshot);
    const parts = [0, 1].map((index) =>
      computeSuggestionPart({ snapshot: payload, policy: DEFAULT_POLICY, asOf: asOfMs, part: { index, of: 2 }, scope }),
    );
    expect(parts.reduce((n, p) => n + p.count, 0)).toBe(items.length);
    expect(JSON.stringify(decodeSuggestionChunks(parts.flatMap((p) => p.chunks)))).toBe(JSON.stringify(items));
  });
});

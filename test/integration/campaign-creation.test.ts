// Creating a campaign is one transaction (renderer/db storeNewCampaign through the worker's createCampaign task):
// a creation that fails midway leaves no campaign, assignments, review table, event or policy behind.
import 'fake-indexeddb/auto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { DEFAULT_POLICY, policyDigest } from '../../shared/suggest';
import { database, findSuggestionSet, loadSuggestions, storeSnapshot } from '../../renderer/db';
import { tasks, type CreateCampaignArgs } from '../../renderer/backend/tasks';
import type { TaskContext } from '../../renderer/backend/protocol';

const dir = resolve(__dirname, '../fixtures/workbench-csv');
const ctx: TaskContext = { progress: () => {}, isCancelled: () => false, call: () => Promise.reject(new Error('no calls')) };
const actor = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aaaa' };
const args = (id: string): CreateCampaignArgs => ({
  id,
  name: ` Campaign ${id} `,
  snapshotId: 'snap',
  policy: DEFAULT_POLICY,
  asOf: '2026-11-22',
  dueDate: '2026-12-13',
  scope: { applications: [], identityTypes: [], privileges: [] },
  assignment: { rule: 'named', fallbackReviewerId: actor.id },
  profiles: [{ id: actor.id, name: actor.name }],
  actor,
});

/** Everything stored under a campaign id, and the policy setting a campaign needs. */
async function storedFor(campaignId: string) {
  const db = database();
  return {
    campaign: await db.campaigns.get(campaignId),
    events: await db.events.where('campaignId').equals(campaignId).count(),
    assignments: await db.campaignAssignments.where('campaignId').equals(campaignId).count(),
    table: await db.campaignTables.get(campaignId),
    policy: await db.settings.get(`policy:${policyDigest(DEFAULT_POLICY)}`),
  };
}

beforeAll(async () => {
  const data = importFiles(readdirSync(dir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }))).data;
  await storeSnapshot(database(), { id: 'snap', name: 'snap', createdAt: '2026-11-21T00:00:00Z', data, sources: [] });
});

describe('creating a campaign', () => {
  it('fails midway (the last write refused) and leaves nothing of the campaign behind', async () => {
    const db = database();
    const refuse = () => {
      throw new Error('injected failure: the event store refuses the write');
    };
    db.events.hook('creating', refuse);
    try {
      await expect(tasks.createCampaign(args('camp-failed'), ctx)).rejects.toThrow(/injected failure/);
    } finally {
      db.events.hook('creating').unsubscribe(refuse);
    }
    expect(await storedFor('camp-failed')).toEqual({ campaign: undefined, events: 0, assignments: 0, table: undefined, policy: undefined });
    expect(await db.campaigns.count()).toBe(0);
    expect(await db.campaignAssignments.count()).toBe(0);
    expect(await db.campaignTables.count()).toBe(0);
  });

  it('stores the record, its first event, assignments, review table and policy together when nothing fails', async () => {
    const result = await tasks.createCampaign(args('camp-ok'), ctx);
    expect(result.inScope).toBeGreaterThan(0);
    const stored = await storedFor('camp-ok');
    expect(stored.campaign).toMatchObject({
      id: 'camp-ok',
      name: 'Campaign camp-ok',
      snapshotId: 'snap',
      itemCount: result.inScope,
      dueDate: '2026-12-13',
      createdBy: 'alice',
    });
    expect(stored.events).toBe(1);
    expect(stored.assignments).toBeGreaterThan(0);
    expect(stored.table?.campaignId).toBe('camp-ok');
    expect(stored.policy?.value).toEqual(DEFAULT_POLICY);
    const [created] = await database().events.where('campaignId').equals('camp-ok').toArray();
    expect(created).toMatchObject({
      type: 'campaign-created',
      seq: 1,
      details: { items: result.inScope, reviewerLoad: { alice: result.inScope }, asOf: '2026-11-22' },
    });
  });

  it('refuses a scope with no review item before writing anything', async () => {
    const empty = { ...args('camp-empty'), scope: { applications: ['no such application'], identityTypes: [], privileges: [] } };
    await expect(tasks.createCampaign(empty, ctx)).rejects.toThrow(/no review item falls in the scope/);
    expect(await storedFor('camp-empty')).toMatchObject({ campaign: undefined, events: 0, assignments: 0, table: undefined });
  });

  it('refuses a baseline package that does not verify before writing anything (#21)', async () => {
    const from = {
      ...args('camp-baseline'),
      baseline: { bytes: new TextEncoder().encode('not a certification package'), scope: 'all' as const },
    };
    await expect(tasks.createCampaign(from, ctx)).rejects.toThrow(/the package does not verify/);
    expect(await storedFor('camp-baseline')).toMatchObject({ campaign: undefined, events: 0, assignments: 0, table: undefined });
    expect(await database().settings.get('baseline:camp-baseline')).toBeUndefined();
  });

  it('a campaign for another day does not replace the suggestions an earlier campaign reviews', async () => {
    await tasks.createCampaign(args('camp-november'), ctx);
    const november = (await database().campaigns.get('camp-november'))!;
    const before = await loadSuggestions(database(), november.suggestionKey);
    await tasks.createCampaign({ ...args('camp-june'), asOf: '2027-06-01' }, ctx);
    const june = (await database().campaigns.get('camp-june'))!;
    expect(june.suggestionKey).not.toBe(november.suggestionKey);
    expect((await findSuggestionSet(database(), november.suggestionKey))?.asOf).toBe('2026-11-22T00:00:00Z');
    expect((await findSuggestionSet(database(), june.suggestionKey))?.asOf).toBe('2027-06-01T00:00:00Z');
    // Seven months on, the disuse figures differ: the November campaign still reads its own.
    const after = await loadSuggestions(database(), june.suggestionKey);
    expect(JSON.stringify(after)).not.toBe(JSON.stringify(before));
    expect(await loadSuggestions(database(), november.suggestionKey)).toEqual(before);
  });
});

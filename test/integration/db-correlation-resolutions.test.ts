// Correlation resolutions in the database (fake-indexeddb): the ambiguities are stored with the snapshot, a
// resolution is checked before it is recorded, the snapshot loads with the merges applied (or as imported, or as a
// campaign saw it), and an undo is one more entry.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import type { CorrelationResolution } from '../../shared/import/resolutions';
import { utf8 } from '../../shared/codec/digest';
import type { ReviewerRef } from '../../shared/review/types';
import {
  WorkbenchDatabase,
  addCorrelationResolution,
  listAmbiguities,
  listCorrelationResolutions,
  loadCampaignSnapshot,
  loadSnapshot,
  resolutionsInKey,
  storeSnapshot,
  suggestionKey,
} from '../../renderer/db';

let db: WorkbenchDatabase;
let n = 0;
afterEach(async () => {
  await db?.delete();
});

const IRIS: ReviewerRef = { id: 'rev-iris', name: 'Iris Lead', keyFingerprint: 'SHA256:00' };

/** Two Okta users share an e-mail that one SCIM user has: the import leaves the three apart, ambiguous. */
function ambiguousImport() {
  const okta = JSON.stringify([
    {
      id: '00u1',
      status: 'ACTIVE',
      profile: { login: 'ann.lee@example.com', email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee' },
    },
    {
      id: '00u2',
      status: 'ACTIVE',
      profile: { login: 'ann.lee-admin@example.com', email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee (admin)' },
    },
  ]);
  const scim = JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    Resources: [
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: 's1',
        userName: 'alee',
        emails: [{ value: 'Ann.Lee@example.com', primary: true }],
        groups: [{ value: 'g1', display: 'Finance-Approvers' }],
      },
    ],
  });
  return importFiles([
    { name: 'okta-users.json', bytes: utf8(okta) },
    { name: 'scim-users.json', bytes: utf8(scim) },
  ]);
}

async function stored() {
  db = new WorkbenchDatabase(`resolutions-${process.pid}-${n++}`);
  const outcome = ambiguousImport();
  expect(outcome.correlation.ambiguous).toHaveLength(1);
  await storeSnapshot(db, {
    id: 's',
    name: 's',
    createdAt: '2026-11-23T00:00:00Z',
    data: outcome.data,
    sources: outcome.sources,
    correlation: { merged: 0, ambiguous: 1 },
    ambiguities: outcome.correlation.ambiguous,
  });
  return outcome;
}

describe('correlation resolutions in the database', () => {
  it('keeps the ambiguities with the snapshot, records a checked merge, and loads the snapshot merged', async () => {
    const outcome = await stored();
    const ambiguities = await listAmbiguities(db, 's');
    expect(ambiguities).toEqual(outcome.correlation.ambiguous);
    const candidates = ambiguities[0]!.candidates;
    const scimId = outcome.data.identities.find((i) => i.sources?.includes('scim-users.json'))!.id;
    const oktaAnn = outcome.data.identities.find((i) => i.displayName === 'Ann Lee')!.id;
    const merge: CorrelationResolution = {
      candidates,
      action: 'merge',
      identityIds: [scimId, oktaAnn],
      rationale: 'HR record 4411 lists alee and ann.lee as the same employee.',
      by: IRIS,
      at: '2026-11-23T02:00:00.000Z',
    };
    await expect(addCorrelationResolution(db, 's', { ...merge, rationale: 'ok' })).rejects.toThrow(/says nothing specific/);
    await expect(addCorrelationResolution(db, 's', { ...merge, identityIds: [scimId, 'nobody'] })).rejects.toThrow(
      /"nobody" is not a candidate/,
    );
    expect(await addCorrelationResolution(db, 's', merge)).toBe(0);
    await expect(addCorrelationResolution(db, 's', { ...merge, action: 'keep-apart', identityIds: [] })).rejects.toThrow(
      /already resolved/,
    );

    const merged = await loadSnapshot(db, 's');
    expect(merged.identities).toHaveLength(2);
    const ann = merged.identities.find((i) => i.id === oktaAnn)!;
    expect(ann.mergeReason).toBe('merged by Iris Lead: HR record 4411 lists alee and ann.lee as the same employee.');
    expect(ann.sources).toEqual(['okta-users.json', 'scim-users.json']);
    expect(merged.assignments.map((a) => a.identityId)).toEqual([oktaAnn]);
    // As imported, for the resolver: three identities.
    expect((await loadSnapshot(db, 's', { resolutions: 0 })).identities).toHaveLength(3);

    // Undo is a new entry: history keeps both; the snapshot loads unmerged again.
    await addCorrelationResolution(db, 's', {
      candidates,
      action: 'undo',
      identityIds: [],
      undoes: 0,
      rationale: 'HR corrected record 4411: two different people named Ann Lee.',
      by: IRIS,
      at: '2026-11-23T03:00:00.000Z',
    });
    expect((await listCorrelationResolutions(db, 's')).map((r) => r.action)).toEqual(['merge', 'undo']);
    expect((await loadSnapshot(db, 's')).identities).toHaveLength(3);

    // A campaign computed after the merge (key with 1 resolution) still sees it merged.
    const key = suggestionKey('s', 'digest', 'engine', 0, 1);
    expect(resolutionsInKey(key)).toBe(1);
    expect(resolutionsInKey(suggestionKey('s', 'digest', 'engine', 2, 0))).toBe(0);
    expect((await loadCampaignSnapshot(db, { snapshotId: 's', suggestionKey: key })).identities).toHaveLength(2);
    expect(
      (await loadCampaignSnapshot(db, { snapshotId: 's', suggestionKey: suggestionKey('s', 'digest', 'engine', 3) })).identities,
    ).toHaveLength(3);
  });
});

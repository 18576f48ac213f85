// What crosses from the backend to a campaign worker when a campaign opens: the suggestions' summaries and the
// reviewer assignments as columns (no object per item to clone), read back to exactly what was sent.
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { PlacedSummary } from '../../renderer/db';
import { assignedMap, summariesOf, summaryColumns } from '../../renderer/workers';

const summaries: PlacedSummary[] = [
  {
    itemId: 'a:u1\u001fe1',
    identityId: 'u1',
    action: 'revoke',
    confidence: 0.93,
    riskTier: 'high',
    decisionClass: 'step-up',
    chunk: 0,
    row: 0,
    entitlementId: 'e1',
  },
  {
    itemId: 'c:u2\u001fk9',
    identityId: 'u2',
    action: 'rotate',
    confidence: 0.7,
    riskTier: 'critical',
    decisionClass: 'never-delegate',
    chunk: 0,
    row: 1,
    credentialId: 'k9',
  },
  { itemId: 'i:u3', identityId: 'u3', action: 'none', confidence: 0, riskTier: 'low', decisionClass: 'suggest', chunk: 3, row: 49_999 },
  {
    itemId: 'custom item',
    identityId: 'u4',
    action: 'keep',
    confidence: 0.5,
    riskTier: 'medium',
    decisionClass: 'suggest',
    chunk: 70_000,
    row: 2,
    entitlementId: '',
  },
];

describe('a campaign worker is handed columns', () => {
  it('summaries go across as columns and come back the same objects, keys and their order included', () => {
    const columns = summaryColumns(summaries);
    expect(columns.itemId).toEqual(summaries.map((s) => s.itemId));
    expect(columns.confidence).toBeInstanceOf(Float64Array);
    // Structured clone (the same serializer as postMessage) keeps them as they are.
    const crossed = v8.deserialize(v8.serialize(columns)) as typeof columns;
    const back = summariesOf(crossed);
    expect(JSON.stringify(back)).toBe(JSON.stringify(summaries));
    expect(back).toEqual(summaries);
    expect('entitlementId' in back[2]! || 'credentialId' in back[2]!).toBe(false);
    expect(summariesOf(summaryColumns([]))).toEqual([]);
  });

  it('the reviewer assignments, as stored chunks, become the map the table reads (in order; a later chunk wins)', () => {
    const map = assignedMap([
      { itemIds: ['x', 'y'], reviewerIds: ['r1', 'r2'], reasons: ['manager', 'owner'] },
      { itemIds: ['z', 'x'], reviewerIds: ['r3', 'r4'], reasons: ['fallback', 'manager'] },
    ]);
    expect([...map]).toEqual([
      ['x', { reviewerId: 'r4', reason: 'manager' }],
      ['y', { reviewerId: 'r2', reason: 'owner' }],
      ['z', { reviewerId: 'r3', reason: 'fallback' }],
    ]);
  });
});

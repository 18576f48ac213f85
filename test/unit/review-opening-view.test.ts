// The item whose detail the review screen asks for as the table arrives (before its first render, #19) must be the
// item that render then selects: the same view and position as the screen resolves once the decisions are read.
import { describe, expect, it } from 'vitest';
import { chainEvent, deriveItemStates, type AuditEvent } from '../../shared/review';
import { EVERYTHING } from '../../shared/review/scope';
import type { Snapshot } from '../../shared/model';
import type { Suggestion } from '../../shared/suggest/types';
import { buildCampaignTable, campaignData, selectedInOrder } from '../../renderer/workers/campaign-table';
import { DEFAULT_FILTERS } from '../../renderer/features/review/persisted-view';
import { inTableOrder, openingView, resolvePosition, tableView, type ViewFilters } from '../../renderer/features/review/table-view';

const base: ViewFilters = { ...DEFAULT_FILTERS, mine: null };

function table() {
  const identities = Array.from({ length: 12 }, (_, i) => ({
    id: `u${i}`,
    displayName: `Person ${(i * 7) % 12}`,
    type: 'human' as const,
    status: 'active' as const,
    sources: [],
  }));
  const entitlements = ['Read', 'Write', 'Admin'].map((name, i) => ({
    id: `e${i}`,
    name,
    application: `App ${i}`,
    privilege: 'low' as const,
  }));
  const assignments = identities.flatMap((u, i) =>
    entitlements.filter((_, k) => (i + k) % 2 === 0).map((e) => ({ identityId: u.id, entitlementId: e.id, source: 'g.csv' })),
  );
  const tiers = ['low', 'medium', 'high', 'critical'] as const;
  const suggestions: Suggestion[] = assignments.map((a, n) => ({
    itemId: `a:${a.identityId}\u001f${a.entitlementId}`,
    identityId: a.identityId,
    entitlementId: a.entitlementId,
    action: n % 3 ? 'keep' : 'revoke',
    confidence: ((n * 37) % 100) / 100,
    riskTier: tiers[(n * 5) % 4]!,
    decisionClass: 'suggest',
    signals: [],
    engine: 'e',
    policyDigest: 'p',
  }));
  const snapshot: Snapshot = { id: 's', name: 's', createdAt: '', sources: [], identities, entitlements, assignments, credentials: [] };
  return { table: buildCampaignTable(campaignData(EVERYTHING, snapshot, suggestions, new Map())), suggestions };
}

describe('the item asked for as a campaign opens', () => {
  const { table: t, suggestions } = table();
  it('is the item the first render selects, under each sort, grouping, filter and restored selection', () => {
    const filters: Partial<ViewFilters>[] = [
      {},
      { sortBy: 'risk' },
      { sortBy: 'confidence' },
      { groupBy: 'application', sortBy: 'identity' },
      { risk: 'high' },
      { search: 'write' },
      { search: 'nobody at all' },
    ];
    const cursors = [
      { pos: 0, id: null },
      { pos: 3, id: null },
      { pos: 0, id: suggestions[7]!.itemId },
      { pos: 2, id: 'a:gone\u001fe0' },
    ];
    const asked = new Set<number>();
    for (const c of filters)
      for (const cursor of cursors) {
        const f = { ...base, ...c };
        const opening = openingView(t, f, cursor)!;
        // What the screen renders once the decisions are read (none decided: the same states as at opening).
        const view = tableView(t, f, new Map());
        const p = resolvePosition(view, t, cursor);
        expect(opening.index, JSON.stringify([c, cursor])).toBe(p >= 0 ? view.items[p] : -1);
        expect(Array.from(opening.view.items)).toEqual(Array.from(view.items));
        asked.add(opening.index);
      }
    // Not vacuous: sorts, filters and selections lead to different items, and an empty view to none.
    expect(asked.size).toBeGreaterThan(3);
    expect(asked.has(-1)).toBe(true);
  });
  it("in the table's own order, is the item the campaign worker begins with (selectedInOrder), whatever the selection", () => {
    const cursors = [
      { pos: 0, id: null },
      { pos: 5, id: null },
      { pos: 10_000, id: null },
      { pos: 0, id: suggestions[9]!.itemId },
      { pos: 4, id: suggestions[4]!.itemId },
      { pos: 2, id: 'a:gone\u001fe0' },
    ];
    const chosen = new Set<number>();
    for (const cursor of cursors) {
      expect(inTableOrder({ ...base, mine: null })).toBe(true);
      const index = selectedInOrder(t, cursor);
      expect(index, JSON.stringify(cursor)).toBe(openingView(t, base, cursor)!.index);
      chosen.add(index);
    }
    expect(chosen.size).toBeGreaterThan(3);
    // Any narrowing, sort or grouping is not the table's order (the screen asks once it has made its view).
    for (const c of [
      { search: 'x' },
      { risk: 'low' },
      { mine: 'me' },
      { groupBy: 'identity' as const },
      { sortBy: 'risk' as const },
      { status: 'open' },
    ])
      expect(inTableOrder({ ...base, ...c }), JSON.stringify(c)).toBe(false);
  });
  it('is none under a decision status filter (the decisions are not read yet)', () => {
    const decided: AuditEvent = chainEvent(null, {
      campaignId: 'c',
      type: 'decision',
      at: '2026-11-22T00:00:00Z',
      actor: { id: 'me', name: 'Me', keyFingerprint: 'x' },
      itemId: suggestions[0]!.itemId,
      action: 'keep',
      acceptedSuggestion: true,
    });
    const states = deriveItemStates([decided]);
    // With the decisions read, the status filter's first item is not the unfiltered one: guessing would be wrong.
    expect(tableView(t, { ...base, status: 'open' }, states).items[0]).not.toBe(tableView(t, base, new Map()).items[0]);
    expect(openingView(t, { ...base, status: 'open' }, { pos: 0, id: null })).toBeNull();
  });
});

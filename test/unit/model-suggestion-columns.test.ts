// Suggestions stored as typed columns (renderer/db/suggestion-columns.ts) come back as the same JSON value, from the
// engine's own output and from hand-made edge cases, through the codec alone and through Dexie (fake-indexeddb).
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { DEFAULT_POLICY, suggest, type Signal, type Suggestion } from '../../shared/suggest';
import { WorkbenchDatabase, loadSuggestions, storeSuggestions, suggestionKey } from '../../renderer/db';
import {
  decodeSuggestions,
  encodeSuggestions,
  type SuggestionColumnsV1,
  type SuggestionColumnsV2,
} from '../../renderer/db/suggestion-columns';
import { writeWorkbenchCsv } from '../bench/workbench-data';
import { encodeSuggestionsV2 } from './suggestion-columns-v2-writer';
import { suggestionWith } from '../fixtures/suggestions/suggestion-kit';

const dir = resolve(__dirname, '../fixtures/workbench-csv');
const fixture = () => importFiles(readdirSync(dir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }))).data;
const engineOutput = () => suggest(fixture(), DEFAULT_POLICY, { asOf: Date.parse('2026-11-22T00:00:00Z') });
const same = (a: readonly Suggestion[], b: readonly Suggestion[]) =>
  expect(b.map((s) => JSON.stringify(s))).toEqual(a.map((s) => JSON.stringify(s)));

const base = suggestionWith;

/** How many entries of an integer column hold the sentinel NONE (at = 0) or LITERAL_ROW (at = 1): columns are written
 * as narrow as their values allow, the sentinels being the type's highest values. */
const sentinels = (col: Uint8Array | Uint16Array | Uint32Array, at: 0 | 1) => {
  const top = col instanceof Uint8Array ? 0xff : col instanceof Uint16Array ? 0xffff : 0xffffffff;
  return Array.from(col).filter((x) => x === top - at).length;
};

const team = ['u1', 'u2', 'u3', 'u4'];
/** Peer signals as the engine writes them: every holder in the group lists the others. */
function holderRows(): Suggestion[] {
  const ref = (holders: string[]) => ({ group: 'manager:m1', size: 40, holders });
  const peerSig = (holders: string[]): Signal => ({
    id: 'peer-outlier.manager',
    message: 'rare',
    value: 0.05,
    threshold: 0.1,
    verdict: 'revoke',
    confidence: 0.7,
    peers: ref(holders),
  });
  const holderOf = (who: string, ent: string, holders: string[]) =>
    base({ itemId: `a:${who}\u001f${ent}`, identityId: who, entitlementId: ent, signals: [peerSig(holders)] });
  const others = (who: string) => team.filter((x) => x !== who);
  return [
    ...team.map((who) => holderOf(who, 'e1', others(who))),
    // An identity outside the group lists every holder; unsorted, duplicated and empty lists stay as they are.
    holderOf('u9', 'e1', team),
    holderOf('u5', 'e1', ['u3', 'u1']),
    holderOf('u5', 'e1', ['u1', 'u1']),
    holderOf('u6', 'e1', []),
    ...team.map((who) => holderOf(who, 'e1', others(who))),
    ...team.map((who) => holderOf(who, 'e2', others(who))),
    base({ itemId: 'c:u1\u001fk', identityId: 'u1', entitlementId: undefined, credentialId: 'k', signals: [peerSig(['u2'])] }),
  ];
}

describe('suggestion columns', () => {
  it("round-trip the engine's output exactly (keys, order, text, numbers)", () => {
    const rows = engineOutput();
    expect(rows.length).toBeGreaterThan(10);
    const cols = encodeSuggestions(rows);
    same(rows, decodeSuggestions(cols));
    // Messages that differ only in their figures share one template; each distinct message is written once.
    const messages = new Set(rows.flatMap((s) => s.signals.map((g) => g.message)));
    expect(cols.signalRefs.length).toBe(rows.reduce((n, s) => n + s.signals.length, 0));
    expect(cols.msgTemplate.length).toBe(messages.size);
    expect(new Set(cols.msgTemplate).size).toBeLessThan(messages.size);
  });

  it('keep edge cases exact: digit runs, marker characters, value kinds, peers, item ids, unforeseen fields', () => {
    const peers = { group: 'department-title:Finance/AP Clerk', size: 41, holders: ['u0000007', 'u2', 'u10'] };
    const sig = (over: Partial<Signal>): Signal => ({
      id: 'unused-access',
      message: 'last used 212 days ago; policy window 90 days',
      value: 212,
      threshold: 90,
      verdict: 'revoke',
      confidence: 0.9,
      ...over,
    });
    const rows: Suggestion[] = [
      base({
        signals: [
          sig({}),
          sig({ message: 'ids u0000007 and 12345678901 and 0 and 007 and 3.14 and -5', value: -0.25, threshold: null }),
          sig({ message: 'a \u0001 marker 42', value: 'text', threshold: 'policy' }),
        ],
      }),
      base({
        signals: [
          sig({ value: true, threshold: 'no password login', verdict: undefined, confidence: undefined, peers }),
          sig({ id: 'peer-outlier.manager', value: false, peers }),
        ],
      }),
      base({
        itemId: 'c:svc\u001fkey-1',
        identityId: 'svc',
        entitlementId: undefined,
        credentialId: 'key-1',
        riskReasons: ['privilege: high', 'blast radius: 3'],
      }),
      base({
        itemId: 'i:svc',
        identityId: 'svc',
        entitlementId: undefined,
        action: 'none',
        signals: [
          sig({
            id: 'usage-unknown',
            message: 'no usage data for this application',
            value: null,
            threshold: null,
            verdict: undefined,
            confidence: undefined,
          }),
        ],
      }),
      base({ itemId: 'custom-item-id' }),
      // Item ids one character away from the derived one are kept as given.
      base({ itemId: 'a:u1\u001fe2' }),
      base({ itemId: 'c:u1\u001fe1' }),
      base({ itemId: 'a:u1:e1' }),
      base({ itemId: 'a:u1\u001fe1 ' }),
      base({ itemId: 'a:u\u001f1e1', identityId: 'u', entitlementId: '1e1' }),
      base({ itemId: 'i:u1', entitlementId: undefined }),
      base({ itemId: 'i:u1x', entitlementId: undefined }),
      base({ signals: [sig({ peers: { group: 'nearest-neighbours:u1', size: 2, members: ['u3', 'u4'], holders: [] } })] }),
      // Unforeseen: an extra field, and a value of an unexpected type, are kept whole.
      { ...base({}), extra: { a: 1 } } as unknown as Suggestion,
      base({ signals: [sig({ value: { odd: true } as unknown as number })] }),
      base({ signals: [sig({ confidence: '0.9' as unknown as number })] }),
      base({ riskTier: 7 as unknown as 'low' }),
      base({ signals: [sig({ peers: { group: 'g', size: 3, holders: ['a\u001eb', 'c'] } })] }),
      base({ signals: [sig({ peers: { group: 'g', size: 1, holders: [''] } })] }),
    ];
    const back = decodeSuggestions(encodeSuggestions(rows));
    same(rows, back);
    expect(back[1]!.signals[0]!.peers).toEqual(peers);
  });

  it("write a group's holder list once per entitlement: each holder's list is the full list less itself", () => {
    const rows = holderRows();
    const cols = encodeSuggestions(rows);
    same(rows, decodeSuggestions(cols));
    // 9 of the references read e1's full list, 4 e2's.
    const e1 = cols.lists.indexOf(team.join('\u001e'));
    expect(e1).toBeGreaterThanOrEqual(0);
    expect(Array.from(cols.peerHolders).filter((l) => l === e1).length).toBe(9);
    expect(cols.lists.length).toBeLessThan(rows.length / 2 + 2);
  });

  it('round-trip a generated organisation: shared signals and peer references written once, holders less one, literal messages', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arw-columns-'));
    try {
      const gen = writeWorkbenchCsv(dir, { identities: 2000, assignments: 20_000, seed: 7 });
      const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
      const engine = suggest(data, DEFAULT_POLICY, { asOf: Date.parse('2026-11-22T00:00:00Z') });
      // Messages holding the template marker are written as they are; one such signal shared by many suggestions.
      const literal: Signal = { id: 'note', message: 'odd \u0001 text 42', value: 42, threshold: null };
      const rows = engine.map((s, i) => (i % 97 === 0 ? { ...s, signals: [...s.signals, literal] } : s));
      const cols = encodeSuggestions(rows);
      const back = decodeSuggestions(cols);
      same(rows, back);
      const distinct = (list: readonly Suggestion[], pick: (g: Signal) => object | undefined) =>
        new Set(list.flatMap((s) => s.signals.map(pick)).filter(Boolean)).size;
      const signalObjects = distinct(rows, (g) => g);
      expect(signalObjects).toBeLessThan(cols.signalRefs.length);
      // Each distinct Signal object and peer reference once, and read back shared as the engine shared them.
      expect(cols.sigId.length).toBe(signalObjects);
      expect(cols.peerShape.length).toBe(distinct(rows, (g) => g.peers));
      expect(distinct(back, (g) => g)).toBe(signalObjects);
      expect(distinct(back, (g) => g.peers)).toBe(distinct(rows, (g) => g.peers));
      expect(cols.peerHolderSkip.length - sentinels(cols.peerHolderSkip, 0)).toBeGreaterThan(100);
      expect(Array.from(cols.msgFlags).filter((f) => f === 1).length).toBe(1);
      // A chunk cut from the middle of the list decodes to that slice.
      same(rows.slice(1000, 3000), decodeSuggestions(encodeSuggestions(rows, 1000, 3000)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keep a suggestion whole when it does not fit, though a signal it shares fits in another', () => {
    const shared: Signal = { id: 'unused-access', message: 'last used 212 days ago', value: 212, threshold: 90, verdict: 'revoke' };
    const odd: Signal = { ...shared, value: { odd: true } as unknown as number };
    const rows = [
      base({ signals: [shared, odd] }),
      base({ signals: [shared] }),
      base({ signals: [odd, shared] }),
      { ...base({ signals: [shared] }), extra: 1 } as unknown as Suggestion,
      base({ signals: [shared, shared] }),
    ];
    const cols = encodeSuggestions(rows);
    same(rows, decodeSuggestions(cols));
    expect(sentinels(cols.shape, 1)).toBe(3);
    expect(cols.sigId.length).toBe(1);
  });

  it('still read chunks written in the second column format (one list per group and entitlement, every signal apart)', () => {
    const rows = [...engineOutput(), ...holderRows()];
    const cols = encodeSuggestionsV2(rows);
    expect(cols.format).toBe(2);
    expect(cols.sigId.length).toBe(rows.reduce((n, s) => n + s.signals.length, 0));
    same(rows, decodeSuggestions(cols));
  });

  it('still read chunks written in the first column format (each holder list joined on its own)', () => {
    const rows = [...engineOutput(), ...holderRows()];
    const cols = encodeSuggestionsV2(rows);
    const decoded = decodeSuggestions(cols);
    // The same chunk as format 1 wrote it: holders and members of every peer reference joined apart.
    const refs = new Map<number, NonNullable<Signal['peers']>>();
    decoded.forEach((s, i) => s.signals.forEach((g, k) => g.peers && refs.set(cols.sigPeers[cols.signalStart[i]! + k]!, g.peers)));
    const n = cols.peerShape.length;
    const at = (p: number) => refs.get(p)!;
    const { lists: _l, listCount: _c, peerHolderSkip: _s, ...rest } = cols as SuggestionColumnsV2;
    const v1: SuggestionColumnsV1 = {
      ...rest,
      format: 1,
      peerHolders: Array.from({ length: n }, (_, p) => (refs.has(p) ? (at(p).holders ?? []).join('\u001e') : '')),
      peerHolderCount: Uint32Array.from({ length: n }, (_, p) => (refs.has(p) ? (at(p).holders?.length ?? 0) : 0)),
      peerMembers: Array.from({ length: n }, (_, p) => (refs.has(p) ? (at(p).members ?? []).join('\u001e') : '')),
      peerMemberCount: Uint32Array.from({ length: n }, (_, p) => (refs.has(p) ? (at(p).members?.length ?? 0) : 0)),
    };
    expect(rows.some((s) => s.signals.some((g) => g.peers?.holders?.length))).toBe(true);
    same(rows, decodeSuggestions(v1));
  });

  let db: WorkbenchDatabase | undefined;
  afterEach(async () => {
    await db?.delete();
  });
  it('are what the repository stores and loads, in chunks, keyed by snapshot, policy, engine and date', async () => {
    db = new WorkbenchDatabase(`columns-${process.pid}`);
    const one = engineOutput();
    // More rows than one chunk holds.
    const rows = Array.from({ length: Math.ceil(55_000 / one.length) }, () => one).flat();
    const record = await storeSuggestions(db, { snapshotId: 's1', policyDigest: 'p', engine: 'e', asOf: '2026-11-22' }, rows);
    expect(record.chunks).toBeGreaterThan(1);
    const stored = await db.suggestionChunks
      .where('key')
      .equals(suggestionKey('s1', 'p', 'e', 0, 0, '2026-11-22'))
      .first();
    expect(stored?.columns?.format).toBe(3);
    expect(stored?.json).toBeUndefined();
    same(rows, await loadSuggestions(db, record.key));
  });

  it('load a set whose chunks an earlier version wrote in format 2 beside format 3 chunks', async () => {
    db = new WorkbenchDatabase(`columns-v2-${process.pid}`);
    const rows = engineOutput();
    const half = Math.floor(rows.length / 2);
    await db.suggestionChunks.add({ key: 'mixed', index: 0, columns: encodeSuggestionsV2(rows.slice(0, half)) });
    await db.suggestionChunks.add({ key: 'mixed', index: 1, columns: encodeSuggestions(rows, half) });
    same(rows, await loadSuggestions(db, 'mixed'));
  });

  it('still read chunks written as JSON text before', async () => {
    db = new WorkbenchDatabase(`columns-old-${process.pid}`);
    const rows = engineOutput();
    await db.suggestionChunks.add({ key: 'old', index: 0, json: JSON.stringify(rows) });
    same(rows, await loadSuggestions(db, 'old'));
  });
});

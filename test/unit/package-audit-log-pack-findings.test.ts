// The audit-log analysis passed between threads: packAuditLogAnalysis / unpackAuditLogAnalysis round-trip any
// analysis exactly; the verifier's findings (decisions.json compared with the log where it is read) equal the
// standing Map compared with the items, whatever the pieces the log arrives in.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/codec/digest';
import { writeAuditLog } from '../../shared/package/audit-chain-check';
import {
  analyzeAuditLog,
  findingsOf,
  IncrementalAuditLogAnalysis,
  packAuditLogAnalysis,
  type AuditLogAnalysis,
  type AuditLogContext,
} from '../../shared/package/audit-log-analysis';
import {
  mismatchesWithStanding,
  packComparedItems,
  unpackComparedItems,
  type ComparedItem,
  type StandingDecision,
} from '../../shared/package/decision-chain-consistency';
import type { CertificationInput } from '../../shared/package/types';
import { bodyArb, chainOf, wordKey } from '../fixtures/packages/audit-event-arbitraries';
import { expectRoundTrip, sampleAuditLog } from './audit-log-analysis-reference';

let input: CertificationInput;
let logBytes: Uint8Array;
let context: AuditLogContext;

beforeAll(() => {
  ({ input, logBytes, context } = sampleAuditLog());
});

// ---------------------------------------------------------------- pack / unpack

describe('packAuditLogAnalysis / unpackAuditLogAnalysis', () => {
  const decisionArb: fc.Arbitrary<StandingDecision> = fc
    .record({
      seq: fc.nat(),
      action: fc.constantFrom('keep', 'revoke', 'rotate', 'cant-decide'),
      acceptedSuggestion: fc.boolean(),
      rationale: fc.option(fc.string({ unit: 'binary', maxLength: 10 }), { nil: null }),
      reviewerId: fc.string({ maxLength: 6 }),
      at: fc.string({ maxLength: 6 }),
      approverId: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
      approvalAt: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
      detail: fc.constantFrom('', '["u1005",null,null]', '[null,"2027-03-31",null]'),
    })
    .map((r) => ({ ...r })) as fc.Arbitrary<StandingDecision>;
  const analysisArb: fc.Arbitrary<AuditLogAnalysis> = fc.oneof(
    fc
      .record({ readable: fc.constant(false as const), problems: fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 4 }) })
      .map((r) => ({ ...r })),
    fc
      .record({
        readable: fc.constant(true as const),
        length: fc.nat(),
        chain: fc.oneof(
          fc
            .record({
              ok: fc.constant(true as const),
              length: fc.nat(),
              head: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
            })
            .map((r) => ({ ...r })),
          fc.record({ ok: fc.constant(false as const), seq: fc.integer(), reason: fc.string({ maxLength: 30 }) }).map((r) => ({ ...r })),
        ),
        actorFindings: fc.option(
          fc.array(
            fc
              .record({ message: fc.string({ maxLength: 20 }), itemId: fc.string({ unit: 'binary', maxLength: 8 }) })
              .map((r) => ({ ...r })),
            { maxLength: 3 },
          ),
          { nil: null },
        ),
        signatureFindings: fc.option(
          fc.array(
            fc
              .record({
                check: fc.constantFrom('signatures' as const, 'consistency' as const),
                message: fc.string({ maxLength: 20 }),
                itemId: fc.string({ maxLength: 8 }),
              })
              .map((r) => ({ ...r })),
            { maxLength: 3 },
          ),
          { nil: null },
        ),
        pendingSignatures: fc.array(
          fc
            .record({
              seq: fc.nat(),
              itemId: fc.string({ maxLength: 6 }),
              actorId: fc.string({ maxLength: 6 }),
              sig: fc.base64String({ maxLength: 12 }),
              publicKey: fc.base64String({ maxLength: 12 }),
              payload: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 8 }),
            })
            .map((r) => ({ ...r })),
          { maxLength: 2 },
        ),
        pace: fc.array(
          fc
            .record({
              reviewerId: fc.string({ maxLength: 6 }),
              seconds: fc.array(fc.option(fc.nat(), { nil: null }), { maxLength: 4 }),
              accepted: fc.array(fc.boolean(), { maxLength: 4 }),
              warningsShown: fc.nat(),
            })
            .map((r) => ({ ...r })),
          { maxLength: 2 },
        ),
        standing: fc
          .array(fc.tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.option(decisionArb, { nil: null })), { maxLength: 8 })
          .map((entries) => new Map(entries)),
        campaignBaselines: fc.array(
          fc.option(
            fc
              .record({ packageDigest: fc.string({ maxLength: 8 }), scope: fc.constantFrom('all', 'changed-and-high') })
              .map((r) => ({ ...r })),
            { nil: null },
          ),
          { maxLength: 2 },
        ),
      })
      .map((r) => ({ ...r })),
  );

  it('round-trips any analysis exactly: Map entries in order, null standings, null rationales, the unreadable case', () => {
    fc.assert(
      fc.property(analysisArb, (analysis) => expectRoundTrip(analysis)),
      { numRuns: 500 },
    );
  });

  it('round-trips the sample analysis, whose standing holds approvals and null rationales', () => {
    const a = analyzeAuditLog(logBytes, context);
    expect(a.readable).toBe(true);
    if (!a.readable) return;
    const values = [...a.standing.values()];
    expect(values.some((d) => d?.rationale === null)).toBe(true);
    expect(values.some((d) => d?.approverId !== null)).toBe(true);
    expectRoundTrip(a);
    expect(typeof packAuditLogAnalysis(a)).toBe('string');
  });

  it('round-trips an unreadable analysis', () => {
    const a = analyzeAuditLog(utf8('{}\n'), context);
    expect(a.readable).toBe(false);
    expectRoundTrip(a);
  });
});

// ---------------------------------------------------------------- the verifier's findings

describe('findings: decisions.json compared with the log where it is read', () => {
  /** The comparison as the verifier ran it before: a Set for repeated ids, then the standing Map. */
  function referenceConsistency(items: readonly ComparedItem[], standing: Map<string, StandingDecision | null>) {
    const seen = new Set<string>();
    const repeated: string[] = [];
    for (const item of items) {
      if (seen.has(item.itemId)) repeated.push(item.itemId);
      seen.add(item.itemId);
    }
    return { repeated, mismatches: mismatchesWithStanding(items, standing) };
  }

  const itemArb: fc.Arbitrary<ComparedItem> = fc.record({
    itemId: fc.constantFrom('i1', 'i2', 'i3', 'a:u1\u001fent-1', 'é'),
    suggestion: fc.option(fc.record({ action: fc.constantFrom('keep', 'revoke', 'rotate') }), { nil: null }),
    decision: fc.option(
      fc.record({
        action: fc.constantFrom('keep', 'revoke', 'rotate', 'cant-decide'),
        reviewerId: fc.constantFrom('alice', 'bob'),
        at: fc.constantFrom('2026-03-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z'),
        rationale: fc.option(fc.constantFrom('because', ''), { nil: null }),
        acceptedSuggestion: fc.boolean(),
        approver: fc.option(fc.record({ id: fc.constantFrom('bob', 'carol'), at: fc.constantFrom('2026-06-02T00:00:00.000Z') }), {
          nil: null,
        }),
      }),
      { nil: null },
    ),
  }) as fc.Arbitrary<ComparedItem>;

  it('on random logs and item lists (repeated, missing, differing): the same as the standing Map compared with the items, whatever the pieces', () => {
    fc.assert(
      fc.property(
        fc.array(bodyArb(wordKey), { maxLength: 12 }),
        fc.option(fc.array(itemArb, { maxLength: 8 }), { nil: null }),
        fc.nat(),
        (bodies, items, cut) => {
          const bytes = writeAuditLog(chainOf(bodies)).bytes;
          const analysis = analyzeAuditLog(bytes, null);
          const expected = findingsOf(analysis, items);
          if (analysis.readable && expected.readable)
            expect(expected.consistency).toStrictEqual(items ? referenceConsistency(items, analysis.standing) : null);
          const buffer = new Uint8Array(bytes.length);
          const incremental = new IncrementalAuditLogAnalysis(buffer, null);
          buffer.set(bytes);
          incremental.advance(bytes.length ? cut % bytes.length : 0);
          expect(incremental.findings(bytes.length, items)).toStrictEqual(expected);
          // Packed for the other thread and back, the items compare the same.
          if (items) expect(findingsOf(analysis, unpackComparedItems(packComparedItems(items)))).toStrictEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('packed items unpack one row at a time, as they were (awkward ids, details, none at all)', () => {
    const items: ComparedItem[] = ['a\nb', 'line\u2028sep', 'quote"\\', 'ünïcode', ''].map((itemId, i) => ({
      itemId,
      suggestion: i % 2 ? { action: 'revoke' } : null,
      decision:
        i % 3
          ? null
          : {
              action: 'keep',
              reviewerId: 'alice',
              at: '2026-06-01T00:00:00.000Z',
              rationale: i ? 'why\nnot' : null,
              acceptedSuggestion: false,
              approver: null,
              ...(i ? { ownerId: 'o\n1', keepUntil: '2027-01-01' } : {}),
            },
    }));
    expect([...unpackComparedItems(packComparedItems(items))]).toStrictEqual(items);
    expect([...unpackComparedItems(packComparedItems([]))]).toStrictEqual([]);
    // Lazily: the first row is made before a damaged later row is reached.
    const rows = unpackComparedItems(`${packComparedItems(items.slice(0, 1))}\n{damaged`);
    expect(rows.next().value).toStrictEqual(items[0]);
    expect(() => rows.next()).toThrow(SyntaxError);
  });

  it('the sample campaign: its own items agree; changed, repeated and left-out items are each found', () => {
    const items = input.items.map((item) => ({
      itemId: item.itemId,
      suggestion: item.suggestion ? { action: item.suggestion.action } : null,
      decision: item.decision
        ? {
            action: item.decision.action,
            reviewerId: item.decision.reviewerId,
            at: item.decision.at,
            rationale: item.decision.rationale ?? null,
            acceptedSuggestion: item.decision.acceptedSuggestion,
            approver: item.decision.approver ?? null,
          }
        : null,
    })) as ComparedItem[];
    const incremental = (list: ComparedItem[]) => {
      const analysis = new IncrementalAuditLogAnalysis(logBytes, context);
      analysis.advance(logBytes.length);
      return analysis.findings(logBytes.length, list);
    };
    const own = incremental(items);
    expect(own.readable && own.consistency).toStrictEqual({ repeated: [], mismatches: [] });
    const decided = items.findIndex((i) => i.decision);
    const changed = items.map((item, i) => (i === decided ? { ...item, decision: { ...item.decision!, reviewerId: 'mallory' } } : item));
    const withChange = incremental([...changed.slice(1), changed[1]!]);
    expect(withChange).toStrictEqual(findingsOf(analyzeAuditLog(logBytes, context), [...changed.slice(1), changed[1]!]));
    expect(withChange.readable && withChange.consistency?.repeated).toStrictEqual([changed[1]!.itemId]);
    expect(withChange.readable && withChange.consistency!.mismatches.length).toBeGreaterThan(0);
  });
});

// Properties of the audit chain's building blocks, on random event bodies and on a generated campaign: chainEvent's
// sorted, hashEvent-equal events that verifyChain accepts; StandingDecisionLog equal to deriveItemStates.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/codec/digest';
import { checkAuditChain } from '../../shared/package/audit-chain-check';
import { standingDecision, standingDecisions } from '../../shared/package/decision-chain-consistency';
import { chainEvent, GENESIS_HASH, hashEvent, verifyChain } from '../../shared/review/audit-log';
import { deriveItemStates, StandingDecisionLog } from '../../shared/review/state';
import type { AuditEvent, AuditEventBody } from '../../shared/review/types';
import { sampleCertificationInput } from '../fixtures/packages/sample-campaign';
import { actorArb, bodyArb, chainOf, refOf, REVIEWERS, wordKey } from '../fixtures/packages/audit-event-arbitraries';

let events: AuditEvent[];
beforeAll(() => {
  events = sampleCertificationInput(REVIEWERS, { items: 300, seed: 5, open: 7 }).auditEvents;
});

// ---------------------------------------------------------------- chainEvent

const INTEGER_LIKE = /^(0|[1-9]\d{0,8})$/;

/**
 * True when every object's own keys are in ascending order, at every level (integer-like keys aside: JavaScript
 * enumerates them first, in numeric order, whatever order they were added in).
 */
function sortedEverywhere(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(sortedEverywhere);
  const keys = Object.keys(value).filter((k) => !INTEGER_LIKE.test(k));
  return keys.every((k, i) => i === 0 || keys[i - 1]! < k) && Object.values(value).every(sortedEverywhere);
}

function hasIntegerLikeKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasIntegerLikeKey);
  return Object.keys(value).some((k) => INTEGER_LIKE.test(k)) || Object.values(value).some(hasIntegerLikeKey);
}

/** Keys that do not start with a digit: JavaScript enumerates integer-like keys first, whatever the insertion order. */
describe('chainEvent', () => {
  it('returns events with keys sorted at every level, whose hash is hashEvent of the rest, and that verifyChain accepts', () => {
    fc.assert(
      fc.property(fc.array(bodyArb(wordKey), { maxLength: 10 }), (bodies) => {
        const chained = chainOf(bodies);
        for (const [i, e] of chained.entries()) {
          expect(sortedEverywhere(e)).toBe(true);
          const { hash, ...rest } = e;
          expect(hash).toBe(hashEvent(rest));
          expect(e.seq).toBe(i + 1);
          expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : chained[i - 1]!.hash);
          // Sorted keys: the event's own JSON is its canonical JSON (when no key is integer-like, see above).
          if (!hasIntegerLikeKey(e)) expect(JSON.stringify(e)).toBe(canonicalJson(e));
        }
        expect(verifyChain(chained)).toStrictEqual({ ok: true, length: chained.length, head: chained.at(-1)?.hash ?? GENESIS_HASH });
      }),
      { numRuns: 200 },
    );
  });

  it('with any detail keys (integer-like, "__proto__", empty): hash still equals hashEvent and verifyChain accepts', () => {
    const anyKey = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', '10', '9', '', 'hash'));
    fc.assert(
      fc.property(fc.array(bodyArb(anyKey), { minLength: 1, maxLength: 6 }), (bodies) => {
        const chained = chainOf(bodies);
        for (const e of chained) {
          const { hash, ...rest } = e;
          expect(hash).toBe(hashEvent(rest));
        }
        expect(verifyChain(chained).ok).toBe(true);
        expect(checkAuditChain(chained)).toStrictEqual(verifyChain(chained));
      }),
      { numRuns: 200 },
    );
  });

  it('the sample campaign, chained by chainEvent, verifies; the events leave undefined members out', () => {
    expect(verifyChain(events)).toStrictEqual({ ok: true, length: events.length, head: events.at(-1)!.hash });
    const e = chainEvent(null, {
      campaignId: 'c',
      type: 'note',
      at: '2026-01-01T00:00:00.000Z',
      actor: refOf(REVIEWERS[0]!),
      itemId: undefined,
      details: { b: 1, a: { d: undefined, c: [2, 1] } },
    });
    expect(Object.keys(e)).toStrictEqual(['actor', 'at', 'campaignId', 'details', 'hash', 'prevHash', 'seq', 'type']);
    expect(JSON.stringify(e.details)).toBe('{"a":{"c":[2,1]},"b":1}');
    expect(sortedEverywhere(e)).toBe(true);
  });
});

// ---------------------------------------------------------------- standing decisions

describe('StandingDecisionLog', () => {
  function expectAgreesWithDerived(list: readonly AuditEvent[]): void {
    const log = new StandingDecisionLog();
    for (const e of list) log.apply(e);
    const standing = log.standing();
    const derived = deriveItemStates(list);
    expect([...standing.keys()]).toStrictEqual([...derived.keys()]);
    for (const [itemId, state] of derived) expect(standing.get(itemId), itemId).toStrictEqual(state.current);
    const flat = standingDecisions(list);
    for (const [itemId, state] of derived) expect(flat.get(itemId)).toStrictEqual(standingDecision(state.current));
  }

  it('agrees with deriveItemStates on the sample campaign', () => {
    expectAgreesWithDerived(events);
    // Some items have been undone and decided again, some approved.
    const standing = standingDecisions(events);
    expect([...standing.values()].some((d) => d?.approverId)).toBe(true);
  });

  it('agrees with deriveItemStates on any sequence of decisions, undos (of any seq) and approvals', () => {
    const op = fc.record({
      type: fc.constantFrom('decision', 'decision', 'undo', 'approval', 'note'),
      item: fc.constantFrom('i1', 'i2', 'i3', undefined),
      refersTo: fc.integer({ min: 0, max: 20 }),
      action: fc.constantFrom('keep', 'revoke', 'rotate', undefined),
      actor: actorArb,
      rationale: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        const bodies = ops.map((o, i): AuditEventBody => ({
          campaignId: 'c1',
          type: o.type,
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
          actor: o.actor,
          ...(o.item !== undefined ? { itemId: o.item } : {}),
          ...(o.type === 'decision' && o.action ? { action: o.action, acceptedSuggestion: i % 2 === 0 } : {}),
          ...(o.rationale !== undefined ? { rationale: o.rationale } : {}),
          ...(o.type === 'undo' || o.type === 'approval' ? { refersTo: o.refersTo } : {}),
        }));
        expectAgreesWithDerived(chainOf(bodies));
      }),
      { numRuns: 500 },
    );
  });

  it('an item whose only decision was undone stands at null', () => {
    const actor = refOf(REVIEWERS[0]!);
    const list = chainOf([
      { campaignId: 'c1', type: 'decision', at: '2026-01-01T00:00:00.000Z', actor, itemId: 'x', action: 'keep', acceptedSuggestion: true },
      { campaignId: 'c1', type: 'undo', at: '2026-01-01T00:00:01.000Z', actor, itemId: 'x', refersTo: 1 },
    ]);
    const log = new StandingDecisionLog();
    for (const e of list) log.apply(e);
    expect(log.standing().get('x')).toBeNull();
    expect(deriveItemStates(list).get('x')!.current).toBeNull();
  });
});

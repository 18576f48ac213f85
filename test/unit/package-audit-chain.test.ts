// The package's fast audit-chain check must say exactly what shared/review's verifyChain says, and its fast
// canonical JSON must be exactly RFC 8785 (canonicalJson), on any input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, utf8 } from '../../shared/codec/digest';
import { canonicalText, checkAuditChain, lineStartOffsets, withSortedKeys, writeAuditLog } from '../../shared/package/audit-chain-check';
import { chainEvent, verifyChain } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody, ReviewerRef } from '../../shared/review/types';

const alice: ReviewerRef = { id: 'alice', name: 'Alice Ångström', email: 'alice@example.com', keyFingerprint: 'SHA256:aa' };

const bodyArb: fc.Arbitrary<AuditEventBody> = fc.record(
  {
    campaignId: fc.constantFrom('c1', 'c2'),
    type: fc.constantFrom('decision', 'undo', 'approval', 'note'),
    at: fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    actor: fc.constant(alice),
    itemId: fc.string({ maxLength: 12 }),
    action: fc.constantFrom('keep', 'revoke', 'rotate'),
    acceptedSuggestion: fc.boolean(),
    rationale: fc.string({ maxLength: 40 }),
    secondsOnScreen: fc.double({ min: 0, max: 1000, noNaN: true }),
    details: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })),
  },
  { requiredKeys: ['campaignId', 'type', 'at', 'actor'] },
) as fc.Arbitrary<AuditEventBody>;

function chainOf(bodies: AuditEventBody[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const b of bodies) out.push(chainEvent(out.at(-1) ?? null, b));
  return out;
}

function sourceOf(lines: string[]) {
  const bytes = utf8(lines.length ? `${lines.join('\n')}\n` : '');
  return { bytes, lines, lineStarts: lineStartOffsets(bytes, lines.length) };
}

describe('canonicalText', () => {
  it('is RFC 8785 canonical JSON for any JSON value, keys sorted or not', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalText(value)).toBe(canonicalJson(value));
        expect(canonicalText(withSortedKeys(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('falls back to the full algorithm for integer-like keys, which JavaScript orders before the others', () => {
    const value = { b: 1, 10: 'x', 9: 'y', a: [1, { z: 1, y: 2 }] };
    expect(canonicalText(value)).toBe(canonicalJson(value));
    expect(canonicalText(value)).toBe('{"10":"x","9":"y","a":[1,{"y":2,"z":1}],"b":1}');
  });
});

describe('checkAuditChain agrees with verifyChain', () => {
  it('on an event whose details hold a "__proto__" key (found by the property below)', () => {
    const details = JSON.parse('{"":[{"__proto__":""}],"__proto__":{"x":1}}') as Record<string, unknown>;
    const events = chainOf([
      {
        campaignId: 'c1',
        type: 'decision',
        at: '2026-01-01T00:00:00.000Z',
        actor: { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aa' },
        details,
      },
    ]);
    const expected = verifyChain(events);
    expect(expected.ok).toBe(true);
    expect(checkAuditChain(events)).toEqual(expected);
    expect(writeAuditLog(events).chain).toEqual(expected);
    const sorted = events.map(withSortedKeys);
    expect(checkAuditChain(sorted, sourceOf(sorted.map((e) => JSON.stringify(e))))).toEqual(expected);
  });

  it('on intact chains, with and without the lines they were read from', () => {
    fc.assert(
      fc.property(fc.array(bodyArb, { maxLength: 12 }), (bodies) => {
        const events = chainOf(bodies);
        const expected = verifyChain(events);
        expect(checkAuditChain(events)).toEqual(expected);
        const written = writeAuditLog(events);
        expect(written.chain).toEqual(expected);
        const sorted = events.map(withSortedKeys);
        expect(checkAuditChain(sorted, sourceOf(sorted.map((e) => JSON.stringify(e))))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('on chains with an event altered, removed or moved, naming the same event', () => {
    fc.assert(
      fc.property(
        fc.array(bodyArb, { minLength: 2, maxLength: 10 }),
        fc.nat(),
        fc.constantFrom('alter', 'remove', 'swap', 'rehash'),
        (bodies, pick, how) => {
          const events = chainOf(bodies).map(withSortedKeys);
          const k = pick % events.length;
          let tampered = [...events];
          if (how === 'alter') tampered[k] = withSortedKeys({ ...events[k]!, rationale: `${events[k]!.rationale ?? ''} (edited)` });
          if (how === 'remove') tampered.splice(k, 1);
          if (how === 'swap' && k + 1 < events.length) [tampered[k], tampered[k + 1]] = [tampered[k + 1]!, tampered[k]!];
          if (how === 'rehash') tampered = tampered.map((e, i) => (i === k ? { ...e, hash: 'f'.repeat(64) } : e));
          const expected = verifyChain(tampered);
          expect(checkAuditChain(tampered)).toEqual(expected);
          expect(checkAuditChain(tampered, sourceOf(tampered.map((e) => JSON.stringify(e))))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lines that are not canonical (indented, keys unsorted) still check by the canonical definition', () => {
    const events = chainOf([
      {
        campaignId: 'c1',
        type: 'decision',
        at: '2026-05-01T00:00:00.000Z',
        actor: alice,
        itemId: 'i1',
        action: 'keep',
        acceptedSuggestion: true,
      },
      { campaignId: 'c1', type: 'note', at: '2026-05-01T00:01:00.000Z', actor: alice, details: { note: 'Zürich ✓' } },
    ]);
    for (const lines of [
      events.map((e) => JSON.stringify(e)),
      events.map((e) => JSON.stringify(withSortedKeys(e), null, 1).replace(/\n/g, '')),
    ]) {
      expect(
        checkAuditChain(
          events.map((e) => JSON.parse(JSON.stringify(e))),
          sourceOf(lines),
        ),
      ).toEqual(verifyChain(events));
    }
  });

  it('audit-log.jsonl lines are each event’s canonical JSON, whatever the keys and values (fast path or not)', () => {
    fc.assert(
      fc.property(fc.array(bodyArb, { maxLength: 8 }), (bodies) => {
        const events = chainOf(bodies);
        const text = new TextDecoder().decode(writeAuditLog(events).bytes);
        expect(text).toBe(events.map((e) => `${canonicalJson(e)}\n`).join(''));
      }),
      { numRuns: 300 },
    );
  });

  it('audit-log.jsonl lines are each event’s canonical JSON', () => {
    const events = chainOf([{ campaignId: 'c1', type: 'note', at: '2026-05-01T00:00:00.000Z', actor: alice, details: { b: 1, a: 'é' } }]);
    const { bytes } = writeAuditLog(events);
    expect(new TextDecoder().decode(bytes)).toBe(`${canonicalJson(events[0])}\n`);
  });
});

// The line-by-line audit-log analysis (shared/package/audit-log-analysis.ts) against the older path it replaces:
// readAuditLog → checkAuditChain / standingDecisions / the manifest's actor checks must say exactly what
// analyzeAuditLog says, on a generated campaign and on tampered logs (hashes changed, lines reordered, removed,
// not JSON, not events, empty file, no final newline, invalid UTF-8, too many bad lines, unknown actors, other
// campaigns, non-canonical lines), whole or a piece at a time.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/codec/digest';
import { writeAuditLog } from '../../shared/package/audit-chain-check';
import { analyzeAuditLog, type AuditLogContext } from '../../shared/package/audit-log-analysis';
import { readAuditLogChunks } from '../../shared/package/audit-log-stream';
import { MAX_AUDIT_LOG_PROBLEMS } from '../../shared/package/audit-log-reading';
import type { CertificationInput } from '../../shared/package/types';
import { chainEvent, GENESIS_HASH, verifyChain } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody, ReviewerRef } from '../../shared/review/types';
import { bodyArb, chainOf, REVIEWERS } from '../fixtures/packages/audit-event-arbitraries';
import {
  bytesOfLines,
  evenCuts,
  expectSameAnalysis,
  expectSameAsReference,
  incrementally,
  sampleAuditLog,
} from './audit-log-analysis-reference';

let input: CertificationInput;
let events: AuditEvent[];
let logBytes: Uint8Array;
let lines: string[];
let context: AuditLogContext;

beforeAll(() => {
  ({ input, events, logBytes, lines, context } = sampleAuditLog());
});

/** Re-chains events after a change (seq, prevHash, hash recomputed), so only the change itself differs. */
function rechain(list: readonly AuditEvent[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const { seq: _s, prevHash: _p, hash: _h, ...body } of list) out.push(chainEvent(out.at(-1) ?? null, body as AuditEventBody));
  return out;
}

describe('the generated campaign', () => {
  it('holds what the tests rely on: decisions, undos, approvals, non-ASCII text, escaped control characters', () => {
    const types = new Set(events.map((e) => e.type));
    for (const t of ['campaign-created', 'decision', 'undo', 'approval'] as const) expect(types, t).toContain(t);
    expect(events.length).toBeGreaterThan(300);
    expect(lines.some((l) => l.includes('\\u001f'))).toBe(true);
    expect(lines.some((l) => [...l].some((c) => c.charCodeAt(0) > 0x7f))).toBe(true);
  });
});

// ---------------------------------------------------------------- analyzeAuditLog against the older path

describe('analyzeAuditLog equals readAuditLog → checkAuditChain, actor checks, standingDecisions', () => {
  it('on the intact sample log, with the manifest context and without it', () => {
    const a = expectSameAsReference(logBytes, context);
    expect(a.readable).toBe(true);
    if (!a.readable) return;
    expect(a.length).toBe(events.length);
    expect(a.chain).toStrictEqual(verifyChain(events));
    expect(a.actorFindings).toStrictEqual([]);
    // Every decided item stands; the open ones are not in the log.
    expect([...a.standing.values()].filter((d) => d !== null)).toHaveLength(input.items.filter((i) => i.decision).length);
    const b = expectSameAsReference(logBytes, null);
    expect(b.readable && b.actorFindings).toBeNull();
  });

  const tampered: Array<[string, () => Uint8Array]> = [
    [
      'a changed hash',
      () => bytesOfLines(lines.map((l, i) => (i === 40 ? l.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'e'.repeat(64)}"`) : l))),
    ],
    [
      'a changed rationale (not rehashed)',
      () =>
        bytesOfLines(
          lines.map((l, i) =>
            i === lines.findIndex((x) => x.includes('"rationale"')) ? l.replace('"rationale":"', '"rationale":"edited ') : l,
          ),
        ),
    ],
    ['two lines reordered', () => bytesOfLines(lines.map((l, i) => (i === 10 ? lines[11]! : i === 11 ? lines[10]! : l)))],
    ['a line removed', () => bytesOfLines(lines.filter((_, i) => i !== 77))],
    ['the last line removed', () => bytesOfLines(lines.slice(0, -1))],
    ['a line that is not JSON', () => bytesOfLines(lines.map((l, i) => (i === 5 ? l.slice(0, -3) : l)))],
    ['a blank line in the middle', () => bytesOfLines([...lines.slice(0, 9), '', ...lines.slice(9)])],
    [
      'a line that is not an event (seq a string)',
      () => bytesOfLines(lines.map((l, i) => (i === 3 ? l.replace(/"seq":(\d+)/, '"seq":"$1"') : l))),
    ],
    [
      'a line that is not an event (no actor)',
      () => bytesOfLines(lines.map((l, i) => (i === 8 ? JSON.stringify({ ...(JSON.parse(l) as object), actor: undefined }) : l))),
    ],
    ['a line that is JSON but an array', () => bytesOfLines([...lines.slice(0, 2), '[1,2]', ...lines.slice(2)])],
    [
      'a non-JSON line and, later, a line that is not an event',
      () => bytesOfLines(lines.map((l, i) => (i === 4 ? '{' : i === 9 ? '{"seq":9}' : l))),
    ],
    ['an empty file', () => new Uint8Array()],
    ['a single newline', () => utf8('\n')],
    ['no final newline', () => logBytes.subarray(0, logBytes.length - 1)],
    ['cut in the middle of a line', () => logBytes.subarray(0, Math.floor(logBytes.length / 2))],
    ['invalid UTF-8', () => Uint8Array.from([...logBytes.subarray(0, 100), 0xff, ...logBytes.subarray(100)])],
    ['a truncated UTF-8 sequence', () => Uint8Array.from([...logBytes, 0xc3, 0x0a])],
    ['a byte-order mark first', () => Uint8Array.from([0xef, 0xbb, 0xbf, ...logBytes])],
    ['CRLF line ends', () => utf8(lines.map((l) => `${l}\r\n`).join(''))],
    ['25 bad lines (problems capped)', () => bytesOfLines(lines.map((l, i) => (i % 7 === 1 && i < 7 * 25 ? 'not json' : l)))],
    ['every line bad', () => bytesOfLines(lines.map(() => '{}'))],
    [
      'a line with white space (hash recomputed)',
      () => bytesOfLines(lines.map((l, i) => (i === 20 ? JSON.stringify(JSON.parse(l), null, 2).replace(/\n/g, ' ') : l))),
    ],
    [
      'a line with its keys reordered (hash recomputed)',
      () =>
        bytesOfLines(
          lines.map((l, i) => (i === 21 ? JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).reverse())) : l)),
        ),
    ],
    [
      'a line with an alternative escape',
      () => bytesOfLines(lines.map((l, i) => (i === lines.findIndex((x) => x.includes('\\u001f')) ? l.replace('\\u001f', '\\u001F') : l))),
    ],
    ['a number spelled 1.0', () => bytesOfLines(lines.map((l, i) => (i === 30 ? l.replace(/"seq":(\d+)/, '"seq":$1.0') : l)))],
    [
      'an extra member that is not an event field',
      () => bytesOfLines(lines.map((l, i) => (i === 12 ? l.replace(/}$/, ',"zzz":{"b":1,"a":[1e5]}}') : l))),
    ],
  ];
  for (const [name, make] of tampered) {
    it(name, () => {
      expectSameAsReference(make(), context);
      expectSameAsReference(make(), null);
    });
  }

  it('given a piece at a time, cut anywhere (inside characters and lines too), the same analysis', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: tampered.length }),
        fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        (which, fractions) => {
          const bytes = which === tampered.length ? logBytes : tampered[which]![1]();
          const cuts = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))]
            .filter((c) => c > 0 && c < bytes.length)
            .sort((a, b) => a - b);
          expectSameAnalysis(incrementally(bytes, context, cuts), analyzeAuditLog(bytes, context));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('readAuditLogChunks: the analysis and the bytes from chunks as they come; null for too many or too few bytes, or a failing source', async () => {
    const pieces = (bytes: Uint8Array, size: number) => [0, ...evenCuts(bytes.length, size)].map((at) => bytes.subarray(at, at + size));
    async function* slowly(chunks: readonly Uint8Array[], failAt = -1) {
      for (let i = 0; i < chunks.length; i++) {
        await new Promise((r) => setTimeout(r, 0));
        if (i === failAt) throw new Error('incorrect header check');
        yield chunks[i]!;
      }
    }
    const seen: number[] = [];
    const read = await readAuditLogChunks(logBytes.length, slowly(pieces(logBytes, 5000)), context, (c) => seen.push(c.length));
    expect(read).not.toBeNull();
    expectSameAnalysis(read!.analysis.finish(logBytes.length), analyzeAuditLog(logBytes, context));
    expect(read!.bytes).toStrictEqual(logBytes);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(logBytes.length);
    expect(seen.length).toBe(Math.ceil(logBytes.length / 5000));
    // Synchronous chunks too, and an empty file.
    expectSameAnalysis(
      (await readAuditLogChunks(logBytes.length, pieces(logBytes, 777), null))!.analysis.finish(logBytes.length),
      analyzeAuditLog(logBytes, null),
    );
    expectSameAnalysis((await readAuditLogChunks(0, [], context))!.analysis.finish(0), analyzeAuditLog(new Uint8Array(), context));
    // One byte more than declared is refused; so is one byte fewer; so is a source that fails.
    expect(await readAuditLogChunks(logBytes.length - 1, slowly(pieces(logBytes, 5000)), context)).toBeNull();
    expect(await readAuditLogChunks(logBytes.length + 1, slowly(pieces(logBytes, 5000)), context)).toBeNull();
    expect(await readAuditLogChunks(logBytes.length, slowly(pieces(logBytes, 5000), 3), context)).toBeNull();
  });

  it('caps the problems where readAuditLog does', () => {
    const a = expectSameAsReference(bytesOfLines(lines.map((l, i) => (i < 30 ? 'x' : l))), context);
    expect(a.readable).toBe(false);
    if (!a.readable) expect(a.problems).toHaveLength(MAX_AUDIT_LOG_PROBLEMS);
  });

  it('an empty file is an empty, intact log', () => {
    const a = expectSameAsReference(new Uint8Array(), context);
    expect(a).toStrictEqual({
      readable: true,
      length: 0,
      chain: { ok: true, length: 0, head: GENESIS_HASH },
      actorFindings: [],
      signatureFindings: [],
      pace: [],
      pendingSignatures: [],
      standing: new Map(),
      campaignBaselines: [],
    });
  });

  it('events by an unknown actor, with another key, or of another campaign (chain re-hashed, so only they differ)', () => {
    const mallory: ReviewerRef = { id: 'mallory', name: 'Mallory', keyFingerprint: 'SHA256:ffff' };
    const changed = rechain(
      events.map((e, i) => {
        if (i === 0) return { ...e, campaignId: 'campaign-other' };
        if (i === 15) return { ...e, actor: mallory };
        if (i === 16) return { ...e, actor: { ...e.actor, keyFingerprint: 'SHA256:0000' } };
        if (i === 17) return { ...e, campaignId: 'campaign-other', actor: mallory };
        return e;
      }),
    );
    const a = expectSameAsReference(writeAuditLog(changed).bytes, context);
    expect(a.readable && a.chain.ok).toBe(true);
    expect(a.readable && a.actorFindings).toHaveLength(5);
    if (a.readable) expect(a.actorFindings!.map((f) => f.itemId)).toContain('event 1');
    // Without the manifest's context there is nothing to check the actors against.
    const b = expectSameAsReference(writeAuditLog(changed).bytes, null);
    expect(b.readable && b.actorFindings).toBeNull();
  });

  it('a log whose last event undoes a decision: that item stands at null, and pack/unpack keeps the null', () => {
    const last = [...events].reverse().find((e) => e.type === 'decision')!;
    const list = [
      ...events,
      chainEvent(events.at(-1)!, {
        campaignId: last.campaignId,
        type: 'undo',
        at: '2027-01-01T00:00:00.000Z',
        actor: last.actor,
        itemId: last.itemId,
        refersTo: last.seq,
      }),
    ];
    const a = expectSameAsReference(writeAuditLog(list).bytes, context);
    expect(a.readable && a.standing.get(last.itemId!)).toBeNull();
    expect(a.readable && a.standing.has(last.itemId!)).toBe(true);
  });

  it('on random chains, tampered at the line level or not, with and without context', () => {
    const anyKey = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', '10', 'hash'));
    const mutation = fc.constantFrom('none', 'hash', 'swap', 'drop', 'json', 'shape', 'spaces', 'nonl', 'utf8', 'blank', 'nested-hash');
    fc.assert(
      fc.property(fc.array(bodyArb(anyKey), { maxLength: 10 }), fc.nat(), mutation, fc.boolean(), (bodies, pick, how, withContext) => {
        const ls = writeAuditLog(chainOf(bodies)).bytes.length
          ? fromUtf8(writeAuditLog(chainOf(bodies)).bytes)
              .slice(0, -1)
              .split('\n')
          : [];
        const k = ls.length ? pick % ls.length : 0;
        let bytes: Uint8Array;
        if (how === 'hash' && ls.length) ls[k] = ls[k]!.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'1'.repeat(64)}"`);
        if (how === 'swap' && ls.length > 1) [ls[k], ls[(k + 1) % ls.length]] = [ls[(k + 1) % ls.length]!, ls[k]!];
        if (how === 'drop') ls.splice(k, 1);
        if (how === 'json') ls.splice(k, 0, '{"seq":');
        if (how === 'shape') ls.splice(k, 0, '{"seq":1}');
        if (how === 'spaces' && ls.length) ls[k] = ` ${ls[k]!.replace(/,/g, ', ')} `;
        if (how === 'blank') ls.splice(k, 0, '');
        // A nested member that repeats the line's own hash member: its hash can no longer be taken over the line.
        if (how === 'nested-hash' && ls.length) ls[k] = ls[k]!.replace(/("hash":"[0-9a-f]{64}")(.*)}$/, '$1$2,"zz":{"a":1,$1}}');
        bytes = bytesOfLines(ls);
        if (how === 'nonl' && bytes.length) bytes = bytes.subarray(0, -1);
        if (how === 'utf8')
          bytes = Uint8Array.from([
            ...bytes.subarray(0, pick % (bytes.length + 1)),
            0xfe,
            0x0a,
            ...bytes.subarray(pick % (bytes.length + 1)),
          ]);
        expectSameAsReference(
          bytes,
          withContext
            ? { campaignId: 'c1', reviewers: REVIEWERS.slice(0, 2).map((r) => ({ id: r.id, fingerprint: r.keyFingerprint })) }
            : null,
        );
      }),
      { numRuns: 400 },
    );
  });
});

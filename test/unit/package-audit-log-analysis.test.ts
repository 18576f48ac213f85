// The line-by-line audit-log analysis (shared/package/audit-log-analysis.ts) against the older path it replaces:
// readAuditLog → checkAuditChain / standingDecisions / the manifest's actor checks must say exactly what
// analyzeAuditLog says, on a generated campaign and on tampered logs (hashes changed, lines reordered, removed,
// not JSON, not events, empty file, no final newline, invalid UTF-8, too many bad lines, unknown actors, other
// campaigns, non-canonical lines). Also: ChainWalker equal to checkAuditChain; pack/unpack round-trips;
// walkAuditLog's lean events hold what the whole events hold, for every member the checks read.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, fromUtf8, utf8 } from '../../shared/codec/digest';
import { ChainWalker, checkAuditChain, lineStartOffsets, writeAuditLog } from '../../shared/package/audit-chain-check';
import { analyzeAuditLog, findingsOf, IncrementalAuditLogAnalysis, packAuditLogAnalysis, unpackAuditLogAnalysis, type AuditLogAnalysis, type AuditLogContext, type EventFinding } from '../../shared/package/audit-log-analysis';
import { readAuditLogChunks } from '../../shared/package/audit-log-stream';
import { campaignBaselines } from '../../shared/package/baseline-link';
import { EventSignatureCheck } from '../../shared/package/event-signatures';
import { mismatchesWithStanding, packComparedItems, standingDecisions, unpackComparedItems, type ComparedItem, type StandingDecision } from '../../shared/package/decision-chain-consistency';
import { isCanonicalJson } from '../../shared/package/canonical-line';
import { LEAN_EVENT_MEMBERS, MAX_AUDIT_LOG_PROBLEMS, readAuditLog, walkAuditLog, type CanonicalLine } from '../../shared/package/package-documents';
import type { CertificationInput } from '../../shared/package/types';
import { chainEvent, GENESIS_HASH, verifyChain } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody, ReviewerRef } from '../../shared/review/types';
import { sampleCertificationInput } from '../fixtures/packages/sample-campaign';
import { bodyArb, chainOf, REVIEWERS, wordKey } from '../fixtures/packages/audit-event-arbitraries';

// ---------------------------------------------------------------- the older path, as the verifier ran it

/** The actor checks verify-package.ts ran over the parsed events before this change (checkEventActors). */
function referenceActorFindings(events: readonly AuditEvent[], context: AuditLogContext): EventFinding[] {
  const reviewers = new Map(context.reviewers.map((r) => [r.id, r]));
  const findings: EventFinding[] = [];
  for (const e of events) {
    const itemId = e.itemId !== undefined ? e.itemId : `event ${e.seq}`;
    if (e.campaignId !== context.campaignId) findings.push({ message: `audit event ${e.seq} belongs to campaign ${e.campaignId}, not ${context.campaignId}`, itemId });
    const reviewer = reviewers.get(e.actor.id);
    if (!reviewer) findings.push({ message: `audit event ${e.seq} was recorded by ${e.actor.id}, who is not among the manifest's reviewers`, itemId });
    else if (reviewer.fingerprint !== e.actor.keyFingerprint) findings.push({ message: `audit event ${e.seq}: ${e.actor.id}'s key fingerprint differs from the manifest's`, itemId });
  }
  return findings;
}

function reference(bytes: Uint8Array, context: AuditLogContext | null): AuditLogAnalysis {
  const read = readAuditLog(bytes);
  if (!read.ok) return { readable: false, problems: read.problems };
  const { events, source } = read.value;
  // Per-event signatures and paces, checked over the whole parsed events.
  const signatures = new EventSignatureCheck(context?.reviewers ?? []);
  for (const e of events) signatures.check(e, () => e);
  return {
    readable: true,
    length: events.length,
    chain: checkAuditChain(events, source),
    actorFindings: context ? referenceActorFindings(events, context) : null,
    signatureFindings: context ? signatures.findings : null,
    pace: signatures.paces(),
    pendingSignatures: context ? signatures.pending : [],
    standing: standingDecisions(events),
    campaignBaselines: campaignBaselines(events).map((b) => b ?? null),
  };
}

/** analyzeAuditLog equals the older path (Map entries in the same order too), and survives pack/unpack exactly. */
function expectSameAsReference(bytes: Uint8Array, context: AuditLogContext | null): AuditLogAnalysis {
  const analysis = analyzeAuditLog(bytes, context);
  const expected = reference(bytes, context);
  expect(analysis).toStrictEqual(expected);
  if (analysis.readable && expected.readable) expect([...analysis.standing]).toStrictEqual([...expected.standing]);
  expectRoundTrip(analysis);
  // The same, given a piece at a time (as the file inflates), whatever the pieces.
  for (const piece of [1, 97, 4096]) if (piece > 1 || bytes.length < 4000) expectSameAnalysis(incrementally(bytes, context, evenCuts(bytes.length, piece)), analysis);
  return analysis;
}

function expectSameAnalysis(actual: AuditLogAnalysis, expected: AuditLogAnalysis): void {
  expect(actual).toStrictEqual(expected);
  if (actual.readable && expected.readable) expect([...actual.standing]).toStrictEqual([...expected.standing]);
}

/** Where pieces of `size` bytes end. */
function evenCuts(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let at = size; at < length; at += size) cuts.push(at);
  return cuts;
}

/** The analysis of `bytes` as they arrive, the file being whole up to each cut in turn. */
function incrementally(bytes: Uint8Array, context: AuditLogContext | null, cuts: readonly number[]): AuditLogAnalysis {
  const buffer = new Uint8Array(bytes.length);
  const analysis = new IncrementalAuditLogAnalysis(buffer, context);
  let filled = 0;
  for (const cut of [...cuts, bytes.length]) {
    buffer.set(bytes.subarray(filled, cut), filled);
    filled = cut;
    analysis.advance(filled);
  }
  return analysis.finish(bytes.length);
}

function expectRoundTrip(analysis: AuditLogAnalysis): void {
  const back = unpackAuditLogAnalysis(packAuditLogAnalysis(analysis));
  expect(back).toStrictEqual(analysis);
  if (analysis.readable && back.readable) expect([...back.standing]).toStrictEqual([...analysis.standing]);
}

// ---------------------------------------------------------------- fixtures

let input: CertificationInput;
let events: AuditEvent[];
let logBytes: Uint8Array;
let lines: string[];
let context: AuditLogContext;

const bytesOfLines = (ls: readonly string[]) => utf8(ls.map((l) => `${l}\n`).join(''));

/** Re-chains events after a change (seq, prevHash, hash recomputed), so only the change itself differs. */
function rechain(list: readonly AuditEvent[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const { seq: _s, prevHash: _p, hash: _h, ...body } of list) out.push(chainEvent(out.at(-1) ?? null, body as AuditEventBody));
  return out;
}

beforeAll(() => {
  input = sampleCertificationInput(REVIEWERS, { items: 300, seed: 5, open: 7 });
  events = input.auditEvents;
  logBytes = writeAuditLog(events).bytes;
  lines = fromUtf8(logBytes).slice(0, -1).split('\n');
  context = { campaignId: input.campaign.id, reviewers: input.reviewers.map((r) => ({ id: r.id, fingerprint: r.keyFingerprint })) };
});

describe('the generated campaign', () => {
  it('holds what the tests rely on: decisions, undos, approvals, non-ASCII text, escaped control characters', () => {
    const types = new Set(events.map((e) => e.type));
    for (const t of ['campaign-created', 'decision', 'undo', 'approval'] as const) expect(types, t).toContain(t);
    expect(events.length).toBeGreaterThan(300);
    expect(lines.some((l) => l.includes('\\u001f'))).toBe(true);
    expect(lines.some((l) => [...l].some((c) => c.charCodeAt(0) > 0x7f))).toBe(true);
  });
});

function walk(bytes: Uint8Array) {
  const read = readAuditLog(bytes);
  if (!read.ok) throw new Error(read.problems.join('; '));
  const { events: list, source } = read.value;
  const walker = new ChainWalker();
  const starts = lineStartOffsets(bytes, list.length);
  for (const [i, e] of list.entries()) walker.step(e, source.lines[i]!, bytes, starts[i]!, starts[i + 1]! - 1);
  return { walked: walker.result(), checked: checkAuditChain(list, source), verified: verifyChain(list) };
}

describe('ChainWalker', () => {
  it('equals checkAuditChain and verifyChain on the sample log and on logs with one event altered, removed, moved or rehashed', () => {
    const intact = walk(logBytes);
    expect(intact.walked).toStrictEqual({ ok: true, length: events.length, head: events.at(-1)!.hash });
    expect(intact.checked).toStrictEqual(intact.walked);
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('alter', 'remove', 'swap', 'rehash', 'reformat', 'reorder-keys'), (pick, how) => {
        const k = pick % lines.length;
        const ls = [...lines];
        if (how === 'alter') ls[k] = ls[k]!.replace('"at":"2026', '"at":"2027');
        if (how === 'remove') ls.splice(k, 1);
        if (how === 'swap') [ls[k], ls[(k + 1) % ls.length]] = [ls[(k + 1) % ls.length]!, ls[k]!];
        if (how === 'rehash') ls[k] = ls[k]!.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'f'.repeat(64)}"`);
        if (how === 'reformat') ls[k] = JSON.stringify(JSON.parse(ls[k]!), null, 1).replace(/\n/g, '');
        if (how === 'reorder-keys') ls[k] = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(ls[k]!) as object).reverse()));
        const r = walk(bytesOfLines(ls));
        expect(r.walked).toStrictEqual(r.checked);
        expect(r.walked).toStrictEqual(r.verified);
        // Dropping the last event leaves an intact, shorter chain (the manifest's length catches that, not the chain).
        if (how === 'reformat' || how === 'reorder-keys' || (how === 'remove' && k === lines.length - 1)) expect(r.walked.ok).toBe(true);
        else expect(r.walked.ok).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('equals checkAuditChain on random chains, tampered or not, with any detail keys and non-ASCII text', () => {
    const anyKey = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', '10', 'hash', 'é'));
    fc.assert(
      fc.property(fc.array(bodyArb(anyKey), { minLength: 1, maxLength: 8 }), fc.nat(), fc.constantFrom('none', 'alter', 'rehash', 'canonical'), (bodies, pick, how) => {
        const chained = chainOf(bodies);
        const ls = chained.map((e) => (how === 'canonical' ? canonicalJson(e) : JSON.stringify(e)));
        const k = pick % ls.length;
        if (how === 'alter') ls[k] = ls[k]!.replace('"type":"', '"type":"x');
        if (how === 'rehash') ls[k] = ls[k]!.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'0'.repeat(64)}"`);
        const bytes = bytesOfLines(ls);
        const read = readAuditLog(bytes);
        if (!read.ok) return; // 'alter' may break the event's shape (an unknown type): not a chain question
        const r = walk(bytes);
        expect(r.walked).toStrictEqual(r.checked);
        expect(r.walked).toStrictEqual(r.verified);
      }),
      { numRuns: 300 },
    );
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
    ['a changed hash', () => bytesOfLines(lines.map((l, i) => (i === 40 ? l.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'e'.repeat(64)}"`) : l)))],
    ['a changed rationale (not rehashed)', () => bytesOfLines(lines.map((l, i) => (i === lines.findIndex((x) => x.includes('"rationale"')) ? l.replace('"rationale":"', '"rationale":"edited ') : l)))],
    ['two lines reordered', () => bytesOfLines(lines.map((l, i) => (i === 10 ? lines[11]! : i === 11 ? lines[10]! : l)))],
    ['a line removed', () => bytesOfLines(lines.filter((_, i) => i !== 77))],
    ['the last line removed', () => bytesOfLines(lines.slice(0, -1))],
    ['a line that is not JSON', () => bytesOfLines(lines.map((l, i) => (i === 5 ? l.slice(0, -3) : l)))],
    ['a blank line in the middle', () => bytesOfLines([...lines.slice(0, 9), '', ...lines.slice(9)])],
    ['a line that is not an event (seq a string)', () => bytesOfLines(lines.map((l, i) => (i === 3 ? l.replace(/"seq":(\d+)/, '"seq":"$1"') : l)))],
    ['a line that is not an event (no actor)', () => bytesOfLines(lines.map((l, i) => (i === 8 ? JSON.stringify({ ...(JSON.parse(l) as object), actor: undefined }) : l)))],
    ['a line that is JSON but an array', () => bytesOfLines([...lines.slice(0, 2), '[1,2]', ...lines.slice(2)])],
    ['a non-JSON line and, later, a line that is not an event', () => bytesOfLines(lines.map((l, i) => (i === 4 ? '{' : i === 9 ? '{"seq":9}' : l)))],
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
    ['a line with white space (hash recomputed)', () => bytesOfLines(lines.map((l, i) => (i === 20 ? JSON.stringify(JSON.parse(l), null, 2).replace(/\n/g, ' ') : l)))],
    ['a line with its keys reordered (hash recomputed)', () => bytesOfLines(lines.map((l, i) => (i === 21 ? JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).reverse())) : l)))],
    ['a line with an alternative escape', () => bytesOfLines(lines.map((l, i) => (i === lines.findIndex((x) => x.includes('\\u001f')) ? l.replace('\\u001f', '\\u001F') : l)))],
    ['a number spelled 1.0', () => bytesOfLines(lines.map((l, i) => (i === 30 ? l.replace(/"seq":(\d+)/, '"seq":$1.0') : l)))],
    ['an extra member that is not an event field', () => bytesOfLines(lines.map((l, i) => (i === 12 ? l.replace(/}$/, ',"zzz":{"b":1,"a":[1e5]}}') : l)))],
  ];
  for (const [name, make] of tampered) {
    it(name, () => {
      expectSameAsReference(make(), context);
      expectSameAsReference(make(), null);
    });
  }

  it('given a piece at a time, cut anywhere (inside characters and lines too), the same analysis', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: tampered.length }), fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), (which, fractions) => {
        const bytes = which === tampered.length ? logBytes : tampered[which]![1]();
        const cuts = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
        expectSameAnalysis(incrementally(bytes, context, cuts), analyzeAuditLog(bytes, context));
      }),
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
    expectSameAnalysis((await readAuditLogChunks(logBytes.length, pieces(logBytes, 777), null))!.analysis.finish(logBytes.length), analyzeAuditLog(logBytes, null));
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
    expect(a).toStrictEqual({ readable: true, length: 0, chain: { ok: true, length: 0, head: GENESIS_HASH }, actorFindings: [], signatureFindings: [], pace: [], pendingSignatures: [], standing: new Map(), campaignBaselines: [] });
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
    const list = [...events, chainEvent(events.at(-1)!, { campaignId: last.campaignId, type: 'undo', at: '2027-01-01T00:00:00.000Z', actor: last.actor, itemId: last.itemId, refersTo: last.seq })];
    const a = expectSameAsReference(writeAuditLog(list).bytes, context);
    expect(a.readable && a.standing.get(last.itemId!)).toBeNull();
    expect(a.readable && a.standing.has(last.itemId!)).toBe(true);
  });

  it('on random chains, tampered at the line level or not, with and without context', () => {
    const anyKey = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', '10', 'hash'));
    const mutation = fc.constantFrom('none', 'hash', 'swap', 'drop', 'json', 'shape', 'spaces', 'nonl', 'utf8', 'blank', 'nested-hash');
    fc.assert(
      fc.property(fc.array(bodyArb(anyKey), { maxLength: 10 }), fc.nat(), mutation, fc.boolean(), (bodies, pick, how, withContext) => {
        const ls = writeAuditLog(chainOf(bodies)).bytes.length ? fromUtf8(writeAuditLog(chainOf(bodies)).bytes).slice(0, -1).split('\n') : [];
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
        if (how === 'utf8') bytes = Uint8Array.from([...bytes.subarray(0, pick % (bytes.length + 1)), 0xfe, 0x0a, ...bytes.subarray(pick % (bytes.length + 1))]);
        expectSameAsReference(bytes, withContext ? { campaignId: 'c1', reviewers: REVIEWERS.slice(0, 2).map((r) => ({ id: r.id, fingerprint: r.keyFingerprint })) } : null);
      }),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------- lean events

describe('walkAuditLog: lean events', () => {
  /** Every line's event, whole and lean, with what the lean walk said of the line. */
  function bothWalks(bytes: Uint8Array) {
    const whole: AuditEvent[] = [];
    const lean: { event: AuditEvent; canonical: CanonicalLine | undefined; start: number; end: number }[] = [];
    const w = walkAuditLog(bytes, (e) => whole.push(e));
    // (The visitor's `canonical` is reused from line to line: copied here.)
    const l = walkAuditLog(bytes, (event, _line, start, end, canonical) => lean.push({ event, canonical: canonical && { ...canonical }, start, end }), { lean: true });
    return { w, l, whole, lean };
  }

  it('read what the whole events read: the same lines, problems and members (the shape’s), in the same order', () => {
    const extraKey = fc.constantFrom('suggestion', 'zz', 'Z', 'hash2', 'é', '10', 'a b', 'seq2');
    let canonicalLines = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bodyArb(fc.string({ maxLength: 4 })), fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })), { maxLength: 8 }),
        fc.nat(),
        fc.constantFrom('none', 'spaces', 'shape', 'escape', 'number', 'wrong-type'),
        (parts, pick, how) => {
          const ls = chainOf(parts.map(([body, extra]) => ({ ...extra, ...body }))).map((e) => canonicalJson(e));
          const k = ls.length ? pick % ls.length : 0;
          if (how === 'spaces' && ls.length) ls[k] = ls[k]!.replace(/,/g, ', ');
          if (how === 'shape' && ls.length) ls[k] = ls[k]!.replace('"campaignId":', '"campaignId":7,"x":');
          if (how === 'escape' && ls.length) ls[k] = ls[k]!.replace('"campaignId":"c', '"campaignId":"\\u0063');
          if (how === 'number' && ls.length) ls[k] = ls[k]!.replace(/"seq":(\d+)/, '"seq":$1.0');
          if (how === 'wrong-type' && ls.length) ls[k] = ls[k]!.replace(/"seq":(\d+)/, '"seq":"$1"');
          const bytes = bytesOfLines(ls);
          const { w, l, whole, lean } = bothWalks(bytes);
          expect(l).toStrictEqual(w);
          expect(lean.length).toBe(whole.length);
          lean.forEach(({ event, canonical, start, end }, i) => {
            // Said canonical only when it is; then the event is lean: exactly the shape's members, each as parsed.
            const full = whole[i] as unknown as Record<string, unknown>;
            if (canonical) {
              expect(isCanonicalJson(bytes, start, end)).toBe(true);
              canonicalLines++;
              // The line without its hash member (and the comma that joined it) is the rest's canonical JSON.
              const { hash: _hash, ...rest } = full;
              expect(canonical.hashFrom).toBeGreaterThan(start);
              expect(fromUtf8(new Uint8Array([...bytes.subarray(start, canonical.hashFrom), ...bytes.subarray(canonical.hashTo, end)]))).toBe(canonicalJson(rest));
            }
            const got = event as unknown as Record<string, unknown>;
            for (const name of LEAN_EVENT_MEMBERS) expect(got[name], name).toStrictEqual(full[name]);
            if (canonical && end - start === ls[i]!.length) expect(Object.keys(got)).toStrictEqual(LEAN_EVENT_MEMBERS);
            else expect(got).toStrictEqual(full);
          });
        },
      ),
      { numRuns: 400 },
    );
    expect(canonicalLines).toBeGreaterThan(300);
  });

  it('the sample log: every line is read lean, and the lean events hold the whole events’ checked members', () => {
    const { l, whole, lean } = bothWalks(logBytes);
    expect(l).toStrictEqual({ ok: true, value: events.length });
    expect(lean.every((x) => x.canonical)).toBe(true);
    // Non-ASCII lines are canonical too, but parsed whole (their byte and character offsets differ).
    const nonAscii = lean.filter((x, i) => x.end - x.start !== lines[i]!.length);
    expect(nonAscii.length).toBeGreaterThan(0);
    lean.forEach(({ event }, i) => {
      for (const name of LEAN_EVENT_MEMBERS) expect((event as unknown as Record<string, unknown>)[name]).toStrictEqual((whole[i] as unknown as Record<string, unknown>)[name]);
    });
  });
});

// ---------------------------------------------------------------- pack / unpack

describe('packAuditLogAnalysis / unpackAuditLogAnalysis', () => {
  const decisionArb: fc.Arbitrary<StandingDecision> = fc.record({
    seq: fc.nat(),
    action: fc.constantFrom('keep', 'revoke', 'rotate', 'cant-decide'),
    acceptedSuggestion: fc.boolean(),
    rationale: fc.option(fc.string({ unit: 'binary', maxLength: 10 }), { nil: null }),
    reviewerId: fc.string({ maxLength: 6 }),
    at: fc.string({ maxLength: 6 }),
    approverId: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
    approvalAt: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
    detail: fc.constantFrom('', '["u1005",null,null]', '[null,"2027-03-31",null]'),
  }).map((r) => ({ ...r })) as fc.Arbitrary<StandingDecision>;
  const analysisArb: fc.Arbitrary<AuditLogAnalysis> = fc.oneof(
    fc.record({ readable: fc.constant(false as const), problems: fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 4 }) }).map((r) => ({ ...r })),
    fc.record({
      readable: fc.constant(true as const),
      length: fc.nat(),
      chain: fc.oneof(
        fc.record({ ok: fc.constant(true as const), length: fc.nat(), head: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }) }).map((r) => ({ ...r })),
        fc.record({ ok: fc.constant(false as const), seq: fc.integer(), reason: fc.string({ maxLength: 30 }) }).map((r) => ({ ...r })),
      ),
      actorFindings: fc.option(fc.array(fc.record({ message: fc.string({ maxLength: 20 }), itemId: fc.string({ unit: 'binary', maxLength: 8 }) }).map((r) => ({ ...r })), { maxLength: 3 }), { nil: null }),
      signatureFindings: fc.option(fc.array(fc.record({ check: fc.constantFrom('signatures' as const, 'consistency' as const), message: fc.string({ maxLength: 20 }), itemId: fc.string({ maxLength: 8 }) }).map((r) => ({ ...r })), { maxLength: 3 }), { nil: null }),
      pendingSignatures: fc.array(fc.record({ seq: fc.nat(), itemId: fc.string({ maxLength: 6 }), actorId: fc.string({ maxLength: 6 }), sig: fc.base64String({ maxLength: 12 }), publicKey: fc.base64String({ maxLength: 12 }), payload: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 8 }) }).map((r) => ({ ...r })), { maxLength: 2 }),
      pace: fc.array(fc.record({ reviewerId: fc.string({ maxLength: 6 }), seconds: fc.array(fc.option(fc.nat(), { nil: null }), { maxLength: 4 }), accepted: fc.array(fc.boolean(), { maxLength: 4 }), warningsShown: fc.nat() }).map((r) => ({ ...r })), { maxLength: 2 }),
      standing: fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.option(decisionArb, { nil: null })), { maxLength: 8 }).map((entries) => new Map(entries)),
      campaignBaselines: fc.array(fc.option(fc.record({ packageDigest: fc.string({ maxLength: 8 }), scope: fc.constantFrom('all', 'changed-and-high') }).map((r) => ({ ...r })), { nil: null }), { maxLength: 2 }),
    }).map((r) => ({ ...r })),
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
        approver: fc.option(fc.record({ id: fc.constantFrom('bob', 'carol'), at: fc.constantFrom('2026-06-02T00:00:00.000Z') }), { nil: null }),
      }),
      { nil: null },
    ),
  }) as fc.Arbitrary<ComparedItem>;

  it('on random logs and item lists (repeated, missing, differing): the same as the standing Map compared with the items, whatever the pieces', () => {
    fc.assert(
      fc.property(fc.array(bodyArb(wordKey), { maxLength: 12 }), fc.option(fc.array(itemArb, { maxLength: 8 }), { nil: null }), fc.nat(), (bodies, items, cut) => {
        const bytes = writeAuditLog(chainOf(bodies)).bytes;
        const analysis = analyzeAuditLog(bytes, null);
        const expected = findingsOf(analysis, items);
        if (analysis.readable && expected.readable) expect(expected.consistency).toStrictEqual(items ? referenceConsistency(items, analysis.standing) : null);
        const buffer = new Uint8Array(bytes.length);
        const incremental = new IncrementalAuditLogAnalysis(buffer, null);
        buffer.set(bytes);
        incremental.advance(bytes.length ? cut % bytes.length : 0);
        expect(incremental.findings(bytes.length, items)).toStrictEqual(expected);
        // Packed for the other thread and back, the items compare the same.
        if (items) expect(findingsOf(analysis, unpackComparedItems(packComparedItems(items)))).toStrictEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('the sample campaign: its own items agree; changed, repeated and left-out items are each found', () => {
    const items = input.items.map((item) => ({
      itemId: item.itemId,
      suggestion: item.suggestion ? { action: item.suggestion.action } : null,
      decision: item.decision ? { action: item.decision.action, reviewerId: item.decision.reviewerId, at: item.decision.at, rationale: item.decision.rationale ?? null, acceptedSuggestion: item.decision.acceptedSuggestion, approver: item.decision.approver ?? null } : null,
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

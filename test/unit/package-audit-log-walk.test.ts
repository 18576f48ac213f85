// Walking the audit log line by line: ChainWalker says what checkAuditChain and verifyChain say, on the sample log
// and on random chains, tampered or not; walkAuditLog's lean events hold what the whole events hold, for every
// member the checks read.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, fromUtf8 } from '../../shared/codec/digest';
import { ChainWalker, checkAuditChain, lineStartOffsets } from '../../shared/package/audit-chain-check';
import { isCanonicalJson } from '../../shared/package/canonical-line';
import { LEAN_EVENT_MEMBERS, readAuditLog, walkAuditLog, type CanonicalLine } from '../../shared/package/audit-log-reading';
import { verifyChain } from '../../shared/review/audit-log';
import type { AuditEvent } from '../../shared/review/types';
import { bodyArb, chainOf } from '../fixtures/packages/audit-event-arbitraries';
import { bytesOfLines, sampleAuditLog } from './audit-log-analysis-reference';

let events: AuditEvent[];
let logBytes: Uint8Array;
let lines: string[];

beforeAll(() => {
  ({ events, logBytes, lines } = sampleAuditLog());
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
      fc.property(
        fc.array(bodyArb(anyKey), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom('none', 'alter', 'rehash', 'canonical'),
        (bodies, pick, how) => {
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
        },
      ),
      { numRuns: 300 },
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
    const l = walkAuditLog(
      bytes,
      (event, _line, start, end, canonical) => lean.push({ event, canonical: canonical && { ...canonical }, start, end }),
      { lean: true },
    );
    return { w, l, whole, lean };
  }

  it('read what the whole events read: the same lines, problems and members (the shape’s), in the same order', () => {
    const extraKey = fc.constantFrom('suggestion', 'zz', 'Z', 'hash2', 'é', '10', 'a b', 'seq2');
    let canonicalLines = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bodyArb(fc.string({ maxLength: 4 })), fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })), {
          maxLength: 8,
        }),
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
              expect(
                fromUtf8(new Uint8Array([...bytes.subarray(start, canonical.hashFrom), ...bytes.subarray(canonical.hashTo, end)])),
              ).toBe(canonicalJson(rest));
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
      for (const name of LEAN_EVENT_MEMBERS)
        expect((event as unknown as Record<string, unknown>)[name]).toStrictEqual((whole[i] as unknown as Record<string, unknown>)[name]);
    });
  });
});

// readDecisionItems (shared/package/package-documents.ts) reads decisions.json one item at a time: a line at a time
// when the file is laid out as decisionsJsonBytes writes it, whole otherwise. Whatever the file, its outcome must be
// exactly readDecisions': the same items in the same order, or the same problems (JSON syntax errors worded as
// JSON.parse words them for the whole file, shape problems with their item index, capped at 20).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/codec/digest';
import { decisionsJsonBytes } from '../../shared/package/decisions-file';
import { shapeProblem } from '../../shared/package/document-shapes';
import { ITEM_SHAPE, itemFitsShape, readDecisionItems, readDecisions } from '../../shared/package/package-documents';
import type { PackageItem } from '../../shared/package/types';
import { writtenDecisions } from '../fixtures/packages/sample-campaign';

let items: PackageItem[];
let campaignId: string;
let written: string;

beforeAll(() => {
  ({ items, campaignId, written } = writtenDecisions(60));
});

/** readDecisionItems' outcome and the items it visited (none unless it reads). */
function byItems(bytes: Uint8Array) {
  const visited: PackageItem[] = [];
  const read = readDecisionItems(bytes, (item) => visited.push(item));
  return { read, visited };
}

/** Both readers agree on `bytes`; returns readDecisions' outcome. */
function expectSame(bytes: Uint8Array) {
  const whole = readDecisions(bytes);
  const { read, visited } = byItems(bytes);
  if (whole.ok) {
    expect(read).toStrictEqual({ ok: true, value: { campaignId: whole.value.campaignId, count: whole.value.items.length } });
    expect(visited).toStrictEqual(whole.value.items);
  } else {
    expect(read).toStrictEqual(whole);
    expect(visited).toStrictEqual([]);
  }
  return whole;
}

const lines = () => written.split('\n');

describe('readDecisionItems equals readDecisions', () => {
  it('the file as written: every item, in order, read a line at a time', () => {
    const whole = expectSame(utf8(written));
    expect(whole.ok && whole.value.items).toStrictEqual(items);
    expect(written.split('\n').length).toBe(items.length + 3);
  });

  it('no items, and one item', () => {
    expect(expectSame(decisionsJsonBytes(campaignId, [])).ok).toBe(true);
    expect(expectSame(decisionsJsonBytes(campaignId, items.slice(0, 1))).ok).toBe(true);
  });

  const variants: Array<[string, () => string]> = [
    ['indented JSON (read whole)', () => JSON.stringify(JSON.parse(written), null, 2)],
    ['all on one line', () => JSON.stringify(JSON.parse(written))],
    ['head members reordered', () => written.replace(/^\{"schema":("[^"]*"),"campaignId":("[^"]*"),/, '{"campaignId":$2,"schema":$1,')],
    [
      'the campaign given twice in the head (the last one counts)',
      () => written.replace(/"items":\[\n/, '"campaignId":"other","items":[\n'),
    ],
    ['a byte-order mark first', () => `\uFEFF${written}`],
    ['CRLF line ends', () => written.replace(/\n/g, '\r\n')],
    ['no final newline', () => written.slice(0, -1)],
    [
      'a blank line between items',
      () =>
        lines()
          .map((l, i) => (i === 5 ? `${l}\n` : l))
          .join('\n'),
    ],
    ['an empty items list written with a blank line missing', () => fromUtf8(decisionsJsonBytes(campaignId, [])).replace('[\n\n]', '[\n]')],
    ['a trailing comma after the last item', () => written.replace(/\}\n\]\}\n$/, '},\n]}\n')],
    [
      'a line cut short',
      () =>
        lines()
          .map((l, i) => (i === 7 ? l.slice(0, 40) : l))
          .join('\n'),
    ],
    ['text after the end', () => `${written}x`],
    ['white space after the end', () => `${written} \n`],
    [
      'an item that is not an object',
      () =>
        lines()
          .map((l, i) => (i === 3 ? '42,' : l))
          .join('\n'),
    ],
    [
      'two items on one line',
      () =>
        lines()
          .map((l, i) => (i === 3 ? `${l}${lines()[4]}` : l))
          .join('\n'),
    ],
    [
      'a shape problem in item 4 and item 40',
      () =>
        lines()
          .map((l, i) => (i === 5 || i === 41 ? l.replace('"decision":', '"decision2":') : l))
          .join('\n'),
    ],
    [
      '30 shape problems (capped at 20)',
      () =>
        lines()
          .map((l, i) => (i >= 1 && i <= 30 ? l.replace('"itemId":', '"itemID":') : l))
          .join('\n'),
    ],
    [
      'a shape problem and, later, a line that is not JSON',
      () =>
        lines()
          .map((l, i) => (i === 2 ? l.replace('"itemId":', '"itemID":') : i === 20 ? '{' : l))
          .join('\n'),
    ],
    ['the wrong schema', () => written.replace(/^\{"schema":"[^"]*"/, '{"schema":"arw-decisions/0"')],
    ['no campaign', () => written.replace(/"campaignId":"[^"]*",/, '')],
    ['items not a list', () => '{"schema":"x","campaignId":"c","items":{}}\n'],
    ['not JSON at all', () => 'not json'],
    ['empty', () => ''],
    [
      'an item line with white space around it',
      () =>
        lines()
          .map((l, i) => (i === 3 ? `  ${l.slice(0, -1)}  ,` : l))
          .join('\n'),
    ],
  ];
  for (const [name, make] of variants) it(name, () => void expectSame(utf8(make())));

  it('a file in the written layout, changed anywhere (characters inserted, removed or replaced), reads the same both ways', () => {
    const small = fromUtf8(decisionsJsonBytes(campaignId, items.slice(0, 4)));
    fc.assert(
      fc.property(
        fc.nat({ max: small.length }),
        fc.nat({ max: 3 }),
        fc.constantFrom('', ',', '\n', ']', '}', '"', ' ', '{', 'x', '1', ',\n', '\n]}\n', '\uFFFD'),
        (at, cut, insert) => {
          expectSame(utf8(`${small.slice(0, at)}${insert}${small.slice(Math.min(small.length, at + cut))}`));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('invalid UTF-8 reads the same both ways', () => {
    const bytes = utf8(written);
    expectSame(Uint8Array.from([...bytes.subarray(0, 300), 0xff, ...bytes.subarray(300)]));
  });
});

describe('itemFitsShape: the hand-written item check', () => {
  const anyValue = fc.oneof(
    fc.constantFrom(null, undefined, true, false, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', [], {}, ['a'], { id: 'x' }),
    fc.constantFrom(
      'keep',
      'revoke',
      'human',
      'service',
      'active',
      'low',
      'critical',
      'entitlement',
      'credential',
      'suggest',
      'step-up',
      'never-delegate',
      'cant-decide',
    ),
    fc.constantFrom(
      '2026-03-01T00:00:00.000Z',
      '2026-02-30T00:00:00Z',
      '2026-03-01',
      '2026-03-01T10:00+02:00',
      '2026-13-01T00:00:00Z',
      ' 2026-03-01T00:00:00Z',
    ),
    fc.string({ maxLength: 6 }),
    fc.double(),
  );
  type Path = string[];
  const paths: Path[] = [
    [],
    ['identity'],
    ['target'],
    ['suggestion'],
    ['suggestion', 'signals'],
    ['suggestion', 'signals', '0'],
    ['decision'],
    ['decision', 'approver'],
  ];
  const keyOf = fc.constantFrom(
    'itemId',
    'identity',
    'target',
    'suggestion',
    'decision',
    'id',
    'displayName',
    'type',
    'status',
    'kind',
    'name',
    'application',
    'privilege',
    'action',
    'confidence',
    'riskTier',
    'decisionClass',
    'signals',
    'engine',
    'policyDigest',
    'reviewerId',
    'at',
    'rationale',
    'acceptedSuggestion',
    'approver',
    'message',
    'extra',
    '__proto__',
    '0',
  );

  /** A deep copy of `item` with one change at `path`: a member set, removed or added. */
  function mutated(item: PackageItem, path: Path, key: string, how: 'set' | 'delete', value: unknown): unknown {
    const copy = JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
    let at: unknown = copy;
    for (const step of path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[step] : undefined;
    if (!at || typeof at !== 'object') return copy;
    const target = at as Record<string, unknown>;
    if (how === 'delete') delete target[key];
    else Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
    return copy;
  }

  it('says an item fits exactly when the shape finds no problem: every sample item, and each changed anywhere', () => {
    for (const item of items) expect(itemFitsShape(item)).toBe(true);
    let fitting = 0;
    fc.assert(
      fc.property(
        fc.nat(),
        fc.constantFrom(...paths),
        keyOf,
        fc.constantFrom('set' as const, 'delete' as const),
        anyValue,
        (pick, path, key, how, value) => {
          const v = mutated(items[pick % items.length]!, path, key, how, value);
          const fits = itemFitsShape(v);
          if (fits) fitting++;
          expect(fits).toBe(shapeProblem(v, ITEM_SHAPE, 'item') === null);
        },
      ),
      { numRuns: 4000 },
    );
    // Both outcomes were exercised.
    expect(fitting).toBeGreaterThan(100);
    expect(fitting).toBeLessThan(3900);
  });

  it('anything that is not an item', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(itemFitsShape(v)).toBe(shapeProblem(v, ITEM_SHAPE, 'item') === null);
      }),
      { numRuns: 500 },
    );
  });
});

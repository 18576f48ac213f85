// decisions.json parsed as it inflates (DecisionsLineReader, the verifier on Node): whatever the file and wherever
// its pieces are cut (inside a line, inside a UTF-8 sequence, a byte at a time), the reader gives exactly what
// readDecisionItems gives for the whole file, or null (another layout: the verifier then reads it whole). The file
// as decisionsJsonBytes writes it must never give null, or nothing would be gained.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/codec/digest';
import { decisionsJsonBytes } from '../../shared/package/decisions-file';
import { DecisionsLineReader } from '../../shared/package/decisions-stream';
import { readDecisionItems } from '../../shared/package/package-documents';
import type { PackageItem } from '../../shared/package/types';
import { writtenDecisions } from '../fixtures/packages/sample-campaign';

let items: PackageItem[];
let campaignId: string;
let written: string;

beforeAll(() => {
  ({ items, campaignId, written } = writtenDecisions(40));
});

function streamed(bytes: Uint8Array, cuts: readonly number[]) {
  const reader = new DecisionsLineReader();
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    // A copy, overwritten after the call: pieces are valid only while the reader is handed them.
    const piece = bytes.slice(at, Math.max(at, cut));
    reader.push(piece);
    piece.fill(0x7b);
    at = Math.max(at, cut);
  }
  reader.push(bytes.slice(at));
  const visited: PackageItem[] = [];
  const read = reader.end((item) => visited.push(item));
  return read ? { read, visited } : null;
}

function whole(bytes: Uint8Array) {
  const visited: PackageItem[] = [];
  const read = readDecisionItems(bytes, (item) => visited.push(item));
  return { read, visited };
}

/** The streamed outcome, when there is one, is readDecisionItems'; returns whether there was one. */
function expectSameOrOther(bytes: Uint8Array, cuts: readonly number[]): boolean {
  const s = streamed(bytes, cuts);
  if (s) expect(s).toStrictEqual(whole(bytes));
  return s !== null;
}

const lines = () => written.split('\n');
const edit = (at: number, to: string) =>
  lines()
    .map((l, i) => (i === at ? to : l))
    .join('\n');

describe('DecisionsLineReader', () => {
  it('the file as written, in pieces of every size from one byte: every item, in order', () => {
    const bytes = utf8(written);
    for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
      const cuts = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => i * size);
      const s = streamed(bytes, cuts);
      expect(s, `pieces of ${size}`).toStrictEqual(whole(bytes));
      expect(s!.visited).toStrictEqual(items);
    }
  });

  it('no items, one item, and items whose shape is wrong (the same problems): read as they inflate', () => {
    const shapes = lines()
      .map((l, i) => (i >= 1 && i <= 30 ? l.replace('"itemId":', '"itemID":') : l))
      .join('\n');
    for (const bytes of [
      decisionsJsonBytes(campaignId, []),
      decisionsJsonBytes(campaignId, items.slice(0, 1)),
      utf8(edit(5, lines()[5]!.replace('"decision":', '"decision2":'))),
      utf8(shapes),
    ]) {
      expect(expectSameOrOther(bytes, [1, 17, 200])).toBe(true);
    }
    const problems = streamed(utf8(shapes), [])!.read;
    expect(problems.ok === false && problems.problems.length).toBe(20);
  });

  const others: Array<[string, () => string]> = [
    ['indented JSON', () => JSON.stringify(JSON.parse(written), null, 2)],
    ['all on one line', () => JSON.stringify(JSON.parse(written))],
    ['a byte-order mark first', () => `\uFEFF${written}`],
    ['CRLF line ends', () => written.replace(/\n/g, '\r\n')],
    ['no final newline', () => written.slice(0, -1)],
    ['a blank line between items', () => edit(5, `${lines()[5]}\n`)],
    ['a trailing comma after the last item', () => written.replace(/\}\n\]\}\n$/, '},\n]}\n')],
    ['a line cut short', () => edit(7, lines()[7]!.slice(0, 40))],
    ['text after the end', () => `${written}x`],
    ['white space after the end', () => `${written} \n`],
    ['two items on one line', () => edit(3, `${lines()[3]}${lines()[4]}`)],
    ['an empty list with its blank line missing', () => fromUtf8(decisionsJsonBytes(campaignId, [])).replace('[\n\n]', '[\n]')],
    ['not JSON at all', () => 'not json'],
    ['empty', () => ''],
  ];
  for (const [name, make] of others)
    it(`${name}: the same outcome, or read whole`, () => void expectSameOrOther(utf8(make()), [5, 99, 1000]));

  it('invalid UTF-8 and multi-byte characters cut between pieces: the same outcome', () => {
    const accented = items.map((item, i) =>
      i === 2 ? { ...item, identity: { ...item.identity, displayName: 'Zoë Ångström 東京' } } : item,
    );
    const bytes = decisionsJsonBytes(campaignId, accented);
    const at = bytes.indexOf(0xc3);
    expect(at).toBeGreaterThan(0);
    for (const cut of [at, at + 1, at + 2]) {
      expect(expectSameOrOther(bytes, [cut])).toBe(true);
      expect(streamed(bytes, [cut])!.visited).toStrictEqual(accented);
    }
    const bad = Uint8Array.from([...bytes.subarray(0, 300), 0xff, 0xc3, ...bytes.subarray(300)]);
    expectSameOrOther(bad, [300, 301, 302]);
  });

  it('a file in the written layout, changed anywhere and cut anywhere: the same outcome, or read whole', () => {
    const small = fromUtf8(decisionsJsonBytes(campaignId, items.slice(0, 4)));
    fc.assert(
      fc.property(
        fc.nat({ max: small.length }),
        fc.nat({ max: 3 }),
        fc.constantFrom('', ',', '\n', ']', '}', '"', ' ', '{', 'x', '1', ',\n', '\n]}\n', '\uFFFD', 'é'),
        fc.array(fc.nat({ max: small.length + 4 }), { maxLength: 6 }),
        (at, cut, insert, cuts) => {
          expectSameOrOther(utf8(`${small.slice(0, at)}${insert}${small.slice(Math.min(small.length, at + cut))}`), cuts);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

// The export's writers that were made cheaper must give the bytes they gave before, on awkward input: the OSCAL
// rendering the verifier compares (pieces written straight into bytes), CSV cells copied as they are checked, the
// remediation plan's JSON and its table's rows made as they are read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  createPacer,
  csvCell,
  joinParts,
  tableToCsv,
  tableToCsvBytes,
  utf8,
  writeCsvCell,
  writeTableCsv,
} from '../../shared/codec';
import type { CellValue } from '../../shared/codec';
import { renderBytes, renderedSha256, rendersTo, type DocumentSteps } from '../../shared/package/oscal';
import { renderInSlices } from '../../shared/package/oscal/render';
import { decisionsCsvBytes, DecisionsCsvWriter, packageItems } from '../../shared/package/decisions-file';
import { remediationJson, remediationPlan, remediationTable, writeRemediationJson } from '../../shared/package/remediation-plan';
import type { RemediationPlan } from '../../shared/package/types';
import { sha256Hex } from '../../shared/codec/digest';
import { sampleCertificationInput } from '../fixtures/packages/sample-campaign';

/** Any UTF-16 text, lone surrogates included. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

/** What the verifier's rendering gave before: every piece joined into one string, then encoded. */
function joinedThenEncoded(pieces: readonly string[]): Uint8Array {
  return new TextEncoder().encode(pieces.join(''));
}

/** A document's steps that give these pieces, pausing between some of them as the OSCAL writers do. */
function stepsOf(pieces: readonly string[]): DocumentSteps {
  return function* (sink) {
    for (let i = 0; i < pieces.length; i++) {
      sink(pieces[i]!);
      if (i % 7 === 6) yield;
    }
  };
}

async function inSlices(steps: DocumentSteps): Promise<Uint8Array> {
  const slices: Uint8Array[] = [];
  await renderInSlices(steps, async (slice) => void slices.push(slice.slice()), createPacer());
  return joinParts(slices);
}

function sha256Stream(): { update(bytes: Uint8Array): void; digestHex(): string } {
  const parts: Uint8Array[] = [];
  return { update: (bytes) => void parts.push(bytes.slice()), digestHex: () => sha256Hex(joinParts(parts)) };
}

describe('the OSCAL rendering, piece by piece into bytes', () => {
  // Whole-string pieces as the OSCAL writers give them (JSON.stringify never splits a surrogate pair): the same
  // bytes as joining them first, past the 64 KiB batch and the 96-character short-text path.
  const awkward = [
    '',
    '{"title":"Zoë Ørsted — 日本語",',
    '"emoji":"😀🧪",',
    `"long":"${'é'.repeat(70_000)}",`,
    `"ascii":"${'x'.repeat(97)}",`,
    '"escaped":"\\u001f\\"quoted\\"",',
    'a'.repeat(96),
    '"end"}',
  ];

  it('renderBytes, rendersTo, renderedSha256 and renderInSlices agree with the pieces joined and encoded', async () => {
    const expected = joinedThenEncoded(awkward);
    expect(renderBytes(stepsOf(awkward))).toEqual(expected);
    expect(await inSlices(stepsOf(awkward))).toEqual(expected);
    expect(rendersTo(stepsOf(awkward), expected)).toBe(true);
    expect(renderedSha256(stepsOf(awkward), sha256Stream())).toBe(sha256Hex(expected));
  });

  it('rendersTo finds a one-byte difference, a missing byte and a byte too many anywhere', () => {
    const expected = joinedThenEncoded(awkward);
    for (const at of [0, 40, 70_000, expected.length - 1]) {
      const changed = expected.slice();
      changed[at] = changed[at]! ^ 1;
      expect(rendersTo(stepsOf(awkward), changed)).toBe(false);
    }
    expect(rendersTo(stepsOf(awkward), expected.subarray(0, expected.length - 1))).toBe(false);
    expect(rendersTo(stepsOf(awkward), joinParts([expected, new Uint8Array([0x20])]))).toBe(false);
  });

  it('the builder and the verifier encode any pieces alike, lone surrogates included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { maxLength: 30 }), async (pieces) => {
        // renderInSlices is what the builder writes; the verifier's paths must give exactly its bytes.
        const built = await inSlices(stepsOf(pieces));
        expect(renderBytes(stepsOf(pieces))).toEqual(built);
        expect(rendersTo(stepsOf(pieces), built)).toBe(true);
        expect(renderedSha256(stepsOf(pieces), sha256Stream())).toBe(sha256Hex(built));
        // Without pieces that end or start in half a surrogate pair, that is also the joined text's UTF-8.
        const whole = pieces.every((p) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p));
        if (whole) expect(built).toEqual(joinedThenEncoded(pieces));
      }),
      { numRuns: 300 },
    );
  });
});

describe('CSV cells copied as they are checked', () => {
  const cells: CellValue[] = [
    null,
    '',
    'plain-id_01',
    'has "quotes"',
    'a,b',
    'a;b',
    'tab\there',
    'line\nbreak',
    'cr\rhere',
    '=SUM(A1)',
    '+1',
    '-1',
    '@cmd',
    ' leading',
    'trailing ',
    '＝fullwidth',
    'Zoë Ørsted',
    '日本語',
    'x;=cmd()',
    '\u007fdel',
    '\u001fsep',
    0,
    -3.5,
    0.87,
    true,
    false,
    new Date(Date.UTC(2026, 10, 25, 0, 16, 15)),
  ];

  it.each(cells.map((c) => [c]))('writeCsvCell(%j) writes csvCell’s UTF-8', (cell) => {
    const out = new ByteWriter(8);
    out.ascii('>');
    writeCsvCell(out, cell);
    out.ascii('<');
    expect(out.bytes()).toEqual(utf8(`>${csvCell(cell)}<`));
  });

  it('for any text (writing nothing when the cell needs the full rules, then the full rules)', () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 12 }), (texts) => {
        const out = new ByteWriter(4);
        for (const t of texts) {
          writeCsvCell(out, t);
          out.ascii(',');
        }
        expect(out.bytes()).toEqual(utf8(texts.map((t) => `${csvCell(t)},`).join('')));
      }),
      { numRuns: 500 },
    );
  });

  it('decisions.csv written run by run equals the whole file written from its table', async () => {
    const input = sampleCertificationInput(
      [
        { id: 'r0', name: '=Ann, "the" reviewer', keyFingerprint: 'f0', publicKey: '' },
        { id: 'r1', name: 'Zoë; Ørsted', keyFingerprint: 'f1', publicKey: '' },
      ],
      { items: 400, seed: 3, open: 9, escalated: 4 },
    );
    const items = packageItems(input);
    items[5]!.identity = { ...items[5]!.identity, displayName: '@evil\ttab' };
    if (items[6]!.decision) items[6]!.decision = { ...items[6]!.decision, rationale: ' +spaced "quoted"\r\nline ' };
    const names = new Map(input.reviewers.map((r) => [r.id, r.name]));
    const slices: Uint8Array[] = [];
    const writer = new DecisionsCsvWriter(names, async (slice) => void slices.push(slice.slice()));
    await writer.add(items.slice(0, 150));
    await writer.add(items.slice(150));
    await writer.end();
    expect(joinParts(slices)).toEqual(decisionsCsvBytes(items, names));
  });
});

describe('the remediation plan written as it is read', () => {
  let made: RemediationPlan | null = null;
  // Made once (a fresh copy each time): the sample campaign takes a while to generate.
  function awkwardPlan(): RemediationPlan {
    if (made) return structuredClone(made);
    const input = sampleCertificationInput(
      [
        { id: 'r0', name: 'Ann', keyFingerprint: 'f0', publicKey: '' },
        { id: 'r1', name: 'Bo', keyFingerprint: 'f1', publicKey: '' },
      ],
      { items: 1500, seed: 11 },
    );
    const plan = remediationPlan(input.campaign.id, packageItems(input));
    const first = plan.systems[0]!.actions[0]!;
    plan.systems[0]!.actions[0] = { ...first, identityName: '=Zoë "Ø", 日本', rationale: 'a;=b\nc' };
    // An empty system between others: its rows are none, and the rows after it are still found.
    plan.systems.splice(1, 0, { system: 'Empty, "system"', actions: [] });
    made = plan;
    return structuredClone(plan);
  }

  it('remediation.json in slices equals its text form', async () => {
    const plan = awkwardPlan();
    const slices: Uint8Array[] = [];
    await writeRemediationJson(plan, async (slice) => void slices.push(slice.slice()), createPacer());
    expect(joinParts(slices)).toEqual(utf8(remediationJson(plan)));
  });

  it("the table's rows, read in any order, are each action's row in the plan's order", () => {
    const plan = awkwardPlan();
    const eager = plan.systems.flatMap(({ system, actions }) =>
      actions.map((a) => [
        system,
        a.kind,
        a.identityId,
        a.identityName,
        a.targetKind,
        a.targetId,
        a.targetName,
        a.decidedBy,
        a.decidedAt,
        a.approvedBy,
        a.rationale,
        a.until,
        a.ownerId,
        a.itemId,
      ]),
    );
    const rows = remediationTable(plan, 'csv').rows;
    expect(Array.isArray(rows)).toBe(false);
    expect(rows.length).toBe(eager.length);
    const at = (i: number) => (rows as { row(i: number): CellValue[] }).row(i);
    for (let i = 0; i < eager.length; i++) expect(at(i)).toEqual(eager[i]);
    for (const i of [eager.length - 1, 0, Math.floor(eager.length / 2), 1, eager.length - 2]) expect(at(i)).toEqual(eager[i]);
    expect(() => at(eager.length)).toThrow(RangeError);
    expect(() => at(-1)).toThrow(RangeError);
  });

  it('remediation.csv in slices, and whole, equals the CSV text of the table', async () => {
    const table = remediationTable(awkwardPlan(), 'csv');
    const slices: Uint8Array[] = [];
    await writeTableCsv(table, async (slice) => void slices.push(slice.slice()), createPacer());
    const text = utf8(tableToCsv(table));
    expect(joinParts(slices)).toEqual(text);
    expect(tableToCsvBytes(table)).toEqual(text);
  });
});

// "No suggestion" (action `none`, issue 17) is counted apart in the signed package: the manifest's counts, the
// report's summary and the verifier's re-count, never folded into keep or left out.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/codec';
import {
  buildCertificationPackage,
  trustedKeyEntry,
  verifyPackage,
  type BuiltPackage,
  type CertificationInput,
  type Statement,
} from '../../shared/package';
import { statementBytes } from '../../shared/package/certification-statement';
import { serializeEnvelope, signEnvelope } from '../../shared/package/dsse-envelope';
import { ENVELOPE_FILE, MANIFEST_FILE } from '../../shared/package/package-layout';
import { entriesOf, PEOPLE, replaceEntry, rezip, sampleSigners, text } from '../fixtures/packages/package-kit';
import { signedSampleInput } from '../fixtures/packages/sample-campaign';
import { reviewerFor, type TestSigner } from '../fixtures/packages/webcrypto-signer';

let signers: TestSigner[];
let input: CertificationInput;
let built: BuiltPackage;
let trustedKeys: ReturnType<typeof trustedKeyEntry>[];
/** Items whose suggestion was turned into "no suggestion", and how many suggested keep remain. */
let none = 0;
let keep = 0;

beforeAll(async () => {
  signers = await sampleSigners();
  trustedKeys = signers.map((s, i) => trustedKeyEntry(PEOPLE[i]!, s.publicKey));
  // The open items carry no decision (so no recorded suggestion snapshot): three of them get "no suggestion".
  input = await signedSampleInput(
    signers.map((s, i) => reviewerFor(s, PEOPLE[i]!)),
    { items: 24, seed: 5, open: 6 },
    signers,
  );
  for (const item of input.items.slice(-6)) {
    if (none < 3 && item.suggestion) {
      item.suggestion = {
        ...item.suggestion,
        action: 'none',
        confidence: 0,
        signals: [
          {
            id: 'no-evidence',
            message: 'no suggestion: no evidence for keeping or changing it',
            value: null,
            threshold: null,
            verdict: 'none',
          },
          ...item.suggestion.signals,
        ],
      };
      none++;
    }
  }
  keep = input.items.filter((i) => i.suggestion?.action === 'keep').length;
  built = await buildCertificationPackage(input, signers);
});

describe('"no suggestion" in the signed package counts', () => {
  it('the manifest counts items with no suggestion apart, and keep is not among them', () => {
    expect(none).toBe(3);
    expect(keep).toBeGreaterThan(0);
    expect(built.manifest.predicate.counts.noSuggestion).toBe(3);
    expect(built.manifest.predicate.counts.items).toBe(24);
  });

  it('the verifier re-counts them from decisions.json and agrees', async () => {
    const report = await verifyPackage(built.bytes, { trustedKeys });
    expect(report.reasons).toEqual([]);
    expect(report.counts.actual!.noSuggestion).toBe(3);
    expect(report.counts.manifest).toEqual(report.counts.actual);
  });

  it('a validly signed manifest that miscounts them is INVALID on [counts]', async () => {
    let entries = await entriesOf(built.bytes);
    const statement = JSON.parse(text(entries.find((e) => e.name === MANIFEST_FILE)!.bytes)) as Statement;
    statement.predicate.counts.noSuggestion = 0;
    const payload = statementBytes(statement);
    entries = replaceEntry(
      replaceEntry(entries, MANIFEST_FILE, payload),
      ENVELOPE_FILE,
      utf8(serializeEnvelope(await signEnvelope(payload, signers))),
    );
    const report = await verifyPackage(await rezip(entries), { trustedKeys });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons.map((r) => r.check)).toEqual(['counts']);
    expect(report.reasons[0]!.message).toBe('the manifest counts 0 noSuggestion; decisions.json has 3');
  });

  it("report.xlsx's summary says how many items had no suggestion", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(built.files['report.xlsx']! as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('Summary')!;
    let found: unknown;
    summary.eachRow((row) => {
      if (row.getCell(1).value === 'No suggestion') found = row.getCell(2).value;
    });
    expect(found).toBe(3);
  });
});

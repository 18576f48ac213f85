// A certification package that names its baseline (issue 21): the link in the statement, the carried flags in
// decisions.json, baseline-changes.json and the report's changes sheet; the verifier's checks of the link inside the
// package and, given the baseline package, against it: an altered or unverifiable baseline is refused, and a carried
// decision that is not the baseline's fails, naming the item.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCertificationPackage, CHANGES_SHEET, readBaselineChanges, verifyPackage, type VerifyReport } from '../../shared/package';
import type { DecisionsDocument } from '../../shared/package';
import { shapeProblem } from '../../shared/package/document-shapes';
import { ITEM_SHAPE, itemFitsShape } from '../../shared/package/package-documents';
import { baselinePair, resigned, type BaselinePair } from '../fixtures/packages/baseline-kit';
import { bytesOf, entriesOf, flipByte, samplePackage, sampleSigners, text } from '../fixtures/packages/package-kit';

let pair: BaselinePair;
beforeAll(async () => {
  pair = await baselinePair();
}, 60_000);

const baselineReasons = (r: VerifyReport) => r.reasons.filter((f) => f.check === 'baseline');

describe('a package built from a baseline', () => {
  it('names the baseline in its statement, lists baseline-changes.json and verifies against the baseline package', async () => {
    const p = pair.next.manifest.predicate;
    expect(p.baseline).toEqual(pair.link);
    expect(pair.link.packageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pair.next.manifest.subject.map((s) => s.name)).toContain('baseline-changes.json');
    const report = await verifyPackage(pair.next.bytes, { trustedKeys: pair.trustedKeys, baseline: pair.old.built.bytes });
    expect(report.reasons).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.checks.baseline).toBe(true);
    expect(report.baseline?.link).toEqual(pair.link);
    expect(report.baseline?.supplied).toMatchObject({
      verdict: 'valid',
      packageDigestMatches: true,
      statementDigestMatches: true,
      follows: null,
    });
    expect(report.baseline?.carried).toBe(pair.carried.length);
    expect(report.baseline?.counts).toEqual(pair.changes.counts);
  });

  it('verifies without the baseline package too, with a warning that the carried decisions were checked against the link only', async () => {
    const report = await verifyPackage(pair.next.bytes, { trustedKeys: pair.trustedKeys });
    expect(report.verdict).toBe('valid');
    expect(report.baseline?.supplied).toBeNull();
    expect(report.warnings.map((w) => w.message).join('\n')).toMatch(/baseline package \(sha256:[0-9a-f]{64}\) was not supplied/);
  });

  it('records in decisions.json which decisions were carried (from the decision events) and which were decided afresh', () => {
    const doc = JSON.parse(text(pair.next.files['decisions.json']!)) as DecisionsDocument;
    const carried = doc.items.filter((i) => i.decision?.carried).map((i) => i.itemId);
    expect(carried).toEqual(pair.carried);
    expect(carried.length).toBeGreaterThan(0);
    expect(doc.items.length - carried.length).toBeGreaterThan(0);
    const first = doc.items.find((i) => i.itemId === pair.carried[0])!;
    const prior = pair.oldReport.decisions.find((i) => i.itemId === first.itemId)!.decision!;
    expect(first.decision!.carried).toEqual({
      packageDigest: pair.link.packageDigest,
      action: prior.action,
      reviewerId: prior.reviewerId,
      at: prior.at,
    });
    // The input's decisions said nothing of it: the builder took it from the log.
    expect(pair.nextInput.items.some((i) => i.decision?.carried)).toBe(false);
  });

  it('lists every comparison row in baseline-changes.json, removed items included, with counts that match', () => {
    const read = readBaselineChanges(pair.next.files['baseline-changes.json']!, 'baseline-changes.json');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.link).toEqual(pair.link);
    // Sixteen items now: fifteen of the baseline's (one removed) and one new; the rest changed (evidence, or a prior
    // decision that cannot carry).
    expect(read.value.counts).toEqual({ unchanged: pair.carried.length, changed: 16 - 1 - pair.carried.length, new: 1, removed: 1 });
    const removed = read.value.rows.filter((r) => r.kind === 'removed');
    expect(removed.map((r) => r.itemId)).toEqual([pair.old.input.items[0]!.itemId]);
    expect(read.value.rows.find((r) => r.itemId === pair.old.input.items[1]!.itemId)).toMatchObject({
      kind: 'changed',
      changed: ['status'],
    });
  });

  it('keeps a package without a baseline as it was: no baseline-changes.json, no baseline in the statement, no carried flag', async () => {
    const plain = pair.old.built;
    expect(Object.keys(plain.files)).not.toContain('baseline-changes.json');
    expect(text(plain.files['manifest.intoto.json']!)).not.toContain('baseline');
    expect(text(plain.files['decisions.json']!)).not.toContain('carried');
    expect(pair.oldReport.baseline).toBeNull();
    expect((await entriesOf(plain.bytes)).length).toBe(12);
  });

  it('shows the changes in report.xlsx: the Summary counts and one row per compared item', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(pair.next.files['report.xlsx']! as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet(CHANGES_SHEET)!;
    expect(sheet).toBeDefined();
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual(['Change', 'Item', 'Identity', 'Entitlement', 'Application']);
    const kinds: Record<string, number> = {};
    for (let r = 2; r <= sheet.rowCount; r++) {
      const kind = String(sheet.getRow(r).getCell(1).value);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    expect(kinds).toEqual(Object.fromEntries(Object.entries(pair.changes.counts).filter(([, n]) => n > 0)));
    const summary = wb.getWorksheet('Summary')!;
    const field = (name: string) => {
      for (let r = 2; r <= summary.rowCount; r++)
        if (summary.getRow(r).getCell(1).value === name) return summary.getRow(r).getCell(2).value;
      return undefined;
    };
    expect(field('Unchanged since baseline')).toBe(pair.changes.counts.unchanged);
    expect(field('Removed since baseline')).toBe(1);
    expect(field('Decisions carried')).toBe(pair.carried.length);
    expect(field('Baseline package')).toBe(pair.link.packageDigest);
    // The prior decision is shown on a carried row.
    const carriedRow = [...Array(sheet.rowCount - 1).keys()]
      .map((i) => sheet.getRow(i + 2))
      .find((row) => String(row.getCell(2).value) === pair.carried[0]!.replace('\u001f', '␟'))!;
    expect(carriedRow.getCell(8).value).toBe('keep');
    expect(carriedRow.getCell(12).value).toBe('Yes');
    const plain = new ExcelJS.Workbook();
    await plain.xlsx.load(pair.old.built.files['report.xlsx']! as unknown as ArrayBuffer);
    expect(plain.getWorksheet(CHANGES_SHEET)).toBeUndefined();
  });
});

describe('decisions.json items with a carried decision', () => {
  it('the hand-written item check agrees with the item shape on carried members, well formed or not', () => {
    const doc = JSON.parse(text(pair.next.files['decisions.json']!)) as DecisionsDocument;
    const item = doc.items.find((i) => i.decision?.carried)!;
    const c = item.decision!.carried!;
    const variants: unknown[] = [
      c,
      { ...c, keepUntil: '2027-06-30' },
      { ...c, keepUntil: 20270630 },
      { ...c, action: 'approve' },
      { ...c, at: 'yesterday' },
      { ...c, extra: true },
      { action: c.action, reviewerId: c.reviewerId, at: c.at },
      null,
      'carried',
    ];
    const fits = variants.map((carried) => itemFitsShape({ ...item, decision: { ...item.decision, carried } }));
    expect(fits).toEqual([true, true, false, false, false, false, false, false, false]);
    for (const carried of variants) {
      const v = { ...item, decision: { ...item.decision, carried } };
      expect(itemFitsShape(v)).toBe(shapeProblem(v, ITEM_SHAPE, 'item') === null);
    }
  });
});

describe('the baseline package supplied', () => {
  it('is refused when one byte of it was changed', async () => {
    const altered = flipByte(pair.old.built.bytes, Math.floor(pair.old.built.bytes.length / 2));
    const report = await verifyPackage(pair.next.bytes, { trustedKeys: pair.trustedKeys, baseline: altered });
    expect(report.verdict).toBe('invalid');
    const messages = baselineReasons(report).map((f) => f.message);
    expect(messages.some((m) => /^the baseline package does not verify \(invalid\), so it cannot be a baseline/.test(m))).toBe(true);
    expect(messages.some((m) => /is not the one the link names: its SHA-256 is sha256:[0-9a-f]{64}, the link names sha256:/.test(m))).toBe(
      true,
    );
    expect(report.baseline?.supplied?.packageDigestMatches).toBe(false);
  });

  it('is refused when its signature does not verify', async () => {
    const entries = await entriesOf(pair.old.built.bytes);
    const envelope = JSON.parse(text(entries.find((e) => e.name === 'manifest.dsse.json')!.bytes)) as { signatures: { sig: string }[] };
    const sig = envelope.signatures[0]!.sig;
    envelope.signatures[0]!.sig = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const { writeZip } = await import('../../shared/package');
    const forged = await writeZip(
      entries.map((e) => ({
        name: e.name,
        bytes: e.name === 'manifest.dsse.json' ? bytesOf(`${JSON.stringify(envelope, null, 2)}\n`) : e.bytes,
        store: e.name === 'report.xlsx',
      })),
    );
    const report = await verifyPackage(pair.next.bytes, { trustedKeys: pair.trustedKeys, baseline: forged });
    expect(report.verdict).toBe('invalid');
    expect(
      baselineReasons(report).some((f) =>
        /does not verify \(invalid\), so it cannot be a baseline: .*\[signatures\] the signature of "alice-2026"/.test(f.message),
      ),
    ).toBe(true);
  });

  it('is refused when the trust list does not pin the keys that signed it, though its bytes are the linked ones', async () => {
    const oldSigners = [
      await import('../fixtures/packages/webcrypto-signer').then((m) => m.generateSigner('alice-2026')),
      await import('../fixtures/packages/webcrypto-signer').then((m) => m.generateSigner('bob-2026')),
    ];
    const other = await baselinePair({ oldSigners });
    const pinningBoth = await verifyPackage(other.next.bytes, { trustedKeys: other.trustedKeys, baseline: other.old.built.bytes });
    expect(pinningBoth.verdict).toBe('valid');
    const newKeysOnly = other.trustedKeys.slice(0, 2);
    const report = await verifyPackage(other.next.bytes, { trustedKeys: newKeysOnly, baseline: other.old.built.bytes });
    expect(report.verdict).toBe('invalid');
    expect(report.baseline?.supplied).toMatchObject({ verdict: 'invalid', packageDigestMatches: true, statementDigestMatches: true });
    expect(
      baselineReasons(report)
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(/does not verify \(invalid\), so it cannot be a baseline: \[trust\] signer "alice-2026" .* is not in the trust list/);
  }, 60_000);

  it('fails a carried decision that is not the baseline decision of the item, naming the item', async () => {
    const forged = await baselinePair({ forge: (c) => ({ ...c, reviewerId: c.reviewerId === 'alice' ? 'bob' : 'alice' }) });
    const itemId = forged.carried[0]!;
    // On its own the package holds together: only the baseline package shows the carried decision was not its own.
    const alone = await verifyPackage(forged.next.bytes, { trustedKeys: forged.trustedKeys });
    expect(alone.verdict).toBe('valid');
    const report = await verifyPackage(forged.next.bytes, { trustedKeys: forged.trustedKeys, baseline: forged.old.built.bytes });
    expect(report.verdict).toBe('invalid');
    const found = baselineReasons(report).filter((f) => f.itemId === itemId);
    expect(found.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^the carried decision \(keep by (alice|bob) at .*\) does not match the baseline's decision of the item \(keep by (alice|bob) at /,
        ),
      ]),
    );
  }, 60_000);

  it('is refused when the package names no baseline at all', async () => {
    const report = await verifyPackage(pair.old.built.bytes, { trustedKeys: pair.trustedKeys, baseline: pair.old.built.bytes });
    expect(report.verdict).toBe('invalid');
    expect(baselineReasons(report).map((f) => f.message)).toEqual([
      'a baseline package was supplied, but this package names no baseline: there is nothing to check it against',
    ]);
  });
});

describe('the link inside the package', () => {
  it('fails when baseline-changes.json counts other rows than it lists (re-signed by the same keys)', async () => {
    const read = readBaselineChanges(pair.next.files['baseline-changes.json']!, 'x');
    if (!read.ok) throw new Error('unreadable');
    const edited = text(pair.next.files['baseline-changes.json']!).replace(
      `"unchanged":${read.value.counts.unchanged}`,
      `"unchanged":${read.value.counts.unchanged + 5}`,
    );
    const bytes = await resigned(pair.next, { 'baseline-changes.json': bytesOf(edited) }, pair.signers);
    const report = await verifyPackage(bytes, { trustedKeys: pair.trustedKeys });
    expect(report.verdict).toBe('invalid');
    expect(baselineReasons(report).map((f) => f.message)).toEqual([
      `baseline-changes.json counts ${read.value.counts.unchanged + 5} unchanged but lists ${read.value.counts.unchanged}`,
    ]);
  });

  it('fails when decisions.json hides that a decision was carried, or claims it for one decided afresh', async () => {
    const lines = text(pair.next.files['decisions.json']!).split('\n');
    const carriedAt = lines.findIndex((l) => l.includes('"carried":'));
    const freshAt = lines.findIndex((l, i) => i > 0 && l.startsWith('{') && !l.includes('"carried":') && l.includes('"decision":{'));
    const carriedJson = /,"carried":(\{[^}]*\})/.exec(lines[carriedAt]!)![1]!;
    lines[carriedAt] = lines[carriedAt]!.replace(`,"carried":${carriedJson}`, '');
    lines[freshAt] = lines[freshAt]!.replace(/\}\}(,?)$/, `,"carried":${carriedJson}}}$1`);
    const bytes = await resigned(pair.next, { 'decisions.json': bytesOf(lines.join('\n')) }, pair.signers);
    const report = await verifyPackage(bytes, { trustedKeys: pair.trustedKeys });
    expect(report.verdict).toBe('invalid');
    const messages = baselineReasons(report).map((f) => f.message);
    expect(messages).toContain('the decision event confirms a carried prior decision, but decisions.json does not say so');
    expect(messages).toContain('decisions.json says the decision was carried, but the decision event does not');
  });

  it('fails when the statement names another baseline than the campaign-created event (re-signed by the same keys)', async () => {
    const predicate = { ...pair.next.manifest.predicate, baseline: { ...pair.link, campaignName: 'Some other campaign' } };
    const bytes = await resigned(pair.next, {}, pair.signers, predicate);
    const report = await verifyPackage(bytes, { trustedKeys: pair.trustedKeys });
    expect(report.verdict).toBe('invalid');
    expect(baselineReasons(report).map((f) => f.message)).toEqual([
      `the campaign-created event names another baseline than the statement (campaignName ${JSON.stringify(pair.link.campaignName)} ≠ "Some other campaign")`,
      `baseline-changes.json compares with another baseline than the statement names (campaignName ${JSON.stringify(pair.link.campaignName)} ≠ "Some other campaign")`,
    ]);
    // The same package re-signed unchanged verifies: only the edit fails.
    expect((await verifyPackage(await resigned(pair.next, {}, pair.signers), { trustedKeys: pair.trustedKeys })).verdict).toBe('valid');
  });

  it('the report written on a Node worker thread (arw, the bench) is the same, changes sheet included', async () => {
    const { installNodeRuntime, startReportWorker } = await import('../../electron/cli/node-runtime');
    installNodeRuntime();
    const here = await buildCertificationPackage(pair.nextInput, pair.signers);
    const worker = await startReportWorker();
    try {
      const there = await buildCertificationPackage(pair.nextInput, pair.signers, { reportBuilder: worker.builder });
      expect(worker.builder.writtenHere).toBe(0);
      expect(Buffer.compare(there.files['report.xlsx']!, here.files['report.xlsx']!)).toBe(0);
      expect(Buffer.compare(there.bytes, here.bytes)).toBe(0);
    } finally {
      await worker.close();
    }
  }, 180_000);

  it('the builder refuses a comparison made against another baseline than the campaign-created event names', async () => {
    const other = { ...pair.changes, link: { ...pair.link, packageDigest: `sha256:${'0'.repeat(64)}` } };
    await expect(buildCertificationPackage({ ...pair.nextInput, baselineChanges: other }, pair.signers)).rejects.toThrow(
      /baseline link would not verify: baseline-changes.json compares with another baseline than the statement names \(packageDigest "sha256:0{64}" ≠ "sha256:/,
    );
    const { baselineChanges: _omitted, ...withoutChanges } = pair.nextInput;
    await expect(buildCertificationPackage(withoutChanges, pair.signers)).rejects.toThrow(/pass its baselineChanges/);
  });

  it('the builder refuses baselineChanges for a campaign that names no baseline', async () => {
    const signers = await sampleSigners();
    const plain = await samplePackage({ items: 6, seed: 3 }, signers);
    await expect(buildCertificationPackage({ ...plain.input, baselineChanges: pair.changes }, signers)).rejects.toThrow(
      /the campaign-created event names no baseline/,
    );
  });
});

// Verify tells the truth at a glance (issue #16): VALID / INCOMPLETE / INVALID, undecided items named, per-event
// signatures, one key acting as two people, pinned names that differ, reviewer behaviour, and the cheap verifier
// tests the mutation audit asked for (reasons[].check, cant-decide in a package, wrong counts validly signed).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/arw';
import type { CliIo } from '../../electron/cli/io';
import { sha256Hex, utf8 } from '../../shared/codec/digest';
import {
  buildCertificationPackage,
  buildTrustList,
  trustedKeyEntry,
  verifyPackage,
  type BuiltPackage,
  type Statement,
  type VerifyReport,
} from '../../shared/package';
import { writeAuditLog } from '../../shared/package/audit-chain-check';
import { statementBytes } from '../../shared/package/certification-statement';
import { serializeEnvelope, signEnvelope } from '../../shared/package/dsse-envelope';
import { ENVELOPE_FILE, MANIFEST_FILE } from '../../shared/package/package-layout';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody } from '../../shared/review/types';
import { signAuditEvents } from '../fixtures/packages/sample-campaign';
import { entriesOf, PEOPLE, replaceEntry, rezip, samplePackage, text, type SamplePackage } from '../fixtures/packages/package-kit';
import type { TestSigner } from '../fixtures/packages/webcrypto-signer';

let sample: SamplePackage;
let dir: string;
const path = (name: string) => join(dir, name);

async function arw(...argv: string[]) {
  const out: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => out.push(t), cwd: process.cwd() };
  const code = await main(argv, io);
  return { code, stdout: out.join('\n') };
}

const checksOf = (r: VerifyReport) => [...new Set(r.reasons.map((x) => x.check))].sort();

/**
 * A package as a dishonest (or buggy) builder holding real keys would make: the audit log replaced, the statement
 * changed, every digest recomputed and the envelope signed again with `signers`.
 */
async function forge(
  built: BuiltPackage,
  signers: readonly TestSigner[],
  change: { events?: AuditEvent[]; statement?: (s: Statement) => void },
): Promise<Uint8Array> {
  let entries = await entriesOf(built.bytes);
  const statement = JSON.parse(text(entries.find((e) => e.name === MANIFEST_FILE)!.bytes)) as Statement;
  if (change.events) {
    const log = writeAuditLog(change.events);
    if (!log.chain.ok) throw new Error(log.chain.reason);
    entries = replaceEntry(entries, 'audit-log.jsonl', log.bytes);
    statement.predicate.auditChain = { head: log.chain.head, length: log.chain.length };
  }
  for (const s of statement.subject) s.digest.sha256 = sha256Hex(entries.find((e) => e.name === s.name)!.bytes);
  change.statement?.(statement);
  const payload = statementBytes(statement);
  const envelope = utf8(serializeEnvelope(await signEnvelope(payload, signers)));
  return rezip(replaceEntry(replaceEntry(entries, MANIFEST_FILE, payload), ENVELOPE_FILE, envelope));
}

const bodyOf = ({ seq: _s, prevHash: _p, hash: _h, ...body }: AuditEvent): AuditEventBody => body;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'arw-verdicts-'));
  sample = await samplePackage({ items: 30, seed: 11 });
  writeFileSync(path('keys.json'), JSON.stringify({ keys: sample.trustedKeys }));
});

describe('three verdicts (observation 10)', () => {
  it('an intact, signed package with undecided items is INCOMPLETE, each item named once; exit 1; --json says "incomplete"', async () => {
    const open = await samplePackage({ items: 16, seed: 3, open: 4, escalated: 2 }, sample.signers);
    const report = await verifyPackage(open.built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.verdict).toBe('incomplete');
    expect(report.reasons).toEqual([]);
    const named = report.undecided.map((u) => u.itemId);
    for (const item of open.input.items.slice(-6)) expect(named).toContain(item.itemId);
    expect(new Set(report.undecided.map((u) => u.message)).size).toBe(report.undecided.length);
    expect(report.undecided.every((u) => !/^no human decision$/.test(u.message) && u.message.includes(u.label))).toBe(true);
    writeFileSync(path('incomplete.arwpkg'), open.built.bytes);
    const cli = await arw('verify', path('incomplete.arwpkg'), '--trust', path('keys.json'));
    expect(cli.code).toBe(1);
    expect(cli.stdout.split('\n')[0]).toMatch(
      /^INCOMPLETE {2}incomplete\.arwpkg: intact and signed, but \d+ items without a final decision/,
    );
    expect(cli.stdout).not.toMatch(/INVALID/);
    const json = await arw('verify', path('incomplete.arwpkg'), '--trust', path('keys.json'), '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'incomplete', undecidedCount: report.undecidedCount });
  });

  it('cant-decide in a package: escalated, not decided, in the counts and the completeness report', async () => {
    const esc = await samplePackage({ items: 10, seed: 21, escalated: 2 }, sample.signers);
    const report = await verifyPackage(esc.built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.verdict).toBe('incomplete');
    const escalated = report.undecided.filter((u) => u.standing === 'escalated');
    expect(escalated.map((u) => u.itemId)).toEqual(esc.input.items.slice(-2).map((i) => i.itemId));
    expect(escalated[0]!.message).toMatch(/escalated \(the reviewer could not decide\), still open/);
    expect(report.completeness).toMatchObject({ escalated: 2 });
    expect(report.counts.actual!.decided).toBeLessThanOrEqual(8);
    expect(report.counts.manifest).toEqual(report.counts.actual);
  });

  it('reviewer behaviour per reviewer is in the report, with the policy thresholds', async () => {
    const report = await verifyPackage(sample.built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.verdict).toBe('valid');
    expect(report.reviewerBehaviour.map((b) => b.reviewerId)).toEqual(['alice', 'bob']);
    for (const b of report.reviewerBehaviour) {
      expect(b.thresholds).toMatchObject({ fastAcceptSeconds: 3, fastAcceptStreak: 20 });
      expect(b.decisions).toBeGreaterThan(0);
      expect(b.medianSecondsPerDecision).not.toBeNull();
    }
    const decided = sample.input.items.filter((i) => i.decision && i.decision.action !== 'cant-decide');
    expect(report.reviewerBehaviour.reduce((n, b) => n + b.decisions, 0)).toBe(decided.length);
  });

  it('a rubber-stamper crosses a threshold and gets a warning line', async () => {
    const input = structuredClone(sample.input);
    // Every decision event of alice: an accept in one second.
    const events = input.auditEvents
      .map(bodyOf)
      .map((b) => (b.type === 'decision' && b.actor.id === 'alice' ? { ...b, secondsOnScreen: 1, signature: undefined } : b));
    const rechained: AuditEvent[] = [];
    for (const b of events) rechained.push(chainEvent(rechained.at(-1) ?? null, JSON.parse(JSON.stringify(b)) as AuditEventBody));
    const signed = await signAuditEvents({ ...input, auditEvents: rechained }, sample.signers);
    const built = await buildCertificationPackage(signed, sample.signers);
    const report = await verifyPackage(built.bytes, { trustedKeys: sample.trustedKeys });
    const a = report.reviewerBehaviour.find((b) => b.reviewerId === 'alice')!;
    expect(a.medianSecondsPerDecision).toBe(1);
    expect(a.driftWarnings.join('\n')).toMatch(/median 1 s per decision \(under 3 s\)/);
  });
});

describe('who decided, provably (observation 3)', () => {
  it("one key acting as reviewer and as approver of that reviewer's items is INVALID; exit 1", async () => {
    const [a] = sample.signers as [TestSigner, TestSigner];
    const bob = sample.input.reviewers[1]!;
    const alicesKey = { fingerprint: a.fingerprint };
    // Bob's events re-made with Alice's key, signed with it, as one person with one key acting as both.
    const bodies = sample.input.auditEvents
      .map(bodyOf)
      .map((b) =>
        b.actor.id === 'bob' ? { ...b, actor: { ...b.actor, keyFingerprint: alicesKey.fingerprint }, signature: undefined } : b,
      );
    const events: AuditEvent[] = [];
    for (const b of bodies) events.push(chainEvent(events.at(-1) ?? null, JSON.parse(JSON.stringify(b)) as AuditEventBody));
    const signed = (await signAuditEvents({ ...sample.input, auditEvents: events }, [a])).auditEvents;
    const forged = await forge(sample.built, [a, { ...a, keyId: 'bob-2026' }], {
      events: signed,
      statement: (s) => {
        const r = s.predicate.reviewers.find((x) => x.id === bob.id)!;
        r.fingerprint = a.fingerprint;
        r.publicKey = Buffer.from(a.publicKey).toString('base64');
        const signer = s.predicate.signers.find((x) => x.keyid === 'bob-2026')!;
        signer.fingerprint = a.fingerprint;
        signer.publicKey = r.publicKey;
      },
    });
    const keys = [trustedKeyEntry(PEOPLE[0]!, a.publicKey)];
    const report = await verifyPackage(forged, { trustedKeys: keys });
    expect(report.verdict).toBe('invalid');
    expect(checksOf(report)).toContain('signatures');
    expect(
      report.reasons.some(
        (r) => r.check === 'signatures' && /one key acting as two people: reviewer alice and reviewer bob/.test(r.message),
      ),
    ).toBe(true);
    // Each approval given with the decider's key is named too.
    expect(report.reasons.some((r) => r.check === 'signatures' && /audit event \d+: one key acting as two people/.test(r.message))).toBe(
      true,
    );
    writeFileSync(path('one-key.arwpkg'), forged);
    writeFileSync(path('alice-key.json'), JSON.stringify({ keys }));
    expect((await arw('verify', path('one-key.arwpkg'), '--trust', path('alice-key.json'))).code).toBe(1);
  });

  it('a trust list pinning "Bob" for the key that signs as reviewer alice: exit 1, [trust]', async () => {
    const [a, b] = sample.signers as [TestSigner, TestSigner];
    const keys = [trustedKeyEntry({ name: 'Bob', email: 'bob@example.com' }, a.publicKey), trustedKeyEntry(PEOPLE[1]!, b.publicKey)];
    const report = await verifyPackage(sample.built.bytes, { trustedKeys: keys });
    expect(report.verdict).toBe('invalid');
    expect(checksOf(report)).toEqual(['trust']);
    expect(report.reasons[0]!.message).toMatch(
      /pinned in the trust list as "Bob".*acts in this package as reviewer alice "Alice Reviewer"/,
    );
    writeFileSync(path('bob-for-alice.json'), JSON.stringify({ keys }));
    writeFileSync(path('good.arwpkg'), sample.built.bytes);
    expect((await arw('verify', path('good.arwpkg'), '--trust', path('bob-for-alice.json'))).code).toBe(1);
    expect((await arw('verify', path('good.arwpkg'), '--trust', path('keys.json'))).code).toBe(0);
  });

  it('a decision event changed after it was signed fails its own signature, even in a package signed again', async () => {
    const input = structuredClone(sample.input);
    const target = input.auditEvents.find((e) => e.type === 'decision' && e.rationale)!;
    const bodies = input.auditEvents
      .map(bodyOf)
      .map((b, i) => (i === target.seq - 1 ? { ...b, rationale: `${b.rationale} (edited later)` } : b));
    const events: AuditEvent[] = [];
    for (const b of bodies) events.push(chainEvent(events.at(-1) ?? null, b));
    const item = input.items.find((i) => i.itemId === target.itemId)!;
    if (item.decision && item.decision.at === target.at)
      item.decision = { ...item.decision, rationale: `${target.rationale} (edited later)` };
    const built = await buildCertificationPackage({ ...input, auditEvents: events }, sample.signers);
    const report = await verifyPackage(built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons.filter((r) => r.check === 'signatures').map((r) => r.message)).toEqual([
      `audit event ${target.seq}: alice's signature does not verify (the event was changed after it was signed, or another key signed it)`.replace(
        'alice',
        target.actor.id,
      ),
    ]);
  });

  it('an unsigned decision event: INVALID, [signatures]', async () => {
    const input = structuredClone(sample.input);
    const bodies = input.auditEvents.map(bodyOf).map((b, i) => (i === 3 ? { ...b, signature: undefined } : b));
    const events: AuditEvent[] = [];
    for (const b of bodies) events.push(chainEvent(events.at(-1) ?? null, JSON.parse(JSON.stringify(b)) as AuditEventBody));
    const built = await buildCertificationPackage({ ...input, auditEvents: events }, sample.signers);
    const report = await verifyPackage(built.bytes, { trustedKeys: sample.trustedKeys });
    expect(checksOf(report)).toEqual(['signatures']);
    expect(report.reasons[0]!.message).toMatch(/carries no signature of its own/);
  });
});

describe('rubber-stamp rationales in a package (observation 1)', () => {
  it('"0 overrides without rationale" no longer hides stamps: the verifier warns and names the items', async () => {
    const input = structuredClone(sample.input);
    const override = input.items.find((i) => i.decision && !i.decision.acceptedSuggestion && i.suggestion)!;
    const stamp = 'Reviewed and approved, as per policy.';
    const bodies = input.auditEvents
      .map(bodyOf)
      .map((b) =>
        b.type === 'decision' && b.itemId === override.itemId && b.at === override.decision!.at
          ? { ...b, rationale: stamp, signature: undefined }
          : b,
      );
    const events: AuditEvent[] = [];
    for (const b of bodies) events.push(chainEvent(events.at(-1) ?? null, JSON.parse(JSON.stringify(b)) as AuditEventBody));
    override.decision = { ...override.decision!, rationale: stamp };
    const built = await buildCertificationPackage(await signAuditEvents({ ...input, auditEvents: events }, sample.signers), sample.signers);
    const report = await verifyPackage(built.bytes, { trustedKeys: sample.trustedKeys });
    const warning = report.warnings.find((w) => w.check === 'completeness');
    expect(warning?.message).toMatch(/^1 required rationale \(override or never-delegate\) says nothing specific/);
    expect(warning?.message).toContain(override.itemId.replace('\u001f', ' / '));
    const clean = await verifyPackage(sample.built.bytes, { trustedKeys: sample.trustedKeys });
    expect(clean.warnings).toEqual([]);
  });
});

describe('what the mutation audit asked for', () => {
  it('a validly signed package whose manifest counts disagree with decisions.json: INVALID, [counts] only', async () => {
    const forged = await forge(sample.built, sample.signers, { statement: (s) => (s.predicate.counts.decided += 1) });
    const report = await verifyPackage(forged, { trustedKeys: sample.trustedKeys });
    expect(report.verdict).toBe('invalid');
    expect(checksOf(report)).toEqual(['counts']);
    expect(report.reasons[0]!.message).toMatch(/^the manifest counts \d+ decided; decisions.json has \d+$/);
  });

  it('a countersignature that does not verify: [signatures]', async () => {
    const [a, b] = sample.signers as [TestSigner, TestSigner];
    const wrong = { ...b, sign: a.sign, signSync: a.signSync, publicKey: b.publicKey };
    // signEnvelope refuses a signature its own key does not verify, so corrupt the envelope after signing.
    const entries = await entriesOf(sample.built.bytes);
    const envelope = JSON.parse(text(entries.find((e) => e.name === ENVELOPE_FILE)!.bytes));
    envelope.signatures[1].sig = Buffer.from(await wrong.sign(new Uint8Array(8))).toString('base64');
    const bytes = await rezip(replaceEntry(entries, ENVELOPE_FILE, utf8(serializeEnvelope(envelope))));
    const report = await verifyPackage(bytes, { trustedKeys: sample.trustedKeys });
    expect(report.reasons.some((r) => r.check === 'signatures' && /the signature of "bob-2026" .* does not verify/.test(r.message))).toBe(
      true,
    );
  });
});

describe('time-bound exceptions and owner assignments reach the package (observation 8)', () => {
  it('decisions.json carries keepUntil and ownerId; the remediation plan lists the exception with its expiry and the owner', async () => {
    const input = structuredClone(sample.input);
    const keep = input.items.find(
      (i) => i.decision?.action === 'keep' && i.decision.acceptedSuggestion && i.suggestion?.decisionClass === 'suggest',
    )!;
    const other = input.items.find(
      (i) => i !== keep && i.decision && i.decision.action !== 'keep' && i.suggestion?.decisionClass === 'suggest',
    )!;
    const why = 'Kept for the SAP S/4 cutover tests, then removed (CHG-4410)';
    const ownerWhy = 'Ownership moves to Leila Haddad, who runs the reporting service';
    const bodies = input.auditEvents.map(bodyOf).map((b) => {
      if (b.type !== 'decision' || (b.at !== keep.decision!.at && b.at !== other.decision!.at)) return b;
      if (b.itemId === keep.itemId)
        return { ...b, keepUntil: '2027-03-31', rationale: why, reasonCategory: 'time-bound-exception' as const, signature: undefined };
      if (b.itemId === other.itemId)
        return {
          ...b,
          action: 'assign-owner' as const,
          acceptedSuggestion: false,
          ownerId: 'u1005',
          rationale: ownerWhy,
          reasonCategory: 'owner-confirmed' as const,
          signature: undefined,
        };
      return b;
    });
    const events: AuditEvent[] = [];
    for (const b of bodies) events.push(chainEvent(events.at(-1) ?? null, JSON.parse(JSON.stringify(b)) as AuditEventBody));
    keep.decision = { ...keep.decision!, keepUntil: '2027-03-31', rationale: why };
    other.decision = { ...other.decision!, action: 'assign-owner', acceptedSuggestion: false, ownerId: 'u1005', rationale: ownerWhy };
    const signed = await signAuditEvents({ ...input, auditEvents: events }, sample.signers);
    const built = await buildCertificationPackage(signed, sample.signers);
    const report = await verifyPackage(built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.reasons).toEqual([]);
    expect(report.decisions.find((d) => d.itemId === keep.itemId)!.decision).toMatchObject({ keepUntil: '2027-03-31' });
    const plan = JSON.parse(text(built.files['remediation.json']!)) as {
      systems: { actions: { kind: string; itemId: string; until: string | null; ownerId: string | null }[] }[];
    };
    const actions = plan.systems.flatMap((x) => x.actions);
    expect(actions.find((a) => a.itemId === keep.itemId)).toMatchObject({ kind: 'exception', until: '2027-03-31' });
    expect(actions.find((a) => a.itemId === other.itemId)).toMatchObject({ kind: 'assign-owner', ownerId: 'u1005' });
    expect(text(built.files['remediation.csv']!)).toMatch(/exception,.*2027-03-31/);
  });
});

describe('one trust list for the campaign owner to export', () => {
  it('holds every reviewer and approver once, and refuses two people sharing a key', () => {
    const [a, b] = sample.signers as [TestSigner, TestSigner];
    const people = sample.input.reviewers.map((r) => ({ name: r.name, email: r.email ?? null, publicKey: r.publicKey }));
    const list = buildTrustList([...people, people[0]!]);
    expect(list.ok).toBe(true);
    if (list.ok) expect(list.file.keys.map((k) => k.name)).toEqual(['Alice Reviewer', 'Bob Approver']);
    const shared = buildTrustList([
      { name: 'Alice', publicKey: Buffer.from(a.publicKey).toString('base64') },
      { name: 'Bob', publicKey: Buffer.from(a.publicKey).toString('base64') },
    ]);
    expect(shared.ok).toBe(false);
    if (!shared.ok) expect(shared.problems[0]).toMatch(/share the key/);
    expect(buildTrustList([{ name: 'X', publicKey: 'AAAA' }]).ok).toBe(false);
    expect(b.fingerprint).not.toBe(a.fingerprint);
  });
});

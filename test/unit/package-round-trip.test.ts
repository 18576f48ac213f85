// Build → verify with real WebCrypto Ed25519 keys: the format on the wire, multi-signature, trust, determinism,
// completeness, and what the builder refuses to sign.
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, fromBase64, canonicalJson } from '../../shared/codec/digest';
import {
  buildCertificationPackage,
  DSSE_PAYLOAD_TYPE,
  keyFingerprint,
  PACKAGE_FILES,
  PREDICATE_TYPE,
  preAuthEncoding,
  STATEMENT_TYPE,
  SUBJECT_FILES,
  verifyPackage,
} from '../../shared/package';
import type { DsseEnvelope } from '../../shared/package';
import type { chainEvent } from '../../shared/review/audit-log';
import { sampleCertificationInput } from '../fixtures/packages/sample-campaign';
import { generateSigner, reviewerFor } from '../fixtures/packages/webcrypto-signer';
import {
  appendSigned,
  entriesOf,
  PEOPLE,
  rezip,
  replaceEntry,
  samplePackage,
  text,
  bytesOf,
  type SamplePackage,
} from '../fixtures/packages/package-kit';

let sample: SamplePackage;
beforeAll(async () => {
  sample = await samplePackage({ items: 40, seed: 3 });
});

describe('certification package: round trip', () => {
  it('verifies what it builds, against a trust list that pins both signers', async () => {
    const report = await verifyPackage(sample.built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.reasons).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.warnings).toEqual([]);
    expect(Object.values(report.checks).every(Boolean)).toBe(true);
    expect(report.signers.map((s) => [s.keyid, s.signatureValid, s.pinned, s.trustedAs?.name])).toEqual([
      ['alice-2026', true, true, 'Alice Reviewer'],
      ['bob-2026', true, true, 'Bob Approver'],
    ]);
    expect(report.files.map((f) => [f.name, f.status])).toEqual(SUBJECT_FILES.map((n) => [n, 'ok']));
    expect(report.chain).toMatchObject({ ok: true, length: sample.input.auditEvents.length });
    expect(report.decisions).toHaveLength(40);
    expect(report.counts.actual).toEqual(report.counts.manifest);
  });

  it('without a trust list it is valid, with a warning per signer that nothing pins it', async () => {
    const report = await verifyPackage(sample.built.bytes);
    expect(report.verdict).toBe('valid');
    expect(report.signers.every((s) => !s.pinned)).toBe(true);
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[0]!.message).toMatch(/not pinned by a trust list/);
  });

  it('a trust list that lacks a signer makes the package invalid, naming the signer', async () => {
    const report = await verifyPackage(sample.built.bytes, { trustedKeys: sample.trustedKeys.slice(0, 1) });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons).toEqual([expect.objectContaining({ check: 'trust', message: expect.stringContaining('"bob-2026"') })]);
  });

  it('holds exactly the documented files, in the documented order', async () => {
    expect((await entriesOf(sample.built.bytes)).map((e) => e.name)).toEqual([...PACKAGE_FILES]);
    expect(Object.keys(sample.built.files)).toEqual(expect.arrayContaining([...PACKAGE_FILES]));
  });

  it('the manifest is an in-toto Statement v1 over every other file', () => {
    const statement = JSON.parse(text(sample.built.files['manifest.intoto.json']!));
    expect(statement._type).toBe(STATEMENT_TYPE);
    expect(statement.predicateType).toBe(PREDICATE_TYPE);
    expect(statement.subject).toEqual(SUBJECT_FILES.map((name) => ({ name, digest: { sha256: sha256Hex(sample.built.files[name]!) } })));
    const p = statement.predicate;
    expect(p.campaign).toMatchObject({
      id: sample.input.campaign.id,
      name: sample.input.campaign.name,
      scope: sample.input.campaign.scope,
    });
    expect(p.counts.items).toBe(40);
    expect(p.policyDigest).toBe(sample.input.policy.digest);
    expect(p.policyDigest).toBe(`sha256:${sha256Hex(canonicalJson(JSON.parse(text(sample.built.files['policy.json']!))))}`);
    expect(p.auditChain).toEqual({ head: sample.input.auditEvents.at(-1)!.hash, length: sample.input.auditEvents.length });
    expect(p.importEvidence.map((e: { name: string }) => e.name)).toEqual(['identities.csv', 'entitlements.csv', 'assignments.csv']);
    expect(p.reviewers.map((r: { id: string; fingerprint: string }) => [r.id, r.fingerprint])).toEqual(
      sample.signers.map((s, i) => [PEOPLE[i]!.id, s.fingerprint]),
    );
    expect(p.signers.map((s: { keyid: string; reviewerId: string }) => [s.keyid, s.reviewerId])).toEqual([
      ['alice-2026', 'alice'],
      ['bob-2026', 'bob'],
    ]);
  });

  it('the envelope is DSSE: payload = the statement bytes, one Ed25519 signature per signer over the PAE (checked with WebCrypto)', async () => {
    const envelope = JSON.parse(text(sample.built.files['manifest.dsse.json']!)) as DsseEnvelope;
    expect(envelope.payloadType).toBe(DSSE_PAYLOAD_TYPE);
    const payload = fromBase64(envelope.payload);
    expect(text(payload)).toBe(text(sample.built.files['manifest.intoto.json']!));
    const pae = preAuthEncoding(DSSE_PAYLOAD_TYPE, payload);
    expect(text(pae.subarray(0, 40))).toBe(`DSSEv1 ${DSSE_PAYLOAD_TYPE.length} ${DSSE_PAYLOAD_TYPE} ${payload.length} `.slice(0, 40));
    expect(envelope.signatures.map((s) => s.keyid)).toEqual(['alice-2026', 'bob-2026']);
    for (const [i, s] of envelope.signatures.entries()) {
      const key = await crypto.subtle.importKey(
        'raw',
        sample.signers[i]!.publicKey as Uint8Array<ArrayBuffer>,
        { name: 'Ed25519' },
        false,
        ['verify'],
      );
      expect(await crypto.subtle.verify('Ed25519', key, fromBase64(s.sig) as Uint8Array<ArrayBuffer>, pae as Uint8Array<ArrayBuffer>)).toBe(
        true,
      );
    }
  });

  it('PAE matches the DSSE specification example byte for byte', () => {
    expect(text(preAuthEncoding('http://example.com/HelloWorld', bytesOf('hello world')))).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('fingerprints are "SHA256:" + hex SHA-256 of the raw key', () => {
    const key = sample.signers[0]!.publicKey;
    expect(keyFingerprint(key)).toBe(`SHA256:${sha256Hex(key)}`);
    expect(keyFingerprint(key)).toMatch(/^SHA256:[0-9a-f]{64}$/);
  });

  it('decisions.csv keeps the suggestion and the human decision in separate columns', () => {
    const header = text(sample.built.files['decisions.csv']!).split('\r\n')[0]!.split(',');
    expect(header).toEqual(
      expect.arrayContaining([
        'suggested_action',
        'suggested_confidence',
        'suggested_decision_class',
        'suggested_signals',
        'decision_action',
        'decision_reviewer_id',
        'decision_at',
        'decision_rationale',
        'approver_id',
      ]),
    );
    expect(header.indexOf('suggested_action')).toBeLessThan(header.indexOf('decision_action'));
  });

  it('the remediation plan lists revocations, rotations and owner work per system', () => {
    const plan = JSON.parse(text(sample.built.files['remediation.json']!));
    expect(plan.schema).toBe('arw-remediation/v1');
    const kinds = new Set(plan.systems.flatMap((s: { actions: Array<{ kind: string }> }) => s.actions.map((a) => a.kind)));
    expect([...kinds]).toEqual(expect.arrayContaining(['revoke']));
    const systems = plan.systems.map((s: { system: string }) => s.system);
    expect(systems).toEqual([...systems].sort());
    const csv = text(sample.built.files['remediation.csv']!).trim().split('\r\n');
    expect(csv.length - 1).toBe(plan.systems.reduce((n: number, s: { actions: unknown[] }) => n + s.actions.length, 0));
  });
});

describe('certification package: determinism', () => {
  it('the same input and keys give the same bytes, file for file and archive for archive', async () => {
    const again = await buildCertificationPackage(sample.input, sample.signers);
    for (const name of PACKAGE_FILES) expect(sha256Hex(again.files[name]!), name).toBe(sha256Hex(sample.built.files[name]!));
    expect(sha256Hex(again.bytes)).toBe(sha256Hex(sample.built.bytes));
  });

  it('does not depend on the time zone (entry times are fixed DOS fields)', async () => {
    const before = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      const there = await buildCertificationPackage(sample.input, sample.signers);
      expect(sha256Hex(there.bytes)).toBe(sha256Hex(sample.built.bytes));
    } finally {
      process.env.TZ = before;
    }
  });
});

describe('certification package: completeness', () => {
  it('an incomplete campaign builds, and verifies as INCOMPLETE (not invalid) with every open item named', async () => {
    const open = await samplePackage({ items: 12, seed: 5, open: 3 }, sample.signers);
    const report = await verifyPackage(open.built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.verdict).toBe('incomplete');
    expect(report.reasons).toEqual([]);
    expect(report.checks.completeness).toBe(false);
    expect(report.checks.signatures && report.checks.files && report.checks.chain && report.checks.counts).toBe(true);
    const lastThree = open.input.items.slice(-3);
    expect(report.undecided.filter((u) => u.standing === 'open').map((u) => u.itemId)).toEqual(lastThree.map((i) => i.itemId));
    // Each is named by who and what, not by one repeated phrase.
    for (const item of lastThree)
      expect(report.undecided.find((u) => u.itemId === item.itemId)!.message).toContain(
        `${item.identity.displayName} — ${item.target!.name}`,
      );
    expect(new Set(report.undecided.map((u) => u.message)).size).toBe(report.undecided.length);
    expect(report.completeness).toMatchObject({ items: 12 });
    expect(report.counts.actual!.decided + report.counts.actual!.open).toBe(12);
  });

  it('an override without a rationale, a never-delegate item without one, and a self-approved step-up are each reported', async () => {
    const input = structuredClone(sample.input);
    const byClass = (c: string) => input.items.find((i) => i.suggestion?.decisionClass === c && i.decision?.acceptedSuggestion)!;
    const override = input.items.find((i) => i.decision && !i.decision.acceptedSuggestion && i.suggestion)!;
    const neverDelegate = byClass('never-delegate');
    const stepUp = byClass('step-up');
    // Record the flawed decisions in the log too, so the package is consistent and only completeness fails.
    const events = input.auditEvents;
    const append = (body: Parameters<typeof chainEvent>[1]) => appendSigned(events, body, sample.signers);
    const alice = { id: 'alice', name: PEOPLE[0]!.name, email: PEOPLE[0]!.email, keyFingerprint: input.reviewers[0]!.keyFingerprint };
    for (const item of [override, neverDelegate, stepUp]) {
      const decision = item.decision!;
      await append({
        campaignId: input.campaign.id,
        type: 'decision',
        at: '2026-11-01T10:00:00.000Z',
        actor: alice,
        itemId: item.itemId,
        action: decision.action,
        acceptedSuggestion: decision.acceptedSuggestion,
      });
      item.decision = { ...decision, reviewerId: 'alice', at: '2026-11-01T10:00:00.000Z', rationale: null, approver: null };
    }
    await append({
      campaignId: input.campaign.id,
      type: 'approval',
      at: '2026-11-01T10:05:00.000Z',
      actor: alice,
      itemId: stepUp.itemId,
      refersTo: events.at(-1)!.seq,
    });
    stepUp.decision = { ...stepUp.decision!, approver: { id: 'alice', at: '2026-11-01T10:05:00.000Z' } };
    const built = await buildCertificationPackage(input, sample.signers);
    const report = await verifyPackage(built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons.every((r) => r.check === 'completeness')).toBe(true);
    expect(report.completeness).toMatchObject({ overridesWithoutRationale: 1, neverDelegateWithoutRationale: 1, stepUpSelfApproved: 1 });
    expect(report.reasons.find((r) => r.itemId === stepUp.itemId)!.message).toMatch(/approved by its own reviewer/);
  });
});

describe('certification package: what the builder refuses', () => {
  it('a broken audit chain', async () => {
    const input = structuredClone(sample.input);
    input.auditEvents[3] = { ...input.auditEvents[3]!, rationale: 'edited after the fact' };
    await expect(buildCertificationPackage(input, sample.signers)).rejects.toThrow(/audit log is broken.*event 4/);
  });

  it('decisions the audit log does not support', async () => {
    const input = structuredClone(sample.input);
    input.items[0]!.decision = { ...input.items[0]!.decision!, action: input.items[0]!.decision!.action === 'keep' ? 'revoke' : 'keep' };
    await expect(buildCertificationPackage(input, sample.signers)).rejects.toThrow(/do not match the audit log/);
  });

  it('a reviewer with decisions who does not sign', async () => {
    await expect(buildCertificationPackage(sample.input, sample.signers.slice(0, 1))).rejects.toThrow(
      /must sign it, or .*; no signer for: bob/,
    );
  });

  it('a signer whose key does not match its signature', async () => {
    const other = await generateSigner('other');
    const lying = { ...sample.signers[0]!, sign: other.sign };
    await expect(buildCertificationPackage(sample.input, [lying, sample.signers[1]!])).rejects.toThrow(
      /its own public key does not verify/,
    );
  });

  it('a policy digest that is not the digest of the policy', async () => {
    const input = { ...sample.input, policy: { ...sample.input.policy, digest: `sha256:${'0'.repeat(64)}` } };
    await expect(buildCertificationPackage(input, sample.signers)).rejects.toThrow(/not the digest of the policy document/);
  });

  it('a countersignature by a key that is not a reviewer is allowed and listed without a reviewer', async () => {
    const owner = await generateSigner('campaign-owner');
    const built = await buildCertificationPackage(sample.input, [...sample.signers, owner]);
    const report = await verifyPackage(built.bytes);
    expect(report.verdict).toBe('valid');
    expect(report.signers.map((s) => s.reviewerId)).toEqual(['alice', 'bob', null]);
  });
});

describe('certification package: re-zipping is a change', () => {
  it('the same files in a re-written archive still verify when written by the package writer', async () => {
    const rebuilt = await rezip(await entriesOf(sample.built.bytes));
    expect((await verifyPackage(rebuilt)).verdict).toBe('valid');
  });

  it('one edited file, re-zipped, is named with its expected and actual digests', async () => {
    const entries = await entriesOf(sample.built.bytes);
    const csv = text(entries.find((e) => e.name === 'decisions.csv')!.bytes).replace('revoke', 'keep');
    const report = await verifyPackage(await rezip(replaceEntry(entries, 'decisions.csv', bytesOf(csv))));
    expect(report.verdict).toBe('invalid');
    expect(report.reasons).toEqual([expect.objectContaining({ check: 'files', file: 'decisions.csv' })]);
    expect(report.files.find((f) => f.name === 'decisions.csv')!.status).toBe('digest-mismatch');
  });
});

describe('certification package: sample reviewers', () => {
  it('the sample generator is seeded: the same seed gives the same items and chain head', async () => {
    const reviewers = sample.signers.map((s, i) => reviewerFor(s, PEOPLE[i]!));
    const a = sampleCertificationInput(reviewers, { items: 25, seed: 9 });
    const b = sampleCertificationInput(reviewers, { items: 25, seed: 9 });
    expect(a.auditEvents.at(-1)!.hash).toBe(b.auditEvents.at(-1)!.hash);
  });
});

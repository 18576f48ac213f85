// The certification package's OSCAL documents (oscal/assessment-results.json, oscal/poam.json): valid against NIST's
// official OSCAL 1.0.6 JSON schemas (vendored in test/fixtures/oscal-schemas), for the sample packages and for built
// campaigns with revocations, exceptions, owners, escalations, step-up approvals, open items, hostile text and none
// at all; deterministic UUIDs; and a package missing or altering them fails verification.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { installRuntimePrimitives, resetRuntimePrimitives, utf8 } from '../../shared/codec';
import {
  buildCertificationPackage,
  OSCAL_ASSESSMENT_RESULTS_FILE,
  OSCAL_POAM_FILE,
  PACKAGE_FILES,
  verifyPackage,
  type CertificationInput,
  type TrustedKey,
} from '../../shared/package';
import { serializeEnvelope, signEnvelope } from '../../shared/package/dsse-envelope';
import { trustedKeyEntry } from '../../shared/package/signing-keys';
import { OSCAL_UUID_NAMESPACE, oscalUuid } from '../../shared/package/oscal';
import { markupMultiline } from '../../shared/package/oscal/text';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody } from '../../shared/review/types';
import { signAuditEvents } from '../fixtures/packages/sample-campaign';
import { entriesOf, replaceEntry, rezip, samplePackage, text, type SamplePackage } from '../fixtures/packages/package-kit';

const SCHEMAS = join(__dirname, '..', 'fixtures', 'oscal-schemas');
const PACKAGES = join(__dirname, '..', 'fixtures', 'packages');

let validateAr: ValidateFunction;
let validatePoam: ValidateFunction;

function schemaErrors(validate: ValidateFunction, doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

interface Ar {
  'assessment-results': {
    uuid: string;
    metadata: { parties?: { uuid: string }[]; 'oscal-version': string };
    results: { observations?: Obs[]; findings?: Finding[]; props: { name: string; value: string }[] }[];
  };
}
interface Obs {
  uuid: string;
  props: { name: string; value: string }[];
  origins: { actors: { 'actor-uuid': string; 'role-id': string }[] }[];
  remarks?: string;
}
interface Finding {
  uuid: string;
  props: { name: string; value: string }[];
  'related-observations': { 'observation-uuid': string }[];
  target: { status: { state: string } };
}
interface Poam {
  'plan-of-action-and-milestones': {
    uuid: string;
    'poam-items': { uuid: string; title: string; props: { name: string; value: string }[] }[];
  };
}

const propOf = (x: { props: { name: string; value: string }[] }, name: string) => x.props.find((p) => p.name === name)?.value;

function documentsOf(files: Record<string, Uint8Array>): { ar: Ar; poam: Poam } {
  return { ar: JSON.parse(text(files[OSCAL_ASSESSMENT_RESULTS_FILE]!)) as Ar, poam: JSON.parse(text(files[OSCAL_POAM_FILE]!)) as Poam };
}

async function filesOf(bytes: Uint8Array): Promise<Record<string, Uint8Array>> {
  return Object.fromEntries((await entriesOf(bytes)).map((e) => [e.name, e.bytes]));
}

function expectValid(files: Record<string, Uint8Array>): { ar: Ar; poam: Poam } {
  const docs = documentsOf(files);
  expect(schemaErrors(validateAr, docs.ar), 'assessment results').toEqual([]);
  expect(schemaErrors(validatePoam, docs.poam), 'POA&M').toEqual([]);
  return docs;
}

/** Events re-chained after `change` edits their bodies (signatures dropped; signAuditEvents signs them again). */
function rechain(events: readonly AuditEvent[], change: (b: AuditEventBody) => AuditEventBody): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const { seq: _s, prevHash: _p, hash: _h, ...body } of events)
    out.push(chainEvent(out.at(-1) ?? null, JSON.parse(JSON.stringify(change(body as AuditEventBody))) as AuditEventBody));
  return out;
}

let sample: SamplePackage;
/** A campaign with every kind of outcome: revocations, rotations, an exception, an owner, escalations, open items. */
let mixed: {
  input: CertificationInput;
  files: Record<string, Uint8Array>;
  bytes: Uint8Array;
  exceptionItem: string;
  ownerItem: string;
  trustedKeys: TrustedKey[];
};

beforeAll(async () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  validateAr = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'oscal_assessment-results_schema.json'), 'utf8')) as object);
  validatePoam = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'oscal_poam_schema.json'), 'utf8')) as object);

  sample = await samplePackage({ items: 40, seed: 11, open: 3, escalated: 2 });
  const input = structuredClone(sample.input);
  const keep = input.items.find(
    (i) => i.decision?.action === 'keep' && i.decision.acceptedSuggestion && i.suggestion?.decisionClass === 'suggest',
  )!;
  const other = input.items.find(
    (i) => i !== keep && i.decision && i.decision.action === 'revoke' && i.suggestion?.decisionClass === 'suggest',
  )!;
  // A rationale with Markdown, a line break, a control character and spaces at its ends.
  const why = '  Kept for the *SAP* cutover <tests>\nthen removed (CHG-4410)\u0007  ';
  const events = rechain(input.auditEvents, (b) => {
    if (b.type !== 'decision') return b;
    if (b.itemId === keep.itemId && b.at === keep.decision!.at)
      return { ...b, keepUntil: '2027-03-31', rationale: why, reasonCategory: 'time-bound-exception', signature: undefined };
    if (b.itemId === other.itemId && b.at === other.decision!.at)
      return {
        ...b,
        action: 'assign-owner',
        acceptedSuggestion: false,
        ownerId: 'u1005',
        rationale: 'Ownership moves to Leila Haddad, who runs the reporting service',
        reasonCategory: 'owner-confirmed',
        signature: undefined,
      };
    return b;
  });
  keep.decision = { ...keep.decision!, keepUntil: '2027-03-31', rationale: why };
  other.decision = {
    ...other.decision!,
    action: 'assign-owner',
    acceptedSuggestion: false,
    ownerId: 'u1005',
    rationale: 'Ownership moves to Leila Haddad, who runs the reporting service',
  };
  input.campaign = { ...input.campaign, name: ' Q4 \u001b[2K review | _of_ [all] ', scope: 'Everything\r\nand more #1' };
  input.reviewers = input.reviewers.map((r, i) => (i === 1 ? { ...r, email: 'not an address' } : r));
  const signed = await signAuditEvents({ ...input, auditEvents: events }, sample.signers);
  const built = await buildCertificationPackage(signed, sample.signers);
  // Bob's key pinned as the person the package names (an address OSCAL cannot take is left out of the documents).
  const trustedKeys = sample.signers.map((s, i) =>
    trustedKeyEntry({ name: input.reviewers[i]!.name, email: input.reviewers[i]!.email! }, s.publicKey),
  );
  mixed = { input: signed, files: built.files, bytes: built.bytes, exceptionItem: keep.itemId, ownerItem: other.itemId, trustedKeys };
});

describe('the OSCAL documents validate against the official OSCAL 1.0.6 schemas', () => {
  it('the schemas are the vendored draft-07 files, and they catch a broken document', () => {
    for (const file of ['oscal_assessment-results_schema.json', 'oscal_poam_schema.json']) {
      const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as { $schema: string; $id: string };
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(schema.$id).toMatch(/^http:\/\/csrc\.nist\.gov\/ns\/oscal\/1\.0\.6\//);
    }
    const { ar, poam } = documentsOf(sample.built.files);
    const broken = structuredClone(ar);
    delete (broken['assessment-results'].results[0]!.observations![0] as Partial<Obs>).uuid;
    expect(schemaErrors(validateAr, broken).join('\n')).toMatch(/must have required property 'uuid'/);
    const badUuid = structuredClone(poam);
    badUuid['plan-of-action-and-milestones'].uuid = 'not-a-uuid';
    expect(schemaErrors(validatePoam, badUuid).join('\n')).toMatch(/must match pattern/);
  });

  it.each(['sample.arwpkg', 'sample-merged.arwpkg'])('the sample package %s carries both documents, valid', async (name) => {
    const files = await filesOf(new Uint8Array(readFileSync(join(PACKAGES, name))));
    const { ar, poam } = expectValid(files);
    expect(ar['assessment-results'].results[0]!.observations!.length).toBeGreaterThan(0);
    expect(poam['plan-of-action-and-milestones']['poam-items'].length).toBeGreaterThan(0);
  });

  it('a campaign with revocations, an exception, an owner, escalations, step-up approvals and open items', () => {
    const { ar, poam } = expectValid(mixed.files);
    const decided = mixed.input.items.filter((i) => i.decision);
    const result = ar['assessment-results'].results[0]!;
    // Each recorded decision an observation, in decisions.json's order, with its decider (and approver).
    expect(result.observations!.map((o) => o.uuid)).toEqual(
      decided.map((i) => oscalUuid('observation', mixed.input.campaign.id, i.itemId)),
    );
    expect(result.observations!.map((o) => propOf(o, 'decision'))).toEqual(decided.map((i) => i.decision!.action));
    expect(result.observations!.some((o) => propOf(o, 'decision') === 'cant-decide')).toBe(true);
    const approved = decided.filter((i) => i.decision!.approver);
    expect(approved.length).toBeGreaterThan(0);
    const parties = new Set(ar['assessment-results'].metadata.parties!.map((p) => p.uuid));
    for (const o of result.observations!) for (const a of o.origins[0]!.actors) expect(parties.has(a['actor-uuid'])).toBe(true);
    expect(result.observations!.filter((o) => o.origins[0]!.actors.some((a) => a['role-id'] === 'approver')).length).toBe(approved.length);
    // Each remediation of the plan a finding, not satisfied, tied to its observation; and a POA&M item naming it.
    const plan = JSON.parse(text(mixed.files['remediation.json']!)) as { systems: { actions: { kind: string; itemId: string }[] }[] };
    const actions = plan.systems.flatMap((s) => s.actions);
    expect(new Set(actions.map((a) => a.kind))).toEqual(new Set(['revoke', 'rotate', 'exception', 'assign-owner']));
    const findings = result.findings!;
    expect(findings.map((f) => propOf(f, 'remediation')).sort()).toEqual(actions.map((a) => a.kind).sort());
    const observationIds = new Set(result.observations!.map((o) => o.uuid));
    for (const f of findings) {
      expect(f.target.status.state).toBe('not-satisfied');
      expect(observationIds.has(f['related-observations'][0]!['observation-uuid'])).toBe(true);
    }
    const items = poam['plan-of-action-and-milestones']['poam-items'];
    expect(items.map((i) => propOf(i, 'remediation'))).toEqual(actions.map((a) => a.kind));
    const findingIds = new Set(findings.map((f) => f.uuid));
    for (const i of items) expect(findingIds.has(propOf(i, 'finding-uuid')!)).toBe(true);
    expect(
      propOf(
        items.find((i) => propOf(i, 'remediation') === 'exception')!,
        'until',
      ),
    ).toBe('2027-03-31');
    expect(
      propOf(
        items.find((i) => propOf(i, 'remediation') === 'assign-owner')!,
        'owner-id',
      ),
    ).toBe('u1005');
    // Open and escalated items are counted, not found: only final decisions are remediated.
    expect(propOf(result, 'open')).toBe(String(mixed.input.items.filter((i) => !i.decision || i.decision.action === 'cant-decide').length));
    // Every UUID once.
    const all = [...result.observations!.map((o) => o.uuid), ...findings.map((f) => f.uuid), ...items.map((i) => i.uuid), ...parties];
    expect(new Set(all).size).toBe(all.length);
  });

  it('hostile text becomes valid OSCAL strings and escaped Markdown, never raw control characters', () => {
    const ar = text(mixed.files[OSCAL_ASSESSMENT_RESULTS_FILE]!);
    expect(ar).not.toMatch(/\\u00(0[0-9a-f]|1[0-9a-f])/);
    const doc = JSON.parse(ar) as Ar & { 'assessment-results': { metadata: { title: string } } };
    expect(doc['assessment-results'].metadata.title).toBe('Access review: Q4 \\[2K review \\| \\_of\\_ \\[all\\]');
    const exception = doc['assessment-results'].results[0]!.observations!.find(
      (o) => o.uuid === oscalUuid('observation', mixed.input.campaign.id, mixed.exceptionItem),
    )!;
    expect(exception.remarks).toBe('Rationale: Kept for the \\*SAP\\* cutover \\<tests\\>\nthen removed (CHG-4410)');
  });

  it('an empty campaign: no observations or findings, and a POA&M that says nothing is to be done', async () => {
    const input: CertificationInput = { ...sample.input, items: [], auditEvents: sample.input.auditEvents.slice(0, 1) };
    const built = await buildCertificationPackage(input, sample.signers);
    const { ar, poam } = expectValid(built.files);
    expect(ar['assessment-results'].results[0]).not.toHaveProperty('observations');
    expect(ar['assessment-results'].results[0]).not.toHaveProperty('findings');
    expect(poam['plan-of-action-and-milestones']['poam-items'].map((i) => [i.title, propOf(i, 'remediation')])).toEqual([
      ['No remediation called for', 'none'],
    ]);
    expect((await verifyPackage(built.bytes, { trustedKeys: sample.trustedKeys })).reasons).toEqual([]);
  });
});

describe('deterministic UUIDs', () => {
  it('are SHA-256 over the fixed namespace and [kind, campaign, id], laid out as version 5 (checked against node:crypto)', () => {
    const ns = Buffer.from(OSCAL_UUID_NAMESPACE.replace(/-/g, ''), 'hex');
    const hash = createHash('sha256')
      .update(Buffer.concat([ns, Buffer.from(JSON.stringify(['observation', 'campaign-1', 'a:u1\u001fent-1']), 'utf8')]))
      .digest();
    hash[6] = (hash[6]! & 0x0f) | 0x50;
    hash[8] = (hash[8]! & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString('hex');
    expect(oscalUuid('observation', 'campaign-1', 'a:u1\u001fent-1')).toBe(
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    );
    expect(oscalUuid('finding', 'campaign-1', 'a:u1\u001fent-1')).not.toBe(oscalUuid('observation', 'campaign-1', 'a:u1\u001fent-1'));
  });

  it('follow that definition for any id (escapes, control characters, non-ASCII, lone surrogates), hashed natively or not', () => {
    const reference = (kind: string, campaign: string, id: string) => {
      const ns = Buffer.from(OSCAL_UUID_NAMESPACE.replace(/-/g, ''), 'hex');
      const hash = createHash('sha256')
        .update(Buffer.concat([ns, Buffer.from(utf8(JSON.stringify([kind, campaign, id])))]))
        .digest();
      hash[6] = (hash[6]! & 0x0f) | 0x50;
      hash[8] = (hash[8]! & 0x3f) | 0x80;
      const hex = hash.subarray(0, 16).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    const id = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', ':', '"', '\\', '\u001f', '\b', '\t', '\n', '\f', '\r', '\u0000', '\u007f', '/', ' ') }),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('a', '\ud800', '\udc00', 'é', '€', '\u001f') }),
      fc.string({ minLength: 300, maxLength: 700 }),
    );
    for (const native of [false, true]) {
      if (native) installRuntimePrimitives({ sha256Hex: (bytes) => createHash('sha256').update(bytes).digest('hex') });
      try {
        fc.assert(
          fc.property(id, (i) => {
            expect(oscalUuid('observation', 'campaign-1', i)).toBe(reference('observation', 'campaign-1', i));
          }),
          { numRuns: 100 },
        );
      } finally {
        resetRuntimePrimitives();
      }
    }
  });

  it('the same campaign gives the same documents, byte for byte, signed by other keys', async () => {
    const again = await buildCertificationPackage(mixed.input, sample.signers);
    expect(text(again.files[OSCAL_ASSESSMENT_RESULTS_FILE]!)).toBe(text(mixed.files[OSCAL_ASSESSMENT_RESULTS_FILE]!));
    expect(text(again.files[OSCAL_POAM_FILE]!)).toBe(text(mixed.files[OSCAL_POAM_FILE]!));
  });
});

describe('verification covers the OSCAL documents', () => {
  it('both are entries of the documented layout, subjects of the manifest, and verify', async () => {
    expect(PACKAGE_FILES.slice(-2)).toEqual([OSCAL_ASSESSMENT_RESULTS_FILE, OSCAL_POAM_FILE]);
    const report = await verifyPackage(mixed.bytes, { trustedKeys: mixed.trustedKeys });
    expect(report.reasons).toEqual([]);
    expect(report.files.filter((f) => f.name.startsWith('oscal/')).map((f) => [f.name, f.status])).toEqual([
      [OSCAL_ASSESSMENT_RESULTS_FILE, 'ok'],
      [OSCAL_POAM_FILE, 'ok'],
    ]);
  });

  it.each([OSCAL_ASSESSMENT_RESULTS_FILE, OSCAL_POAM_FILE])('a package without %s fails', async (name) => {
    const entries = (await entriesOf(mixed.bytes)).filter((e) => e.name !== name);
    const report = await verifyPackage(await rezip(entries), { trustedKeys: mixed.trustedKeys });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons.some((r) => r.check === 'files' && r.message === `${name} is missing from the package`)).toBe(true);
  });

  it('an altered document fails: by its digest, and (digests and signatures redone) by its content', async () => {
    const entries = await entriesOf(mixed.bytes);
    const cases: Array<[string, (t: string) => string, string]> = [
      [
        OSCAL_ASSESSMENT_RESULTS_FILE,
        (t) => t.replace('"state":"not-satisfied"', '"state":"satisfied"'),
        `${OSCAL_ASSESSMENT_RESULTS_FILE} is not the OSCAL assessment results the manifest and the decisions give`,
      ],
      [
        OSCAL_POAM_FILE,
        (t) => t.replace(/\n\{"uuid"[^\n]*\},?\n/, '\n'),
        `${OSCAL_POAM_FILE} is not the OSCAL plan of action the remediation plan gives`,
      ],
    ];
    for (const [file, change, message] of cases) {
      const original = text(entries.find((e) => e.name === file)!.bytes);
      const changed = change(original);
      expect(changed).not.toBe(original);
      const list = replaceEntry(entries, file, utf8(changed));
      const plain = await verifyPackage(await rezip(list), { trustedKeys: mixed.trustedKeys });
      expect(plain.files.find((f) => f.name === file)!.status).toBe('digest-mismatch');
      expect(plain.verdict).toBe('invalid');
      // Re-signed by the package's own signers with every digest right: only the content check can tell.
      const statement = JSON.parse(text(entries.find((e) => e.name === 'manifest.intoto.json')!.bytes)) as {
        subject: { name: string; digest: { sha256: string } }[];
      };
      for (const s of statement.subject)
        s.digest.sha256 = createHash('sha256')
          .update(list.find((e) => e.name === s.name)!.bytes)
          .digest('hex');
      const payload = utf8(`${JSON.stringify(statement, null, 2)}\n`);
      const envelope = await signEnvelope(payload, sample.signers);
      const signed = replaceEntry(
        replaceEntry(list, 'manifest.intoto.json', payload),
        'manifest.dsse.json',
        utf8(serializeEnvelope(envelope)),
      );
      const report = await verifyPackage(await rezip(signed), { trustedKeys: mixed.trustedKeys });
      expect(report.reasons.map((r) => [r.check, r.message])).toEqual([['consistency', message]]);
    }
  });
});

describe('markup-multiline text', () => {
  // The rule as written before its one-line fast path: every text must come out the same.
  const reference = (text: string) => {
    const lines = text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ')
      .split('\n')
      .map((l) => l.trim());
    const joined = lines.join('\n').trim();
    return (/[\\`*_[\]<>#|~]/.test(joined) ? joined.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`) : joined) || '(none)';
  };

  it('is the same for one-line texts and texts with breaks, control characters, edge spaces and markup', () => {
    const unit = fc.constantFrom('a', ' ', '\u00a0', '\t', '\n', '\r', '\u0085', '\u2028', '*', '#', 'é', '\u0000', '\u007f');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), (text) => {
        expect(markupMultiline(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });
});

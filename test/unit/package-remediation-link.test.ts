// A revoke of inherited access names the link to cut (recorded in the decision event's details.remediation) in
// decisions.json, remediation.json / .csv and the OSCAL POA&M; the package verifies, and a plan without such a
// link keeps the columns it always had.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildCertificationPackage,
  OSCAL_POAM_FILE,
  verifyPackage,
  type BuiltPackage,
  type CertificationInput,
} from '../../shared/package';
import { itemFitsShape } from '../../shared/package/package-documents';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody } from '../../shared/review/types';
import type { RemediationLink } from '../../shared/review';
import { signAuditEvents } from '../fixtures/packages/sample-campaign';
import { samplePackage, text, type SamplePackage } from '../fixtures/packages/package-kit';

const LINK: RemediationLink = {
  kind: 'group-link',
  member: 'cn=finance-all,ou=groups,dc=example,dc=com',
  group: 'cn=erp-payments-approve,ou=groups,dc=example,dc=com',
  entitlement: 'cn=erp-payments-approve,ou=groups,dc=example,dc=com',
  blastRadius: { identities: 2, entitlements: 1 },
  memberName: 'finance-all',
  groupName: 'erp-payments-approve',
};

function rechain(events: readonly AuditEvent[], change: (b: AuditEventBody) => AuditEventBody): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const { seq: _s, prevHash: _p, hash: _h, ...body } of events)
    out.push(chainEvent(out.at(-1) ?? null, JSON.parse(JSON.stringify(change(body as AuditEventBody))) as AuditEventBody));
  return out;
}

let sample: SamplePackage;
let input: CertificationInput;
let built: BuiltPackage;
let itemId: string;

beforeAll(async () => {
  sample = await samplePackage({ items: 30, seed: 11 });
  const copy = structuredClone(sample.input);
  const revoke = copy.items.find((i) => i.decision?.action === 'revoke' && i.suggestion?.decisionClass === 'suggest')!;
  itemId = revoke.itemId;
  const events = rechain(copy.auditEvents, (b) =>
    b.type === 'decision' && b.itemId === revoke.itemId && b.at === revoke.decision!.at
      ? { ...b, details: { remediation: LINK }, signature: undefined }
      : b,
  );
  revoke.decision = { ...revoke.decision!, remediation: LINK };
  input = await signAuditEvents({ ...copy, auditEvents: events }, sample.signers);
  built = await buildCertificationPackage(input, sample.signers);
});

describe('the remediation at the cut link in the package', () => {
  it('decisions.json and remediation.json carry the link; remediation.csv says where to cut', () => {
    const decisions = JSON.parse(text(built.files['decisions.json']!)) as {
      items: { itemId: string; decision: { remediation?: RemediationLink } | null }[];
    };
    expect(decisions.items.find((i) => i.itemId === itemId)!.decision!.remediation).toEqual(LINK);
    const plan = JSON.parse(text(built.files['remediation.json']!)) as {
      systems: { actions: { itemId: string; link?: RemediationLink }[] }[];
    };
    const actions = plan.systems.flatMap((s) => s.actions);
    expect(actions.find((a) => a.itemId === itemId)!.link).toEqual(LINK);
    expect(actions.filter((a) => a.link)).toHaveLength(1);
    const csv = text(built.files['remediation.csv']!).split(/\r?\n/);
    expect(csv[0]).toMatch(/,cut_link$/);
    expect(csv.find((l) => l.includes(itemId))).toContain(
      'remove finance-all from erp-payments-approve (the group link; 2 identities, 1 entitlement lose access through it)',
    );
  });

  it('the POA&M item names the link, and stays valid OSCAL', () => {
    const poam = JSON.parse(text(built.files[OSCAL_POAM_FILE]!)) as {
      'plan-of-action-and-milestones': { 'poam-items': { description: string; props: { name: string; value: string }[] }[] };
    };
    const items = poam['plan-of-action-and-milestones']['poam-items'];
    const cut = items.filter((i) => i.props.some((p) => p.name === 'remediation-link'));
    expect(cut).toHaveLength(1);
    expect(cut[0]!.description).toContain('Carry it out at the link: remove finance-all from erp-payments-approve');
    expect(cut[0]!.props.find((p) => p.name === 'link-member')!.value).toBe(LINK.member);
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'oscal-schemas', 'oscal_poam_schema.json'), 'utf8')) as object,
    );
    expect(validate(poam), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('the package verifies; a plan without a cut link has no cut_link column', async () => {
    expect((await verifyPackage(built.bytes, { trustedKeys: sample.trustedKeys })).reasons).toEqual([]);
    expect(text(sample.built.files['remediation.csv']!).split(/\r?\n/)[0]).not.toContain('cut_link');
    expect(text(sample.built.files['remediation.json']!)).not.toContain('"link"');
  });

  it('decisions.json refuses a malformed remediation link', () => {
    const decisions = JSON.parse(text(built.files['decisions.json']!)) as {
      items: { itemId: string; decision: Record<string, unknown> }[];
    };
    const item = decisions.items.find((i) => i.itemId === itemId)!;
    expect(itemFitsShape(item)).toBe(true);
    for (const bad of [
      { ...LINK, kind: 'everything' },
      { ...LINK, blastRadius: { identities: '2', entitlements: 1 } },
      { ...LINK, extra: 1 },
    ]) {
      expect(itemFitsShape({ ...item, decision: { ...item.decision, remediation: bad } })).toBe(false);
    }
  });
});

// The certification package built from the owner's merge, with real WebCrypto Ed25519 keys: signed by every
// reviewer (on their own laptops, or collected by the owner), or by the owner alone with the decision sets embedded;
// forged and altered packages are caught.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCertificationPackage, verifyPackage, type PackageSigner } from '../../shared/package';
import {
  assembleCertificationPackage,
  certificationSignatureRequest,
  checkSignatureRequest,
  signCertificationRequest,
  mergeDecisionSets,
  verifyDecisionSet,
  verifyCertificationPackage,
  type MergeResult,
} from '../../shared/exchange';
import type { AuditEvent } from '../../shared/review/types';
import { bytesOf, entriesOf, replaceEntry, rezip, text } from '../fixtures/packages/package-kit';
import { exchangeFlow, forgeAliceDecision, type ExchangeFlow, type FullCampaign } from './exchange-flow-setup';

let kit: ExchangeFlow['kit'];

describe('merge', () => {
  let flow: FullCampaign;
  let merged: MergeResult;
  beforeAll(async () => {
    const setup = await exchangeFlow();
    kit = setup.kit;
    flow = await setup.fullCampaign();
    merged = await mergeDecisionSets(kit.campaign, flow.workPackages, flow.decisionSets, { trustedKeys: kit.trustedKeys });
  });

  describe('the certification package from the merge', () => {
    let pkg: Uint8Array;
    let signers: PackageSigner[];
    beforeAll(async () => {
      signers = [...merged.signersNeeded.map((id) => kit.signers.get(id)!), kit.owner];
      pkg = (await buildCertificationPackage(merged.certificationInput, signers)).bytes;
    });

    it('verifies, signed by every reviewer and countersigned by the owner (a signer who is no reviewer)', async () => {
      const r = await verifyPackage(pkg, { trustedKeys: kit.trustedKeys });
      expect(r.reasons).toEqual([]);
      expect(r.verdict).toBe('valid');
      expect(r.signers.map((s) => [s.keyid, s.reviewerId, s.pinned])).toEqual([
        ['alice-2026', 'alice', true],
        ['bob-2026', 'bob', true],
        ['carol-2026', 'carol', true],
        ['olivia-2026', null, true],
      ]);
      expect(r.counts.actual!.open).toBe(0);
      expect(r.counts.actual!.stepUpApproved).toBeGreaterThan(0);
    });

    it("its audit log carries each event's provenance: decision set digest, signer, signature, original seq and hash", async () => {
      const log = text((await entriesOf(pkg)).find((e) => e.name === 'audit-log.jsonl')!.bytes)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditEvent);
      const byDigest = new Map(
        flow.decisionSets.map((_, i) => [i < 2 ? flow.sets[i]!.statementDigest : flow.approvalSet.statementDigest, i]),
      );
      const verified = await Promise.all(flow.decisionSets.map((b) => verifyDecisionSet(b, { trustedKeys: kit.trustedKeys })));
      for (const e of log) {
        const from = e.details!.provenance as { decisionSet: string; seq: number; hash: string; signature: string };
        const set = verified[byDigest.get(from.decisionSet)!]!;
        expect(set.signature).toBe(from.signature);
        const original = set.events.find((x) => x.seq === from.seq)!;
        expect(original.hash).toBe(from.hash);
        expect([original.type, original.itemId, original.action, original.actor]).toEqual([e.type, e.itemId, e.action, e.actor]);
      }
    });

    it('fails after a decision set inside it is altered (its provenance, or a decision from it)', async () => {
      const entries = await entriesOf(pkg);
      const log = text(entries.find((e) => e.name === 'audit-log.jsonl')!.bytes);
      const otherDigest = `sha256:${'0'.repeat(64)}`;
      const swapped = log.replace(/"decisionSet":"sha256:[0-9a-f]{64}"/, `"decisionSet":"${otherDigest}"`);
      expect(swapped).not.toBe(log);
      const r = await verifyPackage(await rezip(replaceEntry(entries, 'audit-log.jsonl', bytesOf(swapped))), {
        trustedKeys: kit.trustedKeys,
      });
      expect(r.verdict).toBe('invalid');
      expect(r.reasons.map((x) => x.check)).toEqual(expect.arrayContaining(['files', 'chain']));
      const flipped = log.replace('"action":"revoke"', '"action":"keep"');
      const r2 = await verifyPackage(await rezip(replaceEntry(entries, 'audit-log.jsonl', bytesOf(flipped))), {
        trustedKeys: kit.trustedKeys,
      });
      expect(r2.verdict).toBe('invalid');
    });

    it('multi-laptop signing: each reviewer checks the request against their own sets and signs; the owner assembles the same package', async () => {
      const remote = signers.map((x) => ({ keyId: x.keyId, publicKey: x.publicKey }));
      const request = await certificationSignatureRequest(merged.certificationInput, remote);
      const mySets = await Promise.all(flow.decisionSets.map((b) => verifyDecisionSet(b, { trustedKeys: kit.trustedKeys })));
      const signatures = new Map<string, string>();
      for (const id of merged.signersNeeded) {
        const check = await checkSignatureRequest(request, kit.people.get(id)!, mySets);
        expect(check).toMatchObject({ ok: true });
        signatures.set(`${id}-2026`, await signCertificationRequest(request, kit.signers.get(id)!));
      }
      const assembled = await assembleCertificationPackage(merged.certificationInput, remote, signatures, kit.owner);
      expect((await verifyPackage(assembled.bytes, { trustedKeys: kit.trustedKeys })).verdict).toBe('valid');
      expect(Buffer.from(assembled.bytes).equals(Buffer.from(pkg))).toBe(true);
      await expect(
        assembleCertificationPackage(merged.certificationInput, remote, new Map([...signatures].slice(1)), kit.owner),
      ).rejects.toThrow(/no signature collected/);
    });

    it('a reviewer refuses to sign a request that attributes to them a decision they did not make', async () => {
      const { input } = forgeAliceDecision(merged);
      const remote = signers.map((x) => ({ keyId: x.keyId, publicKey: x.publicKey }));
      const request = await certificationSignatureRequest(input, remote);
      const mySets = await Promise.all(flow.decisionSets.map((b) => verifyDecisionSet(b, { trustedKeys: kit.trustedKeys })));
      const check = await checkSignatureRequest(request, kit.people.get('alice')!, mySets);
      expect(check.ok).toBe(false);
      expect(check.ok ? [] : check.problems).toEqual([
        expect.stringContaining('is attributed to you but is not an event of your decision sets'),
      ]);
      expect((await checkSignatureRequest(request, kit.people.get('bob')!, mySets)).ok).toBe(true);
    });

    describe("with the decision sets embedded: signed by the owner alone, each decision proven by its reviewer's own signature", () => {
      let ownerOnly: Uint8Array;
      beforeAll(async () => {
        ownerOnly = (await buildCertificationPackage(merged.certificationInput, [kit.owner])).bytes;
      });

      it('verifies, every reviewer proven by an embedded set they signed, every event traced', async () => {
        const r = await verifyCertificationPackage(ownerOnly, { trustedKeys: kit.trustedKeys });
        expect(r.reasons).toEqual([]);
        expect(r.verdict).toBe('valid');
        expect(r.signers.map((s) => [s.keyid, s.reviewerId])).toEqual([['olivia-2026', null]]);
        const names = (await entriesOf(ownerOnly)).map((e) => e.name);
        expect(names.filter((n) => n.startsWith('decision-sets/'))).toEqual(
          [...names.filter((n) => n.startsWith('decision-sets/'))].sort(),
        );
        expect(r.embeddedSets.map((s) => [s.reviewerId, s.verdict, s.pinned])).toEqual(
          expect.arrayContaining([
            ['alice', 'valid', true],
            ['bob', 'valid', true],
            ['carol', 'valid', true],
          ]),
        );
        expect(r.embeddedSets.reduce((n, s) => n + s.events, 0)).toBe(merged.auditEvents.length);
        expect(r.statement!.predicate.decisionSets).toHaveLength(merged.accepted.length);
      });

      it('fails where the embedded sets are not checked, naming the reviewers who did not sign', async () => {
        const r = await verifyPackage(ownerOnly, { trustedKeys: kit.trustedKeys });
        expect(r.verdict).toBe('invalid');
        expect(r.reasons.map((x) => x.message).join(' ')).toMatch(
          /reviewer alice decided or approved \d+ item\(s\) but neither signed the package nor has every event proven/,
        );
        expect(r.warnings.map((x) => x.message).join(' ')).toMatch(/embeds 3 decision set\(s\), which this verifier cannot check/);
      });

      it('the owner alone cannot sign decisions that no embedded set proves', async () => {
        const { decisionSets: _sets, ...bare } = merged.certificationInput;
        await expect(buildCertificationPackage(bare, [kit.owner])).rejects.toThrow(/no signer for: alice, bob, carol/);
      });

      it("an owner who alters a reviewer's decision and signs again is caught: the event is not the one the reviewer signed", async () => {
        const { input, victim, events } = forgeAliceDecision(merged);
        const forged = (await buildCertificationPackage(input, [kit.owner])).bytes;
        const r = await verifyCertificationPackage(forged, { trustedKeys: kit.trustedKeys });
        expect(r.verdict).toBe('invalid');
        const messages = r.reasons.map((x) => x.message).join('\n');
        expect(messages).toMatch(
          new RegExp(`audit event ${victim + 1} \\(${events[victim]!.itemId}\\) is not event \\d+ of the decision set it names`),
        );
        expect(messages).toMatch(/reviewer alice decided or approved .* neither signed the package/);
        expect(messages).not.toMatch(/reviewer bob/);
      });

      it('fails after an embedded decision set is altered, removed or left unlisted', async () => {
        const entries = await entriesOf(ownerOnly);
        const set = entries.find((e) => e.name.startsWith('decision-sets/'))!;
        const altered = Uint8Array.from(set.bytes);
        altered[Math.floor(altered.length / 2)]! ^= 0x01;
        const r = await verifyCertificationPackage(await rezip(replaceEntry(entries, set.name, altered)), { trustedKeys: kit.trustedKeys });
        expect(r.verdict).toBe('invalid');
        expect(r.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'files', file: set.name })]));
        const removed = await verifyCertificationPackage(await rezip(entries.filter((e) => e !== set)), { trustedKeys: kit.trustedKeys });
        expect(removed.verdict).toBe('invalid');
        expect(removed.reasons.map((x) => x.message).join(' ')).toMatch(/neither signed the package/);
        const extra = { name: `decision-sets/${'a'.repeat(64)}.arwdec`, bytes: set.bytes };
        const added = await verifyCertificationPackage(await rezip([...entries, extra]), { trustedKeys: kit.trustedKeys });
        expect(added.reasons.map((x) => x.message).join(' ')).toMatch(/a decision set the manifest does not list/);
      });

      it('a reviewer key missing from the trust list fails trust for their embedded set', async () => {
        const r = await verifyCertificationPackage(ownerOnly, { trustedKeys: kit.trustedKeys.filter((k) => k.name !== 'Bob Reviewer') });
        expect(r.verdict).toBe('invalid');
        expect(r.reasons).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ check: 'trust', message: expect.stringMatching(/embedded decision set .*not in the trust list/) }),
          ]),
        );
      });
    });

    it('a partial merge builds too, with the open items named, and verification says they are open', async () => {
      const partial = await mergeDecisionSets(kit.campaign, flow.workPackages.slice(0, 2), flow.decisionSets.slice(0, 2), {
        trustedKeys: kit.trustedKeys,
      });
      expect(partial.openItems.length).toBeGreaterThan(0);
      const built = await buildCertificationPackage(partial.certificationInput, [
        ...partial.signersNeeded.map((id) => kit.signers.get(id)!),
        kit.owner,
      ]);
      const r = await verifyPackage(built.bytes, { trustedKeys: kit.trustedKeys });
      expect(r.checks.signatures).toBe(true);
      expect(r.checks.chain).toBe(true);
      expect(r.checks.consistency).toBe(true);
      expect(r.checks.completeness).toBe(false);
      expect(r.completeness!.stepUpWithoutApprover).toBe(partial.openItems.filter((o) => o.reason === 'awaiting-approval').length);
    });
  });
});

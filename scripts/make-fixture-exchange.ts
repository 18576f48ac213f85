// Writes a small valid work package, the decision set that answers it, and a certification package merged from a
// whole campaign across laptops (decision sets embedded), beside the sample certification package:
//   test/fixtures/packages/sample-work-package.arwwork      (owner Olivia → reviewer Alice, 12 items)
//   test/fixtures/packages/sample-decision-set.arwdec       (Alice's answer: 8 items decided, 4 left)
//   test/fixtures/packages/sample-merged.arwpkg             (Alice and Bob review, Carol approves the step-up items;
//                                                            signed by Olivia alone, the three decision sets inside)
//   test/fixtures/packages/trusted-keys.json                (every public key of every sample)
// so anyone can try:
//   npm run cli -- verify test/fixtures/packages/sample-work-package.arwwork --trust test/fixtures/packages/trusted-keys.json
//   npm run cli -- verify test/fixtures/packages/sample-decision-set.arwdec --trust test/fixtures/packages/trusted-keys.json --against test/fixtures/packages/sample-work-package.arwwork
//   npm run cli -- verify test/fixtures/packages/sample-merged.arwpkg --trust test/fixtures/packages/trusted-keys.json
// Run: npx tsx scripts/make-fixture-exchange.ts
// trusted-keys.json keeps the keys scripts/make-fixture-package.ts wrote for sample.arwpkg and adds these, so this one
// file verifies every sample; run this script again after that one.
// Fresh Ed25519 keys are generated non-extractable in WebCrypto on each run; only public keys are written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  approvalWorkItems,
  buildDecisionSet,
  buildWorkPackage,
  mergeDecisionSets,
  splitCampaign,
  verifyCertificationPackage,
  verifyDecisionSet,
  verifyWorkPackage,
} from '../shared/exchange';
import { buildCertificationPackage } from '../shared/package';
import { approvalEvents, exchangeKit, reviewEvents } from '../test/fixtures/packages/sample-work-package.kit';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'test', 'fixtures', 'packages');

const kit = await exchangeKit({ items: 24, seed: 2026 });
const input = splitCampaign(kit.campaign, '2026-10-04T09:00:00.000Z', kit.people).find((w) => w.reviewer.id === 'alice')!;
const wp = await buildWorkPackage(input, kit.owner);
const wpReport = await verifyWorkPackage(wp.bytes, { trustedKeys: kit.trustedKeys });
if (wpReport.verdict !== 'valid') throw new Error(`the work package does not verify: ${wpReport.reasons.map((r) => r.message).join('; ')}`);
const predicate = wpReport.statement!.predicate;
const events = reviewEvents({ predicate, items: wpReport.items }, kit.refs.get('alice')!, { decide: 8 });
const set = await buildDecisionSet(
  {
    workPackage: { statementDigest: wpReport.statementDigest!, predicate, items: wpReport.items },
    reviewer: kit.people.get('alice')!,
    createdAt: '2026-10-06T17:00:00.000Z',
    events,
  },
  kit.signers.get('alice')!,
);
const setReport = await verifyDecisionSet(set.bytes, { trustedKeys: kit.trustedKeys, workPackage: wp.bytes });
if (setReport.verdict !== 'valid')
  throw new Error(`the decision set does not verify: ${setReport.reasons.map((r) => r.message).join('; ')}`);

writeFileSync(join(out, 'sample-work-package.arwwork'), wp.bytes);
writeFileSync(join(out, 'sample-decision-set.arwdec'), set.bytes);

// A whole campaign across laptops: every review package answered in full, the step-up items approved by Carol,
// merged, and certified by the owner alone with the decision sets embedded.
const all = splitCampaign(kit.campaign, '2026-10-04T09:00:00.000Z', kit.people);
const wps = await Promise.all(all.map((i) => buildWorkPackage(i, kit.owner)));
const answer = async (
  bytes: Uint8Array,
  make: (r: Awaited<ReturnType<typeof verifyWorkPackage>>) => ReturnType<typeof reviewEvents>,
  createdAt: string,
) => {
  const r = await verifyWorkPackage(bytes, { trustedKeys: kit.trustedKeys });
  const p = r.statement!.predicate;
  return buildDecisionSet(
    {
      workPackage: { statementDigest: r.statementDigest!, predicate: p, items: r.items },
      reviewer: kit.people.get(p.reviewer.id)!,
      createdAt,
      events: make(r),
    },
    kit.signers.get(p.reviewer.id)!,
  );
};
const sets = await Promise.all(
  wps.map((w) =>
    answer(
      w.bytes,
      (r) => reviewEvents({ predicate: r.statement!.predicate, items: r.items }, kit.refs.get(r.statement!.predicate.reviewer.id)!),
      '2026-10-06T17:00:00.000Z',
    ),
  ),
);
const first = await mergeDecisionSets(
  kit.campaign,
  wps.map((w) => w.bytes),
  sets.map((s) => s.bytes),
  { trustedKeys: kit.trustedKeys },
);
const carol = kit.people.get('carol')!;
const approvalWp = await buildWorkPackage(
  {
    kind: 'approval',
    id: `${kit.campaign.info.id}/carol/approval/1`,
    issuedAt: '2026-10-07T09:00:00.000Z',
    campaign: kit.campaign.info,
    owner: kit.campaign.owner,
    reviewer: carol,
    policy: kit.campaign.policy,
    sources: kit.campaign.sources,
    engineVersion: kit.campaign.engineVersion,
    items: approvalWorkItems(kit.campaign, first, carol.fingerprint),
  },
  kit.owner,
);
const approvalSet = await answer(
  approvalWp.bytes,
  (r) => approvalEvents({ predicate: r.statement!.predicate, items: r.items }, kit.refs.get('carol')!),
  '2026-10-08T17:00:00.000Z',
);
const merged = await mergeDecisionSets(
  kit.campaign,
  [...wps.map((w) => w.bytes), approvalWp.bytes],
  [...sets.map((s) => s.bytes), approvalSet.bytes],
  { trustedKeys: kit.trustedKeys },
);
if (merged.openItems.length || merged.rejected.length)
  throw new Error(`the merge is not complete: ${merged.openItems.length} open, ${merged.rejected.length} rejected`);
const certified = await buildCertificationPackage(merged.certificationInput, [kit.owner]);
const certifiedReport = await verifyCertificationPackage(certified.bytes, { trustedKeys: kit.trustedKeys });
if (certifiedReport.verdict !== 'valid')
  throw new Error(`the merged package does not verify: ${certifiedReport.reasons.map((r) => r.message).join('; ')}`);
writeFileSync(join(out, 'sample-merged.arwpkg'), certified.bytes);

const packageKeysPath = join(out, 'trusted-keys.json');
const packageKeys = existsSync(packageKeysPath)
  ? (JSON.parse(readFileSync(packageKeysPath, 'utf8')) as { keys: typeof kit.trustedKeys }).keys
  : [];
// sample.arwpkg's signers keep their keys; keys of earlier runs of this script are dropped.
const samplePackage = await verifyCertificationPackage(new Uint8Array(readFileSync(join(out, 'sample.arwpkg'))));
const sampleSigners = new Set(samplePackage.signers.map((s) => s.fingerprint));
const allKeys = [
  ...kit.trustedKeys,
  ...packageKeys.filter((k) => sampleSigners.has(k.fingerprint) && !kit.trustedKeys.some((m) => m.fingerprint === k.fingerprint)),
];
writeFileSync(packageKeysPath, `${JSON.stringify({ keys: allKeys }, null, 2)}\n`);
console.log(
  `wrote sample-work-package.arwwork (${wp.bytes.length} bytes, ${wpReport.items.length} items), sample-decision-set.arwdec (${set.bytes.length} bytes, ${events.length} events, ${setReport.itemsLeft} items left), sample-merged.arwpkg (${certified.bytes.length} bytes, ${certifiedReport.embeddedSets.length} decision sets embedded) and trusted-keys.json (${allKeys.map((k) => k.name).join(', ')})`,
);

// Writes a small valid work package and the decision set that answers it, beside the sample certification package:
//   test/fixtures/packages/sample-work-package.arwwork      (owner Olivia → reviewer Alice, 12 items)
//   test/fixtures/packages/sample-decision-set.arwdec       (Alice's answer: 8 items decided, 4 left)
//   test/fixtures/packages/sample-work-package.trusted-keys.json (the owner's and the reviewers' public keys)
// so anyone can try:
//   npm run cli -- verify test/fixtures/packages/sample-work-package.arwwork --trust test/fixtures/packages/sample-work-package.trusted-keys.json
//   npm run cli -- verify test/fixtures/packages/sample-decision-set.arwdec --trust test/fixtures/packages/sample-work-package.trusted-keys.json --against test/fixtures/packages/sample-work-package.arwwork
// Run: npx tsx scripts/make-fixture-exchange.ts
// The trusted-keys file written here also holds the keys of trusted-keys.json (the sample certification package's,
// as scripts/make-fixture-package.ts last wrote them), so this one file verifies all three samples; run this script
// again after that one.
// Fresh Ed25519 keys are generated non-extractable in WebCrypto on each run; only public keys are written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDecisionSet, buildWorkPackage, splitCampaign, verifyDecisionSet, verifyWorkPackage } from '../shared/exchange';
import { exchangeKit, reviewEvents } from '../test/fixtures/packages/sample-work-package.kit';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'test', 'fixtures', 'packages');

const kit = await exchangeKit({ items: 24, seed: 2026 });
const input = splitCampaign(kit.campaign, '2026-10-04T09:00:00.000Z', kit.people).find((w) => w.reviewer.id === 'alice')!;
const wp = await buildWorkPackage(input, kit.owner);
const wpReport = await verifyWorkPackage(wp.bytes, { trustedKeys: kit.trustedKeys });
if (wpReport.verdict !== 'valid') throw new Error(`the work package does not verify: ${wpReport.reasons.map((r) => r.message).join('; ')}`);
const predicate = wpReport.statement!.predicate;
const events = reviewEvents({ predicate, items: wpReport.items }, kit.refs.get('alice')!, { decide: 8 });
const set = await buildDecisionSet({ workPackage: { statementDigest: wpReport.statementDigest!, predicate, items: wpReport.items }, reviewer: kit.people.get('alice')!, createdAt: '2026-10-06T17:00:00.000Z', events }, kit.signers.get('alice')!);
const setReport = await verifyDecisionSet(set.bytes, { trustedKeys: kit.trustedKeys, workPackage: wp.bytes });
if (setReport.verdict !== 'valid') throw new Error(`the decision set does not verify: ${setReport.reasons.map((r) => r.message).join('; ')}`);

writeFileSync(join(out, 'sample-work-package.arwwork'), wp.bytes);
writeFileSync(join(out, 'sample-decision-set.arwdec'), set.bytes);
const packageKeysPath = join(out, 'trusted-keys.json');
const packageKeys = existsSync(packageKeysPath) ? (JSON.parse(readFileSync(packageKeysPath, 'utf8')) as { keys: typeof kit.trustedKeys }).keys : [];
const allKeys = [...kit.trustedKeys, ...packageKeys.filter((k) => !kit.trustedKeys.some((m) => m.fingerprint === k.fingerprint))];
writeFileSync(join(out, 'sample-work-package.trusted-keys.json'), `${JSON.stringify({ keys: allKeys }, null, 2)}\n`);
console.log(`wrote sample-work-package.arwwork (${wp.bytes.length} bytes, ${wpReport.items.length} items), sample-decision-set.arwdec (${set.bytes.length} bytes, ${events.length} events, ${setReport.itemsLeft} items left) and sample-work-package.trusted-keys.json (${allKeys.map((k) => k.name).join(', ')})`);

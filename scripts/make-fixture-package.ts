// Writes test/fixtures/packages/sample.arwpkg (a small valid certification package) and trusted-keys.json (the
// public keys that signed it), so anyone can try:
//   npm run cli -- verify test/fixtures/packages/sample.arwpkg --trust test/fixtures/packages/trusted-keys.json
// Run: npx tsx scripts/make-fixture-package.ts
// Fresh Ed25519 keys are generated non-extractable in WebCrypto for each run; only the public keys are written.
// Nothing private ever reaches the disk, so each run signs with new keys and rewrites both files.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCertificationPackage, trustedKeyEntry, verifyPackage } from '../shared/package';
import { signedSampleInput } from '../test/fixtures/packages/sample-campaign';
import { generateSigner, reviewerFor } from '../test/fixtures/packages/webcrypto-signer';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'test', 'fixtures', 'packages');

const people = [
  { id: 'alice', name: 'Alice Reviewer', email: 'alice@example.com' },
  { id: 'bob', name: 'Bob Approver', email: 'bob@example.com' },
];
const signers = [await generateSigner('alice-2026'), await generateSigner('bob-2026')];
// Every decision, undo and approval is signed by its reviewer's key as it is recorded.
const input = await signedSampleInput(
  signers.map((s, i) => reviewerFor(s, people[i]!)),
  { items: 24, seed: 2026 },
  signers,
);
const built = await buildCertificationPackage(input, signers);
const trustedKeys = signers.map((s, i) => trustedKeyEntry(people[i]!, s.publicKey));
const report = await verifyPackage(built.bytes, { trustedKeys });
if (report.verdict !== 'valid') throw new Error(`the fixture does not verify: ${report.reasons.map((r) => r.message).join('; ')}`);

writeFileSync(join(out, 'sample.arwpkg'), built.bytes);
writeFileSync(join(out, 'trusted-keys.json'), `${JSON.stringify({ keys: trustedKeys }, null, 2)}\n`);
console.log(
  `wrote ${join(out, 'sample.arwpkg')} (${built.bytes.length} bytes, ${input.items.length} items, ${input.auditEvents.length} audit events)`,
);
console.log(`wrote ${join(out, 'trusted-keys.json')}: ${trustedKeys.map((k) => `${k.name} ${k.fingerprint}`).join('; ')}`);

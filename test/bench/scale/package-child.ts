// Run by the scale stage in a child process (`node --import tsx`): N decided items exported and verified as the
// export and verify stages do it (Node runtime, report on a worker thread), one run each. A child, so running out
// of memory is reported as this step's figure instead of ending the whole bench. Prints one JSON line.
import { installNodeRuntime } from '../../../electron/cli/node-primitives';
import { buildCertificationPackageOnNode, verifyCertificationPackageOnNode } from '../../../electron/cli/node-runtime';
import { trustedKeyEntry } from '../../../shared/package/signing-keys';
import { sampleCertificationInput, signAuditEvents } from '../../fixtures/packages/sample-campaign';
import { generateSigner, reviewerFor } from '../../fixtures/packages/webcrypto-signer';

async function main(): Promise<void> {
  const items = Number(process.argv[2]);
  if (!(items > 0)) throw new Error('usage: package-child.ts ITEMS');
  const signers = [await generateSigner('reviewer-1'), await generateSigner('reviewer-2'), await generateSigner('reviewer-3')];
  const people = [
    { id: 'r1', name: 'Reviewer One' },
    { id: 'r2', name: 'Reviewer Two' },
    { id: 'r3', name: 'Reviewer Three' },
  ];
  const reviewers = signers.map((s, i) => reviewerFor(s, people[i]!));
  let started = performance.now();
  const input = await signAuditEvents(
    sampleCertificationInput(reviewers, { items, seed: 42 }),
    signers.map((s, i) => ({ fingerprint: reviewers[i]!.keyFingerprint, sign: (m: Uint8Array) => s.sign(m) })),
  );
  const generateSeconds = (performance.now() - started) / 1000;
  installNodeRuntime();
  started = performance.now();
  const built = await buildCertificationPackageOnNode(input, signers);
  const exportSeconds = (performance.now() - started) / 1000;
  const exportPeakMiB = process.resourceUsage().maxRSS / 1024;
  const trustedKeys = signers.map((s, i) => trustedKeyEntry({ name: input.reviewers[i]!.name }, s.publicKey));
  const bytes = built.bytes;
  started = performance.now();
  const report = await verifyCertificationPackageOnNode(bytes, { trustedKeys });
  const verifySeconds = (performance.now() - started) / 1000;
  if (report.verdict !== 'valid')
    throw new Error(
      `the package did not verify: ${report.reasons
        .slice(0, 3)
        .map((r) => r.message)
        .join('; ')}`,
    );
  process.stdout.write(
    `${JSON.stringify({ items: input.items.length, generateSeconds, exportSeconds, verifySeconds, archiveMiB: bytes.length / 1024 ** 2, exportPeakMiB, peakMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

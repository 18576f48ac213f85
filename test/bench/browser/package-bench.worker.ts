// In a Chromium worker, as the app's task worker runs them: build and sign a 100,000-item certification package,
// then verify it — with the app's second threads (entries compressed on a nested compression worker, the audit log
// analysed on a nested worker) or on this thread alone.
import { verifyCertificationPackage } from '../../../shared/exchange';
import { buildCertificationPackage } from '../../../shared/package';
import { startAuditLogThread } from '../../../renderer/workers/audit-log-client';
import { withCompressionThread } from '../../../renderer/workers/compression-client';
import { sampleCertificationInput, signAuditEvents } from '../../fixtures/packages/sample-campaign';
import { generateSigner, reviewerFor } from '../../fixtures/packages/webcrypto-signer';
import { trustedKeyEntry } from '../../../shared/package/signing-keys';

interface Request {
  items: number;
  runs: number;
}

interface Scope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
}

const scope = self as unknown as Scope;

scope.onmessage = ({ data }) => {
  run(data).then(
    (result) => scope.postMessage({ ok: true, result }),
    (error: unknown) =>
      scope.postMessage({ ok: false, error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
  );
};

async function run({ items, runs }: Request) {
  const signers = [await generateSigner('reviewer-1'), await generateSigner('reviewer-2'), await generateSigner('reviewer-3')];
  const people = [
    { id: 'r1', name: 'Reviewer One', email: 'one@example.com' },
    { id: 'r2', name: 'Reviewer Two', email: 'two@example.com' },
    { id: 'r3', name: 'Reviewer Three' },
  ];
  // Every decision signed by its reviewer when recorded, as the app does: the verifier checks each signature.
  const reviewers = signers.map((s, i) => reviewerFor(s, people[i]!));
  const input = await signAuditEvents(
    sampleCertificationInput(reviewers, { items, seed: 42 }),
    signers.map((s, i) => ({ fingerprint: reviewers[i]!.keyFingerprint, sign: (m: Uint8Array) => s.sign(m) })),
  );
  const trustedKeys = signers.map((s, i) => trustedKeyEntry({ name: input.reviewers[i]!.name }, s.publicKey));
  const exportThreads: number[] = [];
  const exportOne: number[] = [];
  const verifyThreads: number[] = [];
  const verifyOne: number[] = [];
  let archiveBytes = 0;
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    const built = await withCompressionThread(() => buildCertificationPackage(input, signers));
    exportThreads.push((performance.now() - t) / 1000);
    archiveBytes = built.bytes.length;
    t = performance.now();
    await buildCertificationPackage(input, signers);
    exportOne.push((performance.now() - t) / 1000);
    const thread = await startAuditLogThread();
    t = performance.now();
    const report = await withCompressionThread(() =>
      verifyCertificationPackage(built.bytes, { trustedKeys, analyzeAuditLog: thread.analyze }),
    );
    verifyThreads.push((performance.now() - t) / 1000);
    thread.close();
    if (report.verdict !== 'valid')
      throw new Error(
        `the package did not verify: ${report.reasons
          .slice(0, 3)
          .map((x) => x.message)
          .join('; ')}`,
      );
    t = performance.now();
    const alone = await verifyCertificationPackage(built.bytes, { trustedKeys });
    verifyOne.push((performance.now() - t) / 1000);
    if (alone.verdict !== 'valid') throw new Error('the package did not verify on one thread');
  }
  return {
    items: input.items.length,
    auditEvents: input.auditEvents.length,
    archiveBytes,
    exportThreads,
    exportOne,
    verifyThreads,
    verifyOne,
  };
}

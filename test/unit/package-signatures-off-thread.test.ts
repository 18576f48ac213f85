// Per-event signatures verified on Node's thread pool (EventSignatureCheck's offThread, as arw's audit-log worker
// reads a log): the other core verifies while the worker reads on. Whatever the log, the findings must be exactly
// those of checking each signature on the thread, in the same order, with real Ed25519 keys and signatures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNodeRuntime, NODE_PRIMITIVES } from '../../electron/cli/node-primitives';
import { installRuntimePrimitives, resetRuntimePrimitives } from '../../shared/codec/runtime-primitives';
import { writeAuditLog } from '../../shared/package/audit-chain-check';
import { analyzeAuditLog, type AuditLogContext } from '../../shared/package/audit-log-analysis';
import { readAuditLogChunks } from '../../shared/package/audit-log-stream';
import type { AuditEvent } from '../../shared/review/types';
import { sampleCertificationInput, signAuditEvents } from '../fixtures/packages/sample-campaign';
import { generateSigner, reviewerFor } from '../fixtures/packages/webcrypto-signer';

let events: AuditEvent[];
let context: AuditLogContext;
let offThreadCalls = 0;

beforeAll(async () => {
  const signers = [await generateSigner('k1'), await generateSigner('k2')];
  const reviewers = signers.map((s, i) => reviewerFor(s, { id: `r${i + 1}`, name: `Reviewer ${i + 1}` }));
  const input = await signAuditEvents(
    sampleCertificationInput(reviewers, { items: 400, seed: 3, open: 5 }),
    signers.map((s, i) => ({ fingerprint: reviewers[i]!.keyFingerprint, sign: (m: Uint8Array) => s.sign(m) })),
  );
  events = input.auditEvents;
  context = {
    campaignId: input.campaign.id,
    reviewers: input.reviewers.map((r) => ({ id: r.id, fingerprint: r.keyFingerprint, publicKey: r.publicKey })),
  };
  installNodeRuntime();
  installRuntimePrimitives({
    ed25519VerifyAsync: (sig, message, key) => {
      offThreadCalls++;
      return NODE_PRIMITIVES.ed25519VerifyAsync!(sig, message, key);
    },
  });
});

afterAll(() => resetRuntimePrimitives());

/** The log in pieces of `size` bytes, one per turn of the event loop, as the worker's inflation gives them. */
async function* pieces(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) {
    await new Promise((r) => setTimeout(r, 0));
    yield bytes.subarray(at, at + size);
  }
}

async function expectSameFindings(list: readonly AuditEvent[]) {
  const bytes = writeAuditLog(list).bytes;
  const onThread = analyzeAuditLog(bytes, context);
  const calls = offThreadCalls;
  const read = await readAuditLogChunks(bytes.length, pieces(bytes, 64 * 1024), context, undefined, { offThread: true });
  expect(offThreadCalls - calls).toBeGreaterThan(100);
  const offThread = read!.analysis.finish(bytes.length);
  expect(offThread).toStrictEqual(onThread);
  return onThread;
}

const signed = (e: AuditEvent) => e.signature !== undefined;

describe('signatures verified off the thread', () => {
  it('an intact log: no finding either way', async () => {
    const a = await expectSameFindings(events);
    expect(a.readable && a.signatureFindings).toStrictEqual([]);
  });

  it('signatures swapped, made of zeros, left out, or over a changed event: the same findings, in chain order', async () => {
    const list = events.map((e) => ({ ...e }));
    const at = list.map((e, i) => (signed(e) ? i : -1)).filter((i) => i >= 0);
    const [a, b, c, d] = [at[40]!, at[41]!, at[3]!, at[at.length - 2]!];
    [list[a]!.signature, list[b]!.signature] = [list[b]!.signature, list[a]!.signature];
    list[c] = { ...list[c]!, signature: { ...list[c]!.signature!, sig: btoa(String.fromCharCode(...new Uint8Array(64))) } };
    list[d] = { ...list[d]!, rationale: 'changed after it was signed' };
    // Found on the thread itself, between the failures found off it: each must keep its place.
    const { signature: _dropped, ...unsigned } = list[at[20]!]!;
    list[at[20]!] = unsigned as AuditEvent;
    const found = await expectSameFindings(list);
    const messages = found.readable ? found.signatureFindings!.map((f) => f.message) : [];
    expect(messages.join('\n')).toContain(`audit event ${list[at[20]!]!.seq} (`);
    for (const i of [a, b, c, d]) expect(messages.join('\n')).toContain(`audit event ${list[i]!.seq}:`);
    const seqs = messages.map((m) => Number(/^audit event (\d+)/.exec(m)?.[1]));
    expect(seqs).toStrictEqual([...seqs].sort((x, y) => x - y));
  });
});

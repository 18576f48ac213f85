// What the package-audit-log-*.test.ts files share: the older path that analyzeAuditLog replaces (readAuditLog →
// checkAuditChain / standingDecisions / the manifest's actor checks), the comparisons against it, and the sample
// campaign's audit log.
import { expect } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/codec/digest';
import { checkAuditChain, writeAuditLog } from '../../shared/package/audit-chain-check';
import {
  analyzeAuditLog,
  IncrementalAuditLogAnalysis,
  packAuditLogAnalysis,
  unpackAuditLogAnalysis,
  type AuditLogAnalysis,
  type AuditLogContext,
  type EventFinding,
} from '../../shared/package/audit-log-analysis';
import { EventSignatureCheck } from '../../shared/package/event-signatures';
import { standingDecisions } from '../../shared/package/decision-chain-consistency';
import { campaignBaselines } from '../../shared/package/baseline-link';
import { readAuditLog } from '../../shared/package/audit-log-reading';
import type { AuditEvent } from '../../shared/review/types';
import { sampleCertificationInput } from '../fixtures/packages/sample-campaign';
import { REVIEWERS } from '../fixtures/packages/audit-event-arbitraries';

// ---------------------------------------------------------------- the older path, as the verifier ran it

/** The actor checks verify-package.ts ran over the parsed events before this change (checkEventActors). */
function referenceActorFindings(events: readonly AuditEvent[], context: AuditLogContext): EventFinding[] {
  const reviewers = new Map(context.reviewers.map((r) => [r.id, r]));
  const findings: EventFinding[] = [];
  for (const e of events) {
    const itemId = e.itemId !== undefined ? e.itemId : `event ${e.seq}`;
    if (e.campaignId !== context.campaignId)
      findings.push({ message: `audit event ${e.seq} belongs to campaign ${e.campaignId}, not ${context.campaignId}`, itemId });
    const reviewer = reviewers.get(e.actor.id);
    if (!reviewer)
      findings.push({ message: `audit event ${e.seq} was recorded by ${e.actor.id}, who is not among the manifest's reviewers`, itemId });
    else if (reviewer.fingerprint !== e.actor.keyFingerprint)
      findings.push({ message: `audit event ${e.seq}: ${e.actor.id}'s key fingerprint differs from the manifest's`, itemId });
  }
  return findings;
}

function reference(bytes: Uint8Array, context: AuditLogContext | null): AuditLogAnalysis {
  const read = readAuditLog(bytes);
  if (!read.ok) return { readable: false, problems: read.problems };
  const { events, source } = read.value;
  // Per-event signatures and paces, checked over the whole parsed events.
  const signatures = new EventSignatureCheck(context?.reviewers ?? []);
  for (const e of events) signatures.check(e, () => e);
  return {
    readable: true,
    length: events.length,
    chain: checkAuditChain(events, source),
    actorFindings: context ? referenceActorFindings(events, context) : null,
    signatureFindings: context ? signatures.findings : null,
    pace: signatures.paces(),
    pendingSignatures: context ? signatures.pending : [],
    standing: standingDecisions(events),
    campaignBaselines: campaignBaselines(events).map((b) => b ?? null),
  };
}

/** analyzeAuditLog equals the older path (Map entries in the same order too), and survives pack/unpack exactly. */
export function expectSameAsReference(bytes: Uint8Array, context: AuditLogContext | null): AuditLogAnalysis {
  const analysis = analyzeAuditLog(bytes, context);
  const expected = reference(bytes, context);
  expect(analysis).toStrictEqual(expected);
  if (analysis.readable && expected.readable) expect([...analysis.standing]).toStrictEqual([...expected.standing]);
  expectRoundTrip(analysis);
  // The same, given a piece at a time (as the file inflates), whatever the pieces.
  for (const piece of [1, 97, 4096])
    if (piece > 1 || bytes.length < 4000) expectSameAnalysis(incrementally(bytes, context, evenCuts(bytes.length, piece)), analysis);
  return analysis;
}

export function expectSameAnalysis(actual: AuditLogAnalysis, expected: AuditLogAnalysis): void {
  expect(actual).toStrictEqual(expected);
  if (actual.readable && expected.readable) expect([...actual.standing]).toStrictEqual([...expected.standing]);
}

/** Where pieces of `size` bytes end. */
export function evenCuts(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let at = size; at < length; at += size) cuts.push(at);
  return cuts;
}

/** The analysis of `bytes` as they arrive, the file being whole up to each cut in turn. */
export function incrementally(bytes: Uint8Array, context: AuditLogContext | null, cuts: readonly number[]): AuditLogAnalysis {
  const buffer = new Uint8Array(bytes.length);
  const analysis = new IncrementalAuditLogAnalysis(buffer, context);
  let filled = 0;
  for (const cut of [...cuts, bytes.length]) {
    buffer.set(bytes.subarray(filled, cut), filled);
    filled = cut;
    analysis.advance(filled);
  }
  return analysis.finish(bytes.length);
}

export function expectRoundTrip(analysis: AuditLogAnalysis): void {
  const back = unpackAuditLogAnalysis(packAuditLogAnalysis(analysis));
  expect(back).toStrictEqual(analysis);
  if (analysis.readable && back.readable) expect([...back.standing]).toStrictEqual([...analysis.standing]);
}

// ---------------------------------------------------------------- fixtures

export const bytesOfLines = (ls: readonly string[]) => utf8(ls.map((l) => `${l}\n`).join(''));

/** The sample campaign (300 items, some open) and its audit log, as bytes and as lines, with the manifest's context. */
export function sampleAuditLog() {
  const input = sampleCertificationInput(REVIEWERS, { items: 300, seed: 5, open: 7 });
  const events = input.auditEvents;
  const logBytes = writeAuditLog(events).bytes;
  const lines = fromUtf8(logBytes).slice(0, -1).split('\n');
  const context: AuditLogContext = {
    campaignId: input.campaign.id,
    reviewers: input.reviewers.map((r) => ({ id: r.id, fingerprint: r.keyFingerprint })),
  };
  return { input, events, logBytes, lines, context };
}

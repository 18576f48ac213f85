// The decision sets a certification package embeds (campaigns across laptops): each verified as the signed archive
// its reviewer made, and every audit event of the package traced, content for content, to the event of the set its
// provenance names. A reviewer all of whose events are traced this way is proven by their own signature and need
// not sign the package itself (shared/package's verifier asks this module through `embeddedSets`).
import type { RandomAccessSource } from '../codec';
import { verifyPackage } from '../package';
import type { CheckName, EmbeddedSetCheck, EmbeddedSetReport, EmbeddedSetVerifier, VerifyOptions, VerifyReport } from '../package';
import type { AuditEvent } from '../review';
import { sameContent } from './certification-signing';
import { verifyDecisionSet } from './decision-set';
import type { DecisionProvenance } from './types';

const MAX_EVENT_PROBLEMS = 25;

export const verifyEmbeddedDecisionSets: EmbeddedSetVerifier = async (sets, { statement, events, trustedKeys }) => {
  const problems: EmbeddedSetCheck['problems'] = [];
  const predicate = statement.predicate;
  const listed = new Map((predicate.decisionSets ?? []).map((d) => [d.file, d]));
  const reviewers = new Map(predicate.reviewers.map((r) => [r.id, r]));
  const verified = new Map<string, { fingerprint: string; reviewerId: string; events: Map<number, AuditEvent> }>();
  const reports = new Map<string, EmbeddedSetReport>();
  for (const set of sets) {
    const entry = listed.get(set.file);
    const report = await verifyDecisionSet(set.bytes, trustedKeys ? { trustedKeys: [...trustedKeys] } : {});
    const fail = (check: CheckName, message: string) => {
      problems.push({ check, message: `embedded decision set ${set.file}: ${message}`, file: set.file });
      return false;
    };
    for (const r of report.reasons)
      fail(r.check === 'trust' ? 'trust' : 'signatures', `[${r.check}] ${r.itemId ? `${r.itemId}: ` : ''}${r.message}`);
    const p = report.statement?.predicate;
    let ok = report.verdict === 'valid' && p !== undefined;
    if (p && entry) {
      if (report.statementDigest !== entry.statementDigest)
        ok = fail('manifest', `its statement digest is ${report.statementDigest}, not the ${entry.statementDigest} the manifest lists`);
      if (p.reviewer.id !== entry.reviewerId || p.reviewer.fingerprint !== entry.fingerprint)
        ok = fail(
          'manifest',
          `it is by ${p.reviewer.id} (${p.reviewer.fingerprint}), the manifest says ${entry.reviewerId} (${entry.fingerprint})`,
        );
      const listedReviewer = reviewers.get(p.reviewer.id);
      if (!listedReviewer || listedReviewer.fingerprint !== p.reviewer.fingerprint)
        ok = fail('manifest', `${p.reviewer.id} (${p.reviewer.fingerprint}) is not a reviewer of the package with that key`);
      if (p.campaign.id !== predicate.campaign.id)
        ok = fail('consistency', `it is for campaign ${p.campaign.id}, not ${predicate.campaign.id}`);
    }
    if (ok && p && report.statementDigest)
      verified.set(report.statementDigest, {
        fingerprint: p.reviewer.fingerprint,
        reviewerId: p.reviewer.id,
        events: new Map(report.events.map((e) => [e.seq, e])),
      });
    reports.set(report.statementDigest ?? set.file, {
      file: set.file,
      statementDigest: report.statementDigest,
      reviewerId: p?.reviewer.id ?? null,
      fingerprint: p?.reviewer.fingerprint ?? null,
      verdict: ok ? 'valid' : 'invalid',
      events: 0,
      pinned: report.signers.some((s) => s.pinned),
    });
  }

  // Every event of the package: proven by the set its provenance names, or its actor must have signed the package.
  const proven = new Set<string>();
  const unproven = new Set<string>();
  let shown = 0;
  for (const e of events ?? []) {
    const from = e.details?.provenance as DecisionProvenance | undefined;
    const set = typeof from?.decisionSet === 'string' ? verified.get(from.decisionSet) : undefined;
    const original = set && typeof from?.seq === 'number' ? set.events.get(from.seq) : undefined;
    const traced =
      set !== undefined &&
      original !== undefined &&
      set.fingerprint === e.actor.keyFingerprint &&
      set.reviewerId === e.actor.id &&
      original.hash === from!.hash &&
      sameContent(original, e);
    if (traced) {
      proven.add(e.actor.id);
      reports.get(from!.decisionSet)!.events++;
      continue;
    }
    unproven.add(e.actor.id);
    // An event that names an embedded set but is not its event was altered (a set that failed is reported above).
    if (from && listed.size && [...listed.values()].some((d) => d.statementDigest === from.decisionSet) && set) {
      if (shown++ < MAX_EVENT_PROBLEMS)
        problems.push({
          check: 'consistency',
          message: `audit event ${e.seq}${e.itemId ? ` (${e.itemId})` : ''} is not event ${from.seq} of the decision set it names (${from.decisionSet}): its content, hash or signer differ`,
        });
    }
  }
  if (shown > MAX_EVENT_PROBLEMS)
    problems.push({ check: 'consistency', message: `… and ${shown - MAX_EVENT_PROBLEMS} more events not traced to their decision sets` });
  for (const id of unproven) proven.delete(id);
  return { proven, problems, sets: [...reports.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) };
};

/** verifyPackage with the embedded decision sets checked: what `arw verify` and the auditor view run. */
export function verifyCertificationPackage(
  archive: Uint8Array | RandomAccessSource,
  options: Omit<VerifyOptions, 'embeddedSets'> = {},
): Promise<VerifyReport> {
  return verifyPackage(archive, { ...options, embeddedSets: verifyEmbeddedDecisionSets });
}

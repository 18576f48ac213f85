// buildCertificationPackage: the certification package from a campaign's items, decisions and audit log, signed by
// every reviewer whose decisions it holds. Pure: runs in a browser worker and in Node; signing is injected.
import { canonicalJson, sha256Hex, toBase64, utf8 } from '../codec';
import { writeAuditLogPaced } from './audit-chain-check';
import { countItems } from './certification-rules';
import { mismatchesWithStanding, standingLookup } from './decision-chain-consistency';
import { certificationStatement, statementBytes } from './certification-statement';
import { writeTableCsv } from '../codec';
import { packageItems, writeDecisionsCsv, writeDecisionsJson, type SliceSink } from './decisions-file';
import { serializeEnvelope, signEnvelope } from './dsse-envelope';
import { fileSha256 } from '../codec';
import {
  BASELINE_CHANGES_FILE,
  embeddedSetFile,
  ENVELOPE_FILE,
  MANIFEST_FILE,
  OSCAL_ASSESSMENT_RESULTS_FILE,
  OSCAL_POAM_FILE,
  PACKAGE_FILES,
  SUBJECT_FILES,
} from './package-layout';
import { writeAssessmentResultsInSlices, writePoamInSlices } from './oscal';
import { remediationCutsLinks, remediationPlan, remediationTable, writeRemediationJson } from './remediation-plan';
import type { ReportBuilder, ReportJob } from './report-job';
import { draftReport, isHighRisk, type EarlyPredicate, type ReportSheetRows } from './report-workbook';
import { driftThresholds, reviewerMetrics } from './reviewer-metrics';
import { decodePublicKey, ED25519_PUBLIC_KEY_BYTES, keyFingerprint } from './signing-keys';
import {
  assembleZipParts,
  joinParts,
  openZipEntry,
  preparedContent,
  spoolEntry,
  startZipEntry,
  writeArchive,
  type ArchiveDestination,
  type PendingZipEntry,
  type PreparedEntry,
} from '../codec';
import { createPacer } from '../codec';
import { asLink, baselineChangesBytes, baselineLinkProblems, campaignBaselines, carriedKey, normalLink, sameLink } from './baseline-link';
import { normalCarried } from './decisions-file';
import { StandingDecisionLog, type BaselineChanges, type BaselineLink } from '../review';
import type {
  BuiltPackage,
  CertificationInput,
  CertificationPredicate,
  PackageItem,
  PackageSigner,
  PredicateDecisionSet,
  PredicateSigner,
  RemediationPlan,
} from './types';

export interface BuildOptions {
  /**
   * Writes report.xlsx on another thread (report-job.ts), started as soon as decisions.json exists. Left out: the
   * report is written on this thread, interleaved with the audit log. The bytes are the same either way.
   */
  reportBuilder?: ReportBuilder;
  /** Told as each phase ends (its name), for measurements (scripts/measure-package.ts). */
  phaseEnded?: (phase: string) => void;
  /**
   * Where the archive goes (Node: a file, electron/cli/archive-file.ts): each entry's compressed data is spooled as
   * soon as it is ready and the archive written there at the end, so it is never held whole. The package returned
   * then has no parts, and its `bytes` and `files` cannot be read (read the archive written). Same bytes.
   */
  destination?: ArchiveDestination;
}

export async function buildCertificationPackage(
  input: CertificationInput,
  signers: PackageSigner[],
  options: BuildOptions = {},
): Promise<BuiltPackage> {
  const phase = options.phaseEnded ?? (() => undefined);
  const predicateSigners = describeSigners(input, signers);
  const items = packageItems(input);
  assertUniqueItems(items);
  const baseline = baselineOf(input, items);
  assertPolicyDigest(input);
  const embedded = embeddedSets(input);
  assertEveryActingReviewerSigns(items, input, predicateSigners, embedded);

  // Each file is handed to compression and digesting as soon as it exists. Native compression advances only while
  // this thread yields (event-loop-pacer.ts): the files written in one go come first, then the two long jobs that
  // yield every few milliseconds (the audit log and the report, by far the slowest), so the files before them
  // compress on the other core meanwhile. The report starts as soon as decisions.json exists (on another thread
  // where the host offers one) and waits only for the audit chain's head. Nothing is signed before the chain and the
  // decisions are checked.
  // The long files (decisions.json and .csv, the audit log) are written in slices, each compressed and hashed as it
  // comes where the host streams (Node): none of them exists whole. Nothing is kept of a file but its entry.
  const entries = new Map<string, PendingZipEntry>();
  const spool = options.destination?.spool;
  const keep = (name: string, entry: PendingZipEntry) => {
    const kept = spool ? spoolEntry(entry, spool) : entry;
    // A build that fails never awaits its entries: their failures are not unhandled rejections.
    kept.prepared.catch(() => undefined);
    entries.set(name, kept);
  };
  const digests = new Map<string, Promise<string>>();
  const add = (name: string, bytes: Uint8Array) => {
    keep(name, startZipEntry({ name, bytes, store: name === 'report.xlsx' }));
    digests.set(name, fileSha256(bytes));
  };
  const addInSlices = async (name: string, write: (sink: SliceSink) => Promise<void>) => {
    const entry = openZipEntry(name);
    await write((slice) => entry.write(slice));
    const closed = entry.close();
    keep(name, closed.entry);
    digests.set(name, closed.sha256);
    return closed.entry;
  };
  const pacer = createPacer();
  phase('checks');
  const decisionsEntry = await addInSlices('decisions.json', (sink) => writeDecisionsJson(input.campaign.id, items, sink, pacer));
  // The report's thread reads the items back from decisions.json itself (the decisions the package signs), inflated
  // from its entry's deflated data: a tenth of the bytes to copy, and this thread never joins the file.
  const forReport = options.reportBuilder ? await reportCopyOf(decisionsEntry) : null;
  const names = new Map(input.reviewers.map((r) => [r.id, r.name]));
  const early = earlyPredicate(input, items, predicateSigners);
  if (embedded.length) early.decisionSets = embedded.map(({ bytes: _bytes, ...entry }) => entry);
  if (baseline) early.baseline = baseline.link;
  phase('decisions.json');
  const metrics = reviewerMetrics(input.reviewers, items, input.auditEvents, driftThresholds(input.policy.document));
  const remediation = remediationPlan(input.campaign.id, items);
  const content = () => ({
    predicate: early,
    items,
    names,
    remediation,
    metrics,
    sources: input.sources,
    policy: input.policy.document,
    ...(baseline ? { baselineChanges: baseline.changes } : {}),
  });
  const report = options.reportBuilder
    ? options.reportBuilder.start(
        {
          ...forReport!,
          names: [...names],
          predicate: early,
          metrics,
          sources: input.sources,
          policy: input.policy.document,
          ...(baseline ? { baselineChanges: baseline.changes } : {}),
          sheetRows: reportSheetRows(items, early, remediation),
          decisionsCsv: true,
        },
        () => draftReport(content(), pacer),
      )
    : draftReport(content(), pacer);
  let predicate: CertificationPredicate;
  try {
    phase('metrics, remediation plan, report started');
    // With a report thread, decisions.csv is written there from the items it reads (off this thread, the busier one).
    const csvHere = () => addInSlices('decisions.csv', (sink) => writeDecisionsCsv(items, names, sink, pacer));
    if (!options.reportBuilder) await csvHere();
    phase('decisions.csv');
    add('policy.json', utf8(`${JSON.stringify(input.policy.document, null, 2)}\n`));
    add('sources.json', utf8(`${JSON.stringify(input.sources, null, 2)}\n`));
    await addInSlices('remediation.json', (sink) => writeRemediationJson(remediation, sink, pacer));
    await addInSlices('remediation.csv', (sink) => writeTableCsv(remediationTable(remediation, 'csv'), sink, pacer));
    if (baseline) add(BASELINE_CHANGES_FILE, baselineChangesBytes(baseline.changes));
    // Embedded decision sets are archives already: stored, not compressed again.
    for (const set of embedded) {
      keep(set.file, startZipEntry({ name: set.file, bytes: set.bytes, store: true }));
      digests.set(set.file, fileSha256(set.bytes));
    }
    phase('remediation and small files');
    // The log's slices go to the compressor as they are written; the chain is checked over the same bytes, and
    // nothing is signed unless it holds.
    const logEntry = openZipEntry('audit-log.jsonl');
    const auditLog = await writeAuditLogPaced(input.auditEvents, pacer, (slice) => logEntry.write(slice));
    const closedLog = logEntry.close();
    keep('audit-log.jsonl', closedLog.entry);
    digests.set('audit-log.jsonl', closedLog.sha256);
    if (!auditLog.chain.ok) throw new Error(`the audit log is broken, so it cannot be certified: ${auditLog.chain.reason}`);
    phase('audit-log.jsonl');
    assertDecisionsFollowTheLog(items, input);
    phase('decisions checked against the log');
    const auditChain = { head: auditLog.chain.head, length: auditLog.chain.length };
    const { importEvidence, decisionSets, baseline: link, ...leading } = early;
    // The members in the order the manifest has always shown them (the baseline, which came later, last).
    predicate = { ...leading, auditChain, importEvidence, ...(decisionSets ? { decisionSets } : {}), ...(link ? { baseline: link } : {}) };
    // The OSCAL documents name the audit chain's head, so they follow it (and compress while the report finishes).
    const oscal = { predicate, items, plan: remediation };
    await addInSlices(OSCAL_ASSESSMENT_RESULTS_FILE, (sink) => writeAssessmentResultsInSlices(oscal, sink, pacer));
    await addInSlices(OSCAL_POAM_FILE, (sink) => writePoamInSlices(oscal, sink, pacer));
    phase('oscal');
    add('report.xlsx', await report.finish(auditChain));
    phase('report.xlsx (waited for)');
    if (options.reportBuilder) {
      const csv = report.files?.().find((f) => f.file === 'decisions.csv');
      if (csv) {
        keep('decisions.csv', { name: 'decisions.csv', prepared: Promise.resolve(csv.entry) });
        digests.set('decisions.csv', Promise.resolve(csv.sha256));
      } else await csvHere();
      phase('decisions.csv (from the report thread, or written here)');
    }
  } catch (error) {
    report.abandon();
    throw error;
  }

  const optional = [...(baseline ? [BASELINE_CHANGES_FILE] : []), ...embedded.map((e) => e.file)];
  const subjectNames = [...SUBJECT_FILES, ...optional];
  const subject = await Promise.all(subjectNames.map(async (name) => ({ name, digest: { sha256: await digests.get(name)! } })));
  const manifest = certificationStatement(subject, predicate);
  const payload = statementBytes(manifest);
  const envelope = utf8(serializeEnvelope(await signEnvelope(payload, signers)));
  entries.set(MANIFEST_FILE, startZipEntry({ name: MANIFEST_FILE, bytes: payload }));
  entries.set(ENVELOPE_FILE, startZipEntry({ name: ENVELOPE_FILE, bytes: envelope }));
  const order = [...PACKAGE_FILES, ...optional];
  phase('digests and signing');
  const destination = options.destination;
  if (destination) {
    const written = await writeArchive(
      order.map((name) => entries.get(name)!),
      (bytes) => destination.write(bytes),
      destination.spool,
    );
    phase('compression finished, archive written');
    return builtPackage({ parts: [], ...written }, manifest, order, true);
  }
  const archive = await assembleZipParts(order.map((name) => entries.get(name)!));
  phase('compression finished, archive assembled');
  return builtPackage(archive, manifest, order);
}

/**
 * The package as its parts, its bytes joined only when asked for, and each file read back from its entry (inflated)
 * only when asked for: a large package is never held whole twice.
 */
function builtPackage(
  archive: { parts: Uint8Array[]; size: number; prepared: PreparedEntry[] },
  manifest: BuiltPackage['manifest'],
  order: readonly string[],
  writtenOut = false,
): BuiltPackage {
  const files: Record<string, Uint8Array> = {};
  const fileSizes: Record<string, number> = {};
  order.forEach((name, i) => (fileSizes[name] = archive.prepared[i]!.size));
  // Not cached: reading every file of a million-decision package must not keep gigabytes alive.
  order.forEach((name, i) => {
    Object.defineProperty(files, name, { enumerable: true, get: () => preparedContent(archive.prepared[i]!) });
  });
  let bytes: Uint8Array | undefined;
  return {
    parts: archive.parts,
    size: archive.size,
    get bytes() {
      if (writtenOut) throw new Error('the package was written to its destination: read it from there');
      return (bytes ??= joinParts(archive.parts));
    },
    manifest,
    files,
    fileSizes,
  };
}

/** The report's later sheets' row counts, which its thread needs before it reads the items (to lay the sheets out). */
function reportSheetRows(items: readonly PackageItem[], early: EarlyPredicate, plan: RemediationPlan): ReportSheetRows {
  let highRisk = 0;
  for (const item of items) if (isHighRisk(item)) highRisk++;
  let remediation = 0;
  for (const system of plan.systems) remediation += system.actions.length;
  return { overrides: early.counts.overridden, highRisk, remediation, remediationLinks: remediationCutsLinks(plan) };
}

/** decisions.json for the report's thread: its entry's data in a buffer of its own (it is moved to that thread). */
async function reportCopyOf(entry: PendingZipEntry): Promise<Pick<ReportJob, 'decisionsJson' | 'decisionsEntry'>> {
  const e = await entry.prepared;
  const joined = joinParts(e.data);
  const own = e.data.length === 1 ? joined.slice() : joined;
  return e.method === 8 ? { decisionsEntry: { deflated: own, size: e.size, crc32: e.crc32 } } : { decisionsJson: own };
}

/** The predicate but for the audit chain (written later; certificationStatement places it where it belongs). */
function earlyPredicate(input: CertificationInput, items: readonly PackageItem[], signers: PredicateSigner[]): EarlyPredicate {
  const { campaign } = input;
  return {
    formatVersion: 1,
    campaign: {
      id: campaign.id,
      name: campaign.name,
      scope: campaign.scope,
      createdAt: campaign.createdAt,
      dueDate: campaign.dueDate ?? null,
    },
    period: {
      from: campaign.createdAt,
      to: latestInstant(campaign.createdAt, input.auditEvents),
    },
    reviewers: input.reviewers.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email ?? null,
      fingerprint: r.keyFingerprint,
      publicKey: r.publicKey,
    })),
    signers,
    counts: countItems(items),
    policyDigest: input.policy.digest,
    engineVersion: input.engineVersion,
    importEvidence: input.sources.map((s) => ({ name: s.file, sha256: s.sha256, format: s.format, rows: s.rowsStored, size: s.size })),
  };
}

/** The latest of `start` and the events' times (read from the events: no array of a million times made first). */
function latestInstant(start: string, events: readonly { at: string }[]): string {
  let latest = start;
  let latestMs = Date.parse(start);
  for (let i = 0; i < events.length; i++) {
    const at = events[i]!.at;
    const ms = Date.parse(at);
    if (ms > latestMs || Number.isNaN(latestMs)) {
      latest = at;
      latestMs = ms;
    }
  }
  return latest;
}

/** Each signer's key, checked, and the reviewer it belongs to (matched by fingerprint). */
function describeSigners(input: CertificationInput, signers: readonly PackageSigner[]): PredicateSigner[] {
  if (!signers.length) throw new Error('a certification package needs at least one signer');
  for (const r of input.reviewers) {
    const key = decodePublicKey(r.publicKey);
    if (!key) throw new Error(`reviewer ${r.id}: publicKey is not a base64 32-byte Ed25519 key`);
    if (keyFingerprint(key) !== r.keyFingerprint)
      throw new Error(
        `reviewer ${r.id}: keyFingerprint ${r.keyFingerprint} is not the fingerprint of their publicKey (${keyFingerprint(key)})`,
      );
  }
  const seen = new Set<string>();
  return signers.map((s) => {
    if (seen.has(s.keyId)) throw new Error(`two signers share the key id "${s.keyId}"`);
    seen.add(s.keyId);
    if (s.publicKey.length !== ED25519_PUBLIC_KEY_BYTES)
      throw new Error(`signer "${s.keyId}": the public key must be a raw 32-byte Ed25519 key`);
    const fingerprint = keyFingerprint(s.publicKey);
    const reviewer = input.reviewers.find((r) => r.keyFingerprint === fingerprint);
    return { keyid: s.keyId, fingerprint, publicKey: toBase64(s.publicKey), reviewerId: reviewer?.id ?? null };
  });
}

function assertUniqueItems(items: readonly PackageItem[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.itemId)) throw new Error(`item ${item.itemId} appears twice`);
    seen.add(item.itemId);
  }
}

function assertPolicyDigest(input: CertificationInput): void {
  const actual = `sha256:${sha256Hex(canonicalJson(input.policy.document))}`;
  if (actual !== input.policy.digest)
    throw new Error(`the policy digest ${input.policy.digest} is not the digest of the policy document (${actual})`);
}

/** The embedded decision sets, checked for form, in archive (name) order. */
function embeddedSets(input: CertificationInput): (PredicateDecisionSet & { bytes: Uint8Array })[] {
  const reviewers = new Map(input.reviewers.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const sets = (input.decisionSets ?? []).map((set) => {
    const file = embeddedSetFile(set.statementDigest);
    if (seen.has(file)) throw new Error(`the decision set ${set.statementDigest} is embedded twice`);
    seen.add(file);
    const reviewer = reviewers.get(set.reviewerId);
    if (!reviewer)
      throw new Error(`the embedded decision set ${set.statementDigest} is by ${set.reviewerId}, who is not in the reviewer list`);
    if (reviewer.keyFingerprint !== set.fingerprint)
      throw new Error(
        `the embedded decision set ${set.statementDigest} was signed by ${set.fingerprint}, not by ${set.reviewerId}'s listed key`,
      );
    return { file, statementDigest: set.statementDigest, reviewerId: set.reviewerId, fingerprint: set.fingerprint, bytes: set.bytes };
  });
  return sets.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * Reviewers whose every audit event names, in its provenance, an embedded decision set signed with their key. (The
 * caller verified the sets; the verifier checks them again, event for event.)
 */
function reviewersProvenByEmbeddedSets(input: CertificationInput, embedded: readonly PredicateDecisionSet[]): Set<string> {
  if (!embedded.length) return new Set();
  const setKey = new Map(embedded.map((e) => [e.statementDigest, e.fingerprint]));
  const proven = new Set(input.reviewers.map((r) => r.id));
  for (const e of input.auditEvents) {
    const from = e.details?.provenance as { decisionSet?: unknown } | undefined;
    const fingerprint = typeof from?.decisionSet === 'string' ? setKey.get(from.decisionSet) : undefined;
    if (fingerprint === undefined || fingerprint !== e.actor.keyFingerprint) proven.delete(e.actor.id);
  }
  return proven;
}

/**
 * The package carries the signature of every reviewer who decided or approved an item in it, or (across laptops)
 * an embedded decision set they signed for each of their events.
 */
function assertEveryActingReviewerSigns(
  items: readonly PackageItem[],
  input: CertificationInput,
  signers: readonly PredicateSigner[],
  embedded: readonly PredicateDecisionSet[],
): void {
  const signed = new Set<string | null>([...signers.map((s) => s.reviewerId), ...reviewersProvenByEmbeddedSets(input, embedded)]);
  const acting = new Set<string>();
  for (const item of items) {
    if (item.decision) acting.add(item.decision.reviewerId);
    if (item.decision?.approver) acting.add(item.decision.approver.id);
  }
  const known = new Set(input.reviewers.map((r) => r.id));
  const unknown = [...acting].filter((id) => !known.has(id));
  if (unknown.length) throw new Error(`decisions name reviewers who are not in the reviewer list: ${unknown.join(', ')}`);
  const unsigned = [...acting].filter((id) => !signed.has(id));
  if (unsigned.length)
    throw new Error(
      `every reviewer whose decisions the package holds must sign it, or have every event proven by an embedded decision set they signed; no signer for: ${unsigned.join(', ')}`,
    );
}

/** Decisions the audit log does not support are a bug in the caller: refuse to sign them. */
function assertDecisionsFollowTheLog(items: readonly PackageItem[], input: CertificationInput): void {
  // decisionChainMismatches, each standing decision made as it is compared (no map of a million of them first).
  const log = new StandingDecisionLog();
  for (const e of input.auditEvents) log.apply(e);
  const mismatches = mismatchesWithStanding(items, standingLookup(log));
  if (mismatches.length) {
    const first = mismatches
      .slice(0, 3)
      .map((m) => `${m.itemId}: ${m.message}`)
      .join('; ');
    throw new Error(`${mismatches.length} decision(s) do not match the audit log, so the package would not verify (${first})`);
  }
}

/**
 * The baseline the campaign started from (its campaign-created event's `details.baseline`) with the comparison the
 * caller passes, or null. Each carried decision is taken from the log's standing decision event (the input may give
 * it too, and must then agree); the builder refuses what the verifier would find wrong.
 */
function baselineOf(input: CertificationInput, items: PackageItem[]): { link: BaselineLink; changes: BaselineChanges } | null {
  const recorded = campaignBaselines(input.auditEvents).filter((b) => b !== undefined && b !== null);
  const carriedInLog = input.auditEvents.some((e) => e.carried !== undefined);
  if (!recorded.length) {
    if (input.baselineChanges)
      throw new Error('baselineChanges were given, but the campaign-created event names no baseline (details.baseline)');
    if (carriedInLog || items.some((i) => i.decision?.carried))
      throw new Error('decisions are carried from a baseline, but the campaign-created event names none (details.baseline)');
    return null;
  }
  const link = asLink(recorded[0]);
  if (!link)
    throw new Error(
      "the campaign-created event's details.baseline is not a baseline link (packageDigest, statementDigest, campaignId, campaignName, certifiedAt, scope)",
    );
  if (recorded.some((b) => !asLink(b) || !sameLink(asLink(b)!, link))) throw new Error('the audit log names more than one baseline');
  const changes = input.baselineChanges;
  if (!changes)
    throw new Error(
      `the campaign starts from the baseline ${link.packageDigest}: pass its baselineChanges (baselineChangesOf) to build the package`,
    );
  const standing = new StandingDecisionLog();
  if (carriedInLog) for (const e of input.auditEvents) standing.apply(e);
  for (const item of items) {
    const d = item.decision;
    const fromLog = carriedInLog ? standing.current(item.itemId)?.carried : undefined;
    if (d?.carried && carriedKey(d.carried) !== carriedKey(fromLog))
      throw new Error(
        `item ${item.itemId}: the decision says it is carried, but its decision event ${fromLog ? 'carries another' : 'does not'}`,
      );
    // A new object: the item's decision may be the caller's own (packageItems uses it when it is in package form).
    if (d && !d.carried && fromLog) item.decision = { ...d, carried: normalCarried(fromLog) };
  }
  const problems = baselineLinkProblems(link, changes, items);
  if (problems.length)
    throw new Error(
      `the baseline link would not verify: ${problems
        .slice(0, 3)
        .map((p) => (p.itemId ? `${p.itemId}: ${p.message}` : p.message))
        .join('; ')}`,
    );
  return { link: normalLink(link), changes };
}

// verifyPackage: everything an auditor needs to trust a certification package, offline, without trusting the
// machine that made it. Every check runs even after another fails, and every reason found is reported.
import { canonicalJson, runtimePrimitives, sameBytes, sha256Hex, utf8 } from '../codec';
import type { SourceEvidence } from '../model';
import type { AuditEvent } from '../review';
import { archiveLayoutDeviations, bytesSource, openArchiveSource, type RandomAccessSource } from '../codec';
import { analyzeAuditLogHere, findingsOf, type AuditLogFindings } from './audit-log-analysis';
import { completenessProblems, countItem, isOverridden, isUndecidedKind, itemLabel } from './certification-rules';
import { rationaleProblem } from '../review';
import { verifyPendingSignatures } from './event-signatures';
import { driftThresholds, reviewerMetricsFromPace } from './reviewer-metrics';
import { tableToCsvBytes } from '../codec';
import { repeatedItemIds, type ComparedItem } from './decision-chain-consistency';
import { packageLayoutFindings } from './layout-check';
import { readDecisionItems, readJson } from './package-documents';
import { readDecisionsInPieces } from './decisions-stream';
import { readAuditLog } from './audit-log-reading';
import {
  BASELINE_CHANGES_FILE,
  EMBEDDED_SET_NAME,
  ENVELOPE_FILE,
  MANIFEST_FILE,
  OSCAL_ASSESSMENT_RESULTS_FILE,
  OSCAL_POAM_FILE,
  PACKAGE_FILES,
} from './package-layout';
import { renderedSha256, rendersTo, writeAssessmentResults, writePoam, type DocumentSteps } from './oscal';
import { RemediationPlanBuilder, remediationJson, remediationTable } from './remediation-plan';
import { FindingLog } from './verify-findings';
import type {
  ChainReport,
  CompletenessReport,
  EmbeddedSetCheck,
  PackageCounts,
  PackageItem,
  ReviewerMetrics,
  SignerReport,
  UndecidedItem,
  VerifyReport,
} from './types';
import type { VerifyOptions } from './verify-options';
import {
  canDigestInPieces,
  checkFiles,
  DIGESTED_IN_PIECES,
  checkSignatures,
  openManifest,
  PackageEntries,
  type Opened,
} from './package-opening';
import { certificationStatementDigest } from './baseline-link';
import { checkBaseline } from './verify-baseline';
import { checkCompleteness, checkCounts } from './verify-completeness';

/** How many undecided items a report names one by one (the count says how many in all). */
export const UNDECIDED_LISTED = 1000;

/** `input`: the package's bytes, or a source it is read from by offset (a file, by `arw verify`). */
export async function verifyPackage(input: Uint8Array | RandomAccessSource, options: VerifyOptions = {}): Promise<VerifyReport> {
  const source = input instanceof Uint8Array ? bytesSource(input) : input;
  // The baseline package first, on its own (same trust list and hooks): one that does not verify is refused as a baseline.
  const { baseline: baselineBytes, ...own } = options;
  const supplied = baselineBytes ? { bytes: baselineBytes, report: await verifyPackage(baselineBytes, own) } : null;
  const log = new FindingLog();
  // The manifest and the audit log inflate first (with decisions.json, where the host inflates in parallel): the
  // log's analysis is the longest check, and may start on another thread while this one reads decisions.json and
  // the rest inflates.
  // (Unless another thread reads the log straight from the archive: then it is not inflated here at all.)
  const logElsewhere = options.analyzeAuditLogEntry !== undefined;
  // Where the host hashes as it inflates, the files checked only by digest, or by the digest of what they must
  // render to, are never held whole (a package of 1,000,000 decisions holds 2 GiB of them).
  const inPieces = canDigestInPieces() ? DIGESTED_IN_PIECES : [];
  const first = [
    MANIFEST_FILE,
    ENVELOPE_FILE,
    ...(logElsewhere ? [] : ['audit-log.jsonl']),
    // (Read as it inflates where the host hashes in pieces: then it waits for that, not for the others.)
    ...(options.parallelInflation && !inPieces.length ? ['decisions.json'] : []),
  ];
  const deferred = [...(logElsewhere ? ['audit-log.jsonl'] : []), ...(inPieces.length ? ['decisions.json'] : []), ...inPieces];
  const archive = await openArchiveSource(source, options.limits, { first, ...(deferred.length ? { deferred } : {}) });
  log.markRan('archive');
  if (!archive.ok) {
    for (const problem of archive.problems) log.fail('archive', problem);
    return report(log, { readable: archive.isZip });
  }
  for (const deviation of archiveLayoutDeviations(archive.headers)) log.fail('archive', deviation);
  const entries = new PackageEntries(log, archive.entries);
  for (const name of inPieces) entries.digestInPieces(name);
  checkLayout(log, entries.names);
  await entries.settle([MANIFEST_FILE, ENVELOPE_FILE]);
  const opened = openManifest(log, entries);
  const signers = checkSignatures(opened, options.trustedKeys);
  for (const f of packageLayoutFindings(archive.entries, opened.envelope, opened.statement))
    log.fail(f.check, f.message, f.file ? { file: f.file } : {});
  // The audit log is analysed (on another thread, where the host offers one) while this one reads decisions.json,
  // whose items are then compared with it (there too, where the log is read there).
  let itemsRead: (items: ComparedItem[] | null) => void = () => {};
  const itemsPending = new Promise<ComparedItem[] | null>((resolve) => (itemsRead = resolve));
  const findingsPending = auditLogFindings(opened, options, itemsPending);
  // File digests run on the thread pool (WebCrypto) as each file finishes inflating, while this thread reads and
  // checks the content.
  const fileReportsPending = checkFiles(opened);
  const decisions = await readDecisionsFile(opened);
  itemsRead(decisions.tally?.items ?? null);
  // Meanwhile, what does not need the audit log. (Reasons are reported in check order, so doing these first changes
  // nothing in the report.)
  const completeness = checkCompleteness(log, decisions.tally);
  const counts = checkCounts(opened, decisions.tally);
  await entries.settle([
    'policy.json',
    'sources.json',
    'remediation.json',
    'remediation.csv',
    OSCAL_ASSESSMENT_RESULTS_FILE,
    OSCAL_POAM_FILE,
  ]);
  const remediation = await remediationFindings(opened, decisions.tally);
  const content = await withAuditLog(opened, decisions, findingsPending);
  const chain = checkChain(opened, content);
  const embedded = await checkEmbeddedSets(opened, content, options);
  checkConsistency(opened, content, signers, embedded, remediation);
  await checkEventSignatures(opened, content);
  const baseline = await checkBaseline(opened, {
    items: content.tally?.items ?? null,
    campaignBaselines: content.auditLog?.readable ? content.auditLog.campaignBaselines : null,
    events: () => auditEvents(opened, content),
    supplied,
  });
  const fileReports = await fileReportsPending;
  await entries.settle(entries.names);
  return report(log, {
    undecided: decisions.tally?.undecided ?? [],
    undecidedCount: decisions.tally?.undecidedCount ?? 0,
    reviewerBehaviour: behaviour(opened, content),
    readable: true,
    signers,
    files: fileReports,
    chain,
    completeness,
    counts,
    statement: opened.statement,
    decisions: content.tally?.items ?? [],
    embeddedSets: embedded?.sets ?? [],
    statementDigest: opened.payload ? certificationStatementDigest(opened.payload) : null,
    baseline,
  });
}

function report(log: FindingLog, parts: Partial<VerifyReport> & { readable: boolean }): VerifyReport {
  const reasons = log.allReasons();
  const undecidedCount = parts.undecidedCount ?? 0;
  const checks = log.checks();
  if (undecidedCount > 0) checks.completeness = false;
  return {
    kind: 'certification-package',
    verdict: reasons.length > 0 ? 'invalid' : undecidedCount > 0 ? 'incomplete' : 'valid',
    readable: parts.readable,
    reasons,
    undecided: parts.undecided ?? [],
    undecidedCount,
    reviewerBehaviour: parts.reviewerBehaviour ?? [],
    warnings: log.warnings,
    checks,
    signers: parts.signers ?? [],
    files: parts.files ?? [],
    chain: parts.chain ?? null,
    completeness: parts.completeness ?? null,
    counts: parts.counts ?? { manifest: null, actual: null },
    campaign: parts.statement?.predicate.campaign ?? null,
    statement: parts.statement ?? null,
    decisions: parts.decisions ?? [],
    embeddedSets: parts.embeddedSets ?? [],
    statementDigest: parts.statementDigest ?? null,
    baseline: parts.baseline ?? null,
  };
}

// ---------------------------------------------------------------- archive layout

/**
 * Exactly the documented files, in the documented order: nothing missing, added or renamed; then any embedded
 * decision sets (decision-sets/<digest>.arwdec), in name order. Whether each embedded set belongs is the manifest's
 * to say (checkFiles).
 */
function checkLayout(log: FindingLog, names: readonly string[]): void {
  log.markRan('files');
  const expected = new Set<string>([...PACKAGE_FILES, BASELINE_CHANGES_FILE]);
  for (const name of PACKAGE_FILES) if (!names.includes(name)) log.fail('files', `${name} is missing from the package`, { file: name });
  for (const name of names)
    if (!expected.has(name) && !EMBEDDED_SET_NAME.test(name))
      log.fail('files', `unexpected file "${name}": not part of the package format (added or renamed?)`, { file: name });
  const known = names.filter((n) => expected.has(n) || EMBEDDED_SET_NAME.test(n));
  const sets = names.filter((n) => EMBEDDED_SET_NAME.test(n));
  const documented = [
    ...PACKAGE_FILES.filter((n) => names.includes(n)),
    ...(names.includes(BASELINE_CHANGES_FILE) ? [BASELINE_CHANGES_FILE] : []),
    ...[...sets].sort(),
  ];
  if (known.join('\n') !== documented.join('\n'))
    log.fail('archive', `the files are not in the documented order (found ${known.join(', ')})`);
}

interface Content {
  /** What the checks need of decisions.json (null when it is missing or unreadable). */
  tally: DecisionsTally | null;
  campaignId: string | null;
  /** What audit-log.jsonl says (null when it is missing or damaged; `readable: false` when it does not parse). */
  auditLog: AuditLogFindings | null;
}

/**
 * The audit log's findings: by the host's entry analyser, straight from the archive (another thread); else by its
 * analyser (another thread) or here, once the entry has inflated; null when the file is not there. Either way
 * decisions.json's items (`items`, once read) are compared with the log. Called at once, so another thread starts
 * before this one turns to decisions.json.
 */
async function auditLogFindings(
  opened: Opened,
  options: VerifyOptions,
  items: Promise<readonly ComparedItem[] | null>,
): Promise<AuditLogFindings | null> {
  const predicate = opened.statement?.predicate;
  const context = predicate
    ? {
        campaignId: predicate.campaign.id,
        reviewers: predicate.reviewers.map((r) => ({ id: r.id, fingerprint: r.fingerprint, publicKey: r.publicKey })),
      }
    : null;
  const stored = opened.entries.stored('audit-log.jsonl');
  if (stored && options.analyzeAuditLogEntry) {
    const elsewhere = options.analyzeAuditLogEntry(stored, context, items).catch(() => null);
    opened.entries.digestElsewhere(
      'audit-log.jsonl',
      elsewhere.then((found) => (found ? { size: stored.size, sha256: found.sha256 } : null)),
    );
    const found = await elsewhere;
    if (found) return found.findings;
  }
  const bytes = await opened.entries.get('audit-log.jsonl');
  if (!bytes) return null;
  // Caught: a failure is a finding about the file (reported when the analysis is awaited), never an unhandled
  // rejection while this thread reads decisions.json.
  const analysis = await (options.analyzeAuditLog ?? analyzeAuditLogHere)(bytes, context).catch((error: unknown) => ({
    readable: false as const,
    problems: [`audit-log.jsonl could not be analysed (${error instanceof Error ? error.message : String(error)})`],
  }));
  return findingsOf(analysis, await items);
}

/** decisions.json's items, and what the checks need of them, gathered one item at a time as it is read. */
class DecisionsTally {
  readonly items: PackageItem[] = [];
  readonly completeness: CompletenessReport = {
    items: 0,
    open: 0,
    escalated: 0,
    overridesWithoutRationale: 0,
    neverDelegateWithoutRationale: 0,
    stepUpWithoutApprover: 0,
    stepUpSelfApproved: 0,
  };
  /** Every completeness problem that breaks a rule, in file order. */
  readonly incomplete: { itemId: string; message: string }[] = [];
  /** Items without a final decision, named (the first UNDECIDED_LISTED). */
  readonly undecided: UndecidedItem[] = [];
  undecidedCount = 0;
  readonly counts: PackageCounts = { items: 0, decided: 0, overridden: 0, stepUpApproved: 0, open: 0, noSuggestion: 0 };
  readonly remediation = new RemediationPlanBuilder();
  /** How many decisions or approvals each reviewer id made, in order of first appearance. */
  readonly acting = new Map<string, number>();
  /** Required rationales (override, never-delegate) the rationale rule would refuse: the first few items, and how many. */
  readonly weakRationales: string[] = [];
  weakRationaleCount = 0;

  add(item: PackageItem): void {
    this.items.push(item);
    this.completeness.items++;
    for (const problem of completenessProblems(item)) {
      const kind = problem.kind;
      // Open counts every item without a final decision; escalated and awaiting approval are also counted apart.
      if (kind !== 'open' && isUndecidedKind(kind)) this.completeness.open++;
      this.completeness[COMPLETENESS_FIELD[kind]]++;
      if (isUndecidedKind(kind)) {
        if (this.undecidedCount++ < UNDECIDED_LISTED)
          this.undecided.push({ itemId: item.itemId, label: itemLabel(item), standing: kind, message: problem.message });
      } else this.incomplete.push({ itemId: item.itemId, message: problem.message });
    }
    countItem(this.counts, item);
    this.remediation.add(item);
    const d = item.decision;
    if (
      d?.rationale &&
      (isOverridden(item) || item.suggestion?.decisionClass === 'never-delegate') &&
      rationaleProblem(d.rationale) !== null
    ) {
      if (this.weakRationaleCount++ < 10) this.weakRationales.push(item.itemId.replace('\u001f', ' / '));
    }
    if (d) this.acting.set(d.reviewerId, (this.acting.get(d.reviewerId) ?? 0) + 1);
    if (d?.approver) this.acting.set(d.approver.id, (this.acting.get(d.approver.id) ?? 0) + 1);
  }
}

const COMPLETENESS_FIELD = {
  open: 'open',
  escalated: 'escalated',
  'awaiting-approval': 'stepUpWithoutApprover',
  'override-without-rationale': 'overridesWithoutRationale',
  'never-delegate-without-rationale': 'neverDelegateWithoutRationale',
  'step-up-self-approved': 'stepUpSelfApproved',
} as const;

async function readDecisionsFile(opened: Opened): Promise<Omit<Content, 'auditLog'>> {
  const { log, entries } = opened;
  log.markRan('consistency');
  const tally = new DecisionsTally();
  // Parsed as it inflates where the host can (never held whole); else, or damaged, or in another layout, read whole.
  let read = canDigestInPieces() ? await readDecisionsInPieces(entries, (item) => tally.add(item)) : null;
  if (!read) {
    const bytes = await entries.get('decisions.json');
    if (!bytes) return { tally: null, campaignId: null };
    read = readDecisionItems(bytes, (item) => tally.add(item));
  }
  if (read.ok) return { tally, campaignId: read.value.campaignId };
  for (const problem of read.problems) log.fail('consistency', problem, { file: 'decisions.json' });
  return { tally: null, campaignId: null };
}

async function withAuditLog(
  opened: Opened,
  decisions: Omit<Content, 'auditLog'>,
  findingsPending: Promise<AuditLogFindings | null>,
): Promise<Content> {
  const auditLog = await findingsPending;
  if (auditLog && !auditLog.readable)
    for (const problem of auditLog.problems) opened.log.fail('chain', problem, { file: 'audit-log.jsonl' });
  return { ...decisions, auditLog };
}

function checkChain(opened: Opened, { auditLog }: Content): ChainReport | null {
  const { log, statement } = opened;
  log.markRan('chain');
  const manifest = statement?.predicate.auditChain ?? null;
  if (!auditLog?.readable) {
    log.fail('chain', 'the audit chain cannot be checked: audit-log.jsonl is missing or unreadable');
    return null;
  }
  const check = auditLog.chain;
  if (!check.ok) log.fail('chain', `the audit chain is broken: ${check.reason}`, { file: 'audit-log.jsonl' });
  const head = check.ok ? check.head : null;
  if (check.ok && manifest && (manifest.head !== check.head || manifest.length !== check.length)) {
    log.fail(
      'chain',
      `the audit log (${check.length} events, head ${check.head}) is not the one the manifest certifies (${manifest.length} events, head ${manifest.head})`,
    );
  }
  return {
    ok: check.ok && !log.failed('chain'),
    length: auditLog.length,
    head,
    manifestHead: manifest?.head ?? null,
    manifestLength: manifest?.length ?? null,
  };
}

/** The audit events themselves (for the embedded sets' check), when the log reads. */
async function auditEvents(opened: Opened, content: Content): Promise<AuditEvent[] | null> {
  if (!content.auditLog?.readable) return null;
  const bytes = await opened.entries.get('audit-log.jsonl');
  const parsed = bytes ? readAuditLog(bytes) : null;
  return parsed?.ok ? parsed.value.events : null;
}

/** The embedded decision sets, through the injected verifier (shared/exchange), when the manifest lists any. */
async function checkEmbeddedSets(opened: Opened, content: Content, options: VerifyOptions): Promise<EmbeddedSetCheck | null> {
  const { log, statement } = opened;
  const listed = statement?.predicate.decisionSets ?? [];
  if (!statement || !listed.length) return null;
  const sets: { file: string; bytes: Uint8Array }[] = [];
  for (const d of listed) {
    const bytes = await opened.entries.get(d.file);
    if (bytes) sets.push({ file: d.file, bytes });
  }
  if (!options.embeddedSets) {
    log.warn('signatures', `the package embeds ${listed.length} decision set(s), which this verifier cannot check (use arw verify)`);
    return null;
  }
  const check = await options.embeddedSets(sets, {
    statement,
    events: await auditEvents(opened, content),
    ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
  });
  for (const problem of check.problems) log.fail(problem.check, problem.message, problem.file ? { file: problem.file } : {});
  return check;
}

function checkConsistency(
  opened: Opened,
  content: Content,
  signers: readonly SignerReport[],
  embedded: EmbeddedSetCheck | null,
  remediation: readonly RemediationFinding[],
): void {
  const { log, statement } = opened;
  const predicate = statement?.predicate;
  const { tally, auditLog } = content;
  const analysed = auditLog?.readable ? auditLog : null;
  if (predicate && content.campaignId !== null && content.campaignId !== predicate.campaign.id) {
    log.fail('consistency', `decisions.json is for campaign ${content.campaignId}, the manifest for ${predicate.campaign.id}`);
  }
  // (The log's findings hold the comparison when both files read; else only the repeated items can be found.)
  const compared = analysed?.consistency ?? null;
  for (const itemId of compared?.repeated ?? (tally ? repeatedItemIds(tally.items) : []))
    log.fail('consistency', 'the item appears more than once in decisions.json', { itemId });
  if (compared) for (const m of compared.mismatches) log.fail('consistency', m.message, { itemId: m.itemId });
  if (predicate && analysed?.actorFindings)
    for (const f of analysed.actorFindings) log.fail('consistency', f.message, { itemId: f.itemId });
  if (predicate && tally) checkReviewersSigned(opened, tally.acting, signers, embedded?.proven ?? new Set());
  if (predicate) {
    checkPolicy(opened);
    checkSources(opened);
  }
  for (const r of remediation) log.fail('consistency', r.message, { file: r.file });
  if (!opened.entries.names.includes('decisions.json'))
    log.fail('consistency', 'decisions.json is missing: there are no decisions to check');
}

/**
 * The package carries a valid signature of every reviewer whose decisions or approvals it holds, or (across laptops)
 * embedded decision sets, signed by that reviewer, that prove each of their events.
 */
function checkReviewersSigned(
  opened: Opened,
  acting: ReadonlyMap<string, number>,
  signers: readonly SignerReport[],
  proven: ReadonlySet<string>,
): void {
  const predicate = opened.statement!.predicate;
  const fingerprints = new Map(predicate.reviewers.map((r) => [r.id, r.fingerprint]));
  const validSigners = new Set(signers.filter((s) => s.signatureValid).map((s) => s.fingerprint));
  for (const [reviewerId, count] of acting) {
    const fingerprint = fingerprints.get(reviewerId);
    if (!fingerprint)
      opened.log.fail(
        'consistency',
        `reviewer ${reviewerId} decided or approved ${count} item(s) but is not among the manifest's reviewers`,
      );
    else if (!validSigners.has(fingerprint) && !proven.has(reviewerId))
      opened.log.fail(
        'signatures',
        `reviewer ${reviewerId} decided or approved ${count} item(s) but neither signed the package nor has every event proven by a decision set they signed`,
      );
  }
}

function checkPolicy(opened: Opened): void {
  const bytes = opened.files.get('policy.json');
  if (!bytes) return;
  const parsed = readJson(bytes, 'policy.json');
  if (!parsed.ok) return parsed.problems.forEach((p) => opened.log.fail('consistency', p, { file: 'policy.json' }));
  let digest: string;
  try {
    digest = `sha256:${sha256Hex(canonicalJson(parsed.value))}`;
  } catch {
    return opened.log.fail('consistency', 'policy.json cannot be put in canonical form', { file: 'policy.json' });
  }
  const expected = opened.statement!.predicate.policyDigest;
  if (digest !== expected)
    opened.log.fail('consistency', `policy.json is not the policy the manifest names (digest ${digest}, manifest ${expected})`, {
      file: 'policy.json',
    });
}

function checkSources(opened: Opened): void {
  const bytes = opened.files.get('sources.json');
  if (!bytes) return;
  const parsed = readJson(bytes, 'sources.json');
  if (!parsed.ok) return parsed.problems.forEach((p) => opened.log.fail('consistency', p, { file: 'sources.json' }));
  if (!Array.isArray(parsed.value))
    return opened.log.fail('consistency', 'sources.json is not a list of import evidence', { file: 'sources.json' });
  const fromFile = (parsed.value as SourceEvidence[]).map((s) => ({
    name: s?.file,
    sha256: s?.sha256,
    format: s?.format,
    rows: s?.rowsStored,
    size: s?.size,
  }));
  if (JSON.stringify(fromFile) !== JSON.stringify(opened.statement!.predicate.importEvidence)) {
    opened.log.fail('consistency', "sources.json does not match the manifest's import evidence", { file: 'sources.json' });
  }
}

interface RemediationFinding {
  file: string;
  message: string;
}

/**
 * The remediation files and the OSCAL documents must be exactly what the manifest and the decisions call for: the
 * same bytes as rendered from them.
 */
async function remediationFindings(opened: Opened, tally: DecisionsTally | null): Promise<RemediationFinding[]> {
  const predicate = opened.statement?.predicate;
  if (!tally || !predicate) return [];
  const plan = tally.remediation.plan(predicate.campaign.id);
  const oscal = { predicate, items: tally.items, plan };
  const findings: RemediationFinding[] = [];
  // Each file must be exactly what it renders to: compared byte by byte when it was read whole, else (read in
  // pieces) by SHA-256, the rendering hashed as it is written, so neither is ever held whole.
  const expect = async (file: string, write: DocumentSteps | (() => Uint8Array), message: string, rendered = false) => {
    const bytes = opened.files.get(file);
    if (bytes) {
      const same = rendered ? sameBytes((write as () => Uint8Array)(), bytes) : rendersTo(write as DocumentSteps, bytes);
      if (!same) findings.push({ file, message });
      return;
    }
    const stream = runtimePrimitives().sha256Stream;
    const digest = stream && DIGESTED_IN_PIECES.includes(file) ? await opened.entries.digest(file) : null;
    if (!digest || !stream) return;
    let sha256: string;
    if (rendered) {
      const hash = stream();
      hash.update((write as () => Uint8Array)());
      sha256 = hash.digestHex();
    } else sha256 = renderedSha256(write as DocumentSteps, stream());
    if (sha256 !== digest.sha256) findings.push({ file, message });
  };
  await expect('remediation.json', () => utf8(remediationJson(plan)), 'the remediation plan does not follow from the decisions', true);
  await expect(
    'remediation.csv',
    () => tableToCsvBytes(remediationTable(plan, 'csv')),
    'remediation.csv does not follow from the decisions',
    true,
  );
  await expect(
    OSCAL_ASSESSMENT_RESULTS_FILE,
    (sink) => writeAssessmentResults(oscal, sink),
    `${OSCAL_ASSESSMENT_RESULTS_FILE} is not the OSCAL assessment results the manifest and the decisions give`,
  );
  await expect(
    OSCAL_POAM_FILE,
    (sink) => writePoam(oscal, sink),
    `${OSCAL_POAM_FILE} is not the OSCAL plan of action the remediation plan gives`,
  );
  return findings;
}

// ---------------------------------------------------------------- per-event signatures and behaviour

/** Each decision, undo, approval and reject event signed by its actor; no approval by the decider's person or key. */
async function checkEventSignatures(opened: Opened, { auditLog }: Content): Promise<void> {
  if (!auditLog?.readable || !auditLog.signatureFindings) return;
  const deferred = auditLog.pendingSignatures.length ? await verifyPendingSignatures(auditLog.pendingSignatures) : [];
  // In chain order: the deferred failures among the others.
  const seqOf = (f: { message: string }) => Number(/^audit event (\d+)/.exec(f.message)?.[1] ?? 0);
  const all = deferred.length
    ? [...auditLog.signatureFindings, ...deferred].sort((a, b) => seqOf(a) - seqOf(b))
    : auditLog.signatureFindings;
  for (const f of all) opened.log.fail(f.check, f.message, { itemId: f.itemId });
}

/** Reviewer behaviour per reviewer, judged by the package policy's drift thresholds. */
function behaviour(opened: Opened, { tally, auditLog }: Content): ReviewerMetrics[] {
  const predicate = opened.statement?.predicate;
  if (!predicate || !tally) return [];
  const policyBytes = opened.files.get('policy.json');
  let policy: object = {};
  if (policyBytes) {
    const parsed = readJson(policyBytes, 'policy.json');
    if (parsed.ok && typeof parsed.value === 'object' && parsed.value !== null) policy = parsed.value;
  }
  const paces = auditLog?.readable ? auditLog.pace : [];
  const reviewers = predicate.reviewers.map((r) => ({ id: r.id, name: r.name, keyFingerprint: r.fingerprint }));
  return reviewerMetricsFromPace(reviewers, tally.items, paces, driftThresholds(policy));
}

// `arw verify PKG [--trust KEYS.json] [--json] [--baseline OLD]`: verifies a certification package offline; with
// --baseline, also the baseline certification it names (verified first, then matched by digest and decision). The
// same command verifies a campaign's work package or decision set (the kind is read from the archive's manifest);
// `--against WP` checks a decision set against the work package it answers.
// Exit 0: VALID, intact and every item decided (a warning when no trust list pins the signer). 1: INCOMPLETE (intact
// and signed, items without a final decision, each named) or INVALID (tampered, bad or missing signatures, a rule
// broken), with every reason. 2: unreadable input or bad usage. `--json` carries "verdict": "valid" | "incomplete" | "invalid".
import { resolve } from 'node:path';
import { formatBytes, parseTrustedKeys, type Finding, type TrustedKey, type VerifyReport } from '../../../shared/package';
import {
  detectArchiveKind,
  verifyDecisionSet,
  verifyWorkPackage,
  type DecisionSetReport,
  type WorkPackageReport,
} from '../../../shared/exchange';
import { parseCommandArgs } from '../args';
import { displaySafe, writeJsonPieces } from '../display';
import { PACKAGE_LIMIT_BYTES, SMALL_FILE_LIMIT_BYTES, openInputSource, readInput as readBounded, type FileSource } from '../input';
import { bytesSource, type RandomAccessSource } from '../../../shared/codec';
import { EXIT, InputError, UsageError, type CliIo } from '../io';
import { displayName, printReport, withKindCheck } from './verify-kind';
import { installNodeRuntime, verifyCertificationPackageOnNode } from '../node-runtime';

interface VerifyArgs {
  packagePath: string;
  trustPath: string | null;
  json: boolean;
  /** A decision set's work package (optional). */
  againstPath: string | null;
  /** The baseline certification package a certification package names (optional). */
  baselinePath: string | null;
}

const USAGE = 'usage: arw verify PKG|- [--trust KEYS.json] [--json] [--baseline BASELINE.arwpkg] [--against WORK-PACKAGE]';

export function parseVerifyArgs(argv: readonly string[]): VerifyArgs & { help: boolean } {
  const { help, values, positionals } = parseCommandArgs(
    argv,
    {
      json: { type: 'boolean' },
      trust: { type: 'string', value: 'a trusted-keys file: --trust KEYS.json' },
      against: { type: 'string', value: 'the work package a decision set answers: --against WP.arwwork' },
      baseline: { type: 'string', value: 'the baseline certification package: --baseline OLD.arwpkg' },
    },
    USAGE,
  );
  const base = {
    trustPath: (values.trust as string | undefined) ?? null,
    json: values.json === true,
    againstPath: (values.against as string | undefined) ?? null,
    baselinePath: (values.baseline as string | undefined) ?? null,
  };
  if (help) return { help, packagePath: '', ...base };
  if (positionals.length !== 1) throw new UsageError(`expected one package file, got ${positionals.length}\n${USAGE}`);
  return { help, packagePath: positionals[0]!, ...base };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseVerifyArgs(argv);
  if (args.help) {
    io.out(`${USAGE}\nexit 0 valid, 1 invalid or tampered, 2 unreadable input or bad usage, 3 internal error`);
    return EXIT.ok;
  }
  installNodeRuntime();
  const archive = await openPackage(args.packagePath === '-' ? '-' : resolve(io.cwd, args.packagePath));
  if (typeof archive === 'string') return unreadable(io, archive);
  try {
    return await runOn(archive, args, io);
  } finally {
    if ('close' in archive) await archive.close();
  }
}

async function runOn(archive: RandomAccessSource, args: VerifyArgs, io: CliIo): Promise<number> {
  let trustedKeys: TrustedKey[] | undefined;
  if (args.trustPath !== null) {
    const keys = await readTrustedKeys(resolve(io.cwd, args.trustPath));
    if (typeof keys === 'string') return unreadable(io, keys);
    trustedKeys = keys;
  }
  const kind = await detectArchiveKind(archive);
  if (kind === 'work-package' || kind === 'decision-set') {
    if (args.baselinePath !== null) throw new UsageError('--baseline applies to a certification package only');
    return runExchange(kind, await archive.read(0, archive.size), args, trustedKeys, io);
  }
  if (args.againstPath !== null) throw new UsageError('--against applies to a decision set only');
  let baseline: Uint8Array | undefined;
  if (args.baselinePath !== null) {
    const old = await readInput(resolve(io.cwd, args.baselinePath), 'baseline package');
    if (typeof old === 'string') return unreadable(io, old);
    baseline = old;
  }
  const report = withKindCheck(
    await verifyCertificationPackageOnNode(archive, { ...(trustedKeys ? { trustedKeys } : {}), ...(baseline ? { baseline } : {}) }),
    kind,
    args.packagePath,
  );
  // A piece at a time: at 1,000,000 decisions the report's JSON is longer than one string can hold.
  if (args.json) writeJsonPieces(io.out, report, 'decisions');
  else
    printReport(
      io,
      humanReport(
        displaySafe(report),
        displayName(args.packagePath),
        args.trustPath !== null,
        args.baselinePath === null ? null : displayName(args.baselinePath),
      ),
    );
  if (!report.readable) return EXIT.usage;
  return report.verdict === 'valid' ? EXIT.ok : EXIT.finding;
}

async function runExchange(
  kind: 'work-package' | 'decision-set',
  bytes: Uint8Array,
  args: VerifyArgs,
  trustedKeys: TrustedKey[] | undefined,
  io: CliIo,
): Promise<number> {
  const trust = trustedKeys ? { trustedKeys } : {};
  let report: WorkPackageReport | DecisionSetReport;
  if (kind === 'work-package') {
    if (args.againstPath !== null) throw new UsageError('--against applies to a decision set only');
    report = await verifyWorkPackage(bytes, trust);
  } else {
    let workPackage: Uint8Array | undefined;
    if (args.againstPath !== null) {
      const wp = await readInput(resolve(io.cwd, args.againstPath), 'work package');
      if (typeof wp === 'string') return unreadable(io, wp);
      workPackage = wp;
    }
    report = await verifyDecisionSet(bytes, { ...trust, ...(workPackage ? { workPackage } : {}) });
  }
  report = withKindCheck(report, kind, args.packagePath);
  if (args.json) io.out(JSON.stringify(report, null, 2));
  else printReport(io, exchangeHumanReport(displaySafe(report), displayName(args.packagePath), args.trustPath !== null));
  if (!report.readable) return EXIT.usage;
  return report.verdict === 'valid' ? EXIT.ok : EXIT.finding;
}

/** A work package or decision set, for a person: the verdict, every reason, then who signed, for whom, and what. */
export function exchangeHumanReport(report: WorkPackageReport | DecisionSetReport, name: string, trustGiven: boolean): string[] {
  const what = report.kind === 'work-package' ? 'work package' : 'decision set';
  const lines = [
    report.verdict === 'valid'
      ? `VALID  ${name}: an intact ${what}`
      : `INVALID  ${name}: ${report.reasons.length} problem${report.reasons.length === 1 ? '' : 's'} (${[...new Set(report.reasons.map((r) => r.check))].join(', ')})`,
  ];
  for (const r of report.reasons)
    lines.push(`  ${BAD} [${r.check}] ${r.itemId ? `${r.itemId.replace('\u001f', ' / ')}: ` : ''}${r.message}`);
  for (const w of report.warnings) lines.push(`warning: ${w.message}`);
  const p = report.statement?.predicate;
  if (p && report.kind === 'work-package' && 'owner' in p) {
    lines.push(
      '',
      `Work package  ${p.id} (${p.kind}), issued ${p.issuedAt}`,
      `Campaign      ${p.campaign.name} (${p.campaign.id}), due ${p.campaign.dueDate ?? 'no date'}`,
      `From owner    ${p.owner.name} ${p.owner.fingerprint}`,
      `To reviewer   ${p.reviewer.name} (${p.reviewer.id}) ${p.reviewer.fingerprint}`,
      `Items         ${p.itemCount}`,
      `Policy        ${p.policyDigest}`,
      `Snapshot      ${p.snapshotDigest}`,
    );
  }
  if (p && report.kind === 'decision-set' && 'workPackage' in p) {
    lines.push(
      '',
      `Decision set  by ${p.reviewer.name} (${p.reviewer.id}) ${p.reviewer.fingerprint}, ${p.createdAt}`,
      `Answers       ${p.workPackage.id} (${p.workPackage.kind}) ${p.workPackage.statementDigest}`,
      `Items         ${p.counts.items}: ${p.counts.decided} done, ${p.counts.open} left`,
      `Chain         ${p.chain.length} events, head ${p.chain.head}`,
    );
    if (report.metrics?.warnings.length) lines.push(`Drift         ${report.metrics.warnings.join('; ')}`);
  }
  if (report.statementDigest) lines.push(`Statement     ${report.statementDigest}`);
  lines.push('', 'Signer');
  if (!report.signers.length) lines.push(`  ${BAD} no signature could be checked`);
  for (const s of report.signers) {
    const trust = s.pinned ? `pinned: ${s.trustedAs!.name}` : trustGiven ? 'NOT in the trust list' : 'not pinned (no trust list)';
    lines.push(
      `  ${s.signatureValid && (s.pinned || !trustGiven) ? OK : BAD} ${s.keyid}  ${s.fingerprint ?? '(unknown key)'}  signature ${s.signatureValid ? 'valid' : 'INVALID'}  ${trust}`,
    );
  }
  lines.push('', 'Files');
  for (const f of report.files)
    lines.push(`  ${f.status === 'ok' ? OK : BAD} ${f.name}  ${f.status === 'ok' ? `sha256 ${f.actualSha256}` : f.status.toUpperCase()}`);
  return lines;
}

function unreadable(io: CliIo, message: string): number {
  io.err(`arw verify: ${message}`);
  return EXIT.usage;
}

async function readInput(path: string, what: string, limit = PACKAGE_LIMIT_BYTES): Promise<Uint8Array | string> {
  try {
    return await readBounded(path, path === '-' ? 'standard input' : `the ${what} ${path}`, limit, `a ${what}`);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

/** The package to verify: a file read by offset as it is verified (never held whole), or standard input's bytes. */
async function openPackage(path: string): Promise<FileSource | RandomAccessSource | string> {
  try {
    if (path === '-') return bytesSource(await readBounded(path, 'standard input', PACKAGE_LIMIT_BYTES, 'a package'));
    return await openInputSource(path, `the package ${path}`, PACKAGE_LIMIT_BYTES, 'a package');
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

async function readTrustedKeys(path: string): Promise<TrustedKey[] | string> {
  const bytes = await readInput(path, 'trusted-keys file', SMALL_FILE_LIMIT_BYTES);
  if (typeof bytes === 'string') return bytes;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    return `the trusted-keys file ${path} is not valid JSON (${(error as Error).message})`;
  }
  const parsed = parseTrustedKeys(json);
  return parsed.ok ? parsed.keys : `the trusted-keys file ${path} is not usable:\n  ${parsed.problems.join('\n  ')}`;
}

// ---------------------------------------------------------------- the report for a person

const OK = '✓';
const BAD = '✗';

export function humanReport(report: VerifyReport, name: string, trustGiven: boolean, baselineName: string | null = null): string[] {
  const lines = [verdictLine(report, name)];
  for (const r of report.reasons)
    lines.push(`  ${BAD} [${r.check}] ${r.itemId ? `${r.itemId.replace('\u001f', ' / ')}: ` : ''}${r.message}`);
  if (report.undecidedCount) {
    lines.push(`Items without a final decision (${report.undecidedCount.toLocaleString('en-US')}):`);
    for (const u of report.undecided) lines.push(`  - ${u.message}  [${u.itemId.replace('\u001f', ' / ')}]`);
    if (report.undecidedCount > report.undecided.length)
      lines.push(`  … and ${(report.undecidedCount - report.undecided.length).toLocaleString('en-US')} more`);
  }
  for (const w of report.warnings)
    lines.push(`warning: ${w.message}${w.check === 'trust' && !trustGiven ? ' (arw verify --trust KEYS.json)' : ''}`);
  if (!report.readable || report.checks.archive === false) return lines;
  if (report.campaign) {
    const period = report.statement ? `${report.statement.predicate.period.from} → ${report.statement.predicate.period.to}` : '';
    lines.push(
      '',
      `Campaign      ${report.campaign.name} (${report.campaign.id})`,
      `Period        ${period}`,
      `Scope         ${report.campaign.scope}`,
    );
  }
  if (report.statementDigest) lines.push(`Statement     ${report.statementDigest}`);
  if (report.baseline) lines.push('', ...baselineLines(report, baselineName));
  lines.push('', 'Signers');
  if (!report.signers.length) lines.push(`  ${BAD} no signature could be checked`);
  for (const s of report.signers) {
    const trust = s.pinned
      ? `pinned: ${s.trustedAs!.name}${s.trustedAs!.email ? ` <${s.trustedAs!.email}>` : ''}`
      : trustGiven
        ? 'NOT in the trust list'
        : 'not pinned (no trust list)';
    lines.push(
      `  ${s.signatureValid && (s.pinned || !trustGiven) ? OK : BAD} ${s.keyid}  ${s.fingerprint ?? '(unknown key)'}  ${s.reviewerId ? `reviewer ${s.reviewerId}  ` : ''}signature ${s.signatureValid ? 'valid' : 'INVALID'}  ${trust}`,
    );
  }
  if (report.embeddedSets.length) {
    lines.push('', "Decision sets (embedded: each reviewer's own signature over their decisions)");
    for (const d of report.embeddedSets) {
      const trust = d.pinned ? 'pinned' : trustGiven ? 'NOT in the trust list' : 'not pinned (no trust list)';
      lines.push(
        `  ${d.verdict === 'valid' ? OK : BAD} ${d.reviewerId ?? '(unknown reviewer)'}  ${d.fingerprint ?? ''}  ${d.verdict.toUpperCase()}  ${trust}  proves ${d.events.toLocaleString('en-US')} audit event${d.events === 1 ? '' : 's'}  ${d.file}`,
      );
    }
  }
  lines.push('', 'Files');
  const width = Math.max(...report.files.map((f) => f.name.length), 10);
  for (const f of report.files) {
    const mark = f.status === 'ok' ? OK : BAD;
    const size = f.size === null ? '' : formatBytes(f.size);
    const detail =
      f.status === 'ok'
        ? `sha256 ${f.actualSha256}`
        : f.status === 'digest-mismatch'
          ? `CHANGED: sha256 ${f.actualSha256}, manifest ${f.expectedSha256}`
          : f.status.toUpperCase();
    lines.push(`  ${mark} ${f.name.padEnd(width)}  ${size.padStart(10)}  ${detail}`);
  }
  lines.push('', 'Audit chain');
  const c = report.chain;
  if (!c) lines.push(`  ${BAD} not checked (audit-log.jsonl missing or unreadable)`);
  else
    lines.push(
      `  ${c.ok ? OK : BAD} ${c.length.toLocaleString('en-US')} events, head ${c.head ?? '(broken)'}${c.ok ? ', as the manifest certifies' : `; manifest: ${c.manifestLength ?? '?'} events, head ${c.manifestHead ?? '?'}`}`,
    );
  lines.push(`  ${report.checks.consistency ? OK : BAD} decisions.json and the remediation plan agree with the audit log and the manifest`);
  lines.push('', 'Completeness');
  lines.push(...completenessLines(report));
  if (report.reviewerBehaviour.length) {
    lines.push('', 'Reviewer behaviour');
    for (const b of report.reviewerBehaviour) {
      const rate = b.acceptanceRate === null ? '—' : `${Math.round(b.acceptanceRate * 100)}%`;
      const pace = b.medianSecondsPerDecision === null ? '—' : `${b.medianSecondsPerDecision} s`;
      lines.push(
        `  ${b.driftWarnings.length ? '!' : OK} ${b.name} (${b.reviewerId}): ${b.decisions} decisions, accepted ${rate}, median ${pace} per decision, longest fast-accept streak ${b.longestFastAcceptStreak}, ${b.approvalsGiven} approvals given`,
      );
      for (const w of b.driftWarnings) lines.push(`      drift: ${w}`);
    }
    const t = report.reviewerBehaviour[0]!.thresholds;
    lines.push(
      `  thresholds: fast under ${t.fastAcceptSeconds} s, fast-accept streaks flagged from ${t.fastAcceptStreak}, acceptance above ${t.highAcceptanceRate * 100}% over ${t.minDecisionsForRate}+ decisions`,
    );
  }
  return lines;
}

/** The certification this package follows, so the chain can be followed back package by package. */
function baselineLines(report: VerifyReport, baselineName: string | null): string[] {
  const b = report.baseline!;
  const l = b.link;
  const ok = report.checks.baseline ? OK : BAD;
  const lines = [
    `Baseline      ${ok} follows ${l.campaignName} (${l.campaignId}), certified ${l.certifiedAt}`,
    `  package     ${l.packageDigest}`,
    `  statement   ${l.statementDigest}`,
    `  scope       ${l.scope === 'all' ? 'every item' : 'changed or new items, plus every high and critical item'}`,
  ];
  if (b.counts)
    lines.push(
      `  changes     ${b.counts.unchanged} unchanged, ${b.counts.changed} changed, ${b.counts.new} new, ${b.counts.removed} removed`,
    );
  lines.push(`  decisions   ${b.carried} carried from the baseline (confirmed by a reviewer), ${b.fresh} decided afresh`);
  const s = b.supplied;
  if (!s)
    lines.push('  checked     against the link only (arw verify PKG --baseline BASELINE.arwpkg checks it against the baseline package)');
  else {
    const digests =
      s.packageDigestMatches && s.statementDigestMatches
        ? 'package and statement digests match the link'
        : `${s.packageDigestMatches ? '' : 'package digest DIFFERS'}${!s.packageDigestMatches && !s.statementDigestMatches ? ', ' : ''}${s.statementDigestMatches ? '' : 'statement digest DIFFERS'}`;
    lines.push(`  checked     against ${baselineName ?? 'the baseline package'}: ${s.verdict.toUpperCase()}, ${digests}`);
    if (s.follows)
      lines.push(
        `  which follows ${s.follows.campaignName} (${s.follows.campaignId}), certified ${s.follows.certifiedAt}, package ${s.follows.packageDigest}`,
      );
    else if (s.verdict === 'valid') lines.push('  which follows no earlier certification');
  }
  return lines;
}

function verdictLine(report: VerifyReport, name: string): string {
  if (!report.readable) return `UNREADABLE  ${name}: not a certification package`;
  if (report.verdict === 'valid') {
    const items = report.counts.actual?.items ?? 0;
    const events = report.chain?.length ?? 0;
    const signatures = report.signers.length;
    const sets = report.embeddedSets.length
      ? `, ${report.embeddedSets.length} embedded signed decision set${report.embeddedSets.length === 1 ? '' : 's'}`
      : '';
    return `VALID  ${name}: intact and complete: ${signatures} signature${signatures === 1 ? '' : 's'}${sets}, ${report.files.length} file digests, a ${events.toLocaleString('en-US')}-event audit chain, ${items.toLocaleString('en-US')} items all decided`;
  }
  if (report.verdict === 'incomplete') {
    const n = report.undecidedCount;
    return `INCOMPLETE  ${name}: intact and signed, but ${n.toLocaleString('en-US')} item${n === 1 ? '' : 's'} without a final decision (listed below)`;
  }
  const count = report.reasons.length;
  return `INVALID  ${name}: ${count} problem${count === 1 ? '' : 's'} (${failedChecks(report.reasons).join(', ')}): do not rely on this package`;
}

function failedChecks(reasons: readonly Finding[]): string[] {
  return [...new Set(reasons.map((r) => r.check))];
}

function completenessLines(report: VerifyReport): string[] {
  const c = report.completeness;
  const n = report.counts.actual;
  if (!c || !n) return [`  ${BAD} not checked (decisions.json missing or unreadable)`];
  const lines = [
    `  ${c.open === 0 ? OK : BAD} ${n.items.toLocaleString('en-US')} items: ${n.decided.toLocaleString('en-US')} decided, ${n.open.toLocaleString('en-US')} without a final decision (${c.escalated} escalated, ${c.stepUpWithoutApprover} awaiting approval)`,
    `  ${c.overridesWithoutRationale === 0 ? OK : BAD} ${n.overridden.toLocaleString('en-US')} overridden, ${c.overridesWithoutRationale} without a rationale`,
    `  ${c.neverDelegateWithoutRationale === 0 ? OK : BAD} never-delegate items without a rationale: ${c.neverDelegateWithoutRationale}`,
    `  ${c.stepUpWithoutApprover + c.stepUpSelfApproved === 0 ? OK : BAD} ${n.stepUpApproved.toLocaleString('en-US')} approved by a second person; ${c.stepUpWithoutApprover} awaiting approval, ${c.stepUpSelfApproved} self-approved`,
  ];
  const m = report.counts.manifest;
  lines.push(
    `  ${report.checks.counts ? OK : BAD} the manifest's counts ${report.checks.counts ? 'match' : `do not match (manifest: ${m ? JSON.stringify(m) : 'unreadable'})`}`,
  );
  return lines;
}

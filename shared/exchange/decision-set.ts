// Decision set (reviewer → owner): the reviewer's hash chain of events for one work package, their drift metrics and
// the digest of the work package it answers, signed by the reviewer. Partial sets are allowed and say what is left.
import { fromUtf8, utf8 } from '../codec';
import { canonicalText, checkAuditChain, lineStartOffsets } from '../package';
import { keyFingerprint } from '../package';
import type { PackageSigner } from '../package';
import { sameActorProblem } from '../review';
import { deriveItemStates } from '../review';
import type { AuditEvent } from '../review';
import { DECISION_SET_FILES, DECISION_SET_PREDICATE, DRIFT_METRICS_SCHEMA } from './layout';
import { buildSignedArchive, containerVerdict, describeSigner, isRecord, keyedPersonProblem, openSignedArchive } from './signed-archive';
import type {
  BuiltExchange,
  DecisionSetInput,
  DecisionSetPredicate,
  DecisionSetReport,
  DecisionSetVerifyOptions,
  DriftMetrics,
  KeyedPerson,
  WorkItem,
  WorkPackagePredicate,
  WorkPackageReport,
} from './types';
import { verifyWorkPackage } from './work-package';

const FAST_SECONDS = 5;
const FAST_STREAK = 10;
const HIGH_ACCEPTANCE = 0.95;
const MIN_FOR_RATE = 20;

export interface ApprovalRef {
  decisionSet: string;
  seq: number;
  hash: string;
}

/** The decision an approval event approves (details.approves), or null when it names none. */
export function approvalTarget(e: AuditEvent): ApprovalRef | null {
  const a = e.details?.approves;
  if (!isRecord(a) || typeof a.decisionSet !== 'string' || typeof a.seq !== 'number' || typeof a.hash !== 'string') return null;
  return { decisionSet: a.decisionSet, seq: a.seq, hash: a.hash };
}

/** Standing approvals of an approver's chain: an `undo` that refers to an approval's seq withdraws it. */
export function standingApprovals(events: readonly AuditEvent[]): Map<string, AuditEvent> {
  const out = new Map<string, AuditEvent>();
  for (const e of events) {
    if (!e.itemId) continue;
    if (e.type === 'approval') out.set(e.itemId, e);
    else if (e.type === 'undo' && out.get(e.itemId)?.seq === e.refersTo) out.delete(e.itemId);
  }
  return out;
}

/** Drift metrics of one reviewer's chain: how fast and how often they accept the assistant's suggestion. */
export function driftMetrics(reviewerId: string, events: readonly AuditEvent[]): DriftMetrics {
  const seconds: number[] = [];
  let decisions = 0;
  let accepted = 0;
  let fastAccepts = 0;
  let streak = 0;
  let longest = 0;
  let approvals = 0;
  let undos = 0;
  for (const e of events) {
    if (e.type === 'approval') approvals++;
    if (e.type === 'undo') undos++;
    if (e.type !== 'decision') continue;
    decisions++;
    if (e.secondsOnScreen !== undefined) seconds.push(e.secondsOnScreen);
    const fast = e.acceptedSuggestion === true && e.secondsOnScreen !== undefined && e.secondsOnScreen < FAST_SECONDS;
    if (e.acceptedSuggestion) accepted++;
    if (fast) {
      fastAccepts++;
      streak++;
      longest = Math.max(longest, streak);
    } else streak = 0;
  }
  seconds.sort((a, b) => a - b);
  const median = seconds.length
    ? seconds.length % 2
      ? seconds[(seconds.length - 1) / 2]!
      : (seconds[seconds.length / 2 - 1]! + seconds[seconds.length / 2]!) / 2
    : null;
  const rate = decisions ? accepted / decisions : null;
  const warnings: string[] = [];
  if (rate !== null && decisions >= MIN_FOR_RATE && rate >= HIGH_ACCEPTANCE)
    warnings.push(`accepted ${Math.round(rate * 100)}% of ${decisions} suggestions`);
  if (longest >= FAST_STREAK) warnings.push(`${longest} accepts in a row under ${FAST_SECONDS} seconds each`);
  return {
    schema: DRIFT_METRICS_SCHEMA,
    reviewerId,
    decisions,
    accepted,
    overridden: decisions - accepted,
    acceptanceRate: rate,
    medianSecondsOnScreen: median,
    fastAccepts,
    longestFastAcceptStreak: longest,
    approvals,
    undos,
    warnings,
  };
}

/** Every problem of a reviewer's events against the work package they answer. */
export function eventProblems(
  events: readonly AuditEvent[],
  wp: WorkPackagePredicate,
  items: readonly WorkItem[],
  reviewer: KeyedPerson,
): Array<{ message: string; itemId?: string }> {
  const problems: Array<{ message: string; itemId?: string }> = [];
  const byId = new Map(items.map((i) => [i.itemId, i]));
  const seqs = new Map(events.map((e) => [e.seq, e]));
  for (const e of events) {
    const where = e.itemId !== undefined ? { itemId: e.itemId } : {};
    if (e.campaignId !== wp.campaign.id)
      problems.push({ message: `event ${e.seq} belongs to campaign ${e.campaignId}, not ${wp.campaign.id}`, ...where });
    if (e.actor.id !== reviewer.id || e.actor.keyFingerprint !== reviewer.fingerprint)
      problems.push({
        message: `event ${e.seq} was recorded by ${e.actor.id} (${e.actor.keyFingerprint}), not by the reviewer ${reviewer.id} of the work package`,
        ...where,
      });
    const allowed = wp.kind === 'review' ? ['decision', 'undo', 'note'] : ['approval', 'undo', 'note'];
    if (!allowed.includes(e.type))
      problems.push({ message: `event ${e.seq} is a "${e.type}" event, which a ${wp.kind} decision set cannot carry`, ...where });
    if (e.type === 'note') continue;
    if (e.itemId === undefined) {
      problems.push({ message: `event ${e.seq} (${e.type}) names no item` });
      continue;
    }
    const item = byId.get(e.itemId);
    if (!item) {
      problems.push({
        message: `event ${e.seq} is about an item that is not in the work package (not assigned to ${reviewer.id})`,
        itemId: e.itemId,
      });
      continue;
    }
    if (e.type === 'undo') {
      const target = e.refersTo !== undefined ? seqs.get(e.refersTo) : undefined;
      if (!target || target.itemId !== e.itemId || target.seq >= e.seq)
        problems.push({ message: `undo event ${e.seq} refers to no earlier event of this item`, itemId: e.itemId });
    }
    if (e.type === 'approval') {
      const ref = approvalTarget(e);
      const pending = item.pending;
      if (!ref)
        problems.push({ message: `approval event ${e.seq} does not name the decision it approves (details.approves)`, itemId: e.itemId });
      else if (!pending || ref.hash !== pending.event.hash || ref.seq !== pending.event.seq || ref.decisionSet !== pending.decisionSet)
        problems.push({
          message: `approval event ${e.seq} approves a decision other than the one the work package sent`,
          itemId: e.itemId,
        });
      const same = pending
        ? sameActorProblem(
            { id: pending.decider.id, keyFingerprint: pending.decider.fingerprint },
            { id: reviewer.id, keyFingerprint: reviewer.fingerprint },
          )
        : null;
      if (same) problems.push({ message: `approval event ${e.seq}: ${same}`, itemId: e.itemId });
    }
  }
  return problems;
}

/** How many of the work package's items the events leave open (no standing decision, or no standing approval). */
export function countDecided(kind: WorkPackagePredicate['kind'], events: readonly AuditEvent[], items: readonly WorkItem[]): number {
  if (kind === 'approval') {
    const approvals = standingApprovals(events);
    return items.filter((i) => approvals.has(i.itemId)).length;
  }
  const states = deriveItemStates(events);
  return items.filter((i) => {
    const current = states.get(i.itemId)?.current;
    return current !== null && current !== undefined && current.action !== 'cant-decide';
  }).length;
}

export async function buildDecisionSet(input: DecisionSetInput, reviewer: PackageSigner): Promise<BuiltExchange<DecisionSetPredicate>> {
  const wp = input.workPackage.predicate;
  const personProblem = keyedPersonProblem(input.reviewer, 'reviewer');
  if (personProblem) throw new Error(personProblem);
  if (input.reviewer.fingerprint !== wp.reviewer.fingerprint || input.reviewer.id !== wp.reviewer.id)
    throw new Error(
      `the work package is for ${wp.reviewer.id} (${wp.reviewer.fingerprint}), not ${input.reviewer.id} (${input.reviewer.fingerprint})`,
    );
  if (keyFingerprint(reviewer.publicKey) !== input.reviewer.fingerprint)
    throw new Error(`the decision set must be signed by the reviewer's key ${input.reviewer.fingerprint}`);
  const chain = checkAuditChain(input.events);
  if (!chain.ok) throw new Error(`the reviewer's event chain is broken: ${chain.reason}`);
  const problems = eventProblems(input.events, wp, input.workPackage.items, input.reviewer);
  if (problems.length)
    throw new Error(
      `${problems.length} event(s) cannot go into this decision set: ${problems
        .slice(0, 3)
        .map((p) => `${p.itemId ? `${p.itemId}: ` : ''}${p.message}`)
        .join('; ')}`,
    );
  const decided = countDecided(wp.kind, input.events, input.workPackage.items);
  const predicate: DecisionSetPredicate = {
    formatVersion: 1,
    campaign: { id: wp.campaign.id },
    workPackage: { id: wp.id, kind: wp.kind, statementDigest: input.workPackage.statementDigest },
    reviewer: input.reviewer,
    createdAt: input.createdAt,
    chain: { head: chain.head, length: chain.length },
    counts: { items: input.workPackage.items.length, decided, open: input.workPackage.items.length - decided },
    signer: describeSigner(reviewer),
  };
  const eventsText = input.events.map((e) => canonicalText(e)).join('\n');
  return buildSignedArchive(
    DECISION_SET_PREDICATE,
    predicate,
    [
      ['events.jsonl', utf8(input.events.length ? `${eventsText}\n` : '')],
      ['metrics.json', utf8(`${JSON.stringify(driftMetrics(input.reviewer.id, input.events), null, 2)}\n`)],
    ],
    reviewer,
  );
}

export async function verifyDecisionSet(bytes: Uint8Array, options: DecisionSetVerifyOptions = {}): Promise<DecisionSetReport> {
  const opened = await openSignedArchive<DecisionSetPredicate>(
    bytes,
    DECISION_SET_PREDICATE,
    DECISION_SET_FILES,
    options.trustedKeys,
    'decision set',
  );
  const { findings, statement } = opened;
  findings.markRan('chain', 'consistency');
  let events: AuditEvent[] = [];
  let metrics: DriftMetrics | null = null;
  let itemsLeft: number | null = null;
  // A predicate of the wrong shape is reported, and nothing else is read from it.
  const shape = statement ? predicateProblems(statement.predicate) : [];
  for (const problem of shape) findings.fail('manifest', problem);
  const p = shape.length ? undefined : statement?.predicate;
  if (p) {
    {
      const personProblem = keyedPersonProblem(p.reviewer, 'reviewer');
      if (personProblem) findings.fail('manifest', personProblem);
      if (p.signer.fingerprint !== p.reviewer.fingerprint || p.signer.publicKey !== p.reviewer.publicKey)
        findings.fail(
          'signatures',
          `the decision set is signed by ${p.signer.fingerprint}, not by its reviewer ${p.reviewer.id} (${p.reviewer.fingerprint})`,
        );
      if (p.counts.decided + p.counts.open !== p.counts.items)
        findings.fail(
          'manifest',
          `the counts do not add up: ${p.counts.decided} decided + ${p.counts.open} open ≠ ${p.counts.items} items`,
        );
    }
  }
  const eventBytes = opened.files.get('events.jsonl');
  let lines: string[] = [];
  if (eventBytes) {
    const parsed = readEvents(eventBytes);
    if (typeof parsed === 'string') findings.fail('chain', parsed, { file: 'events.jsonl' });
    else ({ events, lines } = parsed);
  } else findings.fail('chain', 'the event chain cannot be checked: events.jsonl is missing or changed');
  if (eventBytes && p && !findings.failed('chain')) {
    // Same checks as verifyChain, hashed over the file's own canonical lines (shared/package/audit-chain-check.ts).
    const chain = checkAuditChain(events, { bytes: eventBytes, lines, lineStarts: lineStartOffsets(eventBytes, lines.length) });
    if (!chain.ok) findings.fail('chain', `the reviewer's event chain is broken: ${chain.reason}`, { file: 'events.jsonl' });
    else if (p.chain.head !== chain.head || p.chain.length !== chain.length)
      findings.fail(
        'chain',
        `the events (${chain.length}, head ${chain.head}) are not the chain the manifest certifies (${p.chain.length}, head ${p.chain.head})`,
      );
  }
  const metricsBytes = opened.files.get('metrics.json');
  if (metricsBytes && p) {
    const expected = `${JSON.stringify(driftMetrics(p.reviewer.id, events), null, 2)}\n`;
    if (fromUtf8(metricsBytes) !== expected)
      findings.fail('consistency', 'metrics.json is not what the events imply', { file: 'metrics.json' });
    else metrics = JSON.parse(expected) as DriftMetrics;
  }

  // Against the work package it claims to answer.
  let wp: WorkPackageReport | null = null;
  if (options.workPackage) {
    findings.markRan('answers');
    const given = options.workPackage;
    if (given instanceof Uint8Array) wp = await verifyWorkPackage(given, options.trustedKeys ? { trustedKeys: options.trustedKeys } : {});
    else if (typeof given === 'function') {
      wp = p ? (given(p.workPackage.statementDigest) ?? null) : null;
      if (p && !wp)
        findings.fail(
          'answers',
          `the decision set answers work package ${p.workPackage.id} (${p.workPackage.statementDigest}), which is not one of this campaign's work packages`,
        );
    } else wp = given;
    if (wp && wp.verdict !== 'valid')
      findings.fail(
        'answers',
        `the work package it answers does not verify: ${wp.reasons
          .slice(0, 3)
          .map((r) => r.message)
          .join('; ')}`,
      );
  }
  const wpPredicate = wp?.statement?.predicate;
  if (p && wp && wpPredicate) {
    if (p.workPackage.statementDigest !== wp.statementDigest)
      findings.fail(
        'answers',
        `the decision set answers work package ${p.workPackage.statementDigest}, not this one (${wp.statementDigest})`,
      );
    if (p.workPackage.id !== wpPredicate.id || p.workPackage.kind !== wpPredicate.kind)
      findings.fail(
        'answers',
        `the decision set names work package ${p.workPackage.id} (${p.workPackage.kind}), not ${wpPredicate.id} (${wpPredicate.kind})`,
      );
    if (p.campaign.id !== wpPredicate.campaign.id)
      findings.fail('answers', `the decision set is for campaign ${p.campaign.id}, the work package for ${wpPredicate.campaign.id}`);
    if (p.reviewer.fingerprint !== wpPredicate.reviewer.fingerprint || p.reviewer.id !== wpPredicate.reviewer.id)
      findings.fail(
        'answers',
        `the work package was sent to ${wpPredicate.reviewer.id} (${wpPredicate.reviewer.fingerprint}); the decision set is by ${p.reviewer.id} (${p.reviewer.fingerprint})`,
      );
    if (p.counts.items !== wp.items.length)
      findings.fail('answers', `the decision set counts ${p.counts.items} items; the work package has ${wp.items.length}`);
    if (!findings.failed('chain')) {
      for (const problem of eventProblems(events, wpPredicate, wp.items, p.reviewer))
        findings.fail('answers', problem.message, problem.itemId !== undefined ? { itemId: problem.itemId } : {});
      const decided = countDecided(wpPredicate.kind, events, wp.items);
      itemsLeft = wp.items.length - decided;
      if (decided !== p.counts.decided)
        findings.fail('answers', `the manifest counts ${p.counts.decided} items decided; the events decide ${decided}`);
    }
  } else if (p && !options.workPackage) {
    itemsLeft = p.counts.open;
    if (
      events.some(
        (e) => e.campaignId !== p.campaign.id || e.actor.keyFingerprint !== p.reviewer.fingerprint || e.actor.id !== p.reviewer.id,
      )
    ) {
      findings.fail('consistency', `some events are not the reviewer ${p.reviewer.id}'s events for campaign ${p.campaign.id}`);
    }
    findings.warn(
      'answers',
      'not checked against its work package (give the work package to check that every item was assigned to this reviewer)',
    );
  }
  return {
    kind: 'decision-set',
    ...containerVerdict(opened),
    statement,
    events,
    metrics,
    itemsLeft,
  };
}

function predicateProblems(p: DecisionSetPredicate): string[] {
  const v = p as unknown as Record<string, unknown>;
  const problems: string[] = [];
  if (!isRecord(v.campaign) || typeof v.campaign.id !== 'string') problems.push('the predicate must name the campaign');
  if (
    !isRecord(v.workPackage) ||
    typeof v.workPackage.statementDigest !== 'string' ||
    typeof v.workPackage.id !== 'string' ||
    (v.workPackage.kind !== 'review' && v.workPackage.kind !== 'approval')
  )
    problems.push('the predicate must name the work package {id, kind, statementDigest}');
  if (
    !isRecord(v.reviewer) ||
    typeof v.reviewer.id !== 'string' ||
    typeof v.reviewer.fingerprint !== 'string' ||
    typeof v.reviewer.publicKey !== 'string'
  )
    problems.push('the predicate must name the reviewer {id, name, fingerprint, publicKey}');
  if (typeof v.createdAt !== 'string') problems.push('the predicate\'s "createdAt" must be a string');
  if (!isRecord(v.chain) || typeof v.chain.head !== 'string' || typeof v.chain.length !== 'number')
    problems.push('the predicate must certify the chain {head, length}');
  if (
    !isRecord(v.counts) ||
    typeof v.counts.items !== 'number' ||
    typeof v.counts.decided !== 'number' ||
    typeof v.counts.open !== 'number'
  )
    problems.push('the predicate must count {items, decided, open}');
  return problems;
}

function readEvents(bytes: Uint8Array): { events: AuditEvent[]; lines: string[] } | string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return 'events.jsonl is not valid UTF-8';
  }
  if (text === '') return { events: [], lines: [] };
  if (!text.endsWith('\n')) return 'events.jsonl must end with a newline';
  const events: AuditEvent[] = [];
  const lines = text.slice(0, -1).split('\n');
  for (const [i, line] of lines.entries()) {
    try {
      const e = JSON.parse(line) as unknown;
      if (
        !isRecord(e) ||
        typeof e.seq !== 'number' ||
        typeof e.hash !== 'string' ||
        typeof e.prevHash !== 'string' ||
        typeof e.type !== 'string' ||
        !isRecord(e.actor) ||
        typeof e.campaignId !== 'string'
      )
        return `events.jsonl line ${i + 1} is not an audit event`;
      events.push(e as unknown as AuditEvent);
    } catch {
      return `events.jsonl line ${i + 1} is not valid JSON`;
    }
  }
  return { events, lines };
}

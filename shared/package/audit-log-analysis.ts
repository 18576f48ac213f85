// What audit-log.jsonl says on its own, for the verifier: whether it reads, the chain check, events recorded by
// someone the manifest does not list (or with another key), and each item's standing decision. It needs only the
// file and two facts from the manifest, so a host may run it on another thread (the arw CLI does: see
// electron/cli/audit-log-worker.ts) while that one reads decisions.json; the result is plain data for that reason.
//
// The log is walked one line at a time (walkAuditLog, as readAuditLog is) and no event is kept once it is
// checked: a 100,000-event log never lives in memory as objects, which spares the garbage collector most of its
// work. Same findings as readAuditLog followed by
// checkAuditChain, eventActorFindings and standingDecisions over the events (tests hold them equal).
import type { ChainCheck } from '../review';
import { StandingDecisionLog } from '../review';
import type { AuditEvent } from '../review';
import { ChainWalker } from './audit-chain-check';
import {
  consistencyFindings,
  standingLookup,
  standingOf,
  type ComparedItem,
  type ConsistencyFindings,
  type StandingDecision,
} from './decision-chain-consistency';
import { AuditLogWalk } from './audit-log-reading';
import { EventSignatureCheck, type DecisionPace, type EventSignatureFinding, type PendingSignature } from './event-signatures';

/** The manifest's facts the events are checked against (null when the manifest could not be read). */
export interface AuditLogContext {
  campaignId: string;
  /** With the raw public key (base64) where known: each signed event is checked against it. */
  reviewers: readonly { id: string; fingerprint: string; publicKey?: string }[];
}

export interface EventFinding {
  message: string;
  /** The event's item, or "event N" for an event about no item. */
  itemId: string;
}

export type AuditLogAnalysis =
  | { readable: false; problems: string[] }
  | {
      readable: true;
      length: number;
      chain: ChainCheck;
      /** Null without a context to check against. */
      actorFindings: EventFinding[] | null;
      /** Per-event signatures and who approved what (null without a context). */
      signatureFindings: EventSignatureFinding[] | null;
      /** Each reviewer's decision pace, for the behaviour report. */
      pace: DecisionPace[];
      /** Signatures left to check asynchronously (verifyPendingSignatures), in chain order. */
      pendingSignatures: PendingSignature[];
      standing: Map<string, StandingDecision | null>;
      /** Each campaign-created event's `details.baseline` (null where it has none), for the baseline check. */
      campaignBaselines: unknown[];
    };

/**
 * What the verifier reports of the log: the analysis with decisions.json compared against it (ConsistencyFindings,
 * null without readable items to compare) in place of the standing decisions.
 */
export type AuditLogFindings =
  | { readable: false; problems: string[] }
  | (Omit<Extract<AuditLogAnalysis, { readable: true }>, 'standing'> & { consistency: ConsistencyFindings | null });

/** The findings of an analysis, decisions.json's items (null when unreadable) compared with its standing decisions. */
export function findingsOf(analysis: AuditLogAnalysis, items: Iterable<ComparedItem> | null): AuditLogFindings {
  if (!analysis.readable) return analysis;
  const { standing, ...rest } = analysis;
  return { ...rest, consistency: items ? consistencyFindings(items, standing) : null };
}

/** Runs analyzeAuditLog, here or elsewhere (VerifyOptions.analyzeAuditLog). */
export type AuditLogAnalyzer = (bytes: Uint8Array, context: AuditLogContext | null) => Promise<AuditLogAnalysis>;

export function analyzeAuditLog(bytes: Uint8Array, context: AuditLogContext | null): AuditLogAnalysis {
  return new IncrementalAuditLogAnalysis(bytes, context).finish(bytes.length);
}

/**
 * analyzeAuditLog over a file that arrives in pieces (as it inflates: see audit-log-stream.ts): `bytes` is the whole
 * file's buffer, filled from the start; advance(n) analyses the lines complete in its first n bytes, finish(length)
 * the rest, and gives analyzeAuditLog's result (or findings(length, items), the verifier's findings).
 */
export class IncrementalAuditLogAnalysis {
  private readonly chain = new ChainWalker();
  private readonly actors: EventActorCheck | null;
  private readonly signatures: EventSignatureCheck;
  private readonly standing = new StandingDecisionLog();
  private readonly walk: AuditLogWalk;
  private readonly baselines: unknown[] = [];
  /** Bytes of the file dropped by rebase: the file's offsets are the buffer's plus this. */
  private dropped = 0;

  /** `offThread`: signatures verified on the host's thread pool (EventSignatureCheck); await `settled()` before finishing. */
  constructor(bytes: Uint8Array, context: AuditLogContext | null, options: { offThread?: boolean } = {}) {
    this.actors = context ? new EventActorCheck(context) : null;
    this.signatures = new EventSignatureCheck(context?.reviewers ?? [], options);
    const { chain, actors, standing, signatures, baselines } = this;
    // Lean events: the checks below read only the members the event shape names (see walkAuditLog).
    const walk = (this.walk = new AuditLogWalk(
      bytes,
      (e, line, byteStart, byteEnd, canonical) => {
        // The walk's buffer, not `bytes`: a sliding reader (readAuditLogChunks) swaps it as the file goes by.
        chain.step(e, line, walk.buffer, byteStart, byteEnd, canonical);
        actors?.check(e);
        signatures.check(e, () => (canonical ? (JSON.parse(line) as AuditEvent) : e));
        standing.apply(e);
        // A lean event leaves out `details`: the one campaign-created line is parsed whole for its baseline.
        if (e.type === 'campaign-created') baselines.push(baselineOfLine(line));
      },
      { lean: true },
    ));
  }

  /** See AuditLogWalk: the buffer, its unread part, and moving on to a new one. */
  get unread(): number {
    return this.walk.unread;
  }

  rebase(bytes: Uint8Array, dropped: number): void {
    this.walk.rebase(bytes, dropped);
    this.dropped += dropped;
  }

  /** The lines complete in the file's first `available` bytes (of which the buffer holds those not dropped). */
  advance(available: number): void {
    this.walk.advance(available - this.dropped);
  }

  /** Every signature verified off the thread (none are without `offThread`). */
  settled(): Promise<void> {
    return this.signatures.settled();
  }

  finish(length: number): AuditLogAnalysis {
    const walked = this.walk.finish(length - this.dropped);
    if (!walked.ok) return { readable: false, problems: walked.problems };
    return {
      readable: true,
      length: walked.value,
      chain: this.chain.result(),
      actorFindings: this.actors?.findings ?? null,
      ...this.signatureResult(),
      standing: standingOf(this.standing),
      campaignBaselines: this.baselines,
    };
  }

  /**
   * findingsOf(finish(length), items) (finish or this, once), without making every standing decision first: each is made as the comparison
   * asks for it (`items` are usually known only once the log is read: see audit-log-stream.ts).
   */
  findings(length: number, items: Iterable<ComparedItem> | null): AuditLogFindings {
    const walked = this.walk.finish(length - this.dropped);
    if (!walked.ok) return { readable: false, problems: walked.problems };
    const consistency = items ? consistencyFindings(items, standingLookup(this.standing)) : null;
    return {
      readable: true,
      length: walked.value,
      chain: this.chain.result(),
      actorFindings: this.actors?.findings ?? null,
      ...this.signatureResult(),
      campaignBaselines: this.baselines,
      consistency,
    };
  }

  private signatureResult(): {
    signatureFindings: EventSignatureFinding[] | null;
    pace: DecisionPace[];
    pendingSignatures: PendingSignature[];
  } {
    return {
      signatureFindings: this.actors ? this.signatures.findings : null,
      pace: this.signatures.paces(),
      pendingSignatures: this.actors ? this.signatures.pending : [],
    };
  }
}

function baselineOfLine(line: string): unknown {
  try {
    const details = (JSON.parse(line) as { details?: { baseline?: unknown } }).details;
    return details?.baseline ?? null;
  } catch {
    return null;
  }
}

export const analyzeAuditLogHere: AuditLogAnalyzer = async (bytes, context) => analyzeAuditLog(bytes, context);

/** Every event is the campaign's, by a reviewer the manifest lists, with the key the manifest lists for them. */
class EventActorCheck {
  readonly findings: EventFinding[] = [];
  private readonly reviewers: Map<string, { id: string; fingerprint: string }>;

  constructor(private readonly context: AuditLogContext) {
    this.reviewers = new Map(context.reviewers.map((r) => [r.id, r]));
  }

  check(e: AuditEvent): void {
    const itemId = e.itemId !== undefined ? e.itemId : `event ${e.seq}`;
    if (e.campaignId !== this.context.campaignId)
      this.findings.push({ message: `audit event ${e.seq} belongs to campaign ${e.campaignId}, not ${this.context.campaignId}`, itemId });
    const reviewer = this.reviewers.get(e.actor.id);
    if (!reviewer)
      this.findings.push({
        message: `audit event ${e.seq} was recorded by ${e.actor.id}, who is not among the manifest's reviewers`,
        itemId,
      });
    else if (reviewer.fingerprint !== e.actor.keyFingerprint)
      this.findings.push({ message: `audit event ${e.seq}: ${e.actor.id}'s key fingerprint differs from the manifest's`, itemId });
  }
}

// ---------------------------------------------------------------- across threads

type StandingRow =
  | [itemId: string]
  | [
      itemId: string,
      seq: number,
      action: StandingDecision['action'],
      acceptedSuggestion: boolean,
      rationale: string | null,
      reviewerId: string,
      at: string,
      approverId: string | null,
      approvalAt: string | null,
      detail?: string,
    ];

/**
 * The analysis as one string, to post from a worker: a structured clone of 100,000 small objects costs over half a
 * second on the two threads, this a fraction of it.
 */
export function packAuditLogAnalysis(analysis: AuditLogAnalysis): string {
  if (!analysis.readable) return JSON.stringify(analysis);
  const rows: StandingRow[] = [];
  for (const [itemId, d] of analysis.standing) {
    if (!d) rows.push([itemId]);
    else if (d.detail)
      rows.push([itemId, d.seq, d.action, d.acceptedSuggestion, d.rationale, d.reviewerId, d.at, d.approverId, d.approvalAt, d.detail]);
    else rows.push([itemId, d.seq, d.action, d.acceptedSuggestion, d.rationale, d.reviewerId, d.at, d.approverId, d.approvalAt]);
  }
  return JSON.stringify({ ...analysis, standing: rows });
}

export function unpackAuditLogAnalysis(text: string): AuditLogAnalysis {
  const packed = JSON.parse(text) as
    AuditLogAnalysis | (Omit<Extract<AuditLogAnalysis, { readable: true }>, 'standing'> & { standing: StandingRow[] });
  if (!packed.readable) return packed;
  const standing = new Map<string, StandingDecision | null>();
  for (const row of packed.standing as StandingRow[]) {
    if (row.length === 1) standing.set(row[0], null);
    else
      standing.set(row[0], {
        seq: row[1],
        action: row[2],
        acceptedSuggestion: row[3],
        rationale: row[4],
        reviewerId: row[5],
        at: row[6],
        approverId: row[7],
        approvalAt: row[8],
        detail: row[9] ?? '',
      });
  }
  return { ...packed, standing };
}

// report.xlsx written on another thread while the package's own thread writes the audit log.
//
// The report is nearly half of a package's work (a 100,000-row Decisions sheet and three more long ones) and, but
// for the Summary's audit-chain head, needs nothing the audit log yields. A host with a thread to spare (on Node, a
// worker thread: electron/cli/node-runtime.ts) takes a ReportJob as soon as decisions.json is written: the other
// thread reads the items back from decisions.json itself (the decisions the package signs, so the report cannot
// show others) and writes every sheet but the Summary, which follows the chain's head when finish() brings it.
// Nothing here knows about threads: a host passes messages between ReportJobClient and serveReportJobs. If the other
// thread fails or cannot start, the report is written on this thread instead, to the same bytes. (The app's task
// worker does not use one: in Chromium a third thread beside its codec thread measured no faster.)
import type { SourceEvidence } from '../model';
import { remediationPlan } from './remediation-plan';
import { draftReport, type EarlyPredicate, type EarlyReportContent, type ReportDraft } from './report-workbook';
import type { CertificationPredicate, DecisionsDocument, ReviewerMetrics } from './types';
import type { BaselineChanges } from '../review';

export interface ReportJob {
  /** decisions.json, as the package holds it. */
  decisionsJson: Uint8Array;
  /** Reviewer id → name. */
  names: Array<[string, string]>;
  predicate: EarlyPredicate;
  metrics: ReviewerMetrics[];
  sources: SourceEvidence[];
  policy: object;
  /** The comparison with the baseline certification, when the campaign started from one. */
  baselineChanges?: BaselineChanges;
}

/** Where a package build hands its report (buildCertificationPackage's `reportBuilder` option). */
export interface ReportBuilder {
  start(job: ReportJob): ReportDraft;
}

type AuditChain = CertificationPredicate['auditChain'];

export type ReportRequest = { id: number; type: 'start'; job: ReportJob } | { id: number; type: 'finish'; auditChain: AuditChain } | { id: number; type: 'abandon' };
export type ReportReply = { id: number; bytes: Uint8Array } | { id: number; error: string };

/** The report's content from a job: the items read back from decisions.json, and the remediation plan made from them. */
export function reportContentOf(job: ReportJob): EarlyReportContent {
  const document = JSON.parse(new TextDecoder().decode(job.decisionsJson)) as DecisionsDocument;
  const items = document.items;
  return {
    predicate: job.predicate,
    items,
    names: new Map(job.names),
    remediation: remediationPlan(job.predicate.campaign.id, items),
    metrics: job.metrics,
    sources: job.sources,
    policy: job.policy,
    ...(job.baselineChanges ? { baselineChanges: job.baselineChanges } : {}),
  };
}

/** The report on this thread (the fallback, and hosts without threads). A job that cannot be read fails at finish(). */
export function reportHere(job: ReportJob): ReportDraft {
  try {
    return draftReport(reportContentOf(job));
  } catch (error) {
    return { finish: () => Promise.reject(error instanceof Error ? error : new Error(String(error))), abandon: () => undefined };
  }
}

/**
 * The thread that writes reports: `reply` posts to the package's thread. Returns the handler for what that thread
 * posts. A job's failure is replied as its message.
 */
export function serveReportJobs(reply: (message: ReportReply, transfer: ArrayBuffer[]) => void): (request: ReportRequest) => void {
  const drafts = new Map<number, ReportDraft>();
  return (request) => {
    if (request.type === 'start') {
      drafts.set(request.id, reportHere(request.job));
      return;
    }
    const draft = drafts.get(request.id);
    drafts.delete(request.id);
    if (request.type === 'abandon') {
      draft?.abandon();
      return;
    }
    const failed = (error: unknown) => reply({ id: request.id, error: error instanceof Error ? error.message : String(error) }, []);
    if (!draft) return failed(new Error(`no report was started as job ${request.id}`));
    draft.finish(request.auditChain).then((bytes) => {
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      reply({ id: request.id, bytes: whole }, [whole.buffer as ArrayBuffer]);
    }, failed);
  };
}

/**
 * The package thread's side: jobs go to the report thread through `post`; its replies come in through `receive`.
 * After `fail` (the thread stopped, or never started: post null), every job, waiting or new, is written here.
 */
export class ReportJobClient implements ReportBuilder {
  private readonly waiting = new Map<number, { job: ReportJob; auditChain: AuditChain; resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  private next = 0;
  private failed = false;
  /** How many reports were written on this thread instead (diagnostics and tests). */
  writtenHere = 0;

  constructor(private readonly post: ((request: ReportRequest, transfer: ArrayBuffer[]) => void) | null) {
    if (!post) this.failed = true;
  }

  start(job: ReportJob): ReportDraft {
    if (this.failed || !this.post) return this.here(job);
    const id = this.next++;
    // A copy goes across (the package keeps its decisions.json); the copy's buffer is moved, not cloned again.
    const decisionsJson = job.decisionsJson.slice();
    try {
      this.post({ id, type: 'start', job: { ...job, decisionsJson } }, [decisionsJson.buffer as ArrayBuffer]);
    } catch {
      this.fail();
      return this.here(job);
    }
    return {
      finish: (auditChain) => {
        if (this.failed || !this.post) return this.here(job).finish(auditChain);
        return new Promise<Uint8Array>((resolve, reject) => {
          this.waiting.set(id, { job, auditChain, resolve, reject });
          try {
            this.post!({ id, type: 'finish', auditChain }, []);
          } catch {
            this.fail();
          }
        });
      },
      abandon: () => {
        this.waiting.delete(id);
        try {
          this.post?.({ id, type: 'abandon' }, []);
        } catch {
          // The thread is gone: nothing is being written there.
        }
      },
    };
  }

  /** A reply from the report thread. A job that failed there is written here (the same code, so the same error if it is the input's). */
  receive(reply: ReportReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if ('bytes' in reply) waiting.resolve(reply.bytes);
    else this.here(waiting.job).finish(waiting.auditChain).then(waiting.resolve, waiting.reject);
  }

  /** The report thread is gone: what waits for it, and whatever comes next, is written here. */
  fail(): void {
    if (this.failed) return;
    this.failed = true;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      this.here(w.job).finish(w.auditChain).then(w.resolve, w.reject);
    }
  }

  private here(job: ReportJob): ReportDraft {
    this.writtenHere++;
    return reportHere(job);
  }
}

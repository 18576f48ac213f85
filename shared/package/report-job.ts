// report.xlsx written on another thread while the package's own thread writes the audit log.
//
// The report is nearly half of a package's work (a 100,000-row Decisions sheet and three more long ones) and, but
// for the Summary's audit-chain head, needs nothing the audit log yields. A host with a thread to spare (on Node, a
// worker thread: electron/cli/node-runtime.ts) takes a ReportJob as soon as decisions.json is written: the other
// thread reads the items back from decisions.json itself (the decisions the package signs, so the report cannot
// show others) and writes every sheet but the Summary, which follows the chain's head when finish() brings it.
// The two threads talk through shared/rpc: ReportJobClient calls what reportJobHandlers serve. If the other thread
// fails or cannot start, the report is written on this thread instead, to the same bytes. (The app's task
// worker does not use one: in Chromium a third thread beside its codec thread measured no faster.)
import type { SourceEvidence } from '../model';
import { transfer, type Channel } from '../rpc';
import { remediationPlan } from './remediation-plan';
import {
  draftReport,
  draftStreamedReport,
  type EarlyPredicate,
  type EarlyReportContent,
  type ReportDraft,
  type ReportFile,
  type ReportSheetRows,
} from './report-workbook';
import { DecisionsCsvWriter } from './decisions-file';
import { DecisionRunReader, runChannel } from './decisions-runs';
import { readDecisionItems } from './package-documents';
import { inflateEntry, inflateEntryPieces, joinParts, openZipEntry } from '../codec';
import type { CertificationPredicate, PackageItem, ReviewerMetrics } from './types';
import type { BaselineChanges } from '../review';

export interface ReportJob {
  /** decisions.json, as the package holds it: its bytes, or (decisionsEntry) its archive entry's data. */
  decisionsJson?: Uint8Array;
  /**
   * decisions.json's archive entry, deflated (a tenth of the bytes to copy and move; the report's thread inflates it
   * and zlib checks the CRC-32): the package's thread never joins a copy of the file.
   */
  decisionsEntry?: { deflated: Uint8Array; size: number; crc32: number };
  /** Reviewer id → name. */
  names: Array<[string, string]>;
  predicate: EarlyPredicate;
  metrics: ReviewerMetrics[];
  sources: SourceEvidence[];
  policy: object;
  /** The comparison with the baseline certification, when the campaign started from one. */
  baselineChanges?: BaselineChanges;
  /**
   * The later sheets' row counts, from the package's thread. Given, decisions.json is read as it inflates and the
   * report written from its items a run at a time (draftStreamedReport): neither the file nor every item is held.
   */
  sheetRows?: ReportSheetRows;
  /** With sheetRows: decisions.csv is written there too, from the same runs (ReportDraft.files), off the package's thread. */
  decisionsCsv?: boolean;
}

/** Where a package build hands its report (buildCertificationPackage's `reportBuilder` option). */
export interface ReportBuilder {
  /**
   * Starts the job. Given `here` (the same report written on this thread, from what the caller still holds), the
   * job's decisions.json is moved to the other thread, not copied, and `here` writes the report if that thread fails.
   */
  start(job: ReportJob, here?: () => ReportDraft): ReportDraft;
}

type AuditChain = CertificationPredicate['auditChain'];

/** The calls a report thread serves. */
export type ReportHandlers = {
  reportStart: (args: { id: number; job: ReportJob }) => void;
  reportFinish: (args: { id: number; auditChain: AuditChain }) => Promise<{ report: Uint8Array; files: ReportFile[] }>;
  reportAbandon: (args: { id: number }) => void;
};

/** decisions.json's bytes from a job (inflated from its entry where it came deflated). */
async function decisionsBytes(job: ReportJob): Promise<Uint8Array> {
  if (job.decisionsJson) return job.decisionsJson;
  const entry = job.decisionsEntry;
  if (!entry) throw new Error('the report job carries no decisions.json');
  const out = await inflateEntry(entry.deflated, entry.size, entry.crc32);
  if (!(out instanceof Uint8Array))
    throw new Error(`the report cannot inflate decisions.json: ${typeof out === 'string' ? out : out.damaged}`);
  return out;
}

/** The report's content from a job: the items read back from decisions.json, and the remediation plan made from them. */
export function reportContentOf(job: ReportJob, decisionsJson: Uint8Array): EarlyReportContent {
  // A line at a time: at 1,000,000 items decisions.json is longer than one string can hold.
  const items: PackageItem[] = [];
  const read = readDecisionItems(decisionsJson, (item) => items.push(item));
  if (!read.ok) throw new Error(`the report cannot read decisions.json: ${read.problems[0]}`);
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
  if (job.sheetRows) return streamedReport(job, job.sheetRows);
  if (job.decisionsJson) {
    try {
      return draftReport(reportContentOf(job, job.decisionsJson));
    } catch (error) {
      return { finish: () => Promise.reject(error instanceof Error ? error : new Error(String(error))), abandon: () => undefined };
    }
  }
  // Inflated first: the draft starts once the items are read.
  let abandoned = false;
  const draft = decisionsBytes(job).then((bytes) => {
    const started = draftReport(reportContentOf(job, bytes));
    if (abandoned) started.abandon();
    return started;
  });
  draft.catch(() => undefined);
  return {
    finish: (auditChain) => draft.then((d) => d.finish(auditChain)),
    abandon() {
      abandoned = true;
      void draft.then((d) => d.abandon()).catch(() => undefined);
    },
  };
}

/** Bytes handed to the reader at a time when decisions.json comes whole (no string is made of more). */
const PIECE_BYTES = 4 * 1024 * 1024;

/** The report from decisions.json read as it inflates, its items handed to the sheets a run at a time. */
function streamedReport(job: ReportJob, sheetRows: ReportSheetRows): ReportDraft {
  const channel = runChannel<PackageItem[]>();
  const reader = new DecisionRunReader((run) => channel.put(run));
  const feed = async () => {
    const whole = job.decisionsJson;
    if (whole) for (let at = 0; at < whole.length; at += PIECE_BYTES) await reader.push(whole.subarray(at, at + PIECE_BYTES));
    else {
      const entry = job.decisionsEntry;
      if (!entry) throw new Error('the report job carries no decisions.json');
      const out = await inflateEntryPieces(entry.deflated, entry.size, entry.crc32, (bytes) => reader.push(bytes));
      if (typeof out !== 'number')
        throw new Error(`the report cannot inflate decisions.json: ${typeof out === 'string' ? out : out.damaged}`);
    }
    await reader.end();
  };
  feed().then(
    () => channel.close(),
    (error: unknown) => channel.fail(error),
  );
  const csv = job.decisionsCsv ? csvFrom(channel.runs, new Map(job.names)) : null;
  const draft = draftStreamedReport({
    predicate: job.predicate,
    itemRuns: csv ? csv.runs : channel.runs,
    sheetRows,
    names: new Map(job.names),
    metrics: job.metrics,
    sources: job.sources,
    policy: job.policy,
    ...(job.baselineChanges ? { baselineChanges: job.baselineChanges } : {}),
  });
  if (!csv) return draft;
  let files: ReportFile[] = [];
  return {
    async finish(auditChain) {
      const report = await draft.finish(auditChain);
      files = [await csv.file];
      return report;
    },
    abandon: () => draft.abandon(),
    files: () => files,
  };
}

/** The runs passed on as they are, decisions.csv written from each first; the file once the last has passed. */
function csvFrom(
  source: AsyncIterable<PackageItem[]>,
  names: Map<string, string>,
): { runs: AsyncIterable<PackageItem[]>; file: Promise<ReportFile> } {
  let written!: (file: ReportFile) => void;
  let failed!: (error: unknown) => void;
  const file = new Promise<ReportFile>((resolve, reject) => {
    written = resolve;
    failed = reject;
  });
  file.catch(() => undefined);
  async function* runs(): AsyncGenerator<PackageItem[]> {
    try {
      const entry = openZipEntry('decisions.csv');
      const csv = new DecisionsCsvWriter(names, (slice) => entry.write(slice));
      for await (const run of source) {
        await csv.add(run);
        yield run;
      }
      await csv.end();
      const closed = entry.close();
      const [prepared, sha256] = await Promise.all([closed.entry.prepared, closed.sha256]);
      written({ file: 'decisions.csv', entry: prepared, sha256 });
    } catch (error) {
      failed(error);
      throw error;
    }
  }
  return { runs: runs(), file };
}

/** The handlers of the thread that writes reports. A job's failure is its call's error. */
export function reportJobHandlers(): ReportHandlers {
  const drafts = new Map<number, ReportDraft>();
  return {
    reportStart({ id, job }) {
      drafts.set(id, reportHere(job));
    },
    async reportFinish({ id, auditChain }) {
      const draft = drafts.get(id);
      drafts.delete(id);
      if (!draft) throw new Error(`no report was started as job ${id}`);
      const bytes = await draft.finish(auditChain);
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      // Each file's compressed pieces joined into one buffer of its own (zlib's pieces may share theirs), and moved.
      const files = (draft.files?.() ?? []).map((f) => {
        const data = f.entry.data.length === 1 ? f.entry.data[0]!.slice() : joinParts(f.entry.data);
        return { ...f, entry: { ...f.entry, data: [data] } };
      });
      return transfer({ report: whole, files }, [whole.buffer, ...files.map((f) => f.entry.data[0]!.buffer)]);
    },
    reportAbandon({ id }) {
      drafts.get(id)?.abandon();
      drafts.delete(id);
    },
  };
}

/**
 * The package thread's side: jobs go to the report thread through `channel`. A job whose call fails there (the
 * thread stopped, or never started: null) is written here, with the same code, so the same error if the input's.
 */
export class ReportJobClient implements ReportBuilder {
  private next = 0;
  private failed = false;
  /** How many reports were written on this thread instead (diagnostics and tests). */
  writtenHere = 0;

  constructor(private readonly channel: Channel<ReportHandlers> | null) {
    if (!channel) this.failed = true;
  }

  start(job: ReportJob, here?: () => ReportDraft): ReportDraft {
    const channel = this.channel;
    const fallback = () => {
      this.writtenHere++;
      return here ? here() : reportHere(job);
    };
    if (this.failed || !channel) return fallback();
    const id = this.next++;
    // The buffer is moved, not cloned again; without `here`, a copy (the fallback needs the caller's bytes).
    const bytes = job.decisionsJson ?? job.decisionsEntry?.deflated;
    if (!bytes) throw new Error('the report job carries no decisions.json');
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const moved = here && whole ? bytes : bytes.slice();
    const sent: ReportJob = job.decisionsJson
      ? { ...job, decisionsJson: moved }
      : { ...job, decisionsEntry: { ...job.decisionsEntry!, deflated: moved } };
    const started = channel.call('reportStart', { id, job: sent }, { transfer: [moved.buffer] });
    started.catch(() => this.fail());
    let files: ReportFile[] = [];
    const writeHere = async (auditChain: AuditChain) => {
      const draft = fallback();
      const report = await draft.finish(auditChain);
      files = draft.files?.() ?? [];
      return report;
    };
    return {
      finish: (auditChain) => {
        if (this.failed) return writeHere(auditChain);
        return started
          .then(() => channel.call('reportFinish', { id, auditChain }))
          .then(
            (done) => {
              files = done.files;
              return done.report;
            },
            () => writeHere(auditChain),
          );
      },
      abandon: () => {
        if (!this.failed) channel.call('reportAbandon', { id }).catch(() => {});
      },
      files: () => files,
    };
  }

  /** The report thread is gone: what waits for it, and whatever comes next, is written here. */
  fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.channel?.close(new Error('the report thread stopped'));
  }
}

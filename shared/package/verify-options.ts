// How verifyPackage is run: trust, limits, and the hooks a host plugs in. Apart from types.ts, which stays free of
// implementation imports, because these options name the analysers that verification calls.
import type { ArchiveLimits } from '../codec';
import type { AuditLogAnalyzer } from './audit-log-analysis';
import type { AuditLogEntryAnalyzer } from './audit-log-stream';
import type { EmbeddedSetVerifier, TrustedKey } from './types';

export interface VerifyOptions {
  trustedKeys?: TrustedKey[];
  limits?: Partial<ArchiveLimits>;
  /**
   * Checks the embedded decision sets (injected: the decision-set format lives in shared/exchange, which builds on
   * this module). Without it, a reviewer who relies on an embedded set instead of signing the package fails.
   */
  embeddedSets?: EmbeddedSetVerifier;
  /**
   * Analyses audit-log.jsonl (audit-log-analysis.ts) on another thread, while decisions.json is read on this one
   * (the arw CLI passes a worker_threads worker). Without it the analysis runs here. Either way, the same report.
   */
  analyzeAuditLog?: AuditLogAnalyzer;
  /**
   * Reads audit-log.jsonl straight from its stored entry on another thread, inflating, hashing and analysing it in
   * one pass (the arw CLI's worker: see audit-log-stream.ts); the entry is then never inflated on this thread. When
   * it gives no result (a damaged entry, a failed thread), the entry is read the usual way, which names the problem.
   */
  analyzeAuditLogEntry?: AuditLogEntryAnalyzer;
  /**
   * The host inflates several entries at once on threads of their own (Node's zlib thread pool): decisions.json
   * then inflates beside the audit log. Otherwise (one codec thread, as in the app) the log inflates alone first,
   * so that its analysis starts as early as it can.
   */
  parallelInflation?: boolean;
  /**
   * The bytes of the baseline package the verified one names (`arw verify NEW --baseline OLD`): verified first with
   * the same options, then checked to be the package the link names, with the decisions the carried ones claim.
   */
  baseline?: Uint8Array;
}

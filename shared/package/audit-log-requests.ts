// The audit-log thread's side of verification, for any host's worker (the arw CLI's worker_threads worker, the app's
// nested Web Worker), served through shared/rpc. The host supplies only how it inflates and hashes an entry.
// - analyze: the file's bytes and the manifest's context → the analysis, packed into one string;
// - analyzeEntry: the file's entry as the archive stores it → the host's reader inflates it a piece at a time, each
//   piece analysed as it comes, and takes its SHA-256; then decisions.json's items, asked back from the caller
//   ("items", by the request's key), are compared with the log. `unread` when the entry could not be read as the
//   archive states it (the caller then reads it the usual way, which names the problem).
import type { CallContext, Channel } from '../rpc';
import {
  analyzeAuditLog,
  packAuditLogAnalysis,
  unpackAuditLogAnalysis,
  type AuditLogAnalyzer,
  type AuditLogContext,
  type AuditLogFindings,
  type IncrementalAuditLogAnalysis,
} from './audit-log-analysis';
import type { AuditLogEntryAnalyzer } from './audit-log-stream';
import { packComparedItems, unpackComparedItems, type ComparedItem } from './decision-chain-consistency';

export type AuditLogEntryAnswer = { packed: string; sha256: string } | { unread: true };

/**
 * A stored entry as it crosses to the audit-log thread: its data (a copy, handed over), or, when the archive is a
 * file that thread can read too, where the data lies in it (the entry is then never held on either thread).
 */
export interface PostedEntry {
  method: number;
  size: number;
  crc32: number;
  compressedSize: number;
  data?: Uint8Array;
  file?: { fd: number; offset: number };
}

/** The calls an audit-log thread serves. */
export type AuditLogHandlers = {
  analyze: (args: { bytes: Uint8Array; context: AuditLogContext | null }) => { packed: string };
  analyzeEntry: (
    args: { entry: PostedEntry; context: AuditLogContext | null; key: number },
    ctx: CallContext,
  ) => Promise<AuditLogEntryAnswer>;
};

/** What the caller serves back: decisions.json's items for the entry request `key` (packComparedItems), null when unread. */
export type AuditLogCallerHandlers = {
  items: (args: { key: number }) => Promise<string | null>;
};

/** How a host reads a stored entry: every line analysed and the SHA-256 taken, or null when it cannot (see readAuditLogChunks). */
export type EntryReader = (
  entry: PostedEntry,
  context: AuditLogContext | null,
) => Promise<{ analysis: IncrementalAuditLogAnalysis; sha256: string } | null>;

/** The handlers of an audit-log thread. */
export function auditLogHandlers(readEntry: EntryReader): AuditLogHandlers {
  return {
    analyze: ({ bytes, context }) => ({ packed: packAuditLogAnalysis(analyzeAuditLog(bytes, context)) }),
    async analyzeEntry({ entry, context, key }, ctx) {
      // Asked at once, awaited once the log is read: the caller reads decisions.json meanwhile.
      const items = (ctx.call('items', { key }) as Promise<string | null>).then((packed) =>
        packed === null ? null : unpackComparedItems(packed),
      );
      items.catch(() => {});
      const read = await readEntry(entry, context);
      if (!read) return { unread: true };
      const findings = read.analysis.findings(entry.size, await items);
      return { packed: JSON.stringify(findings), sha256: read.sha256 };
    },
  };
}

/**
 * The calling thread's side: `handlers` are served to the audit-log thread; `bind` gives the analyzers the verifier
 * takes, asking `thread()` (null without a working thread). Whatever the thread cannot do is done here, the same.
 */
export function auditLogCaller(): {
  handlers: AuditLogCallerHandlers;
  bind(thread: () => Promise<Channel<AuditLogHandlers> | null>): { analyze: AuditLogAnalyzer; analyzeEntry: AuditLogEntryAnalyzer };
} {
  const itemsByKey = new Map<number, Promise<readonly ComparedItem[] | null>>();
  let next = 0;
  const handlers: AuditLogCallerHandlers = {
    async items({ key }) {
      const list = await (itemsByKey.get(key) ?? Promise.resolve(null)).catch(() => null);
      itemsByKey.delete(key);
      return list ? packComparedItems(list) : null;
    },
  };
  return {
    handlers,
    bind: (thread) => ({
      async analyze(bytes, context) {
        const channel = await thread();
        const reply = channel ? await channel.call('analyze', { bytes, context }).catch(() => null) : null;
        return reply ? unpackAuditLogAnalysis(reply.packed) : analyzeAuditLog(bytes, context);
      },
      async analyzeEntry(entry, context, items) {
        const channel = await thread();
        if (!channel) return null;
        const posted: PostedEntry = { method: entry.method, size: entry.size, crc32: entry.crc32, compressedSize: entry.compressedSize };
        let transfer: ArrayBuffer[] = [];
        if (entry.file) posted.file = entry.file;
        else {
          // Only the entry's own data crosses (a copy, handed over): a view would carry the whole archive with it.
          const data = await entry.data().then(
            (d) => d.slice(),
            () => null,
          );
          if (!data) return null;
          posted.data = data;
          transfer = [data.buffer];
        }
        const key = next++;
        itemsByKey.set(key, items);
        const reply = await channel.call('analyzeEntry', { entry: posted, context, key }, { transfer }).catch(() => null);
        itemsByKey.delete(key);
        return reply && 'packed' in reply ? { findings: JSON.parse(reply.packed) as AuditLogFindings, sha256: reply.sha256 } : null;
      },
    }),
  };
}

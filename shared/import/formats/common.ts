// What every non-CSV parser shares: a de-duplicating snapshot builder, JSON shape helpers, date readers
// (ISO, PowerShell "/Date(ms)/", boto3-placebo datetime objects, Windows FILETIME, LDAP generalized time),
// and a wrapper that turns any parser exception into a whole-file rejection instead of a crash.
import { CancelledError } from '../../model';
import { base64 } from '@scure/base';
import {
  emptySnapshotData,
  parseInstant,
  type Assignment,
  type Credential,
  type Entitlement,
  type GrantLink,
  type Identity,
  type RowError,
  type SnapshotData,
} from '../../model';
import { EncodingFallback, UnreadableText } from '../chunked-text';
import { baseName } from '../decode';
import { type DecodedFile, type FileOutcome, type FormatParser, type ParseContext, type ParsedBatch, type StreamedFile } from '../types';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return asArray(v).filter((x): x is string => typeof x === 'string');
}
/** Case-insensitive property read (PowerShell dumps use PascalCase where Graph uses camelCase). */
export function prop(o: JsonObject, name: string): Json | undefined {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** Any date the sources use, to ISO 8601 UTC; undefined when absent or not a date. */
export function toInstant(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (isObject(v) && v['__class__'] === 'datetime') {
    const n = (k: string) => (typeof v[k] === 'number' ? (v[k] as number) : 0);
    const ms = Date.UTC(n('year'), n('month') - 1, n('day') || 1, n('hour'), n('minute'), n('second'), Math.floor(n('microsecond') / 1000));
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!t) return undefined;
  const ps = /^\\?\/Date\((-?\d+)(?:[+-]\d{4})?\)\\?\/$/.exec(t);
  if (ps) return new Date(Number(ps[1])).toISOString();
  const ms = parseInstant(t);
  if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  const loose = Date.parse(t);
  if (/^\d{4}-\d{2}-\d{2}/.test(t) && !Number.isNaN(loose)) return new Date(loose).toISOString();
  return undefined;
}

/** Windows FILETIME (100 ns ticks since 1601); 0 and the "never" value 0x7FFFFFFFFFFFFFFF give undefined. */
export function fromFiletime(text: string | undefined): string | undefined {
  if (!text || !/^\d{1,19}$/.test(text)) return undefined;
  const ticks = BigInt(text);
  if (ticks === 0n || ticks >= 0x7fffffffffffffffn) return undefined;
  const ms = Number(ticks / 10000n) - 11644473600000;
  if (!Number.isFinite(ms) || ms < -8.64e15 || ms > 8.64e15) return undefined;
  return new Date(ms).toISOString();
}

/** LDAP generalized time, e.g. 20240115120000Z or 20240115120000.0Z. */
export function fromGeneralizedTime(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{4})?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (Number.isNaN(ms)) return undefined;
  let off = 0;
  if (m[7] && m[7] !== 'Z') off = (m[7][0] === '-' ? -1 : 1) * (+m[7].slice(1, 3) * 60 + +m[7].slice(3, 5)) * 60000;
  return new Date(ms - off).toISOString();
}

/** Unwrap recordings around an API body: boto3 placebo {status_code,data}, HTTP {headers,body}. */
export function unwrapResponse(json: unknown): unknown {
  if (isObject(json) && 'status_code' in json && isObject(json['data'])) return json['data'];
  if (isObject(json) && 'headers' in json && 'body' in json && (isObject(json['body']) || Array.isArray(json['body']))) return json['body'];
  return json;
}

/** Collects one format's rows across its files: identities and entitlements de-duplicated by id, fields merged. */
export class SnapshotBuilder {
  private readonly identities = new Map<string, Identity>();
  private readonly entitlements = new Map<string, Entitlement>();
  private readonly assignments = new Map<string, Assignment>();
  private readonly credentials = new Map<string, Credential>();
  private readonly links = new Map<string, GrantLink>();

  hasIdentity(id: string): boolean {
    return this.identities.has(id);
  }
  getIdentity(id: string): Identity | undefined {
    return this.identities.get(id);
  }
  identityIds(): IterableIterator<string> {
    return this.identities.keys();
  }
  hasEntitlement(id: string): boolean {
    return this.entitlements.has(id);
  }
  getEntitlement(id: string): Entitlement | undefined {
    return this.entitlements.get(id);
  }

  /** Add an identity, or fill the gaps of the one already known under this id. */
  identity(i: Identity, file: string): Identity {
    const src = baseName(file);
    const existing = this.identities.get(i.id);
    if (!existing) {
      const rec = clean({ ...i, sources: [src] });
      this.identities.set(i.id, rec);
      return rec;
    }
    fillGaps(existing, i);
    if (!existing.sources?.includes(src)) existing.sources = [...(existing.sources ?? []), src];
    return existing;
  }

  entitlement(e: Entitlement, file: string): Entitlement {
    const src = baseName(file);
    const existing = this.entitlements.get(e.id);
    if (!existing) {
      const rec = clean({ ...e, sources: [src] });
      this.entitlements.set(e.id, rec);
      return rec;
    }
    fillGaps(existing, e);
    if (!existing.sources?.includes(src)) existing.sources = [...(existing.sources ?? []), src];
    return existing;
  }

  /** One assignment per (identity, entitlement); repeats keep the earliest grant and latest use. */
  assign(a: Assignment): boolean {
    const key = `${a.identityId}\u001f${a.entitlementId}`;
    const existing = this.assignments.get(key);
    if (existing) {
      if (a.grantedAt && (!existing.grantedAt || a.grantedAt < existing.grantedAt)) existing.grantedAt = a.grantedAt;
      if (a.lastUsedAt && (!existing.lastUsedAt || a.lastUsedAt > existing.lastUsedAt)) existing.lastUsedAt = a.lastUsedAt;
      return false;
    }
    this.assignments.set(key, clean({ ...a }));
    return true;
  }

  /** The assignments so far, as stored (a format's finish step may mark them inherited). */
  eachAssignment(): IterableIterator<Assignment> {
    return this.assignments.values();
  }

  /** A nesting link: holding `memberId` also grants `groupId` (each link once). */
  link(l: GrantLink): void {
    if (!l.memberId || !l.groupId) return;
    const key = `${l.memberId}\u001f${l.groupId}`;
    if (!this.links.has(key)) this.links.set(key, clean({ ...l }));
  }

  credential(c: Credential): void {
    const key = `${c.identityId}\u001f${c.credentialId}`;
    if (!this.credentials.has(key)) this.credentials.set(key, clean({ ...c }));
  }

  build(): SnapshotData {
    const data = emptySnapshotData();
    data.identities = [...this.identities.values()];
    data.entitlements = [...this.entitlements.values()];
    data.assignments = [...this.assignments.values()];
    data.credentials = [...this.credentials.values()];
    if (this.links.size) data.links = [...this.links.values()];
    return data;
  }
}

function fillGaps<T extends object>(target: T, from: T): void {
  for (const k of Object.keys(from) as (keyof T)[]) {
    if (k === 'sources') continue;
    const v = from[k];
    if (v !== undefined && (target[k] === undefined || target[k] === '')) target[k] = v;
  }
}

/** Drop undefined fields so records stay small and canonical. */
export function clean<T extends object>(record: T): T {
  // A fresh object rather than `delete`: deleting properties drops V8 objects into slow dictionary mode.
  const out = {} as T;
  for (const k in record) if (record[k] !== undefined) out[k] = record[k];
  return out;
}

/** One file's outcome while it is parsed. `reject` records a row that was not stored. */
export class FileLog {
  readonly outcome: FileOutcome;
  constructor(readonly file: string) {
    this.outcome = { file, rowsRead: 0, rowsRejected: 0, errors: [] };
  }
  row(): void {
    this.outcome.rowsRead++;
  }
  reject(line: number, message: string, field?: string): void {
    this.outcome.rowsRejected++;
    this.note(line, message, field);
  }
  /** An error that does not reject a row (e.g. a syntax problem already attributed). */
  note(line: number, message: string, field?: string): void {
    const e: RowError = { file: this.file, line, message };
    if (field) e.field = field;
    if (this.outcome.errors.length < 10_000) this.outcome.errors.push(e);
  }
  fatal(message: string, line = 0): void {
    this.outcome.fatal = { file: this.file, line, message };
  }
}

export interface SimpleFormat {
  id: string;
  label: string;
  formatVersion: string;
  parserVersion: string;
  detect(file: DecodedFile): string | null;
  /** Parse one file into the shared builder. Throwing is allowed: it becomes a whole-file rejection. */
  parseFile(file: DecodedFile, b: SnapshotBuilder, log: FileLog, ctx: ParseContext): void;
  /** The same parse over a file read in chunks (line-oriented formats); formats without it get files whole. */
  parseFileStream?(file: StreamedFile, b: SnapshotBuilder, log: FileLog, ctx: ParseContext): Promise<void>;
  /** After every file of the import in this format was read (e.g. to resolve cross-file links). */
  finish?(b: SnapshotBuilder, logs: FileLog[]): void;
}

/**
 * A FormatParser from a per-file parse. A file whose parse throws (or ends fatal) contributes nothing:
 * it is parsed into its own builder first and merged only when it succeeded.
 */
export function defineFormat(f: SimpleFormat): FormatParser {
  return {
    id: f.id,
    label: f.label,
    formatVersion: f.formatVersion,
    parserVersion: f.parserVersion,
    detect: (file) => {
      try {
        return f.detect(file);
      } catch {
        return null;
      }
    },
    parse(files, ctx): ParsedBatch {
      const run = runFormat(f, files, ctx);
      let step = run.next();
      while (!step.done) {
        const { file, b, log } = step.value;
        try {
          f.parseFile(file, b, log, ctx);
        } catch (error) {
          rejectFile(f, log, error);
        }
        step = run.next();
      }
      return step.value;
    },
    ...(f.parseFileStream
      ? {
          async parseStream(files: StreamedFile[], ctx: ParseContext): Promise<ParsedBatch> {
            const run = runFormat(f, files, ctx);
            let step = run.next();
            while (!step.done) {
              const { file, b, log } = step.value;
              try {
                await f.parseFileStream!(file as StreamedFile, b, log, ctx);
              } catch (error) {
                rejectFile(f, log, error);
              }
              step = run.next();
            }
            return step.value;
          },
        }
      : {}),
  };
}

function rejectFile(f: SimpleFormat, log: FileLog, error: unknown): void {
  // Not the file's fault: a cancel, or the reading's request to start again as Windows-1252 (importSources).
  if (error instanceof CancelledError || error instanceof EncodingFallback || error instanceof UnreadableText) throw error;
  log.fatal(`cannot read this ${f.label} file: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * The files of one import in a SimpleFormat, one request (file, builder, log) at a time for the caller to parse,
 * whole or streamed. A file that ends fatal contributes nothing: the others are parsed again without it.
 */
function* runFormat(
  f: SimpleFormat,
  files: DecodedFile[],
  ctx: ParseContext,
): Generator<{ file: DecodedFile; b: SnapshotBuilder; log: FileLog }, ParsedBatch, void> {
  const b = new SnapshotBuilder();
  const logs: FileLog[] = [];
  for (const file of files) {
    if (ctx.isCancelled?.()) throw new CancelledError();
    const log = new FileLog(file.name);
    logs.push(log);
    yield { file, b, log };
    ctx.onRows?.(file.name, log.outcome.rowsRead);
  }
  f.finish?.(b, logs);
  const anyFatal = logs.some((l) => l.outcome.fatal);
  if (!anyFatal) return { data: b.build(), files: logs.map((l) => l.outcome) };
  // Re-run without the rejected files so nothing from them is kept.
  const good = files.filter((_, i) => !logs[i]!.outcome.fatal);
  const clean = new SnapshotBuilder();
  const cleanLogs: FileLog[] = [];
  for (const file of good) {
    const log = new FileLog(file.name);
    cleanLogs.push(log);
    yield { file, b: clean, log };
  }
  f.finish?.(clean, cleanLogs);
  const byName = new Map(cleanLogs.map((l) => [l.file, l.outcome] as const));
  return { data: clean.build(), files: logs.map((l) => (l.outcome.fatal ? l.outcome : (byName.get(l.file) ?? l.outcome))) };
}

/** Short JSON description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object')
    return `an object with keys ${
      Object.keys(v as object)
        .slice(0, 6)
        .join(', ') || '(none)'
    }`;
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

/**
 * The JSON responses inside a HAR recording (log.entries[].request.url, response.content.text, base64 or not) whose
 * URL `wanted` accepts; null when `json` is not a HAR. Bodies that are not JSON (error pages) are left out.
 */
export function harResponses(json: unknown, wanted: (url: string) => boolean): { url: string; body: unknown }[] | null {
  if (!isObject(json) || !isObject(json['log']) || !Array.isArray(json['log']['entries'])) return null;
  const out: { url: string; body: unknown }[] = [];
  for (const e of json['log']['entries']) {
    if (!isObject(e) || !isObject(e['request']) || !isObject(e['response'])) continue;
    const url = str(e['request']['url']);
    const content = isObject(e['response']['content']) ? e['response']['content'] : undefined;
    const text = content ? str(content['text']) : undefined;
    if (!url || !text || !wanted(url)) continue;
    try {
      out.push({ url, body: JSON.parse(content!['encoding'] === 'base64' ? new TextDecoder().decode(base64.decode(text)) : text) });
    } catch {
      // Not a JSON body: not an API response we read.
    }
  }
  return out;
}

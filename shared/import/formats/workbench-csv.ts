// Workbench CSV v1 (docs/workbench-csv.md): identities.csv, entitlements.csv, assignments.csv, credentials.csv.
import { CancelledError } from '../../model';
import {
  IDENTITY_STATUSES,
  IDENTITY_TYPES,
  PRIVILEGES,
  emptySnapshotData,
  type RowError,
  type Assignment,
  type Credential,
  type Entitlement,
  type Identity,
  type IdentityStatus,
  type IdentityType,
  type Privilege,
} from '../../model';
import { isValidInstant } from '../../model';
import { CsvReader } from '../csv-table';
import { baseName } from '../decode';
import { PairSet } from '../pair-set';
import { AssignmentChunkWriter } from '../assignment-columns';
import { type DecodedFile, type FileOutcome, type FormatParser, type ParseContext, type ParsedBatch, type StreamedFile } from '../types';

type Kind = 'identities' | 'entitlements' | 'assignments' | 'credentials';

export const WORKBENCH_COLUMNS: Record<Kind, string[]> = {
  identities: ['id', 'displayName', 'email', 'type', 'status', 'department', 'title', 'managerId', 'ownerId', 'createdAt'],
  entitlements: ['id', 'name', 'application', 'privilege', 'description', 'ownerId'],
  assignments: ['identityId', 'entitlementId', 'grantedAt', 'lastUsedAt', 'source'],
  credentials: ['identityId', 'credentialId', 'kind', 'createdAt', 'lastRotatedAt', 'lastUsedAt', 'expiresAt', 'active'],
};

const REQUIRED: Record<Kind, string[]> = {
  identities: ['id', 'displayName', 'type', 'status'],
  entitlements: ['id', 'name', 'application', 'privilege'],
  assignments: ['identityId', 'entitlementId'],
  credentials: ['identityId', 'credentialId', 'kind'],
};

function kindOf(file: DecodedFile): Kind | null {
  const m = /^(?:.*[-_.])?(identities|entitlements|assignments|credentials)\.csv$/.exec(baseName(file.name));
  return m ? (m[1] as Kind) : null;
}

function headerOf(text: string): string[] {
  const end = text.search(/\r?\n/);
  return (end < 0 ? text : text.slice(0, end))
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((h) => h.trim().replace(/^"|"$/g, ''));
}

export const workbenchCsv: FormatParser = {
  id: 'workbench-csv',
  label: 'Workbench CSV',
  formatVersion: '1',
  parserVersion: '1.0.0',
  detect(file) {
    const kind = kindOf(file);
    if (!kind) return null;
    const header = headerOf(file.text);
    const missing = REQUIRED[kind].filter((c) => !header.includes(c));
    if (missing.length) return null;
    return `file name "${baseName(file.name)}" and header columns ${REQUIRED[kind].join(', ')} match workbench CSV v1 ${kind}`;
  },
  parse(files, ctx) {
    const run = plan(files, ctx);
    let step = run.next();
    while (!step.done) step = run.next(parseTable(step.value.file, step.value.kind, ctx, step.value.handle));
    return step.value;
  },
  async parseStream(files, ctx) {
    const run = plan(files, ctx);
    let step = run.next();
    while (!step.done) {
      const { file, kind, handle } = step.value;
      const table = tableReader(file.name, kind, ctx, handle);
      for await (const chunk of (file as StreamedFile).chunks()) table.push(chunk);
      step = run.next(table.end());
    }
    return step.value;
  },
};

interface TableJob {
  file: DecodedFile;
  kind: Kind;
  handle: RowHandler;
}

/** The order of an import (identities, entitlements, then the files that refer to them), for either reading. */
function* plan(files: DecodedFile[], ctx: ParseContext): Generator<TableJob, ParsedBatch, FileOutcome> {
  const data = emptySnapshotData();
  // The app's import asks for chunks: millions of assignment objects would only be encoded and dropped.
  const writer = ctx.assignmentColumns ? new AssignmentChunkWriter(undefined, ctx.onAssignmentChunk) : null;
  const outcomes: FileOutcome[] = [];
  const byKind = new Map<Kind, DecodedFile[]>();
  for (const f of files) {
    const k = kindOf(f);
    if (k) byKind.set(k, [...(byKind.get(k) ?? []), f]);
  }
  // Id → its index in `names`: assignments and credentials then share one string per id instead of one per row,
  // and duplicate grants are checked on index pairs.
  const identityIds: Ids = { index: new Map(), names: [] };
  const entitlementIds: Ids = { index: new Map(), names: [] };
  for (const f of byKind.get('identities') ?? [])
    outcomes.push(
      yield { file: f, kind: 'identities', handle: (get, err, bad) => parseIdentity(get, err, bad, identityIds, data.identities) },
    );
  for (const f of byKind.get('entitlements') ?? [])
    outcomes.push(
      yield {
        file: f,
        kind: 'entitlements',
        handle: (get, err, bad) => parseEntitlement(get, err, bad, entitlementIds, data.entitlements),
      },
    );
  // Sized from the files (export rows run 40–60 bytes): growing it row by row rehashed every pair a dozen times.
  const pairs = new PairSet(Math.round((byKind.get('assignments') ?? []).reduce((n, f) => n + f.size, 0) / 48));
  for (const f of byKind.get('assignments') ?? []) {
    if (!identityIds.names.length || !entitlementIds.names.length) {
      outcomes.push(
        refuse(f, 'assignments.csv must be imported together with identities.csv and entitlements.csv (its ids refer to them)'),
      );
      continue;
    }
    // A file without a lastUsedAt column says nothing about use: usage unknown, never "never used".
    const hasUsage = headerOf(f.text).includes('lastUsedAt');
    const recent: Recent = { identity: '', identityIndex: undefined, source: '', sourceText: '' };
    outcomes.push(
      yield {
        file: f,
        kind: 'assignments',
        handle: (get, err, bad) =>
          parseAssignment(get, err, bad, identityIds, entitlementIds, pairs, f.name, writer ?? data.assignments, hasUsage, recent),
      },
    );
  }
  const creds = new Set<string>();
  for (const f of byKind.get('credentials') ?? []) {
    if (!identityIds.names.length) {
      outcomes.push(refuse(f, 'credentials.csv must be imported together with identities.csv (its ids refer to it)'));
      continue;
    }
    outcomes.push(
      yield {
        file: f,
        kind: 'credentials',
        handle: (get, err, bad) => parseCredential(get, err, bad, identityIds, creds, f.name, data.credentials),
      },
    );
  }
  if (!writer) return { data, files: outcomes } satisfies ParsedBatch;
  const assignmentChunks = writer.finish();
  return {
    data,
    files: outcomes,
    assignmentChunks,
    ...(ctx.onAssignmentChunk ? { assignmentsHandedOut: writer.handedOut } : {}),
  } satisfies ParsedBatch;
}

function refuse(file: DecodedFile, message: string): FileOutcome {
  return { file: file.name, rowsRead: 0, rowsRejected: 0, errors: [], fatal: { file: file.name, line: 0, message } };
}

type Getter = (column: string) => string;
type ErrorSink = (field: string, message: string) => void;

type RowHandler = (get: Getter, err: ErrorSink, bad: () => boolean) => void;

function parseTable(file: DecodedFile, kind: Kind, ctx: ParseContext, handle: RowHandler): FileOutcome {
  const table = tableReader(file.name, kind, ctx, handle);
  table.push(file.text);
  return table.end();
}

/** Rows pushed as CSV text in chunks, each checked and handed to `handle` as soon as it is complete. */
function tableReader(name: string, kind: Kind, ctx: ParseContext, handle: RowHandler): { push(chunk: string): void; end(): FileOutcome } {
  const outcome: FileOutcome = { file: name, rowsRead: 0, rowsRejected: 0, errors: [] };
  // CSV syntax errors are listed before the row errors, as when the whole table was read first.
  const syntax: RowError[] = [];
  let header: string[] | null = null;
  let index = new Map<string, number>();
  let width = 0;
  // One getter and one error sink for all rows (per-row closures cost more than the parsing at 1M rows).
  let row: string[] = [];
  let line = 0;
  let rejected = false;
  let r = 0;
  const err: ErrorSink = (field, message) => {
    outcome.errors.push({ file: name, line, ...(field ? { field } : {}), message });
    rejected = true;
  };
  const get: Getter = (c) => {
    const i = index.get(c);
    return i === undefined ? '' : (row[i] ?? '').trim();
  };
  const bad = () => rejected;
  const reader = new CsvReader(
    ',',
    (cells, at) => {
      if (cells.length === 1 && cells[0] === '') return;
      if (!header) {
        header = cells.map((h) => h.trim());
        const missing = REQUIRED[kind].filter((c) => !header!.includes(c));
        if (missing.length)
          outcome.fatal = {
            file: name,
            line: 1,
            message: `header is missing required column(s) ${missing.join(', ')}; expected ${WORKBENCH_COLUMNS[kind].join(',')}`,
          };
        index = new Map(header.map((h, i) => [h, i] as const));
        width = header.length;
        return;
      }
      if (outcome.fatal) {
        r++;
        return;
      }
      row = cells;
      line = at;
      rejected = false;
      if ((r & 0x3fff) === 0) {
        if (ctx.isCancelled?.()) throw new CancelledError();
        ctx.onRows?.(name, r);
      }
      if (row.length !== width) err('', `expected ${width} fields, found ${row.length}`);
      else handle(get, err, bad);
      if (rejected) outcome.rowsRejected++;
      r++;
    },
    (at, message) => syntax.push({ file: name, line: at, message: `CSV syntax: ${message}` }),
  );
  return {
    push: (chunk) => reader.push(chunk),
    end() {
      reader.end();
      outcome.rowsRead = r;
      if (!header)
        outcome.fatal = {
          file: name,
          line: 1,
          message: `header is missing required column(s) ${REQUIRED[kind].join(', ')}; expected ${WORKBENCH_COLUMNS[kind].join(',')}`,
        };
      if (outcome.fatal) return outcome;
      if (syntax.length) outcome.errors = [...syntax, ...outcome.errors];
      ctx.onRows?.(name, r);
      return outcome;
    },
  };
}

function required(get: Getter, err: ErrorSink, column: string): string {
  const v = get(column);
  if (!v) err(column, `${column} is required`);
  return v;
}

function oneOf<T extends string>(get: Getter, err: ErrorSink, column: string, allowed: readonly T[]): T {
  const v = get(column).toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) err(column, `${column} "${get(column)}" is not one of ${allowed.join(', ')}`);
  return v as T;
}

// Exports repeat the same dates (day granularity) on many rows: remember which texts were valid, and keep one
// string per distinct date for all the rows that have it (null: not a date).
const validDates = new Map<string, string | null>();

function date(get: Getter, err: ErrorSink, column: string): string | undefined {
  const v = get(column);
  if (!v) return undefined;
  let ok = validDates.get(v);
  if (ok === undefined) {
    ok = isValidInstant(v) ? detach(v) : null;
    if (validDates.size > 200_000) validDates.clear();
    validDates.set(v, ok);
  }
  if (ok === null) {
    err(column, `${column} "${v}" is not an ISO 8601 date (expected e.g. 2026-03-01 or 2026-03-01T12:00:00Z)`);
    return undefined;
  }
  return ok;
}

const texts = new Map<string, string>();

/** One string for a value repeated on many rows (source names). */
function shared(v: string): string {
  let s = texts.get(v);
  if (s === undefined) {
    s = detach(v);
    if (texts.size > 10_000) texts.clear();
    texts.set(v, s);
  }
  return s;
}

/**
 * A copy of `v` that does not point into the text it was cut from: a value kept for the whole import must not
 * keep the chunk of the file it came from alive (V8 keeps longer substrings as views of their parent string).
 */
function detach(v: string): string {
  return v.length < 13 ? v : (' ' + v).slice(1);
}

function optional(get: Getter, column: string): string | undefined {
  return get(column) || undefined;
}

/** The previous assignment row's identity and source, as read and as found. */
interface Recent {
  identity: string;
  identityIndex: number | undefined;
  source: string;
  sourceText: string;
}

/** The ids of one kind read so far, each once. */
interface Ids {
  index: Map<string, number>;
  names: string[];
}

function addId(ids: Ids, id: string): void {
  ids.index.set(id, ids.names.length);
  ids.names.push(id);
}

function parseIdentity(get: Getter, e: ErrorSink, bad: () => boolean, seen: Ids, out: Identity[]): void {
  const id = required(get, e, 'id');
  if (id && seen.index.has(id)) e('id', `duplicate identity id "${id}"`);
  const identity: Identity = {
    id,
    displayName: required(get, e, 'displayName'),
    email: optional(get, 'email'),
    type: oneOf<IdentityType>(get, e, 'type', IDENTITY_TYPES),
    typeReason: 'workbench CSV column "type"',
    status: oneOf<IdentityStatus>(get, e, 'status', IDENTITY_STATUSES),
    department: optional(get, 'department'),
    title: optional(get, 'title'),
    managerId: optional(get, 'managerId'),
    ownerId: optional(get, 'ownerId'),
    createdAt: date(get, e, 'createdAt'),
  };
  if (bad()) return;
  addId(seen, id);
  out.push(clean(identity));
}

function parseEntitlement(get: Getter, e: ErrorSink, bad: () => boolean, seen: Ids, out: Entitlement[]): void {
  const id = required(get, e, 'id');
  if (id && seen.index.has(id)) e('id', `duplicate entitlement id "${id}"`);
  const entitlement: Entitlement = {
    id,
    name: required(get, e, 'name'),
    application: required(get, e, 'application'),
    privilege: oneOf<Privilege>(get, e, 'privilege', PRIVILEGES),
    description: optional(get, 'description'),
    ownerId: optional(get, 'ownerId'),
  };
  if (bad()) return;
  addId(seen, id);
  out.push(clean(entitlement));
}

function parseAssignment(
  get: Getter,
  e: ErrorSink,
  bad: () => boolean,
  identities: Ids,
  entitlements: Ids,
  pairs: PairSet,
  file: string,
  out: Assignment[] | AssignmentChunkWriter,
  hasUsage = true,
  recent: Recent = { identity: '', identityIndex: undefined, source: '', sourceText: '' },
): void {
  const rawIdentity = required(get, e, 'identityId');
  const rawEntitlement = required(get, e, 'entitlementId');
  // Exports list an identity's grants together: the previous row's identity is looked up once, not hashed again.
  let i = recent.identityIndex;
  if (rawIdentity !== recent.identity) {
    i = identities.index.get(rawIdentity);
    recent.identity = rawIdentity;
    recent.identityIndex = i;
  }
  const j = entitlements.index.get(rawEntitlement);
  if (rawIdentity && i === undefined) e('identityId', `identityId "${rawIdentity}" is not in identities.csv`);
  if (rawEntitlement && j === undefined) e('entitlementId', `entitlementId "${rawEntitlement}" is not in entitlements.csv`);
  // Index pairs: no concatenated key string, no set per identity (3M rows).
  if (i === undefined || j === undefined) {
    // Reported, with any other field in error on the row.
    date(get, e, 'grantedAt');
    date(get, e, 'lastUsedAt');
    return;
  }
  const identityId = identities.names[i]!;
  const entitlementId = entitlements.names[j]!;
  const at = pairs.locate(i, j);
  if (!bad() && at >= 0) e('entitlementId', `duplicate assignment of "${entitlementId}" to "${identityId}"`);
  const grantedAt = date(get, e, 'grantedAt');
  const lastUsedAt = date(get, e, 'lastUsedAt');
  if (bad()) return;
  pairs.addAt(at, i, j);
  const rawSource = get('source');
  if (rawSource !== recent.source || !recent.sourceText) {
    recent.source = rawSource;
    recent.sourceText = shared(rawSource || baseName(file));
  }
  const source = recent.sourceText;
  if (!Array.isArray(out)) {
    out.add(identityId, entitlementId, grantedAt, lastUsedAt, source, hasUsage ? undefined : false);
    return;
  }
  // Every field in the literal: fields added later go to a separate property store (more bytes per row).
  const a: Assignment = grantedAt
    ? lastUsedAt
      ? { identityId, entitlementId, source, grantedAt, lastUsedAt }
      : { identityId, entitlementId, source, grantedAt }
    : lastUsedAt
      ? { identityId, entitlementId, source, lastUsedAt }
      : { identityId, entitlementId, source };
  if (!hasUsage) a.usageKnown = false;
  out.push(a);
}

function parseCredential(
  get: Getter,
  e: ErrorSink,
  bad: () => boolean,
  identities: Ids,
  seen: Set<string>,
  file: string,
  out: Credential[],
): void {
  const identityId = required(get, e, 'identityId');
  const credentialId = required(get, e, 'credentialId');
  if (identityId && !identities.index.has(identityId)) e('identityId', `identityId "${identityId}" is not in identities.csv`);
  const key = `${identityId}\u001f${credentialId}`;
  if (!bad() && seen.has(key)) e('credentialId', `duplicate credential "${credentialId}" for "${identityId}"`);
  const activeText = get('active').toLowerCase();
  if (activeText && !['true', 'false', '1', '0', 'yes', 'no'].includes(activeText))
    e('active', `active "${get('active')}" is not true or false`);
  const credential: Credential = {
    identityId,
    credentialId,
    kind: required(get, e, 'kind'),
    createdAt: date(get, e, 'createdAt'),
    lastRotatedAt: date(get, e, 'lastRotatedAt'),
    lastUsedAt: date(get, e, 'lastUsedAt'),
    expiresAt: date(get, e, 'expiresAt'),
    active: activeText === '' || ['true', '1', 'yes'].includes(activeText),
    source: baseName(file),
  };
  if (bad()) return;
  seen.add(key);
  out.push(clean(credential));
}

/**
 * The record without its undefined fields, so records stay small and canonical. Copied, not deleted in place:
 * deleting a property that is not the last one turns the object into a hash table (several times larger; 300,000
 * identities at 3M assignments).
 */
function clean<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const k in record) if (record[k] !== undefined) out[k] = record[k];
  return out as T;
}

// The JSON documents of a package, read from untrusted bytes: parsed, shape-checked, with problems in words.
import { IDENTITY_STATUSES, IDENTITY_TYPES, PRIVILEGES } from '../model';
import { fromUtf8 } from '../codec';
import { DECISION_ACTIONS, type AuditEvent } from '../review';
import { DECISION_CLASSES, RISK_TIERS, SUGGESTED_ACTIONS } from '../suggest';
import type { AuditLogSource } from './audit-chain-check';
import { canonicalObjectMembers, type CanonicalLine, MEMBER_ESCAPED, MEMBER_FIELDS, MEMBER_NAME_END, MEMBER_NAME_START, MEMBER_VALUE_END, MEMBER_VALUE_START } from './canonical-line';
import { isInstant, shapeProblem, type Shape } from './document-shapes';
import { DECISIONS_SCHEMA, PREDICATE_TYPE, STATEMENT_TYPE } from './package-layout';
import { decisionsHead } from './decisions-file';
import { CARRIED_DECISION_SHAPE, LINK_SHAPE } from './baseline-link';
import type { DecisionsDocument, PackageItem, Statement } from './types';

export type { CanonicalLine } from './canonical-line';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const MAX_PROBLEMS_PER_FILE = 20;

export function readJson(bytes: Uint8Array, file: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(fromUtf8(bytes)) };
  } catch (error) {
    return { ok: false, problems: [`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
}

function readShaped<T>(bytes: Uint8Array, file: string, shape: Shape): Parsed<T> {
  const json = readJson(bytes, file);
  if (!json.ok) return json;
  const problem = shapeProblem(json.value, shape, file);
  return problem ? { ok: false, problems: [problem] } : { ok: true, value: json.value as T };
}

const STATEMENT_SHAPE: Shape = {
  object: {
    _type: { oneOf: [STATEMENT_TYPE] },
    subject: { array: { object: { name: 'string', digest: { object: { sha256: 'string' } } } } },
    predicateType: { oneOf: [PREDICATE_TYPE] },
    predicate: {
      object: {
        formatVersion: { oneOf: [1] },
        campaign: { object: { id: 'string', name: 'string', scope: 'string', createdAt: 'instant', dueDate: { nullable: 'string' } } },
        period: { object: { from: 'instant', to: 'instant' } },
        reviewers: { array: { object: { id: 'string', name: 'string', email: { nullable: 'string' }, fingerprint: 'string', publicKey: 'string' } } },
        signers: { array: { object: { keyid: 'string', fingerprint: 'string', publicKey: 'string', reviewerId: { nullable: 'string' } } } },
        counts: { object: { items: 'number', decided: 'number', overridden: 'number', stepUpApproved: 'number', open: 'number', noSuggestion: { optional: 'number' } } },
        policyDigest: 'string',
        engineVersion: 'string',
        auditChain: { object: { head: 'string', length: 'number' } },
        importEvidence: { array: { object: { name: 'string', sha256: 'string', format: 'string', rows: 'number', size: 'number' } } },
        decisionSets: { optional: { array: { object: { file: 'string', statementDigest: 'string', reviewerId: 'string', fingerprint: 'string' } } } },
        baseline: { optional: LINK_SHAPE },
      },
    },
  },
};

export function readStatement(bytes: Uint8Array): Parsed<Statement> {
  return readShaped<Statement>(bytes, 'manifest', STATEMENT_SHAPE);
}

const REMEDIATION_LINK_SHAPE: Shape = {
  object: {
    kind: { oneOf: ['membership', 'group-link', 'rule', 'direct'] },
    member: 'string',
    group: 'string',
    entitlement: 'string',
    blastRadius: { object: { identities: 'number', entitlements: 'number' } },
    memberName: { optional: 'string' },
    groupName: { optional: 'string' },
  },
};

const SIGNAL_SHAPE: Shape = { object: { id: 'string', message: 'string' }, open: true };

export const ITEM_SHAPE: Shape = {
  object: {
    itemId: 'string',
    identity: { object: { id: 'string', displayName: 'string', type: { oneOf: IDENTITY_TYPES }, status: { oneOf: IDENTITY_STATUSES } } },
    target: { nullable: { object: { kind: { oneOf: ['entitlement', 'credential'] }, id: 'string', name: 'string', application: 'string', privilege: { oneOf: PRIVILEGES } } } },
    suggestion: {
      nullable: {
        object: {
          action: { oneOf: SUGGESTED_ACTIONS },
          confidence: 'number',
          riskTier: { oneOf: RISK_TIERS },
          decisionClass: { oneOf: DECISION_CLASSES },
          signals: { array: SIGNAL_SHAPE },
          engine: 'string',
          policyDigest: 'string',
        },
      },
    },
    decision: {
      nullable: {
        object: {
          action: { oneOf: DECISION_ACTIONS },
          reviewerId: 'string',
          at: 'instant',
          rationale: { nullable: 'string' },
          acceptedSuggestion: 'boolean',
          approver: { nullable: { object: { id: 'string', at: 'instant' } } },
          ownerId: { optional: 'string' },
          keepUntil: { optional: 'string' },
          escalatedTo: { optional: 'string' },
          carried: { optional: CARRIED_DECISION_SHAPE },
          remediation: { optional: REMEDIATION_LINK_SHAPE },
        },
      },
    },
  },
};

// ITEM_SHAPE, hand-written: the check each of 100,000 items goes through (a few times faster than the compiled
// shape, whose calls and keyed reads vary from member to member). It only says whether an item fits; the shape says
// how one does not. Tests hold the two equal on any value.
const IDENTITY_TYPE_SET: ReadonlySet<unknown> = new Set(IDENTITY_TYPES);
const IDENTITY_STATUS_SET: ReadonlySet<unknown> = new Set(IDENTITY_STATUSES);
const TARGET_KIND_SET: ReadonlySet<unknown> = new Set(['entitlement', 'credential']);
const PRIVILEGE_SET: ReadonlySet<unknown> = new Set(PRIVILEGES);
const SUGGESTED_ACTION_SET: ReadonlySet<unknown> = new Set(SUGGESTED_ACTIONS);
const RISK_TIER_SET: ReadonlySet<unknown> = new Set(RISK_TIERS);
const DECISION_CLASS_SET: ReadonlySet<unknown> = new Set(DECISION_CLASSES);
const DECISION_ACTION_SET: ReadonlySet<unknown> = new Set(DECISION_ACTIONS);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The number of enumerable keys: with every one of a closed shape's n members present, n means no other. */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function isText(v: unknown): v is string {
  return typeof v === 'string';
}

/** True exactly when shapeProblem(v, ITEM_SHAPE) is null. */
export function itemFitsShape(v: unknown): boolean {
  if (!isRecord(v) || !isText(v.itemId)) return false;
  const identity = v.identity;
  if (!isRecord(identity) || !isText(identity.id) || !isText(identity.displayName) || !IDENTITY_TYPE_SET.has(identity.type) || !IDENTITY_STATUS_SET.has(identity.status) || keyCount(identity) !== 4) return false;
  const target = v.target;
  if (target !== null) {
    if (!isRecord(target) || !TARGET_KIND_SET.has(target.kind) || !isText(target.id) || !isText(target.name) || !isText(target.application) || !PRIVILEGE_SET.has(target.privilege) || keyCount(target) !== 5) return false;
  }
  const s = v.suggestion;
  if (s !== null) {
    if (!isRecord(s) || !SUGGESTED_ACTION_SET.has(s.action) || !isFiniteNumber(s.confidence) || !RISK_TIER_SET.has(s.riskTier) || !DECISION_CLASS_SET.has(s.decisionClass)) return false;
    const signals = s.signals;
    if (!Array.isArray(signals)) return false;
    for (let i = 0; i < signals.length; i++) {
      const signal: unknown = signals[i];
      if (!isRecord(signal) || !isText(signal.id) || !isText(signal.message)) return false;
    }
    if (!isText(s.engine) || !isText(s.policyDigest) || keyCount(s) !== 7) return false;
  }
  const d = v.decision;
  if (d !== null) {
    if (!isRecord(d) || !DECISION_ACTION_SET.has(d.action) || !isText(d.reviewerId) || !isInstant(d.at) || (d.rationale !== null && !isText(d.rationale)) || typeof d.acceptedSuggestion !== 'boolean') return false;
    const approver = d.approver;
    if (approver !== null && (!isRecord(approver) || !isText(approver.id) || !isInstant(approver.at) || keyCount(approver) !== 2)) return false;
    let optional = 0;
    if (d.ownerId !== undefined) {
      if (!isText(d.ownerId)) return false;
      optional++;
    }
    if (d.keepUntil !== undefined) {
      if (!isText(d.keepUntil)) return false;
      optional++;
    }
    if (d.escalatedTo !== undefined) {
      if (!isText(d.escalatedTo)) return false;
      optional++;
    }
    if (d.carried !== undefined) {
      if (!carriedFits(d.carried)) return false;
      optional++;
    }
    if (d.remediation !== undefined) {
      if (!remediationLinkFits(d.remediation)) return false;
      optional++;
    }
    if (keyCount(d) !== 6 + optional) return false;
  }
  return keyCount(v) === 5;
}

/** True exactly when shapeProblem(v, CARRIED_DECISION_SHAPE) is null. */
function carriedFits(c: unknown): boolean {
  if (!isRecord(c) || !isText(c.packageDigest) || !DECISION_ACTION_SET.has(c.action) || !isText(c.reviewerId) || !isInstant(c.at)) return false;
  if (c.keepUntil !== undefined && !isText(c.keepUntil)) return false;
  return keyCount(c) === (c.keepUntil !== undefined ? 5 : 4);
}

const LINK_KIND_SET: ReadonlySet<unknown> = new Set(['membership', 'group-link', 'rule', 'direct']);

function remediationLinkFits(r: unknown): boolean {
  if (!isRecord(r) || !LINK_KIND_SET.has(r.kind) || !isText(r.member) || !isText(r.group) || !isText(r.entitlement)) return false;
  const b = r.blastRadius;
  if (!isRecord(b) || !isFiniteNumber(b.identities) || !isFiniteNumber(b.entitlements) || keyCount(b) !== 2) return false;
  let optional = 0;
  if (r.memberName !== undefined) {
    if (!isText(r.memberName)) return false;
    optional++;
  }
  if (r.groupName !== undefined) {
    if (!isText(r.groupName)) return false;
    optional++;
  }
  return keyCount(r) === 5 + optional;
}

function isFiniteNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Why item i does not fit ITEM_SHAPE, or null. */
function itemProblem(item: unknown, index: number): string | null {
  return itemFitsShape(item) ? null : shapeProblem(item, ITEM_SHAPE, `decisions.json items[${index}]`);
}

export function readDecisions(bytes: Uint8Array): Parsed<DecisionsDocument> {
  const json = readJson(bytes, 'decisions.json');
  if (!json.ok) return json;
  const head = shapeProblem(json.value, DECISIONS_HEAD_SHAPE, 'decisions.json');
  if (head) return { ok: false, problems: [head] };
  const doc = json.value as DecisionsDocument;
  const problems: string[] = [];
  for (let i = 0; i < doc.items.length && problems.length < MAX_PROBLEMS_PER_FILE; i++) {
    const problem = itemProblem(doc.items[i], i);
    if (problem) problems.push(problem);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: doc };
}

const DECISIONS_HEAD_SHAPE: Shape = { object: { schema: { oneOf: [DECISIONS_SCHEMA] }, campaignId: 'string', items: { array: 'any' } } };

/**
 * readDecisions, one item at a time: each item, shape-checked, is handed to `visit` once the whole file has read
 * (never when it does not). Returns the campaign and the number of items, or the problems (exactly readDecisions').
 *
 * A file laid out as decisionsJsonBytes writes it (its head line, one item per line, the closing line) is parsed a
 * line at a time: every line a JSON value and the separators exactly those, the file is the JSON document whose items
 * those values are. Any other layout, and any line that is not JSON, is read whole by readDecisions instead (which
 * also words a syntax error as JSON.parse does for the whole file).
 */
export function readDecisionItems(bytes: Uint8Array, visit: (item: PackageItem) => void): Parsed<{ campaignId: string; count: number }> {
  const text = fromUtf8(bytes);
  const lines = decisionsByLine(text, visit);
  if (lines) return lines;
  const whole = readDecisions(bytes);
  if (!whole.ok) return whole;
  for (const item of whole.value.items) visit(item);
  return { ok: true, value: { campaignId: whole.value.campaignId, count: whole.value.items.length } };
}

/** readDecisionItems for a file in decisionsJsonBytes' layout; null when it is not (or a line is not JSON). */
function decisionsByLine(text: string, visit: (item: PackageItem) => void): Parsed<{ campaignId: string; count: number }> | null {
  const headEnd = text.indexOf('\n');
  if (headEnd < 0) return null;
  let head: unknown;
  try {
    head = JSON.parse(`${text.slice(0, headEnd)}]}`);
  } catch {
    return null;
  }
  if (shapeProblem(head, DECISIONS_HEAD_SHAPE, 'decisions.json') !== null) return null;
  const campaignId = (head as DecisionsDocument).campaignId;
  // The head exactly as written (no white space, no repeated or reordered member), so it holds nothing else.
  if (text.slice(0, headEnd + 1) !== decisionsHead(campaignId)) return null;
  const problems: string[] = [];
  // Visited only once the whole file is known to be in this layout (else it is read whole, and visited then).
  const items: PackageItem[] = [];
  let count = 0;
  let at = headEnd + 1;
  if (text.startsWith('\n]}\n', at) && at + 4 === text.length) return { ok: true, value: { campaignId, count } };
  for (;;) {
    const end = text.indexOf('\n', at);
    if (end < 0) return null;
    const more = text.charCodeAt(end - 1) === 0x2c;
    let item: unknown;
    try {
      item = JSON.parse(text.slice(at, more ? end - 1 : end));
    } catch {
      return null;
    }
    if (problems.length < MAX_PROBLEMS_PER_FILE) {
      const problem = itemProblem(item, count);
      if (problem) problems.push(problem);
      else if (!problems.length) items.push(item as PackageItem);
    }
    count++;
    at = end + 1;
    if (!more) break;
  }
  if (!text.startsWith(']}\n', at) || at + 3 !== text.length) return null;
  if (problems.length) return { ok: false, problems };
  for (const item of items) visit(item);
  return { ok: true, value: { campaignId, count } };
}

const ACTOR_SHAPE: Shape = { object: { id: 'string', name: 'string', keyFingerprint: 'string' }, open: true };
const EVENT_SHAPE: Shape = {
  object: {
    seq: 'number',
    prevHash: 'string',
    hash: 'string',
    campaignId: 'string',
    type: { oneOf: ['campaign-created', 'decision', 'undo', 'approval', 'reject', 'reclassification', 'note'] },
    at: 'instant',
    actor: ACTOR_SHAPE,
    itemId: { optional: 'string' },
    action: { optional: { oneOf: DECISION_ACTIONS } },
    acceptedSuggestion: { optional: 'boolean' },
    rationale: { optional: 'string' },
    refersTo: { optional: 'number' },
    secondsOnScreen: { optional: 'number' },
    ownerId: { optional: 'string' },
    keepUntil: { optional: 'string' },
    escalatedTo: { optional: 'string' },
  },
  open: true,
};

/** Why a parsed line of audit-log.jsonl is not an audit event, or null. */
export function auditEventProblem(value: unknown, lineNumber: number): string | null {
  return shapeProblem(value, EVENT_SHAPE, `audit-log.jsonl line ${lineNumber}`);
}

export const MAX_AUDIT_LOG_PROBLEMS = MAX_PROBLEMS_PER_FILE;

export interface AuditLogRead {
  events: AuditEvent[];
  source: AuditLogSource;
}

/**
 * One line of audit-log.jsonl, parsed and shape-checked: the event, its text, and where it lies in the file.
 * `canonical` is given when the line was found to be its event's canonical JSON (the object is reused from line to
 * line), undefined when that was not looked at.
 */
export type AuditLineVisitor = (event: AuditEvent, line: string, byteStart: number, byteEnd: number, canonical?: Readonly<CanonicalLine>) => void;

export interface WalkOptions {
  /**
   * Lean events: a line that is canonical JSON is not parsed whole; its event holds only the members the event
   * shape names (the ones every check reads), each with the value JSON.parse would give it. For the verifier's
   * analysis, which keeps no event; a caller that keeps events wants them whole.
   */
  lean?: boolean;
}

/**
 * Walks audit-log.jsonl (UTF-8, one JSON event per line, final newline; an empty file is an empty log) line by
 * line, handing each event to `visit` while every line so far has read. Returns the number of lines, or the
 * problems (at most MAX_AUDIT_LOG_PROBLEMS): then the log is unreadable and what was visited does not count.
 */
export function walkAuditLog(bytes: Uint8Array, visit: AuditLineVisitor, options: WalkOptions = {}): Parsed<number> {
  return new AuditLogWalk(bytes, visit, options).finish(bytes.length);
}

/**
 * walkAuditLog over a file that arrives in pieces (as it inflates): `bytes` is the whole file's buffer, filled from
 * the start; advance(n) reads every line complete in its first n bytes, finish(length) the rest, with walkAuditLog's
 * result. (A newline byte is never inside a UTF-8 sequence, so the text is decoded, and checked, a run of whole lines
 * at a time.)
 */
export class AuditLogWalk {
  private lineNumber = 0;
  /** Where the first line not yet read starts, in the file. */
  private byteStart = 0;
  private readonly problems: string[] = [];
  private notUtf8 = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly visit: AuditLineVisitor,
    private readonly options: WalkOptions = {},
  ) {}

  /** Reads the lines that end in bytes[0, available). */
  advance(available: number): void {
    if (this.notUtf8 || available <= this.byteStart) return;
    const lastNewline = this.bytes.lastIndexOf(0x0a, available - 1);
    if (lastNewline < this.byteStart) return;
    this.readLines(this.byteStart, lastNewline + 1);
    this.byteStart = lastNewline + 1;
  }

  /** The file is whole, `length` bytes: the number of lines, or the problems. */
  finish(length: number): Parsed<number> {
    this.advance(length);
    // What follows the last newline is a line without one: the log is truncated, unless it is not even UTF-8.
    if (!this.notUtf8 && this.byteStart < length) {
      try {
        this.decoder.decode(this.bytes.subarray(this.byteStart, length));
      } catch {
        this.notUtf8 = true;
      }
    }
    if (this.notUtf8) return { ok: false, problems: ['audit-log.jsonl is not valid UTF-8'] };
    if (this.byteStart < length) return { ok: false, problems: ['audit-log.jsonl does not end with a newline (truncated?)'] };
    return this.problems.length ? { ok: false, problems: this.problems } : { ok: true, value: this.lineNumber };
  }

  /** The lines of bytes[from, to), which ends with a newline. */
  private readLines(from: number, to: number): void {
    const { bytes, problems, options } = this;
    let text: string;
    try {
      text = this.decoder.decode(bytes.subarray(from, to));
    } catch {
      this.notUtf8 = true;
      return;
    }
    // `start` in the text, `byteStart` in the file.
    let byteStart = from;
    for (let start = 0; start < text.length && problems.length < MAX_PROBLEMS_PER_FILE; ) {
      const end = text.indexOf('\n', start);
      const byteEnd = bytes.indexOf(0x0a, byteStart);
      const line = text.slice(start, end);
      const lineNumber = ++this.lineNumber;
      let value: unknown;
      let parsed = true;
      const lean = options.lean ? leanEvent(bytes, byteStart, byteEnd, line) : false;
      if (typeof lean === 'object') value = lean;
      else {
        try {
          value = JSON.parse(line);
        } catch {
          problems.push(`audit-log.jsonl line ${lineNumber} is not valid JSON`);
          parsed = false;
        }
      }
      if (parsed) {
        const problem = auditEventProblem(value, lineNumber);
        if (problem) problems.push(problem);
        else if (!problems.length) {
          if (lean === false) this.visit(value as AuditEvent, line, byteStart, byteEnd);
          else this.visit(value as AuditEvent, line, byteStart, byteEnd, canonicalLine);
        }
      }
      start = end + 1;
      byteStart = byteEnd + 1;
    }
  }
}

/** The members EVENT_SHAPE names, in its order: the ones a lean event holds. */
export const LEAN_EVENT_MEMBERS = Object.keys((EVENT_SHAPE as { object: object }).object);

/** The members by length, each with its bytes and its place in LEAN_EVENT_MEMBERS. */
const MEMBERS_BY_LENGTH: ReadonlyArray<ReadonlyArray<{ index: number; bytes: Uint8Array }>> = (() => {
  const byLength: { index: number; bytes: Uint8Array }[][] = [];
  LEAN_EVENT_MEMBERS.forEach((name, index) => (byLength[name.length] ??= []).push({ index, bytes: new TextEncoder().encode(name) }));
  return byLength;
})();

/** The place in LEAN_EVENT_MEMBERS of the member named by bytes[from, to), or -1. */
function leanMemberIndex(bytes: Uint8Array, from: number, to: number): number {
  const candidates = MEMBERS_BY_LENGTH[to - from];
  if (!candidates) return -1;
  next: for (const { index, bytes: expected } of candidates) {
    for (let k = 0; k < expected.length; k++) if (bytes[from + k] !== expected[k]) continue next;
    return index;
  }
  return -1;
}

/** Room for the members of one event (more than any event has; a line with more takes the JSON.parse path). */
const eventMembers = new Int32Array(MEMBER_FIELDS * 64);
const leanValues: unknown[] = new Array<unknown>(LEAN_EVENT_MEMBERS.length);
const HASH_INDEX = LEAN_EVENT_MEMBERS.indexOf('hash');
/** The visitor's `canonical`, reused from line to line. */
const canonicalLine: CanonicalLine = { hashFrom: -1, hashTo: -1 };

/**
 * The lean event of a line that is canonical JSON (bytes[start, end), decoded as `line`): every member the event
 * shape names, undefined when the line has none of that name; other members are left out. True when the line is
 * canonical but not ASCII (its byte offsets are not its character offsets: the caller parses it); false when the
 * line is not certainly canonical (the caller parses it, and the chain check serialises its event).
 */
function leanEvent(bytes: Uint8Array, start: number, end: number, line: string): Record<string, unknown> | boolean {
  const count = canonicalObjectMembers(bytes, start, end, eventMembers);
  if (count < 0) return false;
  const m = eventMembers;
  // Offsets in `line` are byte offsets only for an ASCII line; any other is parsed by the caller.
  const ascii = end - start === line.length;
  const v = leanValues;
  v.fill(undefined);
  canonicalLine.hashFrom = canonicalLine.hashTo = -1;
  for (let at = 0; at < count * MEMBER_FIELDS; at += MEMBER_FIELDS) {
    const index = leanMemberIndex(bytes, m[at + MEMBER_NAME_START]!, m[at + MEMBER_NAME_END]!);
    if (index < 0) continue;
    // The hash member with the comma before it. (An event's "hash" is never its first member: "actor" and "at"
    // sort before it. A line where it is goes without a position, and its event is serialised.)
    if (index === HASH_INDEX && at > 0) {
      canonicalLine.hashFrom = m[at + MEMBER_NAME_START]! - 2;
      canonicalLine.hashTo = m[at + MEMBER_VALUE_END]!;
    }
    if (ascii) v[index] = memberValue(line, m[at + MEMBER_VALUE_START]! - start, m[at + MEMBER_VALUE_END]! - start, m[at + MEMBER_ESCAPED] === 1);
  }
  if (!ascii) return true;
  // One literal, so every lean event has the same hidden class (LEAN_EVENT_MEMBERS' order; a test holds them equal).
  return {
    seq: v[0],
    prevHash: v[1],
    hash: v[2],
    campaignId: v[3],
    type: v[4],
    at: v[5],
    actor: v[6],
    itemId: v[7],
    action: v[8],
    acceptedSuggestion: v[9],
    rationale: v[10],
    refersTo: v[11],
    secondsOnScreen: v[12],
    ownerId: v[13],
    keepUntil: v[14],
    escalatedTo: v[15],
  };
}

/**
 * Objects and arrays read so far, by their text: an event's actor is one of a few reviewers, so most events share
 * the object JSON.parse gave the first time (lean events are only read, never changed), and a 100,000-event log
 * leaves a few objects for the garbage collector instead of 100,000. Cleared when full, so a log of many distinct
 * values holds no more than this many.
 */
const parsedValues = new Map<string, unknown>();
const PARSED_VALUES_KEPT = 64;

/** The value of line[from, to), canonical JSON: what JSON.parse gives for it. */
function memberValue(line: string, from: number, to: number, escaped: boolean): unknown {
  switch (line.charCodeAt(from)) {
    case 0x22: // a string: without escapes, its characters as they stand
      return escaped ? JSON.parse(line.slice(from, to)) : line.slice(from + 1, to - 1);
    case 0x74:
      return true;
    case 0x66:
      return false;
    case 0x6e:
      return null;
    case 0x7b:
    case 0x5b: {
      const text = line.slice(from, to);
      let value = parsedValues.get(text);
      if (value === undefined) {
        value = JSON.parse(text);
        if (parsedValues.size >= PARSED_VALUES_KEPT) parsedValues.clear();
        parsedValues.set(text, value);
      }
      return value;
    }
    default: // a number, in its shortest form: Number() reads it as JSON.parse does
      return Number(line.slice(from, to));
  }
}

/** The whole log in memory: its events, and the lines and offsets they were read from (see walkAuditLog). */
export function readAuditLog(bytes: Uint8Array): Parsed<AuditLogRead> {
  const events: AuditEvent[] = [];
  const lines: string[] = [];
  const lineStarts: number[] = [];
  const walked = walkAuditLog(bytes, (event, line, byteStart) => {
    events.push(event);
    lines.push(line);
    lineStarts.push(byteStart);
  });
  if (!walked.ok) return walked;
  if (lines.length) lineStarts.push(bytes.length);
  return { ok: true, value: { events, source: { bytes, lines, lineStarts } } };
}

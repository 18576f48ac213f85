// audit-log.jsonl read line by line: each event shape-checked, the lean walk the verifier uses on large logs (members
// located in the line's bytes without building every event), and the whole log read at once for small ones.
import { DECISION_ACTIONS, type AuditEvent } from '../review';
import type { AuditLogSource } from './audit-chain-check';
import {
  canonicalObjectMembers,
  type CanonicalLine,
  MEMBER_ESCAPED,
  MEMBER_FIELDS,
  MEMBER_NAME_END,
  MEMBER_NAME_START,
  MEMBER_VALUE_END,
  MEMBER_VALUE_START,
} from './canonical-line';
import { shapeProblem, type Shape } from './document-shapes';

export type { CanonicalLine } from './canonical-line';
import { MAX_PROBLEMS_PER_FILE, type Parsed } from './package-documents';

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
export type AuditLineVisitor = (
  event: AuditEvent,
  line: string,
  byteStart: number,
  byteEnd: number,
  canonical?: Readonly<CanonicalLine>,
) => void;

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
    private bytes: Uint8Array,
    private readonly visit: AuditLineVisitor,
    private readonly options: WalkOptions = {},
  ) {}

  /** The buffer the lines are read from (the visitor's offsets are offsets in it). */
  get buffer(): Uint8Array {
    return this.bytes;
  }

  /** Where the first line not yet read starts, in `buffer`: what a sliding reader must keep. */
  get unread(): number {
    return this.byteStart;
  }

  /**
   * Reads on from `bytes`, which holds the current buffer's bytes from `dropped` on (a reader that slides a window
   * over the file keeps only the unread tail, so a log of any length needs a few mebibytes).
   */
  rebase(bytes: Uint8Array, dropped: number): void {
    if (dropped > this.byteStart) throw new Error('a window may drop only lines already read');
    this.bytes = bytes;
    this.byteStart -= dropped;
  }

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
    for (let start = 0; start < text.length && problems.length < MAX_PROBLEMS_PER_FILE;) {
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
    if (ascii)
      v[index] = memberValue(line, m[at + MEMBER_VALUE_START]! - start, m[at + MEMBER_VALUE_END]! - start, m[at + MEMBER_ESCAPED] === 1);
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

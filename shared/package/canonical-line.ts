// Is a line of bytes exactly the RFC 8785 canonical JSON of the value it holds? Answered by one pass over the
// bytes, without building the value or serialising it again: the audit chain's fast path (audit-chain-check.ts)
// hashes a canonical line's own bytes, and until now proved it canonical by parsing it and comparing
// JSON.stringify's output with it, which for a 100,000-event log costs half a second and 90 MB of strings.
//
// The answer is conservative: true only when the bytes are certainly canonical; false when they are not, or when a
// construct is rare enough to leave to the reference path (escapes other than JSON.stringify's, non-ASCII or
// escaped object keys, "__proto__"). What canonical means here (RFC 8785 §3.2, ECMAScript JSON.stringify):
// no white space; strings escape exactly ", \, the C0 controls (as \b \t \n \f \r, others \u00xx in lower case)
// and nothing else; numbers in ECMAScript's shortest form; object members in strictly ascending order of their
// names' UTF-16 code units (for ASCII names, byte order); one value, nothing after it. The bytes must be valid UTF-8
// (the caller decoded them with `fatal`), so they hold no lone surrogates, the one other thing JSON.stringify escapes.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_DEPTH = 64;

/** True when bytes[start, end) is the canonical JSON text of a JSON value (see above); false when unsure. */
export function isCanonicalJson(bytes: Uint8Array, start: number, end: number): boolean {
  const scanner = new Scanner(bytes, end, null);
  const after = scanner.value(start, 0);
  return after === end;
}

/**
 * What canonicalObjectMembers records of each member, at these offsets: where its name starts and ends (without its
 * quotes), where its value starts and ends, and 1 when the value is a string holding an escape (else 0).
 */
export const MEMBER_NAME_START = 0;
export const MEMBER_NAME_END = 1;
export const MEMBER_VALUE_START = 2;
export const MEMBER_VALUE_END = 3;
export const MEMBER_ESCAPED = 4;
export const MEMBER_FIELDS = 5;

/**
 * isCanonicalJson for a JSON object, which also records where each of its own members lies (MEMBER_FIELDS numbers
 * each, at the MEMBER_ offsets) in `out`. Returns the number of members, or -1 when the bytes are not (certainly) the canonical
 * JSON of an object, or it has more members than `out` holds.
 */
export function canonicalObjectMembers(bytes: Uint8Array, start: number, end: number, out: Int32Array): number {
  if (bytes[start] !== 0x7b) return -1;
  const scanner = new Scanner(bytes, end, out);
  return scanner.value(start, 0) === end ? scanner.memberCount : -1;
}

class Scanner {
  /** Members of the outermost object recorded so far (when recording). */
  memberCount = 0;
  /** Whether a string with an escape was scanned since this was last reset. */
  private escaped = false;

  constructor(
    private readonly b: Uint8Array,
    private readonly end: number,
    private readonly members: Int32Array | null,
  ) {}

  /** Scans one value at `at`; returns where it ends, or -1. */
  value(at: number, depth: number): number {
    if (at >= this.end) return -1;
    const c = this.b[at]!;
    if (c === QUOTE) return this.string(at, false);
    if (c === 0x7b) return this.object(at, depth + 1);
    if (c === 0x5b) return this.array(at, depth + 1);
    if (c === 0x74) return this.literal(at, TRUE);
    if (c === 0x66) return this.literal(at, FALSE);
    if (c === 0x6e) return this.literal(at, NULL);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(at);
    return -1;
  }

  private object(at: number, depth: number): number {
    if (depth > MAX_DEPTH) return -1;
    const b = this.b;
    at++;
    if (b[at] === 0x7d) return at + 1;
    let previousStart = -1;
    let previousEnd = -1;
    for (;;) {
      if (b[at] !== QUOTE) return -1;
      const nameEnd = this.string(at, true);
      if (nameEnd < 0) return -1;
      // The name without its quotes, ASCII and unescaped (string() made sure): must sort after the previous one.
      if (previousStart >= 0 && compareBytes(b, previousStart, previousEnd, at + 1, nameEnd - 1) >= 0) return -1;
      if (nameEnd - at === 11 && isProto(b, at + 1)) return -1;
      previousStart = at + 1;
      previousEnd = nameEnd - 1;
      if (b[nameEnd] !== 0x3a) return -1;
      const valueStart = nameEnd + 1;
      this.escaped = false;
      at = this.value(valueStart, depth);
      if (at < 0) return -1;
      if (depth === 1 && this.members && !this.record(previousStart, previousEnd, valueStart, at)) return -1;
      const c = b[at];
      if (c === 0x7d) return at + 1;
      if (c !== 0x2c) return -1;
      at++;
    }
  }

  private record(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): boolean {
    const out = this.members!;
    const at = this.memberCount * MEMBER_FIELDS;
    if (at + MEMBER_FIELDS > out.length) return false;
    out[at + MEMBER_NAME_START] = nameStart;
    out[at + MEMBER_NAME_END] = nameEnd;
    out[at + MEMBER_VALUE_START] = valueStart;
    out[at + MEMBER_VALUE_END] = valueEnd;
    out[at + MEMBER_ESCAPED] = this.escaped ? 1 : 0;
    this.memberCount++;
    return true;
  }

  private array(at: number, depth: number): number {
    if (depth > MAX_DEPTH) return -1;
    const b = this.b;
    at++;
    if (b[at] === 0x5d) return at + 1;
    for (;;) {
      at = this.value(at, depth);
      if (at < 0) return -1;
      const c = b[at];
      if (c === 0x5d) return at + 1;
      if (c !== 0x2c) return -1;
      at++;
    }
  }

  /** A string at `at` (its opening quote); a member name must be ASCII without escapes. Returns the end, or -1. */
  private string(at: number, name: boolean): number {
    const b = this.b;
    const end = this.end;
    const plain = name ? PLAIN_IN_NAME : PLAIN_IN_STRING;
    for (let i = at + 1; i < end; i++) {
      // Runs of bytes that need no look (most of every string) are skipped a table lookup at a time.
      while (i < end && plain[b[i]!] === 1) i++;
      if (i >= end) return -1;
      const c = b[i]!;
      if (c === QUOTE) return i + 1;
      if (c < 0x20) return -1;
      if (c === BACKSLASH) {
        if (name) return -1;
        this.escaped = true;
        const e = b[i + 1];
        if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          i++;
          continue;
        }
        // \u00xx, lower-case hex, for a control character that has no short escape.
        if (e === 0x75 && b[i + 2] === 0x30 && b[i + 3] === 0x30 && (b[i + 4] === 0x30 || b[i + 4] === 0x31)) {
          const low = hexLower(b[i + 5]);
          if (low < 0) return -1;
          const code = (b[i + 4] === 0x31 ? 16 : 0) + low;
          if (code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return -1;
          i += 5;
          continue;
        }
        return -1;
      }
      if (c >= 0x80 && name) return -1;
    }
    return -1;
  }

  private literal(at: number, word: readonly number[]): number {
    for (let k = 0; k < word.length; k++) if (this.b[at + k] !== word[k]) return -1;
    return at + word.length;
  }

  /** A number: a plain integer of up to 15 digits is canonical as it stands; anything else is checked by value. */
  private number(at: number): number {
    const b = this.b;
    let i = at;
    while (i < this.end) {
      const c = b[i]!;
      if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) i++;
      else break;
    }
    const negative = b[at] === 0x2d;
    const digits = i - at - (negative ? 1 : 0);
    let plain = digits >= 1 && digits <= 15;
    for (let k = at + (negative ? 1 : 0); plain && k < i; k++) if (b[k]! < 0x30 || b[k]! > 0x39) plain = false;
    if (plain) {
      const first = b[at + (negative ? 1 : 0)];
      if (first === 0x30 && (digits > 1 || negative)) return -1; // leading zero, or -0
      return i;
    }
    let token = '';
    for (let k = at; k < i; k++) token += String.fromCharCode(b[k]!);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(token)) return -1;
    const n = Number(token);
    return Number.isFinite(n) && String(n) === token ? i : -1;
  }
}

/** Bytes a string may hold as they are (1), and those string() must look at (0): the quote, the backslash, controls; in a member name, also any byte of a non-ASCII character. */
const PLAIN_IN_STRING = plainBytes(false);
const PLAIN_IN_NAME = plainBytes(true);

function plainBytes(name: boolean): Uint8Array {
  const table = new Uint8Array(256);
  for (let c = 0x20; c < 256; c++) table[c] = c === QUOTE || c === BACKSLASH || (name && c >= 0x80) ? 0 : 1;
  return table;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];
const PROTO = [0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f];

function isProto(b: Uint8Array, at: number): boolean {
  for (let k = 0; k < PROTO.length; k++) if (b[at + k] !== PROTO[k]) return false;
  return true;
}

function hexLower(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** Byte-wise comparison of a[aStart, aEnd) and a[bStart, bEnd): negative, zero or positive. */
function compareBytes(b: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < n; k++) {
    const d = b[aStart + k]! - b[bStart + k]!;
    if (d !== 0) return d;
  }
  return aEnd - aStart - (bEnd - bStart);
}

/**
 * What the lean reading (WalkOptions.lean) found of a line that is its event's canonical JSON: where its top-level
 * "hash" member lies with the comma before it, bytes [hashFrom, hashTo) of the file (both -1 when it has none, or
 * it is the first member): the line without them is the canonical JSON of the event without its hash.
 */
export interface CanonicalLine {
  hashFrom: number;
  hashTo: number;
}

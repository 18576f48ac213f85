// The audit chain, checked and written fast enough for 100,000-event campaigns.
//
// Same definition as shared/review/audit-log.ts (verifyChain): each event's hash is the SHA-256 of the RFC 8785
// canonical JSON of the event without `hash`, and links to the previous event's hash. audit-log.jsonl is written
// with sorted keys, so each line is its event's canonical JSON (model/canonical-json.ts) and the hash is taken over
// the file's own bytes; any other event falls back to canonicalJson. Tests hold this equal to verifyChain.
import { canonicalJson, sha256Hex } from '../codec';
import { canonicalText, inCanonicalOrder } from '../model';
import { GENESIS_HASH, type ChainCheck } from '../review';
import type { AuditEvent } from '../review';
import type { Pacer } from '../codec';
import { ByteWriter, SIZE_CHECKPOINT } from '../codec';
import { isCanonicalJson, type CanonicalLine } from './canonical-line';
import { sha256HexOfRange } from '../codec';

export { canonicalText, withSortedKeys } from '../model';

/** The hash an event must carry. */
export function expectedEventHash(event: AuditEvent): string {
  const { hash: _hash, ...rest } = event;
  return sha256Hex(canonicalText(rest));
}

/** The text each event was read from (audit-log.jsonl), so hashes can be taken over the file's own bytes. */
export interface AuditLogSource {
  /** The file's bytes, which must be valid UTF-8 (decoded with `fatal`). */
  bytes: Uint8Array;
  lines: readonly string[];
  /** Byte offset of each line in `bytes`, and one more: where the line after the last would start. */
  lineStarts: readonly number[];
  /** True when the lines were written as canonicalText(event), so there is nothing to prove about them. */
  canonicalByConstruction?: boolean;
}

/** verifyChain's checks (sequence, links, hashes), with the same results. */
export function checkAuditChain(events: readonly AuditEvent[], source?: AuditLogSource): ChainCheck {
  return runToEnd(chainCheckSteps(events, source));
}

/** checkAuditChain, yielding to the event loop every few milliseconds (see event-loop-pacer.ts). */
export function checkAuditChainPaced(events: readonly AuditEvent[], source: AuditLogSource | undefined, pacer: Pacer): Promise<ChainCheck> {
  return runPaced(chainCheckSteps(events, source), pacer);
}

/** Steps of work, with a `yield` between batches where a paced run may let the event loop turn. */
/** Steps that pause (yield) every few hundred events; a yielded promise is awaited before the next step. */
type Steps<T> = Generator<void | Promise<void>, T, void>;
const BATCH = 512;

function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

async function runPaced<T>(steps: Steps<T>, pacer: Pacer): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (step.value) await step.value;
    await pacer.pace();
  }
}

function* chainCheckSteps(events: readonly AuditEvent[], source?: AuditLogSource): Steps<ChainCheck> {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    if (i % BATCH === BATCH - 1) yield;
    const e = events[i]!;
    const broken = chainBreak(e, i, prevHash, source ? hashOfCanonicalLine(e, source, i) : null);
    if (broken) return broken;
    prevHash = e.hash;
  }
  return { ok: true, length: events.length, head: prevHash };
}

/**
 * The chain checked one event at a time, as the lines of audit-log.jsonl are read, keeping nothing but the last
 * hash (checkAuditChain's checks and results, for a reader that does not hold every event).
 */
export class ChainWalker {
  private prevHash = GENESIS_HASH;
  private count = 0;
  private broken: ChainCheck | null = null;

  /**
   * The next event, parsed from `line`, which is bytes[start, end) of the file; `canonical`: the line is already
   * known to be canonical JSON, and where its hash member lies (walkAuditLog's lean reading found both).
   */
  step(e: AuditEvent, line: string, bytes: Uint8Array, start: number, end: number, canonical?: Readonly<CanonicalLine>): void {
    const i = this.count++;
    if (this.broken) return;
    let lineHash: string | null = null;
    if (canonical) {
      if (typeof e.hash === 'string' && canonical.hashFrom >= 0)
        lineHash = sha256HexOfRange(bytes, start, end, canonical.hashFrom, canonical.hashTo);
    } else if (typeof e.hash === 'string' && isCanonicalJson(bytes, start, end))
      lineHash = hashWithoutMember(e.hash, line, bytes, start, end);
    // Without a line hash the event itself is serialised; a lean event (given with `canonical`) lacks members, so
    // the line is read whole for that.
    this.broken = chainBreak(lineHash === null && canonical ? (JSON.parse(line) as AuditEvent) : e, i, this.prevHash, lineHash);
    this.prevHash = e.hash;
  }

  result(): ChainCheck {
    return this.broken ?? { ok: true, length: this.count, head: this.prevHash };
  }
}

/** Why event i breaks the chain, or null. `lineHash`: its hash as taken over its line, when that could be done. */
function chainBreak(e: AuditEvent, i: number, prevHash: string, lineHash: string | null): ChainCheck | null {
  if (e.seq !== i + 1) return { ok: false, seq: e.seq, reason: `event ${i + 1} has sequence number ${e.seq}` };
  if (e.prevHash !== prevHash)
    return { ok: false, seq: e.seq, reason: `event ${e.seq} does not link to the event before it (prevHash mismatch)` };
  let expected = lineHash;
  if (expected === null) {
    try {
      expected = expectedEventHash(e);
    } catch (error) {
      // A value JSON can hold but canonical JSON cannot (a number beyond the double range reads as Infinity).
      return {
        ok: false,
        seq: e.seq,
        reason: `event ${e.seq} cannot be put in canonical JSON, so its hash cannot be checked (${error instanceof Error ? error.message : String(error)})`,
      };
    }
  }
  if (e.hash !== expected) return { ok: false, seq: e.seq, reason: `event ${e.seq} was altered (its hash does not match its content)` };
  return null;
}

/**
 * When line i is exactly its event's canonical JSON, the canonical JSON of the event without `hash` is that line
 * minus its one `,"hash":"…"` member; its SHA-256 is taken over the file's bytes around the member, with nothing
 * re-serialised or copied. Null when the line is not canonical (the caller then serialises the event).
 */
function hashOfCanonicalLine(e: AuditEvent, source: AuditLogSource, i: number): string | null {
  const line = source.lines[i]!;
  if (typeof e.hash !== 'string') return null;
  const start = source.lineStarts[i]!;
  const end = source.lineStarts[i + 1]! - 1;
  if (!source.canonicalByConstruction && !isCanonicalJson(source.bytes, start, end)) return null;
  return hashWithoutMember(e.hash, line, source.bytes, start, end);
}

/** SHA-256 of the canonical line in bytes[start, end) without its hash member; null if that member is not found once. */
function hashWithoutMember(hash: string, line: string, bytes: Uint8Array, start: number, end: number): string | null {
  const member = `,"hash":${JSON.stringify(hash)}`;
  const at = line.indexOf(member);
  if (at <= 0 || line.indexOf(member, at + 1) >= 0) return null;
  const memberStart = start + (end - start === line.length ? at : utf8Length(line, at));
  const memberEnd = memberStart + member.length; // the member itself is ASCII
  return sha256HexOfRange(bytes, start, end, memberStart, memberEnd);
}

/** UTF-8 byte length of text.slice(0, end), without allocating for ASCII. */
function utf8Length(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * audit-log.jsonl: one event per line, each line the event's canonical JSON (keys sorted), final newline; and the
 * chain checked over those very bytes, as the verifier will check it.
 */
export function writeAuditLog(events: readonly AuditEvent[]): WrittenAuditLog {
  return runToEnd(writeAuditLogSteps(events));
}

/**
 * writeAuditLog, yielding to the event loop every few milliseconds (see event-loop-pacer.ts). Given `slices`, the
 * file goes there in slices of about a megabyte as it is written, and `bytes` is empty; each slice is a view of the
 * writer's buffer, valid until the promise `slices` returns resolves (or until it returns, if it returns none).
 */
export function writeAuditLogPaced(
  events: readonly AuditEvent[],
  pacer: Pacer,
  slices?: (slice: Uint8Array) => void | Promise<void>,
): Promise<WrittenAuditLog> {
  return runPaced(writeAuditLogSteps(events, slices), pacer);
}

export interface WrittenAuditLog {
  bytes: Uint8Array;
  chain: ChainCheck;
}

const SLICE_BYTES = 1 << 20;

function* writeAuditLogSteps(events: readonly AuditEvent[], slices?: (slice: Uint8Array) => void | Promise<void>): Steps<WrittenAuditLog> {
  // One pass: each event is written, then checked over the bytes just written, as the verifier will check it; no
  // line outlives its event (keeping 100 MB of lines alive until a second pass costs the garbage collector dearly).
  const out = new ByteWriter(slices ? 2 * SLICE_BYTES : Math.max(1 << 16, events.length * 800));
  let prevHash = GENESIS_HASH;
  let broken: ChainCheck | null = null;
  for (let i = 0; i < events.length; i++) {
    if (i % BATCH === BATCH - 1) yield;
    if (slices) {
      if (out.size >= SLICE_BYTES) {
        const taken = slices(out.takeView());
        if (taken) yield taken;
      }
    } else if (i === SIZE_CHECKPOINT) out.extrapolate(i, events.length);
    const e = events[i]!;
    const line = canonicalEventText(e);
    const start = out.size;
    out.utf8(line);
    const end = out.size;
    out.ascii('\n');
    if (broken) continue;
    broken = chainBreak(e, i, prevHash, typeof e.hash === 'string' ? hashWithoutMember(e.hash, line, out.buffered(), start, end) : null);
    prevHash = e.hash;
  }
  if (slices && out.size) {
    const taken = slices(out.takeView());
    if (taken) yield taken;
  }
  return { bytes: slices ? new Uint8Array(0) : out.trimmedBytes(), chain: broken ?? { ok: true, length: events.length, head: prevHash } };
}

const NOT_PLAIN = Symbol('not plain JSON data');

/**
 * canonicalJson(event), fast: the event itself when its keys are already sorted (events chained by chainEvent are),
 * else a copy with every object's keys sorted, which JSON.stringify then writes in canonical form. Anything where the two could differ (integer-like keys, which JavaScript enumerates first; "__proto__";
 * non-finite numbers; values that are not plain JSON data) goes to the reference canonicaliser instead.
 */
function canonicalEventText(event: AuditEvent): string {
  if (inCanonicalOrder(event)) return JSON.stringify(event);
  const copy = plainSortedCopy(event);
  return copy === NOT_PLAIN ? canonicalJson(event) : JSON.stringify(copy);
}

function plainSortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : NOT_PLAIN;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return NOT_PLAIN;
          const child = value[i] === undefined ? null : plainSortedCopy(value[i]);
          if (child === NOT_PLAIN) return NOT_PLAIN;
          out[i] = child;
        }
        return out;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(record).sort()) {
        const first = key.charCodeAt(0);
        if ((first >= 48 && first <= 57) || key === '__proto__') return NOT_PLAIN; // a leading digit: maybe integer-like
        if (record[key] === undefined) continue;
        const child = plainSortedCopy(record[key]);
        if (child === NOT_PLAIN) return NOT_PLAIN;
        out[key] = child;
      }
      return out;
    }
    default:
      return NOT_PLAIN;
  }
}

/** Byte offset of each of `count` newline-ended lines, plus the end (a newline byte is never inside a UTF-8 sequence). */
export function lineStartOffsets(bytes: Uint8Array, count: number): number[] {
  const starts = new Array<number>(count + 1);
  starts[0] = 0;
  let line = 1;
  let from = 0;
  while (line <= count) {
    const at = bytes.indexOf(0x0a, from);
    if (at < 0) break;
    starts[line++] = at + 1;
    from = at + 1;
  }
  return starts;
}

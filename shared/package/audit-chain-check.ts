// The audit chain, checked and written fast enough for 100,000-event campaigns.
//
// Same definition as shared/review/audit-log.ts (verifyChain): each event's hash is the SHA-256 of the RFC 8785
// canonical JSON of the event without `hash`, and links to the previous event's hash. The `canonicalize` library
// spends ~30 µs per event building strings; but when every object's keys are already in code-unit order, the
// native JSON.stringify produces exactly the canonical text (RFC 8785 takes its number and string forms from
// ECMAScript's JSON.stringify). audit-log.jsonl is written with sorted keys, so checking takes the fast path; any
// other event falls back to canonicalJson. Tests hold this equal to verifyChain.
import { canonicalJson, sha256Hex } from '../model/digest';
import { GENESIS_HASH, type ChainCheck } from '../review/audit-log';
import type { AuditEvent } from '../review/types';

/** RFC 8785 canonical JSON of a JSON value. */
export function canonicalText(value: unknown): string {
  return inCanonicalOrder(value) ? JSON.stringify(value) : canonicalJson(value);
}

/** True when JSON.stringify(value) is already its canonical form: plain data, finite numbers, sorted keys. */
function inCanonicalOrder(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !inCanonicalOrder(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      let previous: string | null = null;
      for (const key of Object.keys(record)) {
        if (previous !== null && !(previous < key)) return false;
        const child = record[key];
        if (child !== undefined && !inCanonicalOrder(child)) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
}

/** A copy of a JSON value with every object's keys sorted and undefined members dropped. */
export function withSortedKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : withSortedKeys(v))) as T;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const child = record[key];
    if (child !== undefined) out[key] = withSortedKeys(child);
  }
  return out as T;
}

/** The hash an event must carry. */
export function expectedEventHash(event: AuditEvent): string {
  const { hash: _hash, ...rest } = event;
  return sha256Hex(canonicalText(rest));
}

/** verifyChain's checks (sequence, links, hashes), with the same results. */
export function checkAuditChain(events: readonly AuditEvent[]): ChainCheck {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq !== i + 1) return { ok: false, seq: e.seq, reason: `event ${i + 1} has sequence number ${e.seq}` };
    if (e.prevHash !== prevHash) return { ok: false, seq: e.seq, reason: `event ${e.seq} does not link to the event before it (prevHash mismatch)` };
    if (e.hash !== expectedEventHash(e)) return { ok: false, seq: e.seq, reason: `event ${e.seq} was altered (its hash does not match its content)` };
    prevHash = e.hash;
  }
  return { ok: true, length: events.length, head: prevHash };
}

/** audit-log.jsonl: one event per line, keys sorted (so each line is the event's canonical JSON), final newline. */
export function auditLogJsonl(events: readonly AuditEvent[]): string {
  if (!events.length) return '';
  const lines = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) lines[i] = JSON.stringify(withSortedKeys(events[i]));
  return `${lines.join('\n')}\n`;
}

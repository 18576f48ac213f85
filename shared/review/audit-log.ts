import { canonicalText, withSortedKeys } from '../model';
import { canonicalJson, sha256Hex } from '../codec';
import type { AuditEvent, AuditEventBody } from './types';

export const GENESIS_HASH = '0'.repeat(64);

export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return sha256Hex(canonicalJson(event));
}

/**
 * The next event of the chain. `previous` is the chain's last event, or null for the first. Its keys are sorted at
 * every level, so the event is its own canonical JSON's shape: hashing it, writing it to a package and checking it
 * there take the fast path (model/canonical-json.ts). The hash is hashEvent's, computed that faster way.
 */
export function chainEvent(previous: AuditEvent | null, body: AuditEventBody): AuditEvent {
  const unhashed = withSortedKeys({
    ...stripUndefined(body),
    seq: previous ? previous.seq + 1 : 1,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  });
  return withSortedKeys({ ...unhashed, hash: sha256Hex(canonicalText(unhashed)) });
}

export type ChainCheck = { ok: true; length: number; head: string } | { ok: false; seq: number; reason: string };

/** Checks order, links and hashes. The reason names the first event that breaks the chain. */
export function verifyChain(events: readonly AuditEvent[]): ChainCheck {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq !== i + 1) return { ok: false, seq: e.seq, reason: `event ${i + 1} has sequence number ${e.seq}` };
    if (e.prevHash !== prevHash)
      return { ok: false, seq: e.seq, reason: `event ${e.seq} does not link to the event before it (prevHash mismatch)` };
    const { hash, ...rest } = e;
    const expected = hashEvent(rest);
    if (hash !== expected) return { ok: false, seq: e.seq, reason: `event ${e.seq} was altered (its hash does not match its content)` };
    prevHash = hash;
  }
  return { ok: true, length: events.length, head: prevHash };
}

function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

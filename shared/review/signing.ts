// Per-decision signatures: each decision, undo, approval and reject event is signed by the acting reviewer's key when
// it is recorded, so a package proves who made each decision at that moment, not only who signed it at the end.
// The signature covers the event's content (not its place in the chain, which is fixed only when it is appended):
// SHA-256 over a domain tag and the canonical JSON of the event without seq, prevHash, hash and signature.
import { ed25519 } from '@noble/curves/ed25519.js';
import { canonicalText } from '../model';
import { fromBase64, sha256Bytes, toBase64 } from '../codec';
import type { AuditEvent, AuditEventBody, AuditEventType } from './types';

export const EVENT_SIGNATURE_DOMAIN = 'arw-event-signature/v1\n';

/** The events a reviewer signs when recording them. */
export const SIGNED_EVENT_TYPES: ReadonlySet<AuditEventType> = new Set(['decision', 'undo', 'approval', 'reject']);

export function isSignedEventType(type: AuditEventType): boolean {
  return SIGNED_EVENT_TYPES.has(type);
}

/**
 * The 32 bytes an actor signs (Ed25519) for an event: the event body or a chained event, its signature left out.
 * An event merged from a decision set (details.provenance, shared/exchange) is checked as it was recorded on the
 * reviewer's laptop: without the provenance the merge added, with the seq it referred to in its own chain.
 */
export function eventSigningPayload(event: AuditEventBody | AuditEvent): Uint8Array {
  return sha256Bytes(eventSigningText(event));
}

/** What eventSigningPayload hashes: the domain tag and the event's canonical JSON (a verifier may hash it natively). */
export function eventSigningText(event: AuditEventBody | AuditEvent): string {
  const body: Record<string, unknown> = {};
  // The members in their order (a chained event's are sorted: its canonical text is then JSON.stringify's, fast).
  for (const key in event) {
    if (key === 'seq' || key === 'prevHash' || key === 'hash' || key === 'signature') continue;
    const value = (event as unknown as Record<string, unknown>)[key];
    if (value !== undefined) body[key] = value;
  }
  const provenance = event.details?.['provenance'] as { refersTo?: unknown } | undefined;
  if (provenance && typeof provenance === 'object') {
    const { provenance: _p, ...own } = event.details!;
    if (Object.keys(own).length) body.details = own;
    else delete body.details;
    if (typeof provenance.refersTo === 'number') body.refersTo = provenance.refersTo;
    else delete body.refersTo;
  }
  return EVENT_SIGNATURE_DOMAIN + canonicalText(body);
}

/** The event body with its signature attached (the host's sign() over eventSigningPayload(body) gives `sig`). */
export function withEventSignature<T extends AuditEventBody>(body: T, keyFingerprint: string, sig: Uint8Array): T {
  return { ...body, signature: { keyFingerprint, sig: toBase64(sig) } };
}

/**
 * Null when the event carries a valid signature by `publicKey` (raw 32 bytes) whose fingerprint is the actor's;
 * else what is wrong. Portable (noble); the verifier uses the host's faster primitive where it has one.
 */
export function eventSignatureProblem(
  event: AuditEventBody | AuditEvent,
  publicKey: Uint8Array | null,
  fingerprint: string | null,
): string | null {
  const where = 'seq' in event ? `event ${(event as AuditEvent).seq}` : 'the event';
  if (!event.signature) return `${where} (${event.type} by ${event.actor.id}) carries no signature by its actor`;
  if (event.signature.keyFingerprint !== event.actor.keyFingerprint)
    return `${where} is signed with key ${event.signature.keyFingerprint}, not its actor ${event.actor.id}'s`;
  if (!publicKey || fingerprint !== event.actor.keyFingerprint)
    return `${where}: no public key is known for ${event.actor.id}'s key ${event.actor.keyFingerprint}`;
  let sig: Uint8Array;
  try {
    sig = fromBase64(event.signature.sig);
  } catch {
    return `${where}: the signature is not base64`;
  }
  if (sig.length !== 64) return `${where}: the signature is not 64 bytes`;
  let ok: boolean;
  try {
    ok = ed25519.verify(sig, eventSigningPayload(event), publicKey, { zip215: false });
  } catch {
    ok = false;
  }
  return ok ? null : `${where}: ${event.actor.id}'s signature does not verify (the event was changed, or another key signed it)`;
}

// The per-event signatures of an audit log, checked by the verifier one event at a time (see review/signing.ts for
// the format). The host's native Ed25519 (installed as a runtime primitive: Node's crypto in the arw CLI) verifies
// about fifteen times faster than the portable one.
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { bytesToHex, fromBase64, utf8 } from '../codec';
import { sameActorProblem } from '../review';
import { eventSigningPayload, eventSigningText, isSignedEventType } from '../review';
import type { AuditEvent } from '../review';
import { runtimePrimitives, type RuntimePrimitives } from '../codec';
import { decodePublicKey } from './signing-keys';

/**
 * Signatures the portable path found valid, by signature, key and message: a package verified again (the app's
 * verify screen, a re-check after loading a trust list) does not pay for each again. Bounded; cleared when full.
 */
const VERIFIED_LIMIT = 200_000;
const verified = new Set<string>();

export function ed25519Verifies(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const native = runtimePrimitives().ed25519Verify;
  try {
    if (native) return native(signature, message, publicKey);
    const key = `${bytesToHex(signature)}${bytesToHex(publicKey)}${bytesToHex(message)}`;
    if (verified.has(key)) return true;
    const ok = ed25519.verify(signature, message, publicKey, { zip215: false });
    if (ok) {
      if (verified.size >= VERIFIED_LIMIT) verified.clear();
      verified.add(key);
    }
    return ok;
  } catch {
    return false;
  }
}

/**
 * A signature left to check asynchronously (WebCrypto), where no synchronous native Ed25519 is installed: the
 * portable one costs about 2 ms a signature, WebCrypto's a fraction of that. Plain data: it may cross threads.
 */
export interface PendingSignature {
  seq: number;
  itemId: string;
  actorId: string;
  /** Base64 signature, base64 raw public key, hex payload. */
  sig: string;
  publicKey: string;
  payload: string;
}

/** The part of WebCrypto the deferred check uses (shared/ sees no DOM typings). */
interface VerifyOnly {
  importKey(format: 'raw', key: Uint8Array, algorithm: { name: 'Ed25519' }, extractable: false, usages: ['verify']): Promise<object>;
  verify(algorithm: 'Ed25519', key: object, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

function webCryptoVerify(): VerifyOnly | null {
  const subtle = (globalThis as { crypto?: { subtle?: Partial<VerifyOnly> } }).crypto?.subtle;
  return subtle && typeof subtle.verify === 'function' && typeof subtle.importKey === 'function' ? (subtle as VerifyOnly) : null;
}

/** Checks deferred signatures (WebCrypto where it has Ed25519, else the portable path): the findings of those that fail. */
export async function verifyPendingSignatures(pending: readonly PendingSignature[]): Promise<EventSignatureFinding[]> {
  const findings: EventSignatureFinding[] = [];
  const keys = new Map<string, Promise<object | null>>();
  const subtle = webCryptoVerify();
  const keyFor = (publicKey: string): Promise<object | null> => {
    let key = keys.get(publicKey);
    if (!key) {
      key = subtle
        ? subtle.importKey('raw', fromBase64(publicKey), { name: 'Ed25519' }, false, ['verify']).catch(() => null)
        : Promise.resolve(null);
      keys.set(publicKey, key);
    }
    return key;
  };
  const one = async (p: PendingSignature): Promise<boolean> => {
    const sig = decodeSignature(p.sig);
    const publicKey = decodePublicKey(p.publicKey);
    if (!sig || !publicKey) return false;
    const payload = hexToBytes(p.payload);
    const key = await keyFor(p.publicKey);
    // WebCrypto's Ed25519 verification is strict (RFC 8032) as the portable one is; without it, the portable one.
    if (!key || !subtle) return ed25519Verifies(sig, payload, publicKey);
    try {
      return await subtle.verify('Ed25519', key, sig, payload);
    } catch {
      return ed25519Verifies(sig, payload, publicKey);
    }
  };
  const BATCH = 2048;
  for (let at = 0; at < pending.length; at += BATCH) {
    const batch = pending.slice(at, at + BATCH);
    const results = await Promise.all(batch.map(one));
    results.forEach((ok, i) => {
      const p = batch[i]!;
      if (!ok) findings.push(signatureFailure(p.seq, p.actorId, p.itemId));
    });
  }
  return findings;
}

function signatureFailure(seq: number, actorId: string, itemId: string): EventSignatureFinding {
  return {
    check: 'signatures',
    message: `audit event ${seq}: ${actorId}'s signature does not verify (the event was changed after it was signed, or another key signed it)`,
    itemId,
  };
}

export interface EventSignatureFinding {
  check: 'signatures' | 'consistency';
  message: string;
  itemId: string;
}

/** What the pace of one reviewer's decision events says (review drift), in chain order. */
export interface DecisionPace {
  reviewerId: string;
  /** Seconds on screen of each decision event (null when it has none). */
  seconds: (number | null)[];
  accepted: boolean[];
  /** Drift warnings the reviewer was shown during review (note events). */
  warningsShown: number;
}

/**
 * Checks each signed event type's signature by its actor's key (from the manifest), that no approval is given with the
 * key (or by the person) of the decision it approves, and that a never-delegate decision is approved with the
 * approver's own rationale; gathers each reviewer's pace. `full` parses an event's whole line (lean events lack
 * members the signature covers).
 */
export class EventSignatureCheck {
  readonly findings: EventSignatureFinding[] = [];
  /** Signatures left for verifyPendingSignatures (none when a native Ed25519 is installed). */
  readonly pending: PendingSignature[] = [];
  private readonly keys = new Map<string, { fingerprint: string; publicKey: Uint8Array | null; base64: string }>();
  private readonly defer = runtimePrimitives().ed25519Verify === undefined && webCryptoVerify() !== null;
  private readonly decisions = new Map<number, { id: string; keyFingerprint: string; decisionClass: string | null }>();
  private readonly pace = new Map<string, DecisionPace>();
  /** The host's verification off this thread, when asked for (see `settled`). */
  private readonly verifyAsync: RuntimePrimitives['ed25519VerifyAsync'];
  private inflight = 0;
  private drained: (() => void) | null = null;
  /** Failures found off the thread: where in `findings` each belongs (its length when the event was checked). */
  private readonly late: { at: number; order: number; finding: EventSignatureFinding }[] = [];
  private started = 0;

  /**
   * `offThread`: signatures are verified by the host's ed25519VerifyAsync (a thread pool), at most OFF_THREAD at a
   * time (beyond that, here), so this thread reads the next events meanwhile; `settled()` must then be awaited
   * before `findings` are read. The findings are the same, in the same order.
   */
  constructor(reviewers: readonly { id: string; fingerprint: string; publicKey?: string }[], options: { offThread?: boolean } = {}) {
    this.verifyAsync = options.offThread && !this.defer ? runtimePrimitives().ed25519VerifyAsync : undefined;
    for (const r of reviewers)
      this.keys.set(r.id, {
        fingerprint: r.fingerprint,
        publicKey: r.publicKey ? decodePublicKey(r.publicKey) : null,
        base64: r.publicKey ?? '',
      });
  }

  check(lean: AuditEvent, full: () => AuditEvent): void {
    if (lean.type === 'decision') {
      let p = this.pace.get(lean.actor.id);
      if (!p) this.pace.set(lean.actor.id, (p = { reviewerId: lean.actor.id, seconds: [], accepted: [], warningsShown: 0 }));
      p.seconds.push(typeof lean.secondsOnScreen === 'number' ? lean.secondsOnScreen : null);
      p.accepted.push(lean.acceptedSuggestion === true);
    }
    if (!isSignedEventType(lean.type)) {
      if (lean.type === 'note') {
        const e = full();
        if (e.details?.['drift'] !== undefined) {
          const p = this.pace.get(e.actor.id);
          if (p) p.warningsShown++;
        }
      }
      return;
    }
    const itemId = lean.itemId ?? `event ${lean.seq}`;
    const e = full();
    const key = this.keys.get(e.actor.id);
    if (!e.signature)
      this.findings.push({
        check: 'signatures',
        message: `audit event ${e.seq} (${e.type} by ${e.actor.id}) carries no signature of its own: the package does not prove who recorded it`,
        itemId,
      });
    else if (key && key.fingerprint === e.actor.keyFingerprint) {
      const sig = decodeSignature(e.signature.sig);
      if (e.signature.keyFingerprint !== e.actor.keyFingerprint || key.publicKey === null || sig === null)
        this.findings.push(signatureFailure(e.seq, e.actor.id, itemId));
      else if (this.defer)
        this.pending.push({
          seq: e.seq,
          itemId,
          actorId: e.actor.id,
          sig: e.signature.sig,
          publicKey: key.base64,
          payload: bytesToHex(eventSigningPayload(e)),
        });
      else if (this.verifyAsync && this.inflight < OFF_THREAD)
        this.startVerify(sig, signingPayload(e), key.publicKey, signatureFailure(e.seq, e.actor.id, itemId));
      else if (!ed25519Verifies(sig, signingPayload(e), key.publicKey)) this.findings.push(signatureFailure(e.seq, e.actor.id, itemId));
    }
    if (e.type === 'decision')
      this.decisions.set(e.seq, {
        id: e.actor.id,
        keyFingerprint: e.actor.keyFingerprint,
        decisionClass: e.suggestion?.decisionClass ?? null,
      });
    if ((e.type === 'approval' || e.type === 'reject') && e.refersTo !== undefined) {
      const decided = this.decisions.get(e.refersTo);
      if (!decided) return;
      // (The same person approving is reported by the completeness check, from decisions.json; here, the same key.)
      const same = decided.id === e.actor.id ? null : sameActorProblem(decided, e.actor);
      if (same) this.findings.push({ check: 'signatures', message: `audit event ${e.seq}: ${same}`, itemId });
      if (e.type === 'approval' && decided.decisionClass === 'never-delegate' && !(e.rationale ?? '').trim()) {
        this.findings.push({
          check: 'consistency',
          message: `audit event ${e.seq}: a never-delegate decision approved without the approver's own rationale`,
          itemId,
        });
      }
    }
  }

  paces(): DecisionPace[] {
    return [...this.pace.values()];
  }

  private startVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, failure: EventSignatureFinding): void {
    const place = { at: this.findings.length, order: this.started++, finding: failure };
    this.inflight++;
    void this.verifyAsync!(signature, message, publicKey)
      .catch(() => false)
      .then((ok) => {
        if (!ok) this.late.push(place);
        if (--this.inflight === 0) this.drained?.();
      });
  }

  /** Every signature verified off the thread, and its failures placed among the findings where checking here puts them. */
  async settled(): Promise<void> {
    if (this.inflight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.drained = null;
    if (!this.late.length) return;
    const late = this.late.splice(0).sort((a, b) => a.at - b.at || a.order - b.order);
    const merged: EventSignatureFinding[] = [];
    let next = 0;
    for (let i = 0; i <= this.findings.length; i++) {
      while (next < late.length && late[next]!.at === i) merged.push(late[next++]!.finding);
      if (i < this.findings.length) merged.push(this.findings[i]!);
    }
    this.findings.splice(0, this.findings.length, ...merged);
  }
}

/** Signatures verified off the thread at once: enough to keep a thread pool busy, few enough to hold little memory. */
const OFF_THREAD = 256;

/** eventSigningPayload, hashed natively where the host installed a SHA-256 (the same bytes). */
function signingPayload(e: AuditEvent): Uint8Array {
  const native = runtimePrimitives().sha256Hex;
  return native ? hexToBytes(native(utf8(eventSigningText(e)))) : eventSigningPayload(e);
}

function decodeSignature(base64: string): Uint8Array | null {
  try {
    const sig = fromBase64(base64);
    return sig.length === 64 ? sig : null;
  } catch {
    return null;
  }
}

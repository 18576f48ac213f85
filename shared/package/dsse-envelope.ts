// DSSE (Dead Simple Signing Envelope) over the in-toto Statement: PAE, multi-signature signing, strict verification.
// Signatures are Ed25519 (RFC 8032); verification uses @noble/curves so it runs in Node, browsers and workers alike.
import { ed25519 } from '@noble/curves/ed25519.js';
import { fromBase64, toBase64, utf8 } from '../codec';
import { DSSE_PAYLOAD_TYPE } from './package-layout';
import { ED25519_SIGNATURE_BYTES, decodePublicKey } from './signing-keys';
import type { DsseEnvelope, PackageSigner } from './types';

/** DSSE pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes. */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  const head = utf8(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

/** One signature per signer, in the order given (the manifest lists the signers in the same order). */
export async function signEnvelope(payload: Uint8Array, signers: readonly PackageSigner[]): Promise<DsseEnvelope> {
  const message = preAuthEncoding(DSSE_PAYLOAD_TYPE, payload);
  const signatures = [];
  for (const signer of signers) {
    const sig = await signer.sign(message);
    if (sig.length !== ED25519_SIGNATURE_BYTES)
      throw new Error(`signer "${signer.keyId}" returned ${sig.length} bytes, not a 64-byte Ed25519 signature`);
    if (!ed25519.verify(sig, message, signer.publicKey, { zip215: false })) {
      throw new Error(`signer "${signer.keyId}" produced a signature its own public key does not verify: wrong key?`);
    }
    signatures.push({ keyid: signer.keyId, sig: toBase64(sig) });
  }
  return { payloadType: DSSE_PAYLOAD_TYPE, payload: toBase64(payload), signatures };
}

/** The one byte form of an envelope: fixed key order, two-space indent, final newline. */
export function serializeEnvelope(envelope: DsseEnvelope): string {
  const ordered = {
    payloadType: envelope.payloadType,
    payload: envelope.payload,
    signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export type EnvelopeParse = { ok: true; envelope: DsseEnvelope; payload: Uint8Array } | { ok: false; problems: string[] };

/** Parses manifest.dsse.json strictly: exact shape, valid base64, and byte-identical to its canonical form. */
export function parseEnvelope(text: string): EnvelopeParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`manifest.dsse.json is not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const problems = envelopeShapeProblems(value);
  if (problems.length) return { ok: false, problems };
  const envelope = value as DsseEnvelope;
  let payload: Uint8Array;
  try {
    payload = fromBase64(envelope.payload);
  } catch {
    return { ok: false, problems: ['manifest.dsse.json: "payload" is not valid base64'] };
  }
  if (serializeEnvelope({ ...envelope, payload: toBase64(payload) }) !== text) {
    return { ok: false, problems: ['manifest.dsse.json was edited: it is not byte-identical to the canonical form of its own content'] };
  }
  return { ok: true, envelope, payload };
}

function envelopeShapeProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['manifest.dsse.json is not a JSON object'];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  const keys = Object.keys(v).sort().join(',');
  if (keys !== 'payload,payloadType,signatures')
    problems.push(`manifest.dsse.json must have exactly "payloadType", "payload" and "signatures" (found ${keys || 'nothing'})`);
  if (v.payloadType !== DSSE_PAYLOAD_TYPE) problems.push(`manifest.dsse.json: payloadType must be "${DSSE_PAYLOAD_TYPE}"`);
  if (typeof v.payload !== 'string') problems.push('manifest.dsse.json: "payload" must be a base64 string');
  if (!Array.isArray(v.signatures)) problems.push('manifest.dsse.json: "signatures" must be an array');
  else if (v.signatures.length === 0) problems.push('manifest.dsse.json holds no signature');
  else
    v.signatures.forEach((s: unknown, i) => {
      const ok =
        typeof s === 'object' &&
        s !== null &&
        typeof (s as Record<string, unknown>).keyid === 'string' &&
        typeof (s as Record<string, unknown>).sig === 'string';
      if (!ok || Object.keys(s as object).length !== 2)
        problems.push(`manifest.dsse.json: signatures[${i}] must be {"keyid": string, "sig": string}`);
    });
  return problems;
}

/** True when `sigBase64` is a valid strict (non-malleable) Ed25519 signature of the envelope's PAE by `publicKeyBase64`. */
export function signatureVerifies(payload: Uint8Array, sigBase64: string, publicKeyBase64: string): boolean {
  const publicKey = decodePublicKey(publicKeyBase64);
  if (!publicKey) return false;
  let sig: Uint8Array;
  try {
    sig = fromBase64(sigBase64);
  } catch {
    return false;
  }
  if (sig.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return ed25519.verify(sig, preAuthEncoding(DSSE_PAYLOAD_TYPE, payload), publicKey, { zip215: false });
  } catch {
    return false;
  }
}

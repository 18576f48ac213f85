// Ed25519 public keys as the package names them: fingerprints, base64/base64url forms, and trusted-keys entries.
import { base64urlnopad } from '@scure/base';
import { fromBase64, sha256Hex, toBase64 } from '../codec';
import type { TrustedKey, TrustedKeysFile } from './types';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** "SHA256:" + hex SHA-256 of the raw 32-byte public key. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return `SHA256:${sha256Hex(publicKey)}`;
}

/** Decodes a base64 raw public key; null when it is not base64 or not 32 bytes. */
export function decodePublicKey(base64Key: string): Uint8Array | null {
  try {
    const bytes = fromBase64(base64Key);
    return bytes.length === ED25519_PUBLIC_KEY_BYTES ? bytes : null;
  } catch {
    return null;
  }
}

/** The trusted-keys entry an auditor pins for a reviewer's key (what "export public key" produces). */
export function trustedKeyEntry(owner: { name: string; email?: string }, publicKey: Uint8Array): TrustedKey {
  return {
    name: owner.name,
    ...(owner.email ? { email: owner.email } : {}),
    fingerprint: keyFingerprint(publicKey),
    publicKey: toBase64(publicKey),
    kty: 'OKP',
    crv: 'Ed25519',
    x: base64urlnopad.encode(publicKey),
  };
}

export type TrustedKeysParse = { ok: true; keys: TrustedKey[] } | { ok: false; problems: string[] };

/** Reads a trusted-keys file ({"keys": [...]}); every entry must be self-consistent (x = publicKey, fingerprint). */
export function parseTrustedKeys(value: unknown): TrustedKeysParse {
  if (!isRecord(value) || !Array.isArray(value.keys))
    return { ok: false, problems: ['a trusted-keys file is a JSON object {"keys": [ ... ]}'] };
  const problems: string[] = [];
  const keys: TrustedKey[] = [];
  (value as unknown as TrustedKeysFile).keys.forEach((entry: unknown, index) => {
    const where = `keys[${index}]`;
    const problem = trustedKeyProblem(entry);
    if (problem) problems.push(`${where}: ${problem}`);
    else keys.push(entry as TrustedKey);
  });
  return problems.length ? { ok: false, problems } : { ok: true, keys };
}

function trustedKeyProblem(entry: unknown): string | null {
  if (!isRecord(entry)) return 'not an object';
  if (typeof entry.name !== 'string' || entry.name.trim() === '') return '"name" is required';
  if (entry.email !== undefined && typeof entry.email !== 'string') return '"email" must be a string';
  if (entry.kty !== 'OKP' || entry.crv !== 'Ed25519') return 'only {"kty": "OKP", "crv": "Ed25519"} keys are supported';
  if (typeof entry.publicKey !== 'string' || typeof entry.x !== 'string' || typeof entry.fingerprint !== 'string')
    return '"publicKey", "x" and "fingerprint" are required strings';
  const raw = decodePublicKey(entry.publicKey);
  if (!raw) return '"publicKey" must be the base64 of a 32-byte Ed25519 public key';
  let x: Uint8Array;
  try {
    x = base64urlnopad.decode(entry.x);
  } catch {
    return '"x" must be base64url without padding';
  }
  if (toBase64(x) !== entry.publicKey) return '"x" and "publicKey" are not the same key';
  if (keyFingerprint(raw) !== entry.fingerprint)
    return `"fingerprint" does not match the key (the key's fingerprint is ${keyFingerprint(raw)})`;
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One trust list holding every reviewer's and approver's key (the campaign owner exports it for the auditor). Each
 * key once; refused when two people share a key (one key must never act as two people) or a key does not decode.
 */
export function buildTrustList(
  people: readonly { name: string; email?: string | null; publicKey: string }[],
): { ok: true; file: TrustedKeysFile } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const byFingerprint = new Map<string, TrustedKey>();
  for (const p of people) {
    const raw = decodePublicKey(p.publicKey);
    if (!raw) {
      problems.push(`${p.name}: the public key is not a 32-byte Ed25519 key`);
      continue;
    }
    const entry = trustedKeyEntry({ name: p.name, ...(p.email ? { email: p.email } : {}) }, raw);
    const seen = byFingerprint.get(entry.fingerprint);
    if (seen && (seen.name !== entry.name || (seen.email ?? '') !== (entry.email ?? '')))
      problems.push(`${seen.name} and ${entry.name} share the key ${entry.fingerprint}: one key cannot stand for two people`);
    else if (!seen) byFingerprint.set(entry.fingerprint, entry);
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    file: { keys: [...byFingerprint.values()].sort((a, b) => a.name.localeCompare(b.name) || a.fingerprint.localeCompare(b.fingerprint)) },
  };
}

/** A trust list as the bytes of a file (two-space indent, final newline). */
export function trustListJson(file: TrustedKeysFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

// A reviewer profile's private key under that person's passphrase (on top of the OS keychain or a non-extractable
// WebCrypto key, which the app adds): scrypt derives a key-encryption key from the passphrase, AES-256-GCM seals
// the key material, and the header (who, which public key, KDF parameters) is authenticated as associated data, so
// neither the ciphertext nor the header can be swapped. A lost passphrase means a new key, recorded in a signed key
// change (see docs/campaign-exchange.md). Pure: scrypt from @noble/hashes; AES-GCM and randomness from WebCrypto,
// which Node >= 20, browsers and workers all provide.
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { canonicalJson, fromBase64, fromUtf8, sha256Hex, toBase64, utf8 } from '../codec';
import { parseEnvelope, serializeEnvelope, signatureVerifies, signEnvelope } from '../package';
import { STATEMENT_TYPE } from '../package';
import { decodePublicKey, keyFingerprint } from '../package';
import type { PackageSigner, TrustedKey } from '../package';

export const WRAPPED_KEY_FORMAT = 'arw-wrapped-key/v1';
export const KEY_CHANGE_PREDICATE = 'https://arw.dev/key-change/v1';
/** scrypt cost: N = 2^17, r = 8 (128 MiB, about half a second on a laptop): slow enough to make guessing costly. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
export const MIN_PASSPHRASE_LENGTH = 12;

interface SubtleAesGcm {
  importKey(format: 'raw', key: Uint8Array, algorithm: 'AES-GCM', extractable: false, usages: string[]): Promise<unknown>;
  encrypt(algorithm: { name: 'AES-GCM'; iv: Uint8Array; additionalData: Uint8Array }, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: { name: 'AES-GCM'; iv: Uint8Array; additionalData: Uint8Array }, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

interface WebCrypto {
  subtle: SubtleAesGcm;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

function webCrypto(): WebCrypto {
  const c = (globalThis as { crypto?: Partial<WebCrypto> }).crypto;
  if (!c?.subtle || typeof c.getRandomValues !== 'function')
    throw new Error('this runtime has no WebCrypto (crypto.subtle), which key wrapping needs');
  return c as WebCrypto;
}

export interface WrappedKeyHeader {
  format: typeof WRAPPED_KEY_FORMAT;
  profile: { id: string; name: string };
  /** The public key the wrapped private key belongs to (base64) and its fingerprint. */
  publicKey: string;
  fingerprint: string;
  /** What the ciphertext holds: the 32-byte Ed25519 seed, or a PKCS#8 private key as WebCrypto exports it. */
  material: 'ed25519-seed' | 'pkcs8';
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'AES-256-GCM'; iv: string };
}

export interface WrappedKey extends WrappedKeyHeader {
  ciphertext: string;
}

export type UnwrapResult = { ok: true; material: Uint8Array } | { ok: false; error: string };

/** Null when the passphrase is acceptable; otherwise why not, in words. */
export function passphraseProblem(passphrase: string): string | null {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH)
    return `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters (several words are easiest to remember).`;
  if (new Set(passphrase).size < 5) return 'A passphrase needs more than a few different characters.';
  return null;
}

async function keyEncryptionKey(passphrase: string, kdf: WrappedKeyHeader['kdf']): Promise<Uint8Array> {
  // NFKC: the same passphrase typed on another keyboard or OS gives the same bytes.
  return scryptAsync(utf8(passphrase.normalize('NFKC')), fromBase64(kdf.salt), { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: 32 });
}

export async function wrapPrivateKey(
  material: Uint8Array,
  passphrase: string,
  who: { profile: { id: string; name: string }; publicKey: Uint8Array; material: WrappedKeyHeader['material'] },
  scrypt: { N: number; r: number; p: number } = DEFAULT_SCRYPT,
): Promise<WrappedKey> {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new Error(problem);
  const crypto = webCrypto();
  const header: WrappedKeyHeader = {
    format: WRAPPED_KEY_FORMAT,
    profile: { id: who.profile.id, name: who.profile.name },
    publicKey: toBase64(who.publicKey),
    fingerprint: keyFingerprint(who.publicKey),
    material: who.material,
    kdf: { name: 'scrypt', N: scrypt.N, r: scrypt.r, p: scrypt.p, salt: toBase64(crypto.getRandomValues(new Uint8Array(16))) },
    cipher: { name: 'AES-256-GCM', iv: toBase64(crypto.getRandomValues(new Uint8Array(12))) },
  };
  const kek = await crypto.subtle.importKey('raw', await keyEncryptionKey(passphrase, header.kdf), 'AES-GCM', false, ['encrypt']);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: fromBase64(header.cipher.iv), additionalData: utf8(canonicalJson(header)) },
    kek,
    material,
  );
  return { ...header, ciphertext: toBase64(new Uint8Array(sealed)) };
}

export async function unwrapPrivateKey(wrapped: WrappedKey, passphrase: string): Promise<UnwrapResult> {
  const { ciphertext, ...header } = wrapped;
  if (header.format !== WRAPPED_KEY_FORMAT || header.kdf?.name !== 'scrypt' || header.cipher?.name !== 'AES-256-GCM')
    return { ok: false, error: 'not a wrapped key this version can read' };
  if (header.kdf.N > 2 ** 20 || header.kdf.r > 16 || header.kdf.p > 4)
    return { ok: false, error: 'the wrapped key asks for scrypt parameters beyond what this app allows' };
  const crypto = webCrypto();
  try {
    const kek = await crypto.subtle.importKey('raw', await keyEncryptionKey(passphrase, header.kdf), 'AES-GCM', false, ['decrypt']);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(header.cipher.iv), additionalData: utf8(canonicalJson(header)) },
      kek,
      fromBase64(ciphertext),
    );
    return { ok: true, material: new Uint8Array(plain) };
  } catch {
    return { ok: false, error: 'wrong passphrase, or the wrapped key file was changed' };
  }
}

/** A changed (not lost) passphrase: the same key, sealed again under the new passphrase with a new salt and IV. */
export async function rewrapPrivateKey(
  wrapped: WrappedKey,
  oldPassphrase: string,
  newPassphrase: string,
  scrypt: { N: number; r: number; p: number } = wrapped.kdf,
): Promise<WrappedKey | { ok: false; error: string }> {
  const opened = await unwrapPrivateKey(wrapped, oldPassphrase);
  if (!opened.ok) return opened;
  const publicKey = decodePublicKey(wrapped.publicKey);
  if (!publicKey) return { ok: false, error: 'the wrapped key names no valid public key' };
  return wrapPrivateKey(opened.material, newPassphrase, { profile: wrapped.profile, publicKey, material: wrapped.material }, scrypt);
}

// ---------------------------------------------------------------- key changes

export type KeyChangeReason = 'passphrase-lost' | 'key-compromised' | 'rotation';

export interface KeyChange {
  person: { id: string; name: string; email: string | null };
  previous: { fingerprint: string } | null;
  next: { fingerprint: string; publicKey: string };
  reason: KeyChangeReason;
  at: string;
  /** The campaign owner who records the change (and countersigns it). */
  recordedBy: { id: string; fingerprint: string };
}

/** A key change as a DSSE-signed in-toto Statement: signed by the new key and by the owner who records it (the old
 * key is not asked for: after a lost passphrase it cannot sign). */
export async function recordKeyChange(change: KeyChange, newKey: PackageSigner, owner: PackageSigner): Promise<string> {
  if (keyFingerprint(newKey.publicKey) !== change.next.fingerprint || toBase64(newKey.publicKey) !== change.next.publicKey)
    throw new Error('the new key does not match the key change');
  if (keyFingerprint(owner.publicKey) !== change.recordedBy.fingerprint) throw new Error("the owner's key does not match recordedBy");
  if (change.previous && change.previous.fingerprint === change.next.fingerprint) throw new Error('a key change needs a different key');
  const statement = {
    _type: STATEMENT_TYPE,
    subject: [{ name: `ed25519:${change.person.id}`, digest: { sha256: sha256Hex(newKey.publicKey) } }],
    predicateType: KEY_CHANGE_PREDICATE,
    predicate: change,
  };
  return serializeEnvelope(await signEnvelope(utf8(`${JSON.stringify(statement, null, 2)}\n`), [newKey, owner]));
}

export type KeyChangeCheck = { ok: true; change: KeyChange; ownerPinned: boolean } | { ok: false; problems: string[] };

/** Checks a recorded key change: both signatures (new key, owner), and the owner pinned by the trust list. */
export function verifyKeyChange(envelopeText: string, trustedKeys: readonly TrustedKey[]): KeyChangeCheck {
  const parsed = parseEnvelope(envelopeText);
  if (!parsed.ok) return parsed;
  let statement: { predicateType?: unknown; predicate?: KeyChange };
  try {
    statement = JSON.parse(fromUtf8(parsed.payload)) as typeof statement;
  } catch {
    return { ok: false, problems: ['the key change statement is not valid JSON'] };
  }
  if (statement.predicateType !== KEY_CHANGE_PREDICATE || !statement.predicate) return { ok: false, problems: ['not a key change'] };
  const change = statement.predicate;
  const problems: string[] = [];
  const nextKey = decodePublicKey(change.next?.publicKey ?? '');
  if (!nextKey || keyFingerprint(nextKey) !== change.next.fingerprint) problems.push('the new key and its fingerprint disagree');
  const owner = trustedKeys.find((k) => k.fingerprint === change.recordedBy?.fingerprint);
  if (!owner) problems.push(`the owner who recorded the change (${change.recordedBy?.fingerprint}) is not in the trust list`);
  const sigs = parsed.envelope.signatures;
  if (sigs.length !== 2) problems.push(`a key change carries two signatures (new key, owner); this one carries ${sigs.length}`);
  const [bySelf, byOwner] = sigs;
  if (nextKey && bySelf && !signatureVerifies(parsed.payload, bySelf.sig, change.next.publicKey))
    problems.push('the new key did not sign the key change');
  if (owner && byOwner && !signatureVerifies(parsed.payload, byOwner.sig, owner.publicKey))
    problems.push('the owner did not sign the key change');
  return problems.length ? { ok: false, problems } : { ok: true, change, ownerPinned: owner !== undefined };
}

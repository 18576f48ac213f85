// Signing keys of reviewer profiles: one Ed25519 key pair per key id, created on first use.
// The private key is sealed by a PrivateKeyProtector before it touches the disk; today that is the
// OS keychain through Electron's safeStorage. A passphrase protector (issue #8) plugs in behind the
// same interface. A key is never stored, nor created, when no real protection is available.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SafeStorage } from 'electron';
import type { PublicKeyInfo } from '../../shared/contracts/host-api';
import { fail, ok, type Result } from '../../shared/contracts/result';
import { errorKind, silentLog, type AppLog } from './app-log';

export interface Keystore {
  /** How private keys are protected here, in words (HostInfo.keyProtection). */
  describeProtection(): string;
  ensureKey(keyId: string): Promise<Result<PublicKeyInfo>>;
  /** The raw 64-byte Ed25519 signature over `message`. */
  sign(keyId: string, message: Uint8Array): Promise<Result<Uint8Array>>;
}

/** Seals secret bytes for storage at rest and opens them again. */
export interface PrivateKeyProtector {
  /** Stored with each key, so a key sealed one way is never opened another way. */
  readonly id: string;
  describe(): string;
  /** `null` when sealing is possible, otherwise why not (shown to the user). */
  unavailableReason(): string | null;
  seal(secret: Uint8Array): Promise<Uint8Array>;
  open(sealed: Uint8Array): Promise<Uint8Array>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_FILE_FORMAT = 'arw-signing-key';

const storedKeySchema = z.object({
  format: z.literal(KEY_FILE_FORMAT),
  version: z.literal(1),
  keyId: z.string().regex(KEY_ID),
  algorithm: z.literal('Ed25519'),
  publicKey: z.string().min(1),
  fingerprint: z.string().regex(/^SHA256:[0-9a-f]{64}$/),
  createdAt: z.string().min(1),
  protection: z.string().min(1),
  sealedPrivateKey: z.string().min(1),
});
type StoredKey = z.infer<typeof storedKeySchema>;

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** "SHA256:" + hex SHA-256 of the raw 32-byte public key. */
export function publicKeyFingerprint(rawPublicKey: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(rawPublicKey).digest('hex')}`;
}

export function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 public key');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

export interface SafeStorageProtectorOptions {
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
  platform: NodeJS.Platform;
  /**
   * Accept Linux's basic_text backend. Only for development runs and Electron e2e tests on machines
   * without a keyring (index.ts never sets it in a packaged build).
   */
  allowBasicText?: boolean;
}

/** Protection by the OS keychain (Keychain, DPAPI, libsecret/KWallet) through Electron's safeStorage. */
export function safeStorageProtector({ safeStorage, platform, allowBasicText = false }: SafeStorageProtectorOptions): PrivateKeyProtector {
  const backend = () => (platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);
  return {
    id: 'safeStorage',
    describe() {
      const where = platform === 'darwin' ? 'macOS Keychain' : platform === 'win32' ? 'Windows DPAPI' : `Linux secret store (${backend() ?? 'unknown'})`;
      if (allowBasicText && backend() === 'basic_text') return 'TEST BUILD: private keys are obfuscated with a fixed password (Linux basic_text), not protected.';
      return `Private keys are encrypted with the operating system's key store (${where}) through Electron safeStorage.`;
    },
    unavailableReason() {
      if (!safeStorage.isEncryptionAvailable()) {
        return 'The operating system key store is not available, so a signing key cannot be stored safely. Unlock or install your keychain (on Linux: GNOME Keyring or KWallet) and try again.';
      }
      const selected = backend();
      // On Linux, 'basic_text' encrypts with a fixed, public password: that is plain text in disguise.
      if (selected === 'unknown' || (selected === 'basic_text' && !allowBasicText)) {
        return `No OS secret store is in use (Electron reports "${selected}"), so a signing key cannot be stored safely. Start GNOME Keyring or KWallet and try again.`;
      }
      return null;
    },
    async seal(secret) {
      return new Uint8Array(safeStorage.encryptString(toBase64(secret)));
    },
    async open(sealed) {
      return fromBase64(safeStorage.decryptString(Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)));
    },
  };
}

export interface FileKeystoreOptions {
  /** Folder for key files, inside the user-data folder. */
  dir: string;
  protector: PrivateKeyProtector;
  now?: () => Date;
  log?: AppLog;
}

export function createFileKeystore(options: FileKeystoreOptions): Keystore {
  const { dir, protector } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? silentLog;
  const pending = new Map<string, Promise<Result<PublicKeyInfo>>>();

  const fileOf = (keyId: string) => join(dir, `${keyId}.key.json`);
  const infoOf = (stored: StoredKey): PublicKeyInfo => ({
    keyId: stored.keyId,
    publicKey: stored.publicKey,
    fingerprint: stored.fingerprint,
    createdAt: stored.createdAt,
  });

  async function load(keyId: string): Promise<Result<StoredKey | null>> {
    let text: string;
    try {
      text = await readFile(fileOf(keyId), 'utf8');
    } catch (error) {
      if (errorKind(error) === 'ENOENT') return ok(null);
      return fail(`The signing key "${keyId}" cannot be read (${errorKind(error)}).`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(`The signing key file for "${keyId}" is damaged (not JSON).`);
    }
    const parsed = storedKeySchema.safeParse(json);
    if (!parsed.success || parsed.data.keyId !== keyId) return fail(`The signing key file for "${keyId}" is damaged or of an unknown format.`);
    return ok(parsed.data);
  }

  async function create(keyId: string): Promise<Result<PublicKeyInfo>> {
    const reason = protector.unavailableReason();
    if (reason) return fail(reason);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = rawPublicKey(publicKey);
    const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
    let sealed: Uint8Array;
    try {
      sealed = await protector.seal(pkcs8);
    } catch (error) {
      log.error('key-seal-failed', { kind: errorKind(error) });
      return fail('The operating system key store refused to protect the new signing key; nothing was stored.');
    } finally {
      pkcs8.fill(0);
    }
    const stored: StoredKey = {
      format: KEY_FILE_FORMAT,
      version: 1,
      keyId,
      algorithm: 'Ed25519',
      publicKey: toBase64(raw),
      fingerprint: publicKeyFingerprint(raw),
      createdAt: now().toISOString(),
      protection: protector.id,
      sealedPrivateKey: toBase64(sealed),
    };
    const file = fileOf(keyId);
    const temp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(temp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'w' });
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      log.error('key-store-failed', { kind: errorKind(error) });
      return fail(`The new signing key could not be saved (${errorKind(error)}).`);
    }
    log.info('key-created', { protection: protector.id });
    return ok(infoOf(stored));
  }

  async function ensure(keyId: string): Promise<Result<PublicKeyInfo>> {
    const existing = await load(keyId);
    if (!existing.ok) return existing;
    if (existing.value) return ok(infoOf(existing.value));
    return create(keyId);
  }

  return {
    describeProtection: () => protector.describe(),

    ensureKey(keyId) {
      if (!KEY_ID.test(keyId)) return Promise.resolve(fail('A key id has 1-64 letters, digits, dots, underscores or dashes.'));
      // Two concurrent first uses must not create two keys.
      const running = pending.get(keyId);
      if (running) return running;
      const task = ensure(keyId).finally(() => pending.delete(keyId));
      pending.set(keyId, task);
      return task;
    },

    async sign(keyId, message) {
      if (!KEY_ID.test(keyId)) return fail('A key id has 1-64 letters, digits, dots, underscores or dashes.');
      const loaded = await load(keyId);
      if (!loaded.ok) return loaded;
      const stored = loaded.value;
      if (!stored) return fail(`There is no signing key "${keyId}" yet.`);
      if (stored.protection !== protector.id) return fail(`The signing key "${keyId}" is protected by "${stored.protection}", which is not available here.`);
      let pkcs8: Uint8Array;
      try {
        pkcs8 = await protector.open(fromBase64(stored.sealedPrivateKey));
      } catch (error) {
        log.error('key-open-failed', { kind: errorKind(error) });
        return fail('The operating system key store could not unlock the signing key (is the keychain locked, or was the key made on another machine?).');
      }
      try {
        const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
        if (toBase64(rawPublicKey(createPublicKey(privateKey))) !== stored.publicKey) {
          return fail(`The signing key "${keyId}" does not match its public key; it was not used.`);
        }
        return ok(new Uint8Array(edSign(null, message, privateKey)));
      } catch (error) {
        log.error('sign-failed', { kind: errorKind(error) });
        return fail(`The signing key "${keyId}" is damaged and cannot sign.`);
      } finally {
        pkcs8.fill(0);
      }
    },
  };
}

// Signing keys of reviewer profiles: one Ed25519 key pair per key id.
// The private key is sealed by a PrivateKeyProtector before it touches the disk: the OS keychain through
// Electron's safeStorage. A profile's key can also be sealed under the person's passphrase first
// (shared/exchange/key-wrap: scrypt + AES-256-GCM), so two profiles on one laptop cannot sign for each other:
// such a key signs only after `unlock` with its passphrase, for this session. A key is never stored, nor
// created, when no real protection is available.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SafeStorage } from 'electron';
import { KEY_LOCKED, type KeyStatus, type PublicKeyInfo } from '../../shared/contracts';
import { passphraseProblem, rewrapPrivateKey, unwrapPrivateKey, wrapPrivateKey, type WrappedKey } from '../../shared/exchange';
import { fail, ok, type Result } from '../../shared/contracts';
import { errorKind, silentLog, type AppLog } from './app-log';

export interface Keystore {
  /** How private keys are protected here, in words (HostInfo.keyProtection). */
  describeProtection(): string;
  ensureKey(keyId: string): Promise<Result<PublicKeyInfo>>;
  /** The raw 64-byte Ed25519 signature over `message` (a passphrase-protected key must be unlocked first). */
  sign(keyId: string, message: Uint8Array): Promise<Result<Uint8Array>>;
  createProtectedKey(keyId: string, profile: { id: string; name: string }, passphrase: string): Promise<Result<PublicKeyInfo>>;
  status(keyId: string): Promise<Result<KeyStatus>>;
  unlock(keyId: string, passphrase: string): Promise<Result<true>>;
  lock(keyId: string): Promise<Result<true>>;
  changePassphrase(keyId: string, oldPassphrase: string, newPassphrase: string): Promise<Result<true>>;
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
  /** True: the sealed bytes are the passphrase-wrapped key (arw-wrapped-key/v1 JSON), not the PKCS#8 itself. */
  passphrase: z.boolean().optional(),
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
      const where =
        platform === 'darwin'
          ? 'macOS Keychain'
          : platform === 'win32'
            ? 'Windows DPAPI'
            : `Linux secret store (${backend() ?? 'unknown'})`;
      if (allowBasicText && backend() === 'basic_text')
        return 'TEST BUILD: private keys are obfuscated with a fixed password (Linux basic_text), not protected.';
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
    if (!parsed.success || parsed.data.keyId !== keyId)
      return fail(`The signing key file for "${keyId}" is damaged or of an unknown format.`);
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
    const written = await write(stored);
    if (!written.ok) return written;
    log.info('key-created', { protection: protector.id });
    return ok(infoOf(stored));
  }

  async function write(stored: StoredKey): Promise<Result<true>> {
    const file = fileOf(stored.keyId);
    const temp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(temp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'w' });
      await rename(temp, file);
      return ok(true);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      log.error('key-store-failed', { kind: errorKind(error) });
      return fail(`The signing key could not be saved (${errorKind(error)}).`);
    }
  }

  /** Keys opened with their passphrase, for this session only (never written anywhere). */
  const unlocked = new Map<string, KeyObject>();

  async function openWrapped(stored: StoredKey): Promise<Result<WrappedKey>> {
    if (stored.protection !== protector.id)
      return fail(`The signing key "${stored.keyId}" is protected by "${stored.protection}", which is not available here.`);
    try {
      const json = new TextDecoder().decode(await protector.open(fromBase64(stored.sealedPrivateKey)));
      return ok(JSON.parse(json) as WrappedKey);
    } catch (error) {
      log.error('key-open-failed', { kind: errorKind(error) });
      return fail(
        'The operating system key store could not open the signing key (is the keychain locked, or was the key made on another machine?).',
      );
    }
  }

  async function createProtected(keyId: string, profile: { id: string; name: string }, passphrase: string): Promise<Result<PublicKeyInfo>> {
    const problem = passphraseProblem(passphrase);
    if (problem) return fail(problem);
    const reason = protector.unavailableReason();
    if (reason) return fail(reason);
    const existing = await load(keyId);
    if (!existing.ok) return existing;
    if (existing.value) return fail(`A signing key "${keyId}" exists already.`);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = rawPublicKey(publicKey);
    const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
    let sealed: Uint8Array;
    try {
      const wrapped = await wrapPrivateKey(pkcs8, passphrase, { profile, publicKey: raw, material: 'pkcs8' });
      sealed = await protector.seal(new TextEncoder().encode(JSON.stringify(wrapped)));
    } catch (error) {
      log.error('key-seal-failed', { kind: errorKind(error) });
      return fail('The new signing key could not be protected; nothing was stored.');
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
      passphrase: true,
      sealedPrivateKey: toBase64(sealed),
    };
    const written = await write(stored);
    if (!written.ok) return written;
    unlocked.set(keyId, privateKey);
    log.info('key-created', { protection: protector.id, passphrase: true });
    return ok(infoOf(stored));
  }

  async function unlock(keyId: string, passphrase: string): Promise<Result<true>> {
    const loaded = await load(keyId);
    if (!loaded.ok) return loaded;
    const stored = loaded.value;
    if (!stored) return fail(`There is no signing key "${keyId}" yet.`);
    if (!stored.passphrase) return ok(true);
    const wrapped = await openWrapped(stored);
    if (!wrapped.ok) return wrapped;
    const opened = await unwrapPrivateKey(wrapped.value, passphrase);
    if (!opened.ok) return fail(opened.error);
    try {
      const privateKey = createPrivateKey({ key: Buffer.from(opened.material), format: 'der', type: 'pkcs8' });
      if (toBase64(rawPublicKey(createPublicKey(privateKey))) !== stored.publicKey)
        return fail(`The signing key "${keyId}" does not match its public key; it was not used.`);
      unlocked.set(keyId, privateKey);
      return ok(true);
    } finally {
      opened.material.fill(0);
    }
  }

  async function changePassphrase(keyId: string, oldPassphrase: string, newPassphrase: string): Promise<Result<true>> {
    const loaded = await load(keyId);
    if (!loaded.ok) return loaded;
    const stored = loaded.value;
    if (!stored?.passphrase) return fail(`The signing key "${keyId}" has no passphrase to change.`);
    const weak = passphraseProblem(newPassphrase);
    if (weak) return fail(weak);
    const wrapped = await openWrapped(stored);
    if (!wrapped.ok) return wrapped;
    const next = await rewrapPrivateKey(wrapped.value, oldPassphrase, newPassphrase);
    if ('ok' in next) return fail(next.error);
    let sealed: Uint8Array;
    try {
      sealed = await protector.seal(new TextEncoder().encode(JSON.stringify(next)));
    } catch (error) {
      log.error('key-seal-failed', { kind: errorKind(error) });
      return fail('The operating system key store refused to protect the key; the old passphrase still applies.');
    }
    const written = await write({ ...stored, sealedPrivateKey: toBase64(sealed) });
    if (written.ok) log.info('key-passphrase-changed');
    return written;
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

    createProtectedKey(keyId, profile, passphrase) {
      if (!KEY_ID.test(keyId)) return Promise.resolve(fail('A key id has 1-64 letters, digits, dots, underscores or dashes.'));
      const running = pending.get(keyId);
      if (running) return running.then(() => fail(`A signing key "${keyId}" exists already.`));
      const task = createProtected(keyId, profile, passphrase).finally(() => pending.delete(keyId));
      pending.set(keyId, task);
      return task;
    },

    async status(keyId) {
      if (!KEY_ID.test(keyId)) return fail('A key id has 1-64 letters, digits, dots, underscores or dashes.');
      const loaded = await load(keyId);
      if (!loaded.ok) return loaded;
      return ok({ exists: loaded.value !== null, passphrase: loaded.value?.passphrase === true, unlocked: unlocked.has(keyId) });
    },

    unlock: (keyId, passphrase) =>
      KEY_ID.test(keyId)
        ? unlock(keyId, passphrase)
        : Promise.resolve(fail('A key id has 1-64 letters, digits, dots, underscores or dashes.')),

    async lock(keyId) {
      unlocked.delete(keyId);
      return ok(true);
    },

    changePassphrase: (keyId, oldPassphrase, newPassphrase) =>
      KEY_ID.test(keyId)
        ? changePassphrase(keyId, oldPassphrase, newPassphrase)
        : Promise.resolve(fail('A key id has 1-64 letters, digits, dots, underscores or dashes.')),

    async sign(keyId, message) {
      if (!KEY_ID.test(keyId)) return fail('A key id has 1-64 letters, digits, dots, underscores or dashes.');
      const loaded = await load(keyId);
      if (!loaded.ok) return loaded;
      const stored = loaded.value;
      if (!stored) return fail(`There is no signing key "${keyId}" yet.`);
      if (stored.passphrase) {
        const key = unlocked.get(keyId);
        if (!key) return fail(`${KEY_LOCKED}the signing key "${keyId}" needs its passphrase`);
        try {
          return ok(new Uint8Array(edSign(null, message, key)));
        } catch (error) {
          log.error('sign-failed', { kind: errorKind(error) });
          return fail(`The signing key "${keyId}" cannot sign.`);
        }
      }
      if (stored.protection !== protector.id)
        return fail(`The signing key "${keyId}" is protected by "${stored.protection}", which is not available here.`);
      let pkcs8: Uint8Array;
      try {
        pkcs8 = await protector.open(fromBase64(stored.sealedPrivateKey));
      } catch (error) {
        log.error('key-open-failed', { kind: errorKind(error) });
        return fail(
          'The operating system key store could not unlock the signing key (is the keychain locked, or was the key made on another machine?).',
        );
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

import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileKeystore, safeStorageProtector, type PrivateKeyProtector } from '../../electron/main/keystore';

/** A stand-in for Electron's safeStorage that really encrypts (AES-256-GCM with a key held in memory). */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  const key = randomBytes(32);
  let encryptions = 0;
  const storage = {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => (options.backend ?? 'gnome_libsecret') as 'gnome_libsecret',
    encryptString(plain: string): Buffer {
      encryptions += 1;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(sealed: Buffer): string {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
  return { storage, encryptions: () => encryptions };
}

/** Records what the protector was asked to seal, so the test knows the private key bytes to look for. */
function recording(protector: PrivateKeyProtector) {
  const secrets: Uint8Array[] = [];
  const wrapped: PrivateKeyProtector = {
    id: protector.id,
    describe: () => protector.describe(),
    unavailableReason: () => protector.unavailableReason(),
    seal: async (secret) => {
      secrets.push(new Uint8Array(secret));
      return protector.seal(secret);
    },
    open: (sealed) => protector.open(sealed),
  };
  return { protector: wrapped, secrets };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arw-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const keysDir = () => join(dir, 'keys');

describe('keystore (safeStorage)', () => {
  it('stores the private key only encrypted: no form of its bytes is on disk', async () => {
    const { storage, encryptions } = fakeSafeStorage();
    const { protector, secrets } = recording(safeStorageProtector({ safeStorage: storage, platform: 'linux' }));
    const keystore = createFileKeystore({ dir: keysDir(), protector });
    const created = await keystore.ensureKey('reviewer-1');
    expect(created.ok).toBe(true);
    expect(encryptions()).toBe(1);

    const pkcs8 = Buffer.from(secrets[0] ?? new Uint8Array());
    expect(pkcs8.byteLength).toBe(48);
    const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
    const seed = Buffer.from(String(jwk.d), 'base64url');
    expect(seed.byteLength).toBe(32);

    const files = await readdir(keysDir());
    expect(files).toEqual(['reviewer-1.key.json']);
    const stored = await readFile(join(keysDir(), files[0] ?? ''));
    const text = stored.toString('utf8');
    for (const secret of [seed, pkcs8]) {
      expect(stored.includes(secret)).toBe(false);
      for (const encoding of ['base64', 'base64url', 'hex'] as const) expect(text).not.toContain(secret.toString(encoding));
    }
    expect(text).not.toContain(String(jwk.d));
    expect(JSON.parse(text)).toMatchObject({ protection: 'safeStorage', algorithm: 'Ed25519' });
  });

  it('signs with a 64-byte Ed25519 signature that verifies against the exported public key and fingerprint', async () => {
    const { storage } = fakeSafeStorage();
    const keystore = createFileKeystore({ dir: keysDir(), protector: safeStorageProtector({ safeStorage: storage, platform: 'darwin' }) });
    const info = await keystore.ensureKey('reviewer-1');
    if (!info.ok) throw new Error(info.error);
    const publicKey = new Uint8Array(Buffer.from(info.value.publicKey, 'base64'));
    expect(publicKey.byteLength).toBe(32);
    expect(info.value.fingerprint).toBe(`SHA256:${bytesToHex(sha256(publicKey))}`);

    const message = new TextEncoder().encode('DSSEv1 28 application/vnd.in-toto+json 2 {}');
    const signed = await keystore.sign('reviewer-1', message);
    if (!signed.ok) throw new Error(signed.error);
    expect(signed.value.byteLength).toBe(64);
    expect(ed25519.verify(signed.value, message, publicKey)).toBe(true);
    const tampered = message.slice();
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(ed25519.verify(signed.value, tampered, publicKey)).toBe(false);
  });

  it('reuses the key on later calls and creates only one key under concurrent first use', async () => {
    const { storage, encryptions } = fakeSafeStorage();
    const keystore = createFileKeystore({ dir: keysDir(), protector: safeStorageProtector({ safeStorage: storage, platform: 'linux' }) });
    const [a, b] = await Promise.all([keystore.ensureKey('k'), keystore.ensureKey('k')]);
    const c = await keystore.ensureKey('k');
    expect(encryptions()).toBe(1);
    expect(a).toEqual(b);
    expect(c).toEqual(a);
    const other = await keystore.ensureKey('other');
    expect(other.ok && a.ok && other.value.publicKey !== a.value.publicKey).toBe(true);
  });

  it('refuses to create a key when encryption is unavailable, and stores nothing', async () => {
    const { storage } = fakeSafeStorage({ available: false });
    const keystore = createFileKeystore({ dir: keysDir(), protector: safeStorageProtector({ safeStorage: storage, platform: 'win32' }) });
    const result = await keystore.ensureKey('reviewer-1');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/key store is not available/);
    await expect(readdir(keysDir())).rejects.toThrow();
  });

  it("refuses Linux's basic_text backend (a fixed password is plain text in disguise)", async () => {
    const { storage } = fakeSafeStorage({ backend: 'basic_text' });
    const keystore = createFileKeystore({ dir: keysDir(), protector: safeStorageProtector({ safeStorage: storage, platform: 'linux' }) });
    const result = await keystore.ensureKey('reviewer-1');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/basic_text/);
  });

  it('accepts basic_text only when a development build asks for it, and then says so', async () => {
    const { storage } = fakeSafeStorage({ backend: 'basic_text' });
    const protector = safeStorageProtector({ safeStorage: storage, platform: 'linux', allowBasicText: true });
    expect(protector.unavailableReason()).toBeNull();
    expect(protector.describe()).toMatch(/not protected/);
    expect(
      safeStorageProtector({
        safeStorage: fakeSafeStorage({ backend: 'unknown' }).storage,
        platform: 'linux',
        allowBasicText: true,
      }).unavailableReason(),
    ).toMatch(/unknown/);
  });

  it('refuses to sign with a key whose stored public key was swapped', async () => {
    const { storage } = fakeSafeStorage();
    const keystore = createFileKeystore({ dir: keysDir(), protector: safeStorageProtector({ safeStorage: storage, platform: 'linux' }) });
    await keystore.ensureKey('k');
    const file = join(keysDir(), 'k.key.json');
    const stored = JSON.parse(await readFile(file, 'utf8')) as { publicKey: string };
    stored.publicKey = Buffer.from(ed25519.getPublicKey(ed25519.utils.randomSecretKey())).toString('base64');
    await writeFile(file, JSON.stringify(stored));
    const result = await keystore.sign('k', new Uint8Array([1]));
    expect(result).toEqual({ ok: false, error: 'The signing key "k" does not match its public key; it was not used.' });
  });

  it('cannot open a key sealed by another keychain, and says so', async () => {
    const first = createFileKeystore({
      dir: keysDir(),
      protector: safeStorageProtector({ safeStorage: fakeSafeStorage().storage, platform: 'linux' }),
    });
    await first.ensureKey('k');
    const second = createFileKeystore({
      dir: keysDir(),
      protector: safeStorageProtector({ safeStorage: fakeSafeStorage().storage, platform: 'linux' }),
    });
    const result = await second.sign('k', new Uint8Array([1]));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/could not unlock/);
  });

  it('refuses key ids that could name a path, and signing with a key that does not exist', async () => {
    const keystore = createFileKeystore({
      dir: keysDir(),
      protector: safeStorageProtector({ safeStorage: fakeSafeStorage().storage, platform: 'linux' }),
    });
    expect((await keystore.ensureKey('../escape')).ok).toBe(false);
    expect((await keystore.sign('..', new Uint8Array(1))).ok).toBe(false);
    expect(await keystore.sign('missing', new Uint8Array(1))).toEqual({ ok: false, error: 'There is no signing key "missing" yet.' });
  });
});

describe('keystore: a profile key under its passphrase as well as the keychain', () => {
  // scrypt at the app's cost (N = 2^17) takes about a second per call here; the tests use a few calls only.
  const PASS = 'horse battery staple correct';
  const OTHER = 'a different passphrase 42';

  it('stores neither the private key nor the passphrase in any form; signs after creation, asks again after a restart', async () => {
    const { storage } = fakeSafeStorage();
    const { protector, secrets } = recording(safeStorageProtector({ safeStorage: storage, platform: 'linux' }));
    const keystore = createFileKeystore({ dir: keysDir(), protector });
    const info = await keystore.createProtectedKey('jun', { id: 'jun', name: 'Jun Tanaka' }, PASS);
    if (!info.ok) throw new Error(info.error);
    // What the keychain was asked to seal is the passphrase-wrapped key, not the key itself.
    const sealedJson = JSON.parse(Buffer.from(secrets[0]!).toString('utf8')) as { format: string; kdf: { name: string; N: number } };
    expect(sealedJson).toMatchObject({ format: 'arw-wrapped-key/v1', kdf: { name: 'scrypt', N: 2 ** 17 } });
    const text = await readFile(join(keysDir(), 'jun.key.json'), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ passphrase: true, protection: 'safeStorage', fingerprint: info.value.fingerprint });
    expect(text).not.toContain(PASS);
    expect(await keystore.status('jun')).toEqual({ ok: true, value: { exists: true, passphrase: true, unlocked: true } });

    const message = new TextEncoder().encode('DSSEv1 statement');
    const sig = await keystore.sign('jun', message);
    if (!sig.ok) throw new Error(sig.error);
    expect(ed25519.verify(sig.value, message, new Uint8Array(Buffer.from(info.value.publicKey, 'base64')))).toBe(true);

    // A restart (a new keystore over the same folder): the key is locked until the passphrase is given.
    const restarted = createFileKeystore({ dir: keysDir(), protector });
    const locked = await restarted.sign('jun', message);
    expect(locked.ok).toBe(false);
    expect(locked.ok ? '' : locked.error).toMatch(/^key-locked: /);
    expect((await restarted.unlock('jun', 'wrong passphrase here')).ok).toBe(false);
    expect((await restarted.sign('jun', message)).ok).toBe(false);
    expect(await restarted.unlock('jun', PASS)).toEqual({ ok: true, value: true });
    expect((await restarted.sign('jun', message)).ok).toBe(true);
    await restarted.lock('jun');
    expect((await restarted.sign('jun', message)).ok).toBe(false);
  }, 60_000);

  it('two profiles on one laptop cannot sign for each other: each key opens with its own passphrase only', async () => {
    const { storage } = fakeSafeStorage();
    const protector = safeStorageProtector({ safeStorage: storage, platform: 'darwin' });
    const first = createFileKeystore({ dir: keysDir(), protector });
    expect((await first.createProtectedKey('ana', { id: 'ana', name: 'Ana' }, PASS)).ok).toBe(true);
    expect((await first.createProtectedKey('jun', { id: 'jun', name: 'Jun' }, OTHER)).ok).toBe(true);
    const later = createFileKeystore({ dir: keysDir(), protector });
    expect((await later.unlock('ana', OTHER)).ok).toBe(false);
    expect((await later.unlock('ana', PASS)).ok).toBe(true);
    expect((await later.sign('ana', new Uint8Array(4))).ok).toBe(true);
    expect((await later.sign('jun', new Uint8Array(4))).ok).toBe(false);
  }, 60_000);

  it('changes the passphrase: the old one stops working, the key (and its fingerprint) stays', async () => {
    const { storage } = fakeSafeStorage();
    const protector = safeStorageProtector({ safeStorage: storage, platform: 'win32' });
    const keystore = createFileKeystore({ dir: keysDir(), protector });
    const info = await keystore.createProtectedKey('jun', { id: 'jun', name: 'Jun' }, PASS);
    expect((await keystore.changePassphrase('jun', 'not the passphrase!', OTHER)).ok).toBe(false);
    expect((await keystore.changePassphrase('jun', PASS, 'short')).ok).toBe(false);
    expect(await keystore.changePassphrase('jun', PASS, OTHER)).toEqual({ ok: true, value: true });
    const later = createFileKeystore({ dir: keysDir(), protector });
    expect((await later.unlock('jun', PASS)).ok).toBe(false);
    expect((await later.unlock('jun', OTHER)).ok).toBe(true);
    expect(JSON.parse(await readFile(join(keysDir(), 'jun.key.json'), 'utf8'))).toMatchObject({
      fingerprint: info.ok ? info.value.fingerprint : 'x',
    });
  }, 90_000);

  it('refuses a weak passphrase and an existing key id, storing nothing', async () => {
    const { storage } = fakeSafeStorage();
    const keystore = createFileKeystore({ dir: keysDir(), protector: safeStorageProtector({ safeStorage: storage, platform: 'darwin' }) });
    const weak = await keystore.createProtectedKey('jun', { id: 'jun', name: 'Jun' }, 'aaaaaaaaaaaaaaaa');
    expect(weak.ok).toBe(false);
    await expect(readdir(keysDir())).rejects.toThrow();
    expect((await keystore.ensureKey('jun')).ok).toBe(true);
    expect(await keystore.createProtectedKey('jun', { id: 'jun', name: 'Jun' }, PASS)).toEqual({
      ok: false,
      error: 'A signing key "jun" exists already.',
    });
  });
});

// The browser implementation of HostApi: file inputs, downloads, and signing keys in IndexedDB.
// A profile's key is sealed twice: under the person's passphrase (shared/exchange/key-wrap: scrypt + AES-256-GCM)
// and then by a non-extractable AES-GCM key of this browser profile, so neither the stored bytes alone nor another
// profile on the same machine can sign. Opened with the passphrase, it becomes a non-extractable Ed25519 CryptoKey
// held in memory for this session only. (Keys made before passphrases existed are non-extractable Ed25519 keys
// stored as such: they sign but can never be read out, not even by this code.)
import { fail, ok, KEY_LOCKED, type HostApi, type PickedFile, type PublicKeyInfo } from '../../shared/contracts';
import { passphraseProblem, rewrapPrivateKey, unwrapPrivateKey, wrapPrivateKey, type WrappedKey } from '../../shared/exchange';

const KEY_DB = 'arw-keystore';
const KEY_STORE = 'keys';

interface StoredKey {
  keyId: string;
  /** A key made before passphrases: non-extractable, stored as is. */
  privateKey?: CryptoKey;
  /** A passphrase-protected key: the wrapped key's JSON, sealed by the profile storage key (AES-GCM). */
  sealed?: { iv: Uint8Array; ciphertext: Uint8Array };
  publicKeyRaw: Uint8Array;
  createdAt: string;
}

/** The non-extractable AES-GCM key that seals wrapped keys at rest in this browser profile. */
const STORAGE_KEY_ID = '\u0000arw-storage-key';
interface StorageKeyRecord {
  keyId: typeof STORAGE_KEY_ID;
  aesKey: CryptoKey;
}

function openKeyDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(KEY_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(KEY_STORE, { keyPath: 'keyId' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('cannot open the key store'));
  });
}

async function keyStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openKeyDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(KEY_STORE, mode);
      const req = run(tx.objectStore(KEY_STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('key store transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('key store transaction aborted'));
    });
  } finally {
    db.close();
  }
}

async function fingerprintOf(raw: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw as BufferSource));
  return `SHA256:${[...digest].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

async function publicInfo(k: StoredKey): Promise<PublicKeyInfo> {
  return { keyId: k.keyId, publicKey: toBase64(k.publicKeyRaw), fingerprint: await fingerprintOf(k.publicKeyRaw), createdAt: k.createdAt };
}

async function storageKey(): Promise<CryptoKey> {
  const existing = await keyStore<StorageKeyRecord | undefined>(
    'readonly',
    (st) => st.get(STORAGE_KEY_ID) as IDBRequest<StorageKeyRecord | undefined>,
  );
  if (existing) return existing.aesKey;
  const aesKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  await keyStore('readwrite', (st) => st.put({ keyId: STORAGE_KEY_ID, aesKey } satisfies StorageKeyRecord));
  // Another tab may have stored its own first: use whichever is stored.
  return (await keyStore<StorageKeyRecord | undefined>(
    'readonly',
    (st) => st.get(STORAGE_KEY_ID) as IDBRequest<StorageKeyRecord | undefined>,
  ))!.aesKey;
}

async function seal(wrapped: WrappedKey): Promise<NonNullable<StoredKey['sealed']>> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await storageKey(), new TextEncoder().encode(JSON.stringify(wrapped))),
  );
  return { iv, ciphertext };
}

async function unseal(sealed: NonNullable<StoredKey['sealed']>): Promise<WrappedKey> {
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.iv as BufferSource },
    await storageKey(),
    sealed.ciphertext as BufferSource,
  );
  return JSON.parse(new TextDecoder().decode(plain)) as WrappedKey;
}

const getKey = (keyId: string) => keyStore<StoredKey | undefined>('readonly', (st) => st.get(keyId) as IDBRequest<StoredKey | undefined>);

function pickFiles(extensions: string[], multiple: boolean): Promise<PickedFile[]> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = multiple;
    if (extensions.length) input.accept = extensions.map((e) => `.${e}`).join(',');
    input.style.display = 'none';
    document.body.append(input);
    const done = () => input.remove();
    input.addEventListener('cancel', () => {
      done();
      resolve([]);
    });
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      done();
      Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))).then(resolve, reject);
    });
    input.click();
  });
}

export function createBrowserHost(): HostApi {
  /** Passphrase-protected keys opened in this session (non-extractable; gone on reload). */
  const unlocked = new Map<string, CryptoKey>();
  return {
    async info() {
      return {
        platform: 'browser',
        appVersion: import.meta.env.VITE_APP_VERSION ?? '0.1.0',
        keyProtection: 'non-extractable WebCrypto key in this browser profile (IndexedDB)',
      };
    },
    async openFiles(request) {
      try {
        return ok(await pickFiles(request.extensions, request.multiple));
      } catch (error) {
        return fail(`cannot read the chosen file: ${String(error)}`);
      }
    },
    async saveFile(request) {
      const blob = new Blob([request.bytes as BlobPart], { type: request.mimeType });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = request.suggestedName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return ok(request.suggestedName);
    },
    async ensureSigningKey(keyId) {
      try {
        const existing = await keyStore<StoredKey | undefined>('readonly', (s) => s.get(keyId) as IDBRequest<StoredKey | undefined>);
        if (existing) return ok(await publicInfo(existing));
        const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
        const publicKeyRaw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
        const stored: StoredKey = { keyId, privateKey: pair.privateKey, publicKeyRaw, createdAt: new Date().toISOString() };
        await keyStore('readwrite', (s) => s.add(stored));
        return ok(await publicInfo(stored));
      } catch (error) {
        return fail(`cannot create or read the signing key: ${String(error)}`);
      }
    },
    async sign({ keyId, message }) {
      try {
        const k = await getKey(keyId);
        if (!k) return fail(`no signing key "${keyId}" in this browser profile`);
        const key = k.sealed ? unlocked.get(keyId) : k.privateKey;
        if (!key) return fail(`${KEY_LOCKED}the signing key "${keyId}" needs its passphrase`);
        return ok(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, message as BufferSource)));
      } catch (error) {
        return fail(`signing failed: ${String(error)}`);
      }
    },
    async takeLaunchFile() {
      return ok(null);
    },
    async createProtectedKey({ keyId, profile, passphrase }) {
      const problem = passphraseProblem(passphrase);
      if (problem) return fail(problem);
      try {
        if (await getKey(keyId)) return fail(`a signing key "${keyId}" exists already`);
        // Extractable only here, for the moment it takes to wrap it; the session keeps a non-extractable copy.
        const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
        const publicKeyRaw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
        const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
        let stored: StoredKey;
        try {
          const wrapped = await wrapPrivateKey(pkcs8, passphrase, { profile, publicKey: publicKeyRaw, material: 'pkcs8' });
          stored = { keyId, sealed: await seal(wrapped), publicKeyRaw, createdAt: new Date().toISOString() };
          unlocked.set(keyId, await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, { name: 'Ed25519' }, false, ['sign']));
        } finally {
          pkcs8.fill(0);
        }
        await keyStore('readwrite', (st) => st.add(stored));
        return ok(await publicInfo(stored));
      } catch (error) {
        return fail(`cannot create the signing key: ${String(error)}`);
      }
    },
    async keyStatus(keyId) {
      const k = await getKey(keyId);
      return ok({ exists: Boolean(k), passphrase: Boolean(k?.sealed), unlocked: unlocked.has(keyId) });
    },
    async unlockKey({ keyId, passphrase }) {
      const k = await getKey(keyId);
      if (!k) return fail(`no signing key "${keyId}" in this browser profile`);
      if (!k.sealed) return ok(true);
      let wrapped: WrappedKey;
      try {
        wrapped = await unseal(k.sealed);
      } catch {
        return fail('the key store of this browser profile cannot open the key (it was changed, or comes from another profile)');
      }
      const opened = await unwrapPrivateKey(wrapped, passphrase);
      if (!opened.ok) return fail(opened.error);
      try {
        unlocked.set(keyId, await crypto.subtle.importKey('pkcs8', opened.material as BufferSource, { name: 'Ed25519' }, false, ['sign']));
        return ok(true);
      } finally {
        opened.material.fill(0);
      }
    },
    async lockKey(keyId) {
      unlocked.delete(keyId);
      return ok(true);
    },
    async changePassphrase({ keyId, oldPassphrase, newPassphrase }) {
      const k = await getKey(keyId);
      if (!k?.sealed) return fail(`the signing key "${keyId}" has no passphrase to change`);
      const weak = passphraseProblem(newPassphrase);
      if (weak) return fail(weak);
      const next = await rewrapPrivateKey(await unseal(k.sealed), oldPassphrase, newPassphrase);
      if ('ok' in next) return fail(next.error);
      const sealed = await seal(next);
      await keyStore('readwrite', (st) => st.put({ ...k, sealed }));
      return ok(true);
    },
  };
}

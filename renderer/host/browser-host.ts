// The browser implementation of HostApi: file inputs, downloads, and a non-extractable WebCrypto Ed25519 key
// kept in IndexedDB (the private key can sign but can never be read out, not even by this code).
import { fail, ok, type HostApi, type PickedFile, type PublicKeyInfo } from '../../shared/contracts';

const KEY_DB = 'arw-keystore';
const KEY_STORE = 'keys';

interface StoredKey {
  keyId: string;
  privateKey: CryptoKey;
  publicKeyRaw: Uint8Array;
  createdAt: string;
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
  return {
    async info() {
      return { platform: 'browser', appVersion: import.meta.env.VITE_APP_VERSION ?? '0.1.0', keyProtection: 'non-extractable WebCrypto key in this browser profile (IndexedDB)' };
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
        const k = await keyStore<StoredKey | undefined>('readonly', (s) => s.get(keyId) as IDBRequest<StoredKey | undefined>);
        if (!k) return fail(`no signing key "${keyId}" in this browser profile`);
        return ok(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, k.privateKey, message as BufferSource)));
      } catch (error) {
        return fail(`signing failed: ${String(error)}`);
      }
    },
    async takeLaunchFile() {
      return ok(null);
    },
  };
}

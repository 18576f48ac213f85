// measure-package's signed campaign kept on disk (ARW_MEASURE_CACHE=DIR), so a measurement at 1,000,000 decisions
// does not spend minutes generating and signing it again. The input is written as v8-serialised records (the
// campaign without its items and events, then those in chunks: one buffer of everything is past Node's limit), and
// each signer as its PKCS#8 key.
import { closeSync, existsSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { CertificationInput, PackageSigner } from '../shared/package';

const CHUNK = 50_000;
const FORMAT = 1;

interface Cached {
  input: CertificationInput;
  signers: PackageSigner[];
}

export async function cachedInput(dir: string, items: number, make: () => Promise<Cached>): Promise<Cached> {
  const file = join(dir, `input-${items}.v8`);
  if (existsSync(file)) return read(file);
  const made = await make();
  await write(`${file}.part`, made);
  renameSync(`${file}.part`, file);
  return made;
}

async function write(file: string, { input, signers }: Cached): Promise<void> {
  const fd = openSync(file, 'w');
  const record = (value: unknown) => {
    const body = serialize(value);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(body.length));
    writeSync(fd, length);
    for (let at = 0; at < body.length;) at += writeSync(fd, body, at);
  };
  try {
    const keys = await Promise.all(signers.map((s) => pkcs8Of(s)));
    const { items, auditEvents, ...rest } = input;
    record({ format: FORMAT, rest, items: items.length, events: auditEvents.length, keys });
    for (let i = 0; i < items.length; i += CHUNK) record(items.slice(i, i + CHUNK));
    for (let i = 0; i < auditEvents.length; i += CHUNK) record(auditEvents.slice(i, i + CHUNK));
  } finally {
    closeSync(fd);
  }
}

async function read(file: string): Promise<Cached> {
  const fd = openSync(file, 'r');
  const record = <T>(): T => {
    const length = Buffer.alloc(8);
    readSync(fd, length, 0, 8, null);
    const body = Buffer.alloc(Number(length.readBigUInt64LE()));
    for (let at = 0; at < body.length;) at += readSync(fd, body, at, body.length - at, null);
    return deserialize(body) as T;
  };
  try {
    const head = record<{
      format: number;
      rest: Omit<CertificationInput, 'items' | 'auditEvents'>;
      items: number;
      events: number;
      keys: SavedKey[];
    }>();
    if (head.format !== FORMAT) throw new Error(`${file}: cache format ${head.format}, not ${FORMAT}: delete it`);
    const items: CertificationInput['items'] = [];
    while (items.length < head.items) for (const item of record<CertificationInput['items']>()) items.push(item);
    const auditEvents: CertificationInput['auditEvents'] = [];
    while (auditEvents.length < head.events) for (const e of record<CertificationInput['auditEvents']>()) auditEvents.push(e);
    const signers = await Promise.all(head.keys.map(signerOf));
    return { input: { ...head.rest, items, auditEvents } as CertificationInput, signers };
  } finally {
    closeSync(fd);
  }
}

interface SavedKey {
  keyId: string;
  publicKey: Uint8Array;
  pkcs8: Uint8Array;
}

/** A real Ed25519 signer on WebCrypto whose key can be saved (generated extractable). */
export async function generateSigner(keyId: string): Promise<PackageSigner> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return Object.assign(signerWith(keyId, publicKey, pair.privateKey), { privateKey: pair.privateKey });
}

/** The signer's private key, exported. */
async function pkcs8Of(signer: PackageSigner): Promise<SavedKey> {
  const key = (signer as PackageSigner & { privateKey?: CryptoKey }).privateKey;
  if (!key) throw new Error('the signer has no exportable private key');
  return { keyId: signer.keyId, publicKey: signer.publicKey, pkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', key)) };
}

function signerWith(keyId: string, publicKey: Uint8Array, key: CryptoKey): PackageSigner {
  return {
    keyId,
    publicKey,
    sign: async (message) => new Uint8Array(await crypto.subtle.sign('Ed25519', key, message as Uint8Array<ArrayBuffer>)),
  };
}

async function signerOf(saved: SavedKey): Promise<PackageSigner> {
  const key = await crypto.subtle.importKey('pkcs8', saved.pkcs8, { name: 'Ed25519' }, false, ['sign']);
  return signerWith(saved.keyId, saved.publicKey, key);
}

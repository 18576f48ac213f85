// SHA-256 of whole files. WebCrypto (present in Node >= 20, browsers and workers) hashes about ten times faster
// than pure JS on large files, so it is used when the runtime has it; @noble/hashes otherwise. Same digest either way.
import { bytesToHex, sha256Hex } from '../model/digest';
import { runtimePrimitives } from './runtime-primitives';

interface DigestOnly {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

function webCryptoDigest(): DigestOnly | null {
  const subtle = (globalThis as { crypto?: { subtle?: Partial<DigestOnly> } }).crypto?.subtle;
  return subtle && typeof subtle.digest === 'function' ? (subtle as DigestOnly) : null;
}

export async function fileSha256(bytes: Uint8Array): Promise<string> {
  // A native hash the host installed (Node's, in the CLI) takes the bytes as they are; Node's WebCrypto copies them.
  const native = runtimePrimitives().sha256Hex;
  if (native) return native(bytes);
  const subtle = webCryptoDigest();
  if (subtle) return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  return sha256Hex(bytes);
}

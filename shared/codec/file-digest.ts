// SHA-256 of whole files. A native hash the host installed (Node's, for the arw CLI) comes first: on Node, WebCrypto
// copies the data on the calling thread before hashing it on the thread pool, and that copy takes as long as the
// native hash itself. Else WebCrypto (browsers and workers, where it hashes off the calling thread, about ten times
// faster than pure JS), else @noble/hashes. Same digest either way.
import { bytesToHex, sha256Hex } from './digest';
import { runtimePrimitives } from './runtime-primitives';

interface DigestOnly {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

function webCryptoDigest(): DigestOnly | null {
  const subtle = (globalThis as { crypto?: { subtle?: Partial<DigestOnly> } }).crypto?.subtle;
  return subtle && typeof subtle.digest === 'function' ? (subtle as DigestOnly) : null;
}

export async function fileSha256(bytes: Uint8Array): Promise<string> {
  const native = runtimePrimitives().sha256Hex;
  if (native) return native(bytes);
  const subtle = webCryptoDigest();
  if (subtle) return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  return sha256Hex(bytes);
}

// SHA-256 of whole files. WebCrypto (present in Node >= 20, browsers and workers) hashes about ten times faster
// than pure JS on large files, off the calling thread, so it is used when the runtime has it; else a native hash
// the host installed, else @noble/hashes. Same digest either way.
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
  // WebCrypto hashes on the thread pool (in Node) or off the page's thread, while this thread goes on writing or
  // checking; a native hash the host installed runs here, so it comes second.
  const subtle = webCryptoDigest();
  if (subtle) return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  const native = runtimePrimitives().sha256Hex;
  return native ? native(bytes) : sha256Hex(bytes);
}

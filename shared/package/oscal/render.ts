// The OSCAL documents are written a piece at a time: into bytes by the builder, and compared piece by piece with
// the package's bytes by the verifier, which so never holds a second copy of a document of 100,000 observations.

/** Receives a document's text, piece by piece, in order. */
export type TextSink = (text: string) => void;

const encoder = new TextEncoder();
/** Pieces are encoded in batches of about this many UTF-16 units (one call per piece costs more than the piece). */
const BATCH = 1 << 16;

/** Calls `encoded` with the UTF-8 of everything `write` gives its sink, in batches (the view is reused after). */
function encodeBatches(write: (sink: TextSink) => void, encoded: (bytes: Uint8Array) => void): void {
  let scratch = new Uint8Array(BATCH * 3);
  let pending: string[] = [];
  let units = 0;
  const flush = () => {
    const text = pending.length === 1 ? pending[0]! : pending.join('');
    if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
    encoded(scratch.subarray(0, encoder.encodeInto(text, scratch).written));
    pending = [];
    units = 0;
  };
  write((text) => {
    pending.push(text);
    units += text.length;
    if (units >= BATCH) flush();
  });
  if (pending.length) flush();
}

/** The UTF-8 bytes of everything `write` gives its sink. */
export function renderBytes(write: (sink: TextSink) => void): Uint8Array {
  let buffer = new Uint8Array(BATCH * 4);
  let length = 0;
  encodeBatches(write, (bytes) => {
    if (length + bytes.length > buffer.length) {
      const bigger = new Uint8Array(Math.max(buffer.length * 2, length + bytes.length));
      bigger.set(buffer.subarray(0, length));
      buffer = bigger;
    }
    buffer.set(bytes, length);
    length += bytes.length;
  });
  return buffer.slice(0, length);
}

/** Thrown to stop writing at the first difference. */
const DIFFERS = Symbol('differs');

/** True when the UTF-8 of what `write` gives is exactly `expected`; stops writing at the first difference. */
export function rendersTo(write: (sink: TextSink) => void, expected: Uint8Array): boolean {
  let at = 0;
  try {
    encodeBatches(write, (bytes) => {
      if (at + bytes.length > expected.length || !equalAt(bytes, expected, at)) throw DIFFERS;
      at += bytes.length;
    });
  } catch (error) {
    if (error === DIFFERS) return false;
    throw error;
  }
  return at === expected.length;
}

/** `a` equals `b` from `at` on (a top-level loop over locals: in the closure above it ran many times slower). */
function equalAt(a: Uint8Array, b: Uint8Array, at: number): boolean {
  const n = a.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/** The SHA-256 (hex) of the UTF-8 of everything `write` gives, hashed as it is written (nothing kept). */
export function renderedSha256(write: (sink: TextSink) => void, hash: { update(bytes: Uint8Array): void; digestHex(): string }): string {
  encodeBatches(write, (bytes) => hash.update(bytes));
  return hash.digestHex();
}

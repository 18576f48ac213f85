// The OSCAL documents are written a piece at a time: into bytes by the builder, and compared piece by piece with
// the package's bytes by the verifier, which so never holds a second copy of a document of 100,000 observations.

import { ByteWriter, type Pacer } from '../../codec';

/** Receives a document's text, piece by piece, in order. */
export type TextSink = (text: string) => void;

/** A document's writer: steps that give its text to the sink, pausing (yield) every few hundred entries. */
export type DocumentSteps = (sink: TextSink) => Generator<void, void, void>;

/** Takes a slice of a document's bytes (valid until the promise resolves: copy to keep); resolves when it can take the next. */
export type SliceWrite = (slice: Uint8Array) => Promise<void>;

/** The steps run to the end at once. */
function whole(steps: DocumentSteps): (sink: TextSink) => void {
  return (sink) => {
    const it = steps(sink);
    while (!it.next().done);
  };
}

const SLICE_BYTES = 1 << 20;

/**
 * The UTF-8 of a document in slices of about a megabyte, each handed to `write` (and awaited) as it is complete,
 * yielding to the event loop as the pacer asks: a long document never exists whole.
 */
export async function renderInSlices(steps: DocumentSteps, write: SliceWrite, pacer: Pacer): Promise<void> {
  const out = new ByteWriter(2 * SLICE_BYTES);
  const it = steps((text) => out.utf8(text));
  for (;;) {
    const done = it.next().done;
    if (done || out.size >= SLICE_BYTES) await write(out.takeView());
    if (done) return;
    if (pacer.due()) await pacer.pace();
  }
}

/** Pieces are encoded into a buffer of about this many bytes, handed on each time it fills. */
const BATCH = 1 << 16;

/**
 * Calls `encoded` with the UTF-8 of everything `write` gives its sink, in batches (the view is reused after). Each
 * piece goes straight into bytes (ByteWriter): joining the pieces into one string first, to encode it, made the
 * verifier's rendering cost twice the builder's.
 */
function encodeBatches(steps: DocumentSteps, encoded: (bytes: Uint8Array) => void): void {
  const out = new ByteWriter(2 * BATCH);
  const write = whole(steps);
  write((text) => {
    out.utf8(text);
    if (out.size >= BATCH) encoded(out.takeView());
  });
  if (out.size) encoded(out.takeView());
}

/** The UTF-8 bytes of everything `write` gives its sink. */
export function renderBytes(write: DocumentSteps): Uint8Array {
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
export function rendersTo(write: DocumentSteps, expected: Uint8Array): boolean {
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
export function renderedSha256(write: DocumentSteps, hash: { update(bytes: Uint8Array): void; digestHex(): string }): string {
  encodeBatches(write, (bytes) => hash.update(bytes));
  return hash.digestHex();
}

// SpreadsheetML rows written straight into bytes. A 100,000-row sheet built from per-cell strings makes hundreds of
// megabytes of short-lived strings (and the garbage collector's work); this writes ASCII markup and numbers byte by
// byte and text through TextEncoder.encodeInto, into one buffer that grows by doubling (or once, extrapolated).

// encodeInto is in every runtime we target; shared/env.d.ts declares only what most of shared/ needs.
const encoder = new TextEncoder() as TextEncoder & {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
};

/** After this many rows (events, items, sheet rows), a long file's buffer is sized from what they took (extrapolate). */
export const SIZE_CHECKPOINT = 1024;

/** Texts up to this long are copied to bytes in a loop while ASCII (ByteWriter.utf8). */
const SHORT_TEXT = 96;

export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialBytes = 1 << 16) {
    this.buffer = new Uint8Array(initialBytes);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  /**
   * Grows the buffer once to what `total` units will take, judged from the `done` written so far (plus a twentieth).
   * Called after the first thousand rows of a long file, it replaces the initial guess: no doubling to twice the
   * size later, and no copy of tens of megabytes.
   */
  extrapolate(done: number, total: number): void {
    if (done <= 0 || total <= done) return;
    const expected = Math.ceil((this.length / done) * total * 1.05) + 1024;
    if (expected <= this.buffer.length) return;
    const next = new Uint8Array(expected);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  /** Markup and other ASCII-only text. */
  ascii(text: string): void {
    this.reserve(text.length);
    const b = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) b[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** A non-negative integer in decimal, digit by digit (no string made: sheets write millions of them). */
  integer(n: number): void {
    if (!(n >= 0 && n < 1e15 && Number.isInteger(n))) return this.ascii(String(n));
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    this.reserve(digits);
    const b = this.buffer;
    let at = this.length + digits;
    this.length = at;
    let t = n;
    do {
      const q = Math.floor(t / 10);
      b[--at] = 48 + (t - q * 10);
      t = q;
    } while (t > 0);
  }

  /** Any text, UTF-8 (already escaped for XML by the caller). */
  utf8(text: string): void {
    // Room for ASCII first (the usual case); more only when the text needs it, so a buffer sized for the
    // expected length does not double for its last few strings.
    this.reserve(text.length);
    // A short text is copied here while it is ASCII: encodeInto's call and the view it needs cost more than the
    // loop (a package writes millions of cells and members), and the views fed the garbage collector.
    if (text.length <= SHORT_TEXT) {
      const b = this.buffer;
      let at = this.length;
      let i = 0;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        b[at++] = c;
      }
      this.length = at;
      if (i === text.length) return;
      text = text.slice(i);
    }
    let { read, written } = encoder.encodeInto(text, this.buffer.subarray(this.length));
    this.length += written;
    while (read < text.length) {
      const rest = text.slice(read);
      this.reserve(rest.length * 3);
      ({ read, written } = encoder.encodeInto(rest, this.buffer.subarray(this.length)));
      this.length += written;
      text = rest;
    }
  }

  /**
   * Writes `text` when it is a CSV cell that needs neither quotes nor neutralising (printable ASCII without `"`, `,`
   * or `;`, not starting with = + - @ or a space, not ending with a space) and returns true; else writes nothing and
   * returns false. One pass both checks and copies (csv-writer.ts, writeCsvCell).
   */
  plainCsvCell(text: string): boolean {
    const n = text.length;
    if (n === 0) return true;
    const first = text.charCodeAt(0);
    if (first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === 0x20) return false;
    if (text.charCodeAt(n - 1) === 0x20) return false;
    this.reserve(n);
    const b = this.buffer;
    const at = this.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x2c || c === 0x3b) return false;
      b[at + i] = c;
    }
    this.length = at + n;
    return true;
  }

  /** A copy of the bytes written since the last take, the buffer then reused: a long file written in slices. */
  take(): Uint8Array {
    const slice = this.buffer.slice(0, this.length);
    this.length = 0;
    return slice;
  }

  /**
   * The bytes written since the last take, as a view of the buffer, which is then written over: valid only until
   * the next write. For sinks that read or copy a slice before the writer goes on (a zip entry's write); a fresh
   * megabyte per slice, as take() makes, costs more in page faults than the copy itself.
   */
  takeView(): Uint8Array {
    const view = this.buffer.subarray(0, this.length);
    this.length = 0;
    return view;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.length;
  }

  /** The whole buffer (the bytes written are its first `size`): no view made, for reading a range of it at once. */
  buffered(): Uint8Array {
    return this.buffer;
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** The bytes, copied out when the buffer grew well past them (a copy costs less than keeping the slack alive). */
  trimmedBytes(): Uint8Array {
    return this.length < this.buffer.length * 0.75 ? this.buffer.slice(0, this.length) : this.bytes();
  }
}

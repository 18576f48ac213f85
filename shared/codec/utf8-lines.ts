// A UTF-8 file read a line at a time, decoded in runs of whole lines: the text is what fromUtf8 gives for the whole
// file (a newline byte is never inside a UTF-8 sequence), but no string ever holds more than a run, so a file over
// V8's string limit (2^29 − 24 characters, about 512 MiB) can still be read.

const RUN_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

export class Utf8Lines {
  private text = '';
  private at = 0;
  /** Where the bytes not yet decoded start. */
  private pos = 0;
  // The first run drops a leading byte-order mark, as decoding the whole file does; later runs keep any they meet.
  private readonly first = new TextDecoder('utf-8');
  private readonly later = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly runBytes = RUN_BYTES,
  ) {}

  /** The next line, without its newline; null when no newline follows (what is left is then `rest`'s). */
  next(): string | null {
    if (this.at >= this.text.length && !this.load()) return null;
    const end = this.text.indexOf('\n', this.at);
    const line = this.text.slice(this.at, end);
    this.at = end + 1;
    return line;
  }

  /** The text after the lines read so far, when it is at most `maxBytes` bytes long (else null). Reads nothing. */
  rest(maxBytes: number): string | null {
    if (this.bytes.length - this.pos > maxBytes || this.text.length - this.at > maxBytes) return null;
    const tail = this.pos < this.bytes.length ? this.decoder().decode(this.bytes.subarray(this.pos)) : '';
    const left = this.text.slice(this.at);
    return left.length + tail.length <= maxBytes ? left + tail : null;
  }

  /** Decodes the next run of whole lines; false when no newline is left. */
  private load(): boolean {
    const { bytes, pos } = this;
    if (pos >= bytes.length) return false;
    const window = Math.min(bytes.length, pos + this.runBytes);
    let end = bytes.lastIndexOf(NEWLINE, window - 1);
    if (end < pos) end = bytes.indexOf(NEWLINE, window);
    if (end < 0) return false;
    this.text = this.decoder().decode(bytes.subarray(pos, end + 1));
    this.at = 0;
    this.pos = end + 1;
    return true;
  }

  private decoder(): TextDecoder {
    return this.pos === 0 ? this.first : this.later;
  }
}

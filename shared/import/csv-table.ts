// CSV text to rows with their 1-based line numbers (quoted newlines make rows span lines). One reader serves the
// whole-text path and the streamed one: text is pushed in chunks of any size (a whole file is one chunk), and the
// rows, lines and errors do not depend on where the chunks end.
import Papa from 'papaparse';

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** lines[i] is the line on which rows[i] starts. */
  lines: number[];
  errors: { line: number; message: string }[];
}

/** papaparse guesses the line break from the first MiB of the text; the reader waits for as much before parsing. */
const NEWLINE_SAMPLE = 1024 * 1024;

interface PapaError {
  message: string;
  row?: number;
}

/**
 * Push-style CSV reader over papaparse's chunk parser. Every row (empty ones included, as `['']`) goes to
 * `onRow` with the line it starts on; syntax errors go to `onError` with that line.
 */
export class CsvReader {
  private carry = '';
  private first = true;
  private newline: '\n' | '\r\n' | '\r' | null = null;
  /** Line of the first character of `carry`. */
  private line = 1;
  private fast: Papa.Parser | null = null;

  constructor(
    private readonly delimiter: string,
    private readonly onRow: (row: string[], line: number) => void,
    private readonly onError: (line: number, message: string) => void,
    /** Characters to wait for before guessing the line break (tests use a few to exercise chunking). */
    private readonly newlineSample = NEWLINE_SAMPLE,
    private readonly quoteChar = '"',
  ) {}

  push(chunk: string): void {
    if (this.first && chunk.length) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const input = this.carry + chunk;
    if (this.newline === null) {
      if (input.length < this.newlineSample) {
        this.carry = input;
        return;
      }
      this.newline = guessNewline(input.slice(0, this.newlineSample), this.delimiter, this.quoteChar);
    }
    this.consume(input, false);
  }

  end(): void {
    if (this.newline === null) this.newline = guessNewline(this.carry, this.delimiter, this.quoteChar);
    // Complete rows first, then what follows the last line break as the last row: a final line break ends the
    // file without an extra empty row, however the chunks fell.
    if (this.carry) this.consume(this.carry, false);
    const input = this.carry;
    this.carry = '';
    if (input) this.consume(input, true);
  }

  /** Parse the complete rows of `input` (all of it when `final`); keep the rest for the next chunk. */
  private consume(input: string, final: boolean): void {
    const nl = this.newline!;
    if (input.indexOf(this.quoteChar) < 0) {
      this.fast ??= new Papa.Parser({ delimiter: this.delimiter, newline: nl, quoteChar: this.quoteChar });
      const res = this.fast.parse(input, 0, !final) as { data: string[][]; meta: { cursor: number } };
      const consumed = res.meta.cursor;
      // Without quotes a row is one line, unless a CRLF file has a lone LF inside a field: count to be sure.
      const breaks = countChar(input, nl === '\r' ? '\r' : '\n', final ? input.length : consumed);
      if (breaks === (final ? res.data.length - 1 : res.data.length)) {
        for (let i = 0; i < res.data.length; i++) this.onRow(res.data[i]!, this.line + i);
        this.line += breaks;
        this.carry = input.slice(consumed);
        return;
      }
    }
    const counted = nl === '\r' ? 13 : 10;
    let lastCursor = 0;
    const parser = new Papa.Parser({
      delimiter: this.delimiter,
      newline: nl,
      quoteChar: this.quoteChar,
      fastMode: false,
      step: (result: { data: string[][]; errors: PapaError[]; meta: { cursor: number } }) => {
        const startLine = this.line;
        const cursor = result.meta.cursor;
        for (let i = lastCursor; i < cursor; i++) if (input.charCodeAt(i) === counted) this.line++;
        lastCursor = cursor;
        for (const e of result.errors) this.onError(startLine, e.message);
        for (const row of result.data) this.onRow(row, startLine);
      },
    });
    parser.parse(input, 0, !final);
    this.carry = final ? '' : input.slice(lastCursor);
  }
}

function countChar(text: string, ch: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0 && i < end; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** papaparse's own guess (the one Papa.parse makes on a whole text), from its first MiB. */
function guessNewline(sample: string, delimiter: string, quoteChar: string): '\n' | '\r\n' | '\r' {
  const meta = Papa.parse<string[]>(sample, { delimiter, quoteChar, preview: 1 }).meta;
  const nl = meta.linebreak;
  return nl === '\r\n' || nl === '\r' ? nl : '\n';
}

/** Rows of a CSV text kept whole (small files, column-mapping previews). */
export function readCsv(text: string, delimiter = ','): CsvTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  const errors: { line: number; message: string }[] = [];
  const reader = new CsvReader(
    delimiter,
    (row, line) => {
      if (row.length === 1 && row[0] === '') return;
      rows.push(row);
      lines.push(line);
    },
    (line, message) => errors.push({ line, message }),
  );
  reader.push(text);
  reader.end();
  const header = (rows.shift() ?? []).map((h) => h.trim());
  lines.shift();
  return { header, rows, lines, errors };
}

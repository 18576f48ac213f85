// CSV text to rows with their 1-based line numbers (quoted newlines make rows span lines).
import Papa from 'papaparse';

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** lines[i] is the line on which rows[i] starts. */
  lines: number[];
  errors: { line: number; message: string }[];
}

export function readCsv(text: string, delimiter = ','): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  const lines: number[] = [];
  const errors: { line: number; message: string }[] = [];
  if (!body.includes('"')) {
    // Fast path: no quoting, so row i starts on line i + 1.
    const result = Papa.parse<string[]>(body, { delimiter, skipEmptyLines: false, quoteChar: '\u0000' });
    result.data.forEach((row, i) => {
      if (row.length === 1 && row[0] === '') return;
      rows.push(row);
      lines.push(i + 1);
    });
  } else {
    let line = 1;
    let lastCursor = 0;
    Papa.parse<string[]>(body, {
      delimiter,
      skipEmptyLines: false,
      step: (result) => {
        const row = result.data;
        const startLine = line;
        const cursor = result.meta.cursor;
        for (let i = lastCursor; i < cursor; i++) if (body.charCodeAt(i) === 10) line++;
        lastCursor = cursor;
        for (const e of result.errors) errors.push({ line: startLine, message: e.message });
        if (row.length === 1 && row[0] === '') return;
        rows.push(row);
        lines.push(startLine);
      },
    });
  }
  const header = (rows.shift() ?? []).map((h) => h.trim());
  lines.shift();
  return { header, rows, lines, errors };
}

// A CSV/TSV file read as a table for the column mapping: the delimiter sniffed, rows with their line numbers.
import type { RowError } from '../model';
import { CsvReader } from './csv-table';
import type { DecodedFile } from './types';

/** A table read from a file: CSV/TSV (one sheet) or one XLSX worksheet. */
export interface TableSheet {
  file: string;
  sheet?: string;
  header: string[];
  rows: string[][];
  /** lines[i]: line (CSV) or worksheet row (XLSX) of rows[i]. */
  lines: number[];
  delimiter?: string;
  errors: RowError[];
}

/** CSV or TSV text to a table: delimiter and quote sniffed by papaparse, BOM dropped, CRLF and quoted newlines handled. */
export function readTable(file: Pick<DecodedFile, 'name' | 'text'>): TableSheet {
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  const delimiter = sniffDelimiter(text.slice(0, 65536));
  const rows: string[][] = [];
  const lines: number[] = [];
  const errors: RowError[] = [];
  const reader = tableReader(
    file.name,
    delimiter,
    (row, line) => {
      rows.push(row);
      lines.push(line);
    },
    errors,
  );
  reader.push(text);
  reader.end();
  const header = (rows.shift() ?? []).map((h) => h.trim());
  lines.shift();
  return { file: file.name, header, rows, lines, delimiter, errors };
}

/** The non-blank rows of a CSV/TSV text pushed in chunks; syntax errors are added to `errors`. */
export function tableReader(name: string, delimiter: string, onRow: (row: string[], line: number) => void, errors: RowError[]): CsvReader {
  return new CsvReader(
    delimiter,
    (row, line) => {
      if (row.length === 1 && (row[0] ?? '').trim() === '') return;
      onRow(row, line);
    },
    (line, message) => errors.push({ file: name, line, message: `CSV syntax: ${message}` }),
  );
}

export function sniffDelimiter(sample: string): string {
  const candidates = [',', '\t', ';', '|'];
  const lines = sample
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  let best = ',';
  let bestScore = -1;
  for (const d of candidates) {
    // Count fields outside quotes per line; a delimiter that splits every line the same way wins.
    const counts = lines.map((l) => {
      let n = 1;
      let q = false;
      for (const ch of l) {
        if (ch === '"') q = !q;
        else if (ch === d && !q) n++;
      }
      return n;
    });
    if (!counts.length || counts[0]! < 2) continue;
    const consistent = counts.filter((c) => c === counts[0]).length;
    const score = consistent * 10 + counts[0]!;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

// The tables the package writes (CSV files and report sheets) are described once as columns and rows of cells.
export type CellValue = string | number | boolean | Date | null;

/**
 * text: always text; general: numbers as numbers, the rest as text; integer: General; decimal: 0.00; percent: 0%;
 * date: yyyy-mm-dd hh:mm:ss (UTC); yes-no: the words Yes / No.
 */
export type ColumnKind = 'text' | 'general' | 'integer' | 'decimal' | 'percent' | 'date' | 'yes-no';

export interface TableColumn {
  header: string;
  kind: ColumnKind;
  /** Character width in the spreadsheet. */
  width: number;
  /** Text that mostly differs from row to row (ids, free text): written inline, not in the shared-string table. */
  distinct?: boolean;
}

/**
 * Rows made one at a time, as they are written: a 100,000-row sheet then never exists as a table of arrays that
 * the garbage collector keeps tracing while the rest of the package is written.
 */
export interface RowSource {
  readonly length: number;
  row(index: number): CellValue[];
}

export interface Table {
  name: string;
  columns: TableColumn[];
  rows: CellValue[][] | RowSource;
}

/**
 * A table whose rows come later than the others (the report's Summary waits for the audit chain's head), with their
 * number known now: the workbook's layout is made first, and the other sheets are written while these rows are
 * awaited.
 */
export interface LateTable {
  name: string;
  columns: TableColumn[];
  rowCount: number;
  rows: Promise<CellValue[][]>;
  /** Written in its place among the tables (its rows awaited there), not after all the others. */
  inPlace?: boolean;
}

/**
 * A table whose rows arrive in runs while it is written (the report's Decisions sheet, read from decisions.json a
 * run at a time), their number known now: never held whole. It must bring exactly `rowCount` rows.
 */
export interface StreamedTable {
  name: string;
  columns: TableColumn[];
  rowCount: number;
  runs: AsyncIterable<RowSource>;
}

export function rowAt(rows: Table['rows'], index: number): CellValue[] {
  return Array.isArray(rows) ? rows[index]! : (rows as RowSource).row(index);
}

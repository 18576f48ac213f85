// The importer's contract: bytes in, model rows and row errors out. Every format is a FormatParser.
import type { RowError, SnapshotData, SourceEvidence } from '../model';
import type { AssignmentColumns } from './assignment-columns';

/** A file as the user gave it. */
export interface ImportFile {
  name: string;
  bytes: Uint8Array;
  /** SHA-256 (hex) of `bytes` when the caller already has it from a native hasher (WebCrypto, node:crypto);
   * otherwise it is computed here in pure JS, which is several times slower on large files. */
  sha256?: string;
}

/** A file decoded to text (BOM and UTF-16 handled), with its evidence digests. */
export interface DecodedFile {
  name: string;
  size: number;
  sha256: string;
  encoding: string;
  text: string;
  /** Parsed JSON (or YAML) when the text is one; undefined otherwise. Formats detect on it without re-parsing. */
  json?: unknown;
}

/**
 * A file the importer reads in chunks (large line-oriented files). `text` holds only its head, enough for
 * detection (at least 65,536 characters when the file is longer); `chunks()` reads the whole text from the start,
 * again on every call. `sha256` is set once a reading has gone to the end.
 */
export interface StreamedFile extends DecodedFile {
  chunks(): AsyncIterable<string>;
}

/** Per-file outcome of a parse. `fatal` means the whole file was rejected (nothing from it is kept). */
export interface FileOutcome {
  file: string;
  rowsRead: number;
  rowsRejected: number;
  errors: RowError[];
  fatal?: RowError;
}

export interface ParsedBatch {
  data: SnapshotData;
  files: FileOutcome[];
  /** With `assignmentColumns` asked for: the batch's assignments as chunks, after any in `data.assignments`. */
  assignmentChunks?: AssignmentColumns[];
  /** Chunks given to `onAssignmentChunk` as they were written (before those in `assignmentChunks`). */
  assignmentsHandedOut?: { chunks: number; rows: number };
}

export interface ParseContext {
  /** Called now and then with rows parsed so far in the current file. */
  onRows?: (file: string, rows: number) => void;
  isCancelled?: () => boolean;
  /** Parsers that can write assignments straight into chunks do (ParsedBatch.assignmentChunks): no object per row. */
  assignmentColumns?: boolean;
  /**
   * With `assignmentColumns`: each chunk once complete, numbered from 0, given away instead of kept (the app stores
   * it while the rest is parsed). importSources passes it on only when nothing merges the chunks afterwards (one
   * format among the files); a new attempt (another encoding) numbers its chunks from 0 again.
   */
  onAssignmentChunk?: (chunk: AssignmentColumns, index: number) => void;
}

export interface FormatParser {
  /** Stable id, e.g. "workbench-csv", "ldif", "scim", "aws-credential-report". */
  id: string;
  label: string;
  /** Version of the format this parser reads (e.g. "1", "RFC 2849"). */
  formatVersion: string;
  parserVersion: string;
  /** Why this file is in this format, in words; null when it is not. */
  detect(file: DecodedFile): string | null;
  /** Parse every file detected as this format in one import (some formats span several files). */
  parse(files: DecodedFile[], ctx: ParseContext): ParsedBatch;
  /**
   * The same parse over files read in chunks, for line-oriented formats: the same result as `parse` on the whole
   * texts, without the whole text or all its rows in memory at once. Formats without it get their files whole.
   */
  parseStream?(files: StreamedFile[], ctx: ParseContext): Promise<ParsedBatch>;
}

export interface DetectedFile {
  file: DecodedFile;
  parser: FormatParser;
  reason: string;
}

export interface ImportOptions extends ParseContext {
  now?: () => Date;
  /** Formats tried before the built-in ones, e.g. `mappedFormat(preset)` for CSV/TSV read through a saved column mapping. */
  formats?: FormatParser[];
  /** SQLite engine for Baton .c1z files (sql.js, started by the shell: WebAssembly in the import worker, or in Node). */
  sqlite?: SqliteEngine;
  /** Largest decompressed Baton database accepted (bytes); C1Z_MAX_DATABASE_BYTES by default. */
  c1zMaxBytes?: number;
  /** Progress over the whole import: bytes decoded and rows parsed so far. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'decode' | 'detect' | 'parse' | 'merge';
  file?: string;
  bytesDone: number;
  bytesTotal: number;
  rows: number;
}

/** Result of importing a set of files into one snapshot. Rows with errors are not in `data`. */
export interface ImportOutcome {
  data: SnapshotData;
  sources: SourceEvidence[];
  files: FileOutcome[];
  /** Files refused as a whole (not identity data, unreadable, unknown format). */
  refused: RowError[];
  /** How identities from several sources were merged, for the user to see. */
  correlation: CorrelationSummary;
  /** With `assignmentColumns`: the assignments as chunks, after any in `data.assignments`. */
  assignmentChunks?: AssignmentColumns[];
  /** The chunks given to `onAssignmentChunk` (they come before `assignmentChunks`). */
  assignmentsHandedOut?: { chunks: number; rows: number };
}

export interface CorrelationSummary {
  merged: { identityId: string; from: string[]; reason: string }[];
  ambiguous: { candidates: string[]; reason: string }[];
}

/** A SQLite engine (sql.js) handed to the Baton importer: in the browser it starts in the import worker, only when needed. */
export interface SqliteStatement {
  step(): boolean;
  get(): unknown[];
  free(): void;
}
export interface SqliteDatabase {
  exec(sql: string): { columns: string[]; values: unknown[][] }[];
  prepare(sql: string): SqliteStatement;
  close(): void;
}
export interface SqliteEngine {
  open(bytes: Uint8Array): SqliteDatabase;
}

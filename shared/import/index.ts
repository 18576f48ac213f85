// Import a set of files into one snapshot: decode, detect, parse, merge, and keep the evidence.
// Two readings give the same outcome: importFiles takes whole files in memory; importSources reads files in chunks
// and streams the large line-oriented ones through their parser (see docs/import-formats.md, "Large files").
import { CancelledError } from '../model';
import { expandGrantPaths } from './grant-paths';
import { emptySnapshotData, type RowError, type SnapshotData, type SourceEvidence } from '../model';
import { mergeSnapshotData, mergesAsIs } from './merge';
import { decodeAssignments } from './assignment-columns';
import type { TableSheet } from './mapping-table';
import { decodedFromText, decodeFile } from './decode';
import { FORMATS } from './registry';
import { batonC1z, c1zVersion, parseC1z } from './formats/baton';
import { sha256Hex } from '../codec';
import { EncodingFallback, TextReading, UnreadableText, type ByteSource } from './chunked-text';
import {
  type DecodedFile,
  type DetectedFile,
  type FormatParser,
  type ImportFile,
  type ImportOptions,
  type ImportOutcome,
  type ParseContext,
  type ParsedBatch,
  type StreamedFile,
} from './types';

export * from './types';
export { decodeFile, decodeText, baseName } from './decode';
export { FORMATS } from './registry';
export { bytesSource, digestSource, type ByteSource } from './chunked-text';
export * from './mapping';
export * from './mapping-fields';
export * from './mapping-table';
export * from './mapping-values';
export * from './resolutions';
export { mergeSnapshotData } from './merge';
export * from './admission';
export * from './assignment-columns';
export { expandGrantPaths, findGrantCycles, type GrantExpansion } from './grant-paths';
export { c1zVersion, type SqliteEngine } from './formats/baton';
/** readXlsx, loaded on demand: exceljs is large, so it is split off and loaded only when a workbook is read. */
export async function loadXlsxReader(): Promise<(name: string, bytes: Uint8Array) => Promise<TableSheet[]>> {
  return (await import('./xlsx-table')).readXlsx;
}

const UNKNOWN_FORMAT =
  'not a known identity-data format (workbench CSV, LDIF, SCIM, AWS, Entra ID, Okta, Google Cloud IAM, Kubernetes RBAC, Baton .c1z and baton CLI JSON); use the column-mapping step for other tables';

/** Bytes read for format detection. Decoded, at least 65,536 characters: every detector looks at no more. */
export const HEAD_BYTES = 256 * 1024;
/** Files whose format is read whole (JSON, YAML) are refused above this size. */
export const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;

export function detectFormat(file: DecodedFile, formats: FormatParser[] = FORMATS): DetectedFile | null {
  for (const parser of formats) {
    const reason = parser.detect(file);
    if (reason) return { file, parser, reason };
  }
  return null;
}

export function importFiles(files: ImportFile[], options: ImportOptions = {}): ImportOutcome {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const progress: Progress = { bytesDone: 0, bytesTotal: files.reduce((s, f) => s + f.bytes.byteLength, 0), rows: 0 };
  const refused: RowError[] = [];
  const detected: DetectedFile[] = [];
  const binary: ImportFile[] = [];
  for (const file of files) {
    options.onProgress?.({ phase: 'decode', file: file.name, ...progress });
    if (c1zVersion(file.bytes)) {
      binary.push(file);
      progress.bytesDone += file.bytes.byteLength;
      continue;
    }
    let decoded: DecodedFile;
    try {
      decoded = decodeFile(file);
    } catch (error) {
      refused.push(unreadable(file.name, error instanceof Error ? error.message : String(error)));
      continue;
    }
    progress.bytesDone += file.bytes.byteLength;
    const d = detectFormat(decoded, formatsOf(options));
    if (!d) {
      refused.push({ file: file.name, line: 0, message: UNKNOWN_FORMAT });
      continue;
    }
    detected.push(d);
  }
  const groups: ParsedGroup[] = [];
  for (const [parser, group] of groupByParser(detected)) {
    const batch = parser.parse(
      group.map((g) => g.file),
      parseContext(options, progress),
    );
    groups.push({ parser, group, batch });
    progress.rows += batch.files.reduce((s, o) => s + o.rowsRead, 0);
  }
  for (const file of binary) groups.push(binaryGroup(file.name, file.bytes, file.sha256, options));
  return assemble(groups, refused, progress, options, now);
}

/** A Baton .c1z, read from its bytes (never decoded as text). */
function binaryGroup(name: string, bytes: Uint8Array, sha256: string | undefined, options: ImportOptions): ParsedGroup {
  if (options.isCancelled?.()) throw new CancelledError();
  const { batch, reason } = parseC1z(name, bytes, { sqlite: options.sqlite, maxDatabaseBytes: options.c1zMaxBytes });
  options.onRows?.(name, batch.files[0]!.rowsRead);
  const file: DecodedFile = { name, size: bytes.byteLength, sha256: sha256 ?? sha256Hex(bytes), encoding: 'binary', text: '' };
  return { parser: batonC1z, group: [{ file, parser: batonC1z, reason }], batch };
}

export interface SourceImportOptions extends ImportOptions {
  /** Override WHOLE_FILE_LIMIT (tests). */
  wholeFileLimit?: number;
  /**
   * The SHA-256 of a streamed file computed elsewhere (the app's digest thread, on the other core) while it is
   * parsed here; null when it cannot, and the file is then digested here after its parse.
   */
  digest?: (source: ByteSource) => Promise<string | null>;
}

/**
 * importFiles over files read in chunks. A file is detected on its head; large files of a line-oriented format
 * (a parser with parseStream) are streamed through it, the others are read whole (up to WHOLE_FILE_LIMIT).
 * The outcome is the same as importFiles on the same bytes.
 */
export async function importSources(sources: ByteSource[], options: SourceImportOptions = {}): Promise<ImportOutcome> {
  const legacy = new Set<string>();
  const unreadableFiles = new Map<string, string>();
  // One digest per file, whatever the attempts (the bytes do not change with the encoding they are read in).
  const digests = new Map<string, Promise<string | null>>();
  const digestOf = options.digest
    ? (source: ByteSource) => {
        let d = digests.get(source.name);
        if (!d) digests.set(source.name, (d = options.digest!(source).catch(() => null)));
        return d;
      }
    : undefined;
  for (;;) {
    try {
      return await importSourcesOnce(sources, options, legacy, unreadableFiles, digestOf);
    } catch (error) {
      // Found only part-way through a file: start over (nothing is kept between attempts), reading that file as
      // Windows-1252 or refusing it, exactly as the whole-file decoder would have from the start.
      if (error instanceof EncodingFallback && !legacy.has(error.file)) legacy.add(error.file);
      else if (error instanceof UnreadableText && !unreadableFiles.has(error.file)) unreadableFiles.set(error.file, error.message);
      else throw error;
    }
  }
}

async function importSourcesOnce(
  sources: ByteSource[],
  options: SourceImportOptions,
  legacy: Set<string>,
  unreadableFiles: Map<string, string>,
  digestOf: ((source: ByteSource) => Promise<string | null>) | undefined,
): Promise<ImportOutcome> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const progress: Progress = { bytesDone: 0, bytesTotal: sources.reduce((s, f) => s + f.size, 0), rows: 0 };
  const limit = options.wholeFileLimit ?? WHOLE_FILE_LIMIT;
  const check = () => {
    if (options.isCancelled?.()) throw new CancelledError();
  };
  const refused: RowError[] = [];
  const detected: DetectedFile[] = [];
  const binaryGroups: ParsedGroup[] = [];
  /** Bytes of streamed files, counted while their parser reads them. */
  let streamedBase = 0;
  for (const source of sources) {
    check();
    options.onProgress?.({ phase: 'decode', file: source.name, ...progress });
    const failed = unreadableFiles.get(source.name);
    if (failed !== undefined) {
      refused.push(unreadable(source.name, failed));
      continue;
    }
    if (await isC1zSource(source)) {
      if (source.size > limit) {
        refused.push(tooLarge(source, limit));
        continue;
      }
      binaryGroups.push(binaryGroup(source.name, await readBytes(source), undefined, options));
      progress.bytesDone += source.size;
      continue;
    }
    const isLegacy = legacy.has(source.name);
    const head = await readAll(new TextReading(source, { legacy: isLegacy, check, limit: HEAD_BYTES }));
    let d: DetectedFile | null;
    if (source.size <= HEAD_BYTES || /^\s*[[{]/.test(head.text)) {
      // Small files and JSON are read whole, as importFiles does.
      if (source.size > limit) {
        refused.push(tooLarge(source, limit));
        continue;
      }
      const whole = source.size <= HEAD_BYTES ? head : await readAll(new TextReading(source, { legacy: isLegacy, check }));
      d = detectFormat(decodedText(source, whole.text, whole.encoding, whole.sha256!), formatsOf(options));
      progress.bytesDone += source.size;
    } else {
      const headFile: DecodedFile = { name: source.name, size: source.size, sha256: '', encoding: head.encoding, text: head.text };
      d = detectFormat(headFile, formatsOf(options));
      if (d && !d.parser.parseStream) {
        if (source.size > limit) {
          refused.push(tooLarge(source, limit));
          continue;
        }
        const whole = await readAll(new TextReading(source, { legacy: isLegacy, check }));
        d = detectFormat(decodedText(source, whole.text, whole.encoding, whole.sha256!), formatsOf(options));
        progress.bytesDone += source.size;
      } else if (d) {
        const file = streamedFile(
          headFile,
          source,
          isLegacy,
          check,
          (bytes) => {
            progress.bytesDone = Math.min(progress.bytesTotal, streamedBase + bytes);
            options.onProgress?.({ phase: 'parse', file: source.name, ...progress });
          },
          digestOf?.(source),
        );
        d = { ...d, file };
      }
    }
    if (!d) {
      refused.push({ file: source.name, line: 0, message: UNKNOWN_FORMAT });
      continue;
    }
    detected.push(d);
  }
  streamedBase = progress.bytesDone;
  const groups: ParsedGroup[] = [];
  const byParser = groupByParser(detected);
  // Chunks can leave as they are written only when nothing merges them with other parts afterwards.
  const handOut = byParser.size === 1 && !binaryGroups.length;
  for (const [parser, group] of byParser) {
    const files = group.map((g) => g.file);
    const ctx = parseContext(options, progress, handOut);
    const batch = parser.parseStream ? await parser.parseStream(files.map(asStreamed), ctx) : parser.parse(files, ctx);
    groups.push({ parser, group, batch });
    progress.rows += batch.files.reduce((s, o) => s + o.rowsRead, 0);
    streamedBase = progress.bytesDone;
  }
  // Evidence needs the digest of every file kept; a parser that stopped reading early leaves it to be finished here.
  for (const { group, batch } of groups) {
    for (const g of group) {
      if (g.file.sha256 || batch.files.some((o) => o.file === g.file.name && o.fatal)) continue;
      const reading = new TextReading(sourceOf(sources, g.file.name), { legacy: legacy.has(g.file.name), check });
      await readAll(reading);
      g.file.sha256 = reading.sha256!;
    }
  }
  groups.push(...binaryGroups);
  return assemble(groups, refused, progress, options, now);
}

async function isC1zSource(source: ByteSource): Promise<boolean> {
  for await (const chunk of source.read(8)) return c1zVersion(chunk) !== null;
  return false;
}

async function readBytes(source: ByteSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source.read()) {
    parts.push(chunk);
    size += chunk.byteLength;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function sourceOf(sources: ByteSource[], name: string): ByteSource {
  return sources.find((s) => s.name === name)!;
}

async function readAll(reading: TextReading): Promise<{ text: string; encoding: string; sha256: string | undefined }> {
  const parts: string[] = [];
  for await (const chunk of reading) parts.push(chunk);
  return { text: parts.join(''), encoding: reading.encoding, sha256: reading.sha256 };
}

/** decodeFile's result from text already decoded. */
function decodedText(source: ByteSource, text: string, encoding: string, sha256: string): DecodedFile {
  return decodedFromText({ name: source.name, size: source.size, sha256, encoding, text });
}

/** A file whose whole text is read anew, chunk by chunk, each time its parser asks; the digest comes with the first full reading. */
function streamedFile(
  head: DecodedFile,
  source: ByteSource,
  legacy: boolean,
  check: () => void,
  onBytes: (bytes: number) => void,
  digest?: Promise<string | null>,
): StreamedFile {
  const file: StreamedFile = {
    ...head,
    async *chunks() {
      const reading = new TextReading(source, { legacy, check, onBytes, noDigest: digest !== undefined });
      yield* reading;
      // No digest from elsewhere: left empty, the file is digested here once parsed (see importSourcesOnce).
      file.sha256 = reading.sha256 ?? (await digest) ?? '';
      file.encoding = reading.encoding;
    },
  };
  return file;
}

/** A file held whole, for parseStream: its text is the one chunk. */
function asStreamed(file: DecodedFile): StreamedFile {
  if ('chunks' in file) return file as StreamedFile;
  return Object.assign(file, {
    async *chunks() {
      yield file.text;
    },
  });
}

function tooLarge(source: ByteSource, limit: number): RowError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
  return {
    file: source.name,
    line: 0,
    message: `${source.name} is ${mib(source.size)}: files in this format (JSON, YAML) are read whole, up to ${mib(limit)}; split the export into smaller files`,
  };
}

function unreadable(file: string, message: string): RowError {
  return { file, line: 0, message: `cannot read the file as text: ${message}` };
}

function formatsOf(options: ImportOptions): FormatParser[] {
  return options.formats?.length ? [...options.formats, ...FORMATS] : FORMATS;
}

function groupByParser(detected: DetectedFile[]): Map<FormatParser, DetectedFile[]> {
  const byParser = new Map<FormatParser, DetectedFile[]>();
  for (const d of detected) byParser.set(d.parser, [...(byParser.get(d.parser) ?? []), d]);
  return byParser;
}

interface Progress {
  bytesDone: number;
  bytesTotal: number;
  rows: number;
}

interface ParsedGroup {
  parser: FormatParser;
  group: DetectedFile[];
  batch: ParsedBatch;
}

function parseContext(options: ImportOptions, progress: Progress, handOut = false): ParseContext {
  return {
    isCancelled: options.isCancelled,
    assignmentColumns: options.assignmentColumns,
    ...(handOut && options.onAssignmentChunk ? { onAssignmentChunk: options.onAssignmentChunk } : {}),
    onRows: (file, n) => {
      options.onRows?.(file, n);
      options.onProgress?.({
        phase: 'parse',
        file,
        bytesDone: progress.bytesDone,
        bytesTotal: progress.bytesTotal,
        rows: progress.rows + n,
      });
    },
  };
}

/** Evidence for every file kept, refusals, and the merged snapshot: the same for both readings. */
function assemble(groups: ParsedGroup[], refused: RowError[], progress: Progress, options: ImportOptions, now: string): ImportOutcome {
  const parts: SnapshotData[] = [];
  const sources: SourceEvidence[] = [];
  const outcomes: ImportOutcome['files'] = [];
  for (const { parser, group, batch } of groups) {
    parts.push(batch.data);
    for (const outcome of batch.files) {
      outcomes.push(outcome);
      const d = group.find((g) => g.file.name === outcome.file);
      if (outcome.fatal) {
        refused.push(outcome.fatal);
        continue;
      }
      if (!d) continue;
      sources.push({
        file: d.file.name,
        size: d.file.size,
        sha256: d.file.sha256,
        format: parser.id,
        formatVersion: parser.formatVersion,
        formatReason: d.reason,
        parser: `${parser.id}-parser`,
        parserVersion: parser.parserVersion,
        rowsRead: outcome.rowsRead,
        rowsStored: outcome.rowsRead - outcome.rowsRejected,
        rowsRejected: outcome.rowsRejected,
        importedAt: now,
      });
    }
  }
  options.onProgress?.({ phase: 'merge', ...progress });
  // Assignment chunks go through as they are when nothing re-points or expands them; otherwise they become rows.
  const chunked = groups.filter((g) => g.batch.assignmentChunks);
  const asIs = chunked.length === 1 && mergesAsIs(parts) && !parts[0]!.links?.length && !parts[0]!.assignments.length;
  // Chunks already given away cannot be merged: importSourcesOnce hands them out only where this cannot happen.
  if (!asIs && chunked.some((g) => g.batch.assignmentsHandedOut?.chunks))
    throw new Error('internal: assignment chunks were handed out, but the import merges them with other parts');
  if (!asIs) for (const { batch } of chunked) for (const c of batch.assignmentChunks!) decodeAssignments(c, batch.data.assignments);
  const merged = parts.length ? mergeSnapshotData(parts) : { data: emptySnapshotData(), correlation: { merged: [], ambiguous: [] } };
  const outcome: ImportOutcome = {
    data: withEffectiveAccess(merged.data),
    sources,
    files: outcomes,
    refused,
    correlation: merged.correlation,
  };
  if (asIs) {
    const { assignmentChunks, assignmentsHandedOut } = chunked[0]!.batch;
    outcome.assignmentChunks = assignmentChunks;
    if (assignmentsHandedOut) outcome.assignmentsHandedOut = assignmentsHandedOut;
  }
  return outcome;
}

/** Direct grants plus inherited ones with their paths, once all files are merged (nesting may span files). */
function withEffectiveAccess(data: SnapshotData): SnapshotData {
  if (!data.links?.length) return data;
  const { assignments, cycles } = expandGrantPaths(data.assignments, data.links);
  const out: SnapshotData = { ...data, assignments };
  if (cycles.length) out.cycles = cycles;
  return out;
}

// An import's reading, parsing and report, without the database: the import worker runs it (import.worker.ts)
// and hands the backend what to store; the backend stores it as a snapshot in one transaction.
import { isC1zBlob, workerSqliteEngine } from './sqlite-engine';
import {
  importSources,
  loadXlsxReader,
  WHOLE_FILE_LIMIT,
  type AmbiguousMatch,
  type ByteSource,
  type ImportOutcome,
  type ParsedBatch,
} from '../../shared/import';
import { blobSource } from './blob-source';
import { startImportDigestThread } from './import-digest';
import { applyMapping, mappedEvidence, mappedFormat, type MappingPreset, type TableSheet } from '../../shared/import';
import {
  assignmentChunkRows,
  decodeAssignments,
  encodeAssignmentChunks,
  mergeSnapshotData,
  type AssignmentColumns,
} from '../../shared/import';
import type { RowError, SnapshotData, SourceEvidence } from '../../shared/model';
import type { TaskProgress } from './progress';

export interface ImportTaskFile {
  name: string;
  blob: Blob;
}

export interface ImportTaskArgs {
  files: ImportTaskFile[];
  name: string;
  /** Store the good rows even though some rows or files were rejected. */
  acceptRejected: boolean;
  /** Saved column mappings: a table whose header matches one is imported through it. */
  presets?: MappingPreset[];
  /** XLSX workbooks: which sheet, through which mapping. */
  sheets?: { file: string; sheet: string; preset: MappingPreset }[];
}

export interface ImportFileReport {
  file: string;
  size: number;
  sha256?: string;
  format?: string;
  formatReason?: string;
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  errors: RowError[];
  refused?: string;
}

export interface ImportTaskResult {
  status: 'stored' | 'needs-decision' | 'refused';
  snapshotId?: string;
  files: ImportFileReport[];
  totals: { identities: number; entitlements: number; assignments: number; credentials: number };
  correlation: { merged: number; ambiguous: number; examples: string[] };
  /** Identities by class, and the first few with the reason for their class. */
  classes: Record<string, number>;
  preview: { id: string; displayName: string; type: string; typeReason: string; status: string; sources: string[] }[];
  seconds: number;
  /** Where the seconds went: reading and parsing (with the hand-over to the backend), then storing. */
  phases?: { parseSeconds: number; storeSeconds: number };
  /** Nesting cycles found (each by group names, in cycle order), reported and not followed; the first few and the count. */
  cycles?: { count: number; shown: string[][] };
}

const CYCLES_SHOWN = 10;

/** The nesting cycles by group names (a ring closes on its first group), for the import report. */
function cyclesReport(
  cycles: string[][] | undefined,
  entitlements: readonly { id: string; name: string }[],
): Pick<ImportTaskResult, 'cycles'> {
  if (!cycles?.length) return {};
  const names = new Map(entitlements.map((e) => [e.id, e.name]));
  const shown = cycles.slice(0, CYCLES_SHOWN).map((c) => [...c, c[0]!].map((id) => names.get(id) ?? id));
  return { cycles: { count: cycles.length, shown } };
}

/**
 * What the backend stores for an import it may store: the data, its evidence, the ambiguous matches. The
 * assignments come as encoded chunks (`data.assignments` is empty): typed arrays the worker moves to the backend,
 * where millions of objects would be copied one by one.
 */
export interface ParsedImport {
  status: 'refused' | 'needs-decision' | 'storable';
  report: Omit<ImportTaskResult, 'status' | 'snapshotId' | 'seconds'>;
  store?: {
    data: SnapshotData;
    assignmentChunks: AssignmentColumns[];
    /** Chunks already given to `ParseHooks.assignmentChunk` (numbered before `assignmentChunks`). */
    handedOut?: { chunks: number; rows: number };
    sources: SourceEvidence[];
    ambiguities: AmbiguousMatch[];
  };
}

export interface ParseHooks {
  progress(p: TaskProgress): void;
  isCancelled(): boolean;
  /**
   * Each assignment chunk as soon as it is complete, for the backend to store while the rest is parsed (see
   * ImportOptions.onAssignmentChunk: not every import hands its chunks out; a new attempt numbers from 0 again).
   */
  assignmentChunk?(chunk: AssignmentColumns, index: number): void;
}

const MAX_ERRORS_PER_FILE = 200;
/** Files above this size are digested on the digest thread (below it, starting one costs more than it saves). */
const DIGEST_THREAD_FROM = 16 * 1024 * 1024;

/** Reads and parses an import's files (and the chosen workbook sheets) and reports on them; stores nothing. */
export async function parseImport(args: ImportTaskArgs, hooks: ParseHooks): Promise<ParsedImport> {
  const bytesTotal = args.files.reduce((s, f) => s + f.blob.size, 0);
  const sheetFiles = new Set((args.sheets ?? []).map((x) => x.file));
  const importedAt = new Date().toISOString();
  const sheetBatches: { batch: ParsedBatch; evidence: SourceEvidence }[] = [];
  for (const choice of args.sheets ?? []) {
    const file = args.files.find((f) => f.name === choice.file);
    if (!file) continue;
    // A workbook is a zip: read whole (bounded), digested with the platform's native SHA-256.
    if (file.blob.size > WHOLE_FILE_LIMIT)
      throw new Error(
        `${file.name} is ${(file.blob.size / 1024 / 1024).toFixed(0)} MiB: workbooks are read whole, up to ${WHOLE_FILE_LIMIT / 1024 / 1024} MiB; save the sheet as CSV instead`,
      );
    hooks.progress({
      label: `Reading ${file.name} (${choice.sheet})`,
      labelKey: 'progress.readingSheet',
      labelValues: { file: file.name, sheet: choice.sheet },
      done: 0,
      total: bytesTotal,
      unit: 'bytes',
    });
    const bytes = new Uint8Array(await file.blob.arrayBuffer());
    const sha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource)));
    const readXlsx = await loadXlsxReader();
    const table = (await readXlsx(file.name, bytes)).find((t) => t.sheet === choice.sheet);
    if (!table) throw new Error(`${file.name}: no sheet named "${choice.sheet}"`);
    const batch = applyMapping(table, choice.preset.mapping, { isCancelled: hooks.isCancelled });
    sheetBatches.push({
      batch,
      evidence: mappedEvidence({ name: file.name, size: bytes.byteLength, sha256 }, table, choice.preset, batch, importedAt),
    });
  }
  // Every other file is read in chunks from its Blob: large CSV and LDIF stream through their parser.
  const others = args.files.filter((f) => !sheetFiles.has(f.name));
  // Baton .c1z files need SQLite (WebAssembly), started here only when one is among the files.
  const needsSqlite = (await Promise.all(others.map((f) => isC1zBlob(f.blob)))).some(Boolean);
  // Large files are digested on a thread of their own while they are parsed here.
  const digests = others.some((f) => f.blob.size > DIGEST_THREAD_FROM) ? await startImportDigestThread() : null;
  const blobs = new Map(others.map((f) => [f.name, f.blob]));
  const parsed = await importSources(
    others.map((f) => blobSource(f.name, f.blob)),
    {
      ...(digests ? { digest: (source: ByteSource) => digests.digest(source.name, blobs.get(source.name)!) } : {}),
      sqlite: needsSqlite ? await workerSqliteEngine() : undefined,
      formats: (args.presets ?? []).map(mappedFormat),
      isCancelled: hooks.isCancelled,
      assignmentColumns: true,
      ...(hooks.assignmentChunk && !sheetBatches.length ? { onAssignmentChunk: hooks.assignmentChunk } : {}),
      onProgress: (p) =>
        hooks.progress({
          label: p.phase === 'parse' ? `Parsing ${p.file ?? ''}` : p.phase === 'decode' ? `Reading ${p.file ?? ''}` : 'Merging sources',
          labelKey: p.phase === 'parse' ? 'progress.parsing' : p.phase === 'decode' ? 'progress.reading' : 'progress.merging',
          labelValues: { file: p.file ?? '' },
          done: p.bytesDone,
          total: bytesTotal,
          unit: 'bytes',
          rows: p.rows,
        }),
    },
  ).finally(() => digests?.close());
  const outcome = withSheets(parsed, sheetBatches);
  const handedOut = outcome.assignmentsHandedOut;
  const chunked = (outcome.assignmentChunks ? assignmentChunkRows(outcome.assignmentChunks) : 0) + (handedOut?.rows ?? 0);
  const reports: ImportFileReport[] = args.files.map((f) => {
    const src: SourceEvidence | undefined = outcome.sources.find((s) => s.file === f.name);
    const fo = outcome.files.find((o) => o.file === f.name);
    const refused = outcome.refused.find((r) => r.file === f.name);
    return {
      file: f.name,
      size: f.blob.size,
      sha256: src?.sha256,
      format: src?.format,
      formatReason: src?.formatReason,
      rowsRead: fo?.rowsRead ?? 0,
      rowsStored: src?.rowsStored ?? 0,
      rowsRejected: fo?.rowsRejected ?? 0,
      errors: (fo?.errors ?? []).slice(0, MAX_ERRORS_PER_FILE),
      ...(refused ? { refused: refused.line ? `line ${refused.line}: ${refused.message}` : refused.message } : {}),
    };
  });
  const d = outcome.data;
  const totals = {
    identities: d.identities.length,
    entitlements: d.entitlements.length,
    assignments: d.assignments.length + chunked,
    credentials: d.credentials.length,
  };
  const correlation = {
    merged: outcome.correlation.merged.length,
    ambiguous: outcome.correlation.ambiguous.length,
    examples: [
      ...outcome.correlation.merged.slice(0, 5).map((m) => `${m.identityId}: ${m.reason}`),
      ...outcome.correlation.ambiguous.slice(0, 5).map((a) => `ambiguous: ${a.candidates.join(' / ')} (${a.reason})`),
    ],
  };
  const classes: Record<string, number> = {};
  for (const i of d.identities) classes[i.type] = (classes[i.type] ?? 0) + 1;
  const preview = d.identities.slice(0, 40).map((i) => ({
    id: i.id,
    displayName: i.displayName,
    type: i.type,
    typeReason: i.typeReason ?? '',
    status: i.status,
    sources: i.sources ?? [],
  }));
  const cycles = cyclesReport(d.cycles, d.entitlements);
  const hasRejections = outcome.refused.length > 0 || outcome.files.some((f) => f.rowsRejected > 0 || f.errors.length > 0);
  const report = { files: reports, totals, correlation, classes, preview, ...cycles };
  if (totals.identities === 0) return { status: 'refused', report };
  if (hasRejections && !args.acceptRejected) return { status: 'needs-decision', report };
  const assignmentChunks = outcome.assignmentChunks ?? encodeAssignmentChunks(d.assignments);
  return {
    status: 'storable',
    report,
    store: {
      data: { ...d, assignments: [] },
      assignmentChunks,
      ...(handedOut ? { handedOut } : {}),
      sources: outcome.sources,
      ambiguities: outcome.correlation.ambiguous,
    },
  };
}

/** The column-mapping step's workbook, read off the UI thread (exceljs and a hostile workbook stay away from it). */
export async function readWorkbook(args: { name: string; bytes: Uint8Array }, hooks: ParseHooks): Promise<TableSheet[]> {
  hooks.progress({
    label: `Reading ${args.name}`,
    labelKey: 'progress.reading',
    labelValues: { file: args.name },
    done: 0,
    total: 1,
    unit: 'files',
  });
  const readXlsx = await loadXlsxReader();
  return readXlsx(args.name, args.bytes);
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Adds tables imported through a mapping outside importFiles (XLSX sheets) to an import's outcome. */
function withSheets(outcome: ImportOutcome, sheets: { batch: ParsedBatch; evidence: SourceEvidence }[]): ImportOutcome {
  if (!sheets.length) return outcome;
  // Chunks stand after the rows; merging needs them as rows.
  for (const c of outcome.assignmentChunks ?? []) decodeAssignments(c, outcome.data.assignments);
  const merged = mergeSnapshotData([outcome.data, ...sheets.map((s) => s.batch.data)]);
  const { assignmentChunks: _decoded, ...rest } = outcome;
  return {
    ...rest,
    data: merged.data,
    sources: [...outcome.sources, ...sheets.map((s) => s.evidence)],
    files: [...outcome.files, ...sheets.flatMap((s) => s.batch.files)],
    correlation: {
      merged: [...outcome.correlation.merged, ...merged.correlation.merged],
      ambiguous: [...outcome.correlation.ambiguous, ...merged.correlation.ambiguous],
    },
  };
}

// Any CSV / TSV / XLSX table through a column mapping: the user maps columns to identity, entitlement and
// assignment fields once, previews the first rows as they will be stored, and saves the mapping as a preset
// offered again for files with the same header. Built for one-row-per-membership exports
// (user, group, last login, ...), which are what most applications can produce.
//
// Flow for the app:  tables = readTables(file) | await readXlsx(name, bytes)   (choose the sheet; xlsx-table.ts)
//                    preset = findPreset(table.header, presets) ?? suggestMapping(table.header)
//                    previewMapping(table, mapping, 20)   ->  show rows as stored, with their errors
//                    applyMapping(table, mapping)          ->  ParsedBatch (same shape as every format)
//                    presetFor(name, table.header, mapping) -> save it
import { CancelledError } from '../model';
import type { Assignment, Entitlement, Identity, IdentityType, Privilege, RowError, SourceEvidence } from '../model';
import { classifyByName } from './classify';
import { baseName } from './decode';
import { SnapshotBuilder } from './formats/common';
import { headerSignature, type ColumnMapping, type MappingField, type MappingPreset } from './mapping-fields';
import { readTable, sniffDelimiter, tableReader, type TableSheet } from './mapping-table';
import { PRIVILEGE_WORDS, readDate, STATUS_WORDS, TYPE_WORDS } from './mapping-values';
import { type FileOutcome, type FormatParser, type ParseContext, type ParsedBatch, type StreamedFile } from './types';

/** applyMapping over a CSV/TSV file read in chunks: rows are mapped batch by batch, never all held at once. */
export async function applyMappingStream(file: StreamedFile, mapping: ColumnMapping, ctx: ParseContext = {}): Promise<ParsedBatch> {
  // The delimiter is sniffed on the head, as readTable sniffs it on the first 65,536 characters.
  const head = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  const delimiter = sniffDelimiter(head.slice(0, 65536));
  const errors: RowError[] = [];
  let run: MappingRun | null = null;
  let rows: string[][] = [];
  let lines: number[] = [];
  const flush = () => {
    run!.rows(rows, lines);
    rows = [];
    lines = [];
  };
  const reader = tableReader(
    file.name,
    delimiter,
    (row, line) => {
      if (!run) {
        run = mappingRun({ file: file.name, header: row.map((h) => h.trim()), rows: [], lines: [], delimiter, errors: [] }, mapping, ctx);
        return;
      }
      rows.push(row);
      lines.push(line);
      if (rows.length >= 4096) flush();
    },
    errors,
  );
  for await (const chunk of file.chunks()) reader.push(chunk);
  reader.end();
  run ??= mappingRun({ file: file.name, header: [], rows: [], lines: [], delimiter, errors: [] }, mapping, ctx);
  flush();
  return run.end(errors);
}

export interface PreviewRow {
  line: number;
  identity?: Identity;
  entitlement?: Entitlement;
  assignment?: Assignment;
  errors: RowError[];
}

interface RowResult {
  identity?: Identity;
  entitlement?: Entitlement;
  assignment?: Assignment;
  errors: RowError[];
}

function mapRow(table: TableSheet, index: Map<string, number>, mapping: ColumnMapping, r: number): RowResult {
  const row = table.rows[r]!;
  const line = table.lines[r]!;
  const file = table.sheet ? `${table.file} [${table.sheet}]` : table.file;
  const errors: RowError[] = [];
  const err = (field: MappingField, message: string) =>
    errors.push({
      file,
      line,
      column: (index.get(mapping.columns[field] ?? '') ?? -1) + 1 || undefined,
      field: mapping.columns[field] ?? field,
      message,
    });
  const get = (f: MappingField) => {
    const col = mapping.columns[f];
    if (!col) return '';
    const i = index.get(col);
    return i === undefined ? '' : (row[i] ?? '').trim();
  };
  const date = (f: MappingField) => {
    const v = get(f);
    const d = readDate(v, mapping.dateOrder);
    if (d === null) {
      err(f, `${mapping.columns[f]} "${v}" is not a date (expected e.g. 2026-03-01, 03/01/2026 or 01.03.2026)`);
      return undefined;
    }
    return d;
  };
  const id = get('identityId') || get('login') || get('email') || get('employeeId');
  if (!id) {
    errors.push({
      file,
      line,
      field: mapping.columns.identityId ?? 'identityId',
      message: 'no identity on this row (the identity id, login, e-mail and employee id columns are all empty or unmapped)',
    });
    return { errors };
  }
  const typeText = get('type').toLowerCase();
  let type: IdentityType;
  let typeReason: string;
  if (typeText) {
    const t = TYPE_WORDS[typeText];
    if (!t) {
      err(
        'type',
        `${mapping.columns.type} "${get('type')}" is not one of human, service, workload, agent (or user, employee, service account, machine, bot...)`,
      );
      return { errors };
    }
    type = t;
    typeReason = `column "${mapping.columns.type}" says "${get('type')}"`;
  } else if (mapping.defaults?.type) {
    type = mapping.defaults.type;
    typeReason = 'class chosen for the whole file in the column mapping';
  } else {
    const c = classifyByName(`row of ${baseName(table.file)} (human by default)`, id);
    type = c.type;
    typeReason = c.reason;
  }
  const statusText = get('status').toLowerCase();
  const status = statusText ? STATUS_WORDS[statusText] : 'active';
  if (!status)
    err(
      'status',
      `${mapping.columns.status} "${get('status')}" is not a status (expected active, disabled, suspended, never-activated or terminated, or enabled/true/false, staged, locked...)`,
    );
  // Ids are namespaced by the file so two unrelated tables never merge on a bare "1001"; correlation across
  // sources goes through login, e-mail and employee id instead.
  const ns = baseName(table.file).replace(/\.[^.]+$/, '');
  const rawId = get('identityId');
  const identity: Identity = {
    id: `${ns}:${id}`,
    displayName: get('displayName') || id,
    email: get('email') || (rawId.includes('@') ? rawId : undefined),
    login: get('login') || rawId || undefined,
    employeeId: get('employeeId') || undefined,
    type,
    typeReason,
    status: status ?? 'active',
    sourceStatus: statusText && statusText !== status ? get('status') : undefined,
    department: get('department') || undefined,
    title: get('title') || undefined,
    managerId: get('managerId') ? `${ns}:${get('managerId')}` : undefined,
    ownerId: get('ownerId') ? `${ns}:${get('ownerId')}` : undefined,
    createdAt: date('createdAt'),
    lastLoginAt: date('lastLoginAt'),
  };
  const entName = get('entitlementName');
  const entId = get('entitlementId') || entName;
  let entitlement: Entitlement | undefined;
  let assignment: Assignment | undefined;
  if (entId) {
    const application = get('application') || mapping.defaults?.application || baseName(table.file).replace(/\.[^.]+$/, '');
    const privText = get('privilege').toLowerCase();
    let privilege: Privilege = mapping.defaults?.privilege ?? 'medium';
    let privilegeReason = mapping.defaults?.privilege
      ? 'privilege chosen for the whole file in the column mapping'
      : 'no privilege column; medium by default';
    if (privText) {
      const p = PRIVILEGE_WORDS[privText];
      if (!p) err('privilege', `${mapping.columns.privilege} "${get('privilege')}" is not one of low, medium, high, critical`);
      else [privilege, privilegeReason] = [p, `column "${mapping.columns.privilege}" says "${get('privilege')}"`];
    }
    entitlement = {
      id: `${application}:${entId}`,
      name: entName || entId,
      application,
      privilege,
      privilegeReason,
      description: get('entitlementDescription') || undefined,
    };
    const hasUsage = mapping.columns.lastUsedAt !== undefined;
    assignment = {
      identityId: identity.id,
      entitlementId: entitlement.id,
      grantedAt: date('grantedAt'),
      lastUsedAt: date('lastUsedAt'),
      source: baseName(table.file),
    };
    // Without a usage column the file says nothing about use: that is "unknown", never "never used".
    if (!hasUsage) assignment.usageKnown = false;
  }
  return { identity, entitlement, assignment, errors };
}

/** Header name as the preset signature sees it: case, spaces, "_" and "-" do not matter. */
function headerKey(h: string): string {
  return `\u0000${h
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')}`;
}

/** Column positions by exact name, and by headerKey for files whose header differs only in case or spacing. */
function columnIndex(table: TableSheet, mapping: ColumnMapping): { index: Map<string, number>; missing: string[] } {
  const index = new Map<string, number>();
  table.header.forEach((h, i) => {
    index.set(h, i);
    if (!index.has(headerKey(h))) index.set(headerKey(h), i);
  });
  for (const c of Object.values(mapping.columns)) if (c && !index.has(c) && index.has(headerKey(c))) index.set(c, index.get(headerKey(c))!);
  const missing = Object.values(mapping.columns).filter((c): c is string => !!c && !index.has(c));
  return { index, missing };
}

/** The first `n` rows exactly as applyMapping would store them, each with its errors. */
export function previewMapping(table: TableSheet, mapping: ColumnMapping, n = 20): PreviewRow[] {
  const { index, missing } = columnIndex(table, mapping);
  if (missing.length)
    return [
      {
        line: 1,
        errors: [{ file: table.file, line: 1, message: `the mapping names column(s) not in this header: ${missing.join(', ')}` }],
      },
    ];
  const out: PreviewRow[] = [];
  for (let r = 0; r < Math.min(n, table.rows.length); r++) {
    const res = mapRow(table, index, mapping, r);
    out.push({
      line: table.lines[r]!,
      ...(res.errors.length
        ? { errors: res.errors }
        : { identity: res.identity, entitlement: res.entitlement, assignment: res.assignment, errors: [] }),
    });
  }
  return out;
}

/** Apply a mapping to a whole table: rows with errors are rejected (and listed), the others stored. */
export function applyMapping(table: TableSheet, mapping: ColumnMapping, ctx: ParseContext = {}): ParsedBatch {
  const run = mappingRun(table, mapping, ctx);
  run.rows(table.rows, table.lines);
  return run.end(table.errors);
}

interface MappingRun {
  /** Map a batch of rows (with their lines). */
  rows(rows: string[][], lines: number[]): void;
  /** The outcome; the table's CSV syntax errors come first. */
  end(syntaxErrors: RowError[]): ParsedBatch;
}

/** Rows of one table through a mapping, in batches: `table` gives the file, sheet and header. */
function mappingRun(table: TableSheet, mapping: ColumnMapping, ctx: ParseContext): MappingRun {
  const fileName = table.sheet ? `${table.file} [${table.sheet}]` : table.file;
  const outcome: FileOutcome = { file: fileName, rowsRead: 0, rowsRejected: 0, errors: [] };
  const b = new SnapshotBuilder();
  const { index, missing } = columnIndex(table, mapping);
  let fatal: RowError | undefined;
  if (missing.length) fatal = { file: fileName, line: 1, message: `the mapping names column(s) not in this header: ${missing.join(', ')}` };
  else if (!mapping.columns.identityId && !mapping.columns.login && !mapping.columns.email && !mapping.columns.employeeId)
    fatal = { file: fileName, line: 1, message: 'map at least one identity column (identity id, login, e-mail or employee id)' };
  let r = 0;
  return {
    rows(rows, lines) {
      if (fatal) {
        r += rows.length;
        return;
      }
      const batch: TableSheet = { ...table, rows, lines };
      for (let k = 0; k < rows.length; k++, r++) {
        if ((r & 0x3fff) === 0) {
          if (ctx.isCancelled?.()) throw new CancelledError();
          ctx.onRows?.(fileName, r);
        }
        if (rows[k]!.length !== table.header.length && rows[k]!.length > 1) {
          outcome.rowsRejected++;
          outcome.errors.push({
            file: fileName,
            line: lines[k]!,
            message: `expected ${table.header.length} fields, found ${rows[k]!.length}`,
          });
          continue;
        }
        const res = mapRow(batch, index, mapping, k);
        if (res.errors.length || !res.identity) {
          outcome.rowsRejected++;
          outcome.errors.push(...res.errors);
          continue;
        }
        b.identity(res.identity, table.file);
        if (res.entitlement) b.entitlement(res.entitlement, table.file);
        if (res.assignment) b.assign(res.assignment);
      }
    },
    end(syntaxErrors) {
      outcome.rowsRead = r;
      outcome.errors = [...syntaxErrors, ...outcome.errors];
      if (fatal) return { data: b.build(), files: [{ ...outcome, fatal }] };
      ctx.onRows?.(fileName, r);
      return { data: b.build(), files: [outcome] };
    },
  };
}

/**
 * A format for importFiles that takes CSV/TSV files whose header matches the preset, through its mapping:
 * `importFiles(files, { formats: presets.map(mappedFormat) })` gives those files evidence, progress and
 * correlation like any other format. (XLSX is read asynchronously: use readXlsx + applyMapping + mappedEvidence.)
 */
export function mappedFormat(preset: MappingPreset): FormatParser {
  return {
    id: 'mapped-table',
    label: `Table with column mapping "${preset.name}"`,
    formatVersion: preset.name,
    parserVersion: '1.0.0',
    detect(file) {
      if (file.json !== undefined) return null;
      const firstLine = file.text.slice(0, 8192).split(/\r?\n/, 1)[0] ?? '';
      const header = readTable({ name: file.name, text: firstLine }).header;
      return header.length > 1 && headerSignature(header) === preset.headerSignature
        ? `header matches the saved column mapping "${preset.name}"`
        : null;
    },
    parse(files, ctx) {
      return combine(files.map((f) => applyMapping(readTable(f), preset.mapping, ctx)));
    },
    async parseStream(files, ctx) {
      const parts: ParsedBatch[] = [];
      for (const f of files) parts.push(await applyMappingStream(f, preset.mapping, ctx));
      return combine(parts);
    },
  };
}

/** The tables of one mapped import as one batch (identities met in several tables merged). */
function combine(parts: ParsedBatch[]): ParsedBatch {
  const data: ParsedBatch = { data: { identities: [], entitlements: [], assignments: [], credentials: [] }, files: [] };
  const b = new SnapshotBuilder();
  for (const p of parts) {
    for (const i of p.data.identities) b.identity(i, i.sources?.[0] ?? p.files[0]!.file);
    for (const e of p.data.entitlements) b.entitlement(e, e.sources?.[0] ?? p.files[0]!.file);
    for (const a of p.data.assignments) b.assign(a);
    data.files.push(...p.files);
  }
  data.data = b.build();
  return data;
}

/** Evidence for a table imported through a mapping outside importFiles (e.g. an XLSX sheet). */
export function mappedEvidence(
  file: { name: string; size: number; sha256: string },
  table: TableSheet,
  preset: { name: string },
  batch: ParsedBatch,
  importedAt: string,
): SourceEvidence {
  const o = batch.files[0]!;
  return {
    file: file.name,
    size: file.size,
    sha256: file.sha256,
    format: 'mapped-table',
    formatVersion: preset.name,
    formatReason: `${table.sheet ? `worksheet "${table.sheet}" ` : ''}read through the column mapping "${preset.name}"`,
    parser: 'mapped-table-parser',
    parserVersion: '1.0.0',
    rowsRead: o.rowsRead,
    rowsStored: o.rowsRead - o.rowsRejected,
    rowsRejected: o.rowsRejected,
    importedAt,
  };
}

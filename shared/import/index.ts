// Import a set of files into one snapshot: decode, detect, parse, merge, and keep the evidence.
import { emptySnapshotData, type RowError, type SnapshotData, type SourceEvidence } from '../model';
import { mergeSnapshotData } from './merge';
import { decodeFile } from './decode';
import { FORMATS } from './registry';
import type { DecodedFile, DetectedFile, FormatParser, ImportFile, ImportOptions, ImportOutcome } from './types';

export * from './types';
export { decodeFile, decodeText, baseName } from './decode';
export { FORMATS } from './registry';

export function detectFormat(file: DecodedFile, formats: FormatParser[] = FORMATS): DetectedFile | null {
  for (const parser of formats) {
    const reason = parser.detect(file);
    if (reason) return { file, parser, reason };
  }
  return null;
}

export function importFiles(files: ImportFile[], options: ImportOptions = {}): ImportOutcome {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const bytesTotal = files.reduce((s, f) => s + f.bytes.byteLength, 0);
  let bytesDone = 0;
  let rows = 0;
  const refused: RowError[] = [];
  const detected: DetectedFile[] = [];
  for (const file of files) {
    options.onProgress?.({ phase: 'decode', file: file.name, bytesDone, bytesTotal, rows });
    let decoded: DecodedFile;
    try {
      decoded = decodeFile(file);
    } catch (error) {
      refused.push({ file: file.name, line: 0, message: `cannot read the file as text: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    bytesDone += file.bytes.byteLength;
    const d = detectFormat(decoded, options.formats?.length ? [...options.formats, ...FORMATS] : FORMATS);
    if (!d) {
      refused.push({ file: file.name, line: 0, message: 'not a known identity-data format (workbench CSV, LDIF, SCIM, AWS, Entra ID, Okta, Google Cloud IAM, Kubernetes RBAC); use the column-mapping step for other tables' });
      continue;
    }
    detected.push(d);
  }
  const byParser = new Map<FormatParser, DetectedFile[]>();
  for (const d of detected) byParser.set(d.parser, [...(byParser.get(d.parser) ?? []), d]);

  const parts: SnapshotData[] = [];
  const sources: SourceEvidence[] = [];
  const outcomes: ImportOutcome['files'] = [];
  for (const [parser, group] of byParser) {
    const batch = parser.parse(
      group.map((g) => g.file),
      {
        isCancelled: options.isCancelled,
        onRows: (file, n) => {
          options.onRows?.(file, n);
          options.onProgress?.({ phase: 'parse', file, bytesDone, bytesTotal, rows: rows + n });
        },
      },
    );
    parts.push(batch.data);
    for (const outcome of batch.files) {
      rows += outcome.rowsRead;
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
  options.onProgress?.({ phase: 'merge', bytesDone, bytesTotal, rows });
  const { data, correlation } = parts.length ? mergeSnapshotData(parts) : { data: emptySnapshotData(), correlation: { merged: [], ambiguous: [] } };
  return { data, sources, files: outcomes, refused, correlation };
}

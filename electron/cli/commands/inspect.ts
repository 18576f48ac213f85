// `arw inspect FILE|FOLDER... [--json]`: detect each file's format, parse everything as one import, and report
// per source (format, SHA-256, rows, rejected, errors) and the snapshot totals. Exit 0, or 1 when any file
// was rejected as a whole (unknown format, not identity data, unreadable structure); 2 for bad usage.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { countSnapshot } from '../../../shared/model';
import { sha256Hex } from '../../../shared/model/digest';
import { importFiles, type ImportFile } from '../../../shared/import';
import { EXIT, UsageError, type CliIo } from '../io';

interface SourceReport {
  file: string;
  format: string | null;
  sha256: string;
  rows: number;
  rejected: number;
  errors: { line: number; message: string }[];
}

function collect(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.')) continue;
      collect(join(path, name), out);
    }
  } else if (st.isFile()) out.push(path);
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let json = false;
  const paths: string[] = [];
  for (const a of argv) {
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      io.out('usage: arw inspect FILE|FOLDER... [--json]');
      return EXIT.ok;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (usage: arw inspect FILE|FOLDER... [--json])`);
    else paths.push(a);
  }
  if (!paths.length) throw new UsageError('name at least one file or folder (usage: arw inspect FILE|FOLDER... [--json])');
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(io.cwd, p);
    try {
      collect(abs, files);
    } catch (error) {
      io.err(`arw inspect: cannot read ${p}: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT.usage;
    }
  }
  if (!files.length) {
    io.err(`arw inspect: no files in ${paths.join(', ')}`);
    return EXIT.usage;
  }
  const inputs: ImportFile[] = [];
  for (const f of files) {
    const rel = relative(io.cwd, f) || f;
    try {
      const bytes = new Uint8Array(readFileSync(f));
      inputs.push({ name: rel.startsWith('..') ? f : rel, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
    } catch (error) {
      io.err(`arw inspect: cannot read ${f}: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT.usage;
    }
  }
  const outcome = importFiles(inputs);
  const evidence = new Map(outcome.sources.map((s) => [s.file, s] as const));
  const outcomes = new Map(outcome.files.map((o) => [o.file, o] as const));
  const refused = new Map<string, string>();
  for (const r of outcome.refused) refused.set(r.file, r.message);
  const sources: SourceReport[] = inputs.map((f) => {
    const ev = evidence.get(f.name);
    const o = outcomes.get(f.name);
    const errors = (o?.errors ?? []).map((e) => ({ line: e.line, message: e.field && !e.message.includes(e.field) ? `${e.field}: ${e.message}` : e.message }));
    const whole = refused.get(f.name);
    if (whole) errors.unshift({ line: o?.fatal?.line ?? 0, message: whole });
    return {
      file: f.name,
      format: ev?.format ?? null,
      sha256: ev?.sha256 ?? sha256Hex(f.bytes),
      rows: ev?.rowsRead ?? o?.rowsRead ?? 0,
      rejected: whole ? (o?.rowsRead ?? 0) : (ev?.rowsRejected ?? 0),
      errors,
    };
  });
  const totals = countSnapshot(outcome.data);
  const anyRefused = outcome.refused.length > 0;
  if (json) {
    io.out(JSON.stringify({ sources, totals }, null, 2));
    return anyRefused ? EXIT.finding : EXIT.ok;
  }
  const width = Math.min(70, Math.max(4, ...sources.map((s) => s.file.length)));
  const fmtWidth = Math.max(6, ...sources.map((s) => (s.format ?? 'REFUSED').length));
  io.out(`${'file'.padEnd(width)}  ${'format'.padEnd(fmtWidth)}  ${'rows'.padStart(8)}  ${'rejected'.padStart(8)}`);
  for (const s of sources) {
    const name = s.file.length > width ? `…${s.file.slice(s.file.length - width + 1)}` : s.file;
    io.out(`${name.padEnd(width)}  ${(s.format ?? 'REFUSED').padEnd(fmtWidth)}  ${String(s.rows).padStart(8)}  ${String(s.rejected).padStart(8)}`);
  }
  const withErrors = sources.filter((s) => s.errors.length);
  if (withErrors.length) {
    io.out('');
    for (const s of withErrors) {
      for (const e of s.errors.slice(0, 20)) io.out(`${s.file}:${e.line}: ${e.message}`);
      if (s.errors.length > 20) io.out(`${s.file}: … ${s.errors.length - 20} more`);
    }
  }
  io.out('');
  io.out(`identities ${totals.identities}  entitlements ${totals.entitlements}  assignments ${totals.assignments}  credentials ${totals.credentials}`);
  const c = outcome.correlation;
  if (c.merged.length || c.ambiguous.length) {
    io.out(`correlation: ${c.merged.length} merged, ${c.ambiguous.length} ambiguous (not merged)`);
    for (const a of c.ambiguous.slice(0, 20)) io.out(`  ambiguous: ${a.reason}`);
  }
  if (anyRefused) io.out(`${outcome.refused.length} file(s) rejected as a whole`);
  return anyRefused ? EXIT.finding : EXIT.ok;
}

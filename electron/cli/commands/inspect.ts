// `arw inspect FILE|FOLDER... [--json] [--assignments]`: detect each file's format, parse everything as one import, and
// report per source (format, SHA-256, rows, rejected, errors) and the snapshot totals (effective assignments: direct
// and inherited); --assignments lists each effective assignment with its path, and any nesting cycles. Exit 0, or 1 when any file
// was rejected as a whole (unknown format, not identity data, unreadable structure); 2 for bad usage or input
// refused before reading (not a regular file, over the size one import can hold).
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { countSnapshot } from '../../../shared/model';
import { sha256Hex } from '../../../shared/codec';
import { importFiles, type ImportFile } from '../../../shared/import';
import { c1zVersion } from '../../../shared/import';
import { nodeSqliteEngine } from '../sqlite-engine';
import { parseCommandArgs } from '../args';
import { displaySafe, escapeControls } from '../display';
import { assertRegular, formatLimit, importLimitBytes, readInput, statInput } from '../input';
import { EXIT, InputError, UsageError, reportingInputErrors, type CliIo } from '../io';

interface SourceReport {
  file: string;
  format: string | null;
  sha256: string;
  rows: number;
  rejected: number;
  errors: { line: number; message: string }[];
}

const USAGE =
  'usage: arw inspect FILE|FOLDER|-... [--json] [--assignments] [--stdin-name NAME]   (- reads standard input; --stdin-name gives it a file name, e.g. identities.csv; --assignments lists each effective assignment with its path)';

/** The regular files of a path: the file itself (anything else refused), or a folder's files, recursively. */
function collect(path: string, label: string, out: { path: string; size: number }[], top: boolean): void {
  const st = top ? statInput(path, label) : statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.')) continue;
      collect(join(path, name), join(label, name), out, false);
    }
  } else if (st.isFile()) out.push({ path, size: st.size });
  // A named pipe or device named on the command line is refused at once (reading it could block or never end).
  else if (top) assertRegular(st, label);
}

export const run = reportingInputErrors('inspect', async (argv: string[], io: CliIo): Promise<number> => {
  const {
    help,
    values,
    positionals: paths,
  } = parseCommandArgs(
    argv,
    {
      json: { type: 'boolean' },
      assignments: { type: 'boolean' },
      'stdin-name': { type: 'string', value: 'the file name standard input stands for' },
    },
    USAGE,
  );
  if (help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const json = values.json === true;
  const listAssignments = values.assignments === true;
  if (!paths.length) throw new UsageError(`name at least one file or folder\n${USAGE}`);
  const files: { path: string; size: number }[] = [];
  for (const p of paths) if (p !== '-') collect(resolve(io.cwd, p), p, files, true);
  if (!files.length && !paths.includes('-')) throw new InputError(`no files in ${paths.join(', ')}`);
  const limit = importLimitBytes();
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > limit)
    throw new InputError(
      `${files.length === 1 ? relative(io.cwd, files[0]!.path) || files[0]!.path : `the ${files.length} files`} ${files.length === 1 ? 'is' : 'are'} ${formatLimit(total)}, over the limit of ${formatLimit(limit)} one import can hold in this process`,
    );
  const inputs: ImportFile[] = [];
  const add = (name: string, bytes: Uint8Array) => inputs.push({ name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
  for (const p of paths)
    if (p === '-')
      add((values['stdin-name'] as string | undefined) ?? '-', await readInput('-', 'standard input', limit - total, 'one import'));
  for (const f of files) {
    const rel = relative(io.cwd, f.path) || f.path;
    add(rel.startsWith('..') ? f.path : rel, await readInput(f.path, f.path, limit, 'one import'));
  }
  const sqlite = inputs.some((f) => c1zVersion(f.bytes)) ? await nodeSqliteEngine() : undefined;
  const outcome = importFiles(inputs, { sqlite });
  const evidence = new Map(outcome.sources.map((s) => [s.file, s] as const));
  const outcomes = new Map(outcome.files.map((o) => [o.file, o] as const));
  const refused = new Map<string, string>();
  for (const r of outcome.refused) refused.set(r.file, r.message);
  const sources: SourceReport[] = inputs.map((f) => {
    const ev = evidence.get(f.name);
    const o = outcomes.get(f.name);
    const errors = (o?.errors ?? []).map((e) => ({
      line: e.line,
      message: e.field && !e.message.includes(e.field) ? `${e.field}: ${e.message}` : e.message,
    }));
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
  // path: the groups from the direct one to the entitlement; empty for a direct grant.
  const effective = () =>
    outcome.data.assignments.map((a) => ({ identityId: a.identityId, entitlementId: a.entitlementId, path: a.path ?? [] }));
  if (json) {
    io.out(
      JSON.stringify(
        listAssignments ? { sources, totals, assignments: effective(), cycles: outcome.data.cycles ?? [] } : { sources, totals },
        null,
        2,
      ),
    );
    return anyRefused ? EXIT.finding : EXIT.ok;
  }
  const shown = displaySafe(sources);
  const width = Math.min(70, Math.max(4, ...shown.map((s) => s.file.length)));
  const fmtWidth = Math.max(6, ...shown.map((s) => (s.format ?? 'REFUSED').length));
  io.out(`${'file'.padEnd(width)}  ${'format'.padEnd(fmtWidth)}  ${'rows'.padStart(8)}  ${'rejected'.padStart(8)}`);
  for (const s of shown) {
    const name = s.file.length > width ? `…${s.file.slice(s.file.length - width + 1)}` : s.file;
    io.out(
      `${name.padEnd(width)}  ${(s.format ?? 'REFUSED').padEnd(fmtWidth)}  ${String(s.rows).padStart(8)}  ${String(s.rejected).padStart(8)}`,
    );
  }
  const withErrors = shown.filter((s) => s.errors.length);
  if (withErrors.length) {
    io.out('');
    for (const s of withErrors) {
      for (const e of s.errors.slice(0, 20)) io.out(`${s.file}:${e.line}: ${e.message}`);
      if (s.errors.length > 20) io.out(`${s.file}: … ${s.errors.length - 20} more`);
    }
  }
  io.out('');
  io.out(
    `identities ${totals.identities}  entitlements ${totals.entitlements}  assignments ${totals.assignments}  credentials ${totals.credentials}`,
  );
  const cycles = outcome.data.cycles ?? [];
  for (const cycle of cycles.slice(0, 20))
    io.out(`nesting cycle (not followed twice): ${escapeControls([...cycle, cycle[0]!].join(' → '))}`);
  if (listAssignments) {
    io.out('');
    for (const a of effective())
      io.out(escapeControls(`${a.identityId}  ${a.entitlementId}${a.path.length ? `  via ${a.path.join(' → ')}` : ''}`));
  }
  const c = outcome.correlation;
  if (c.merged.length || c.ambiguous.length) {
    io.out(`correlation: ${c.merged.length} merged, ${c.ambiguous.length} ambiguous (not merged)`);
    for (const a of c.ambiguous.slice(0, 20)) io.out(`  ambiguous: ${escapeControls(a.reason)}`);
  }
  if (anyRefused) io.out(`${outcome.refused.length} file(s) rejected as a whole`);
  return anyRefused ? EXIT.finding : EXIT.ok;
});

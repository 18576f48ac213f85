// What a file's extension promises, checked against what the archive is: a decision set renamed .arwpkg must not
// pass as a valid certification package.
import { basename, extname } from 'node:path';
import { escapeControls } from '../display';
import type { CliIo } from '../io';

type Kind = 'certification-package' | 'work-package' | 'decision-set';

const BY_EXTENSION: Record<string, Kind> = { '.arwpkg': 'certification-package', '.arwwork': 'work-package', '.arwdec': 'decision-set' };
const WORDS: Record<Kind, string> = {
  'certification-package': 'a certification package',
  'work-package': 'a work package',
  'decision-set': 'a decision set',
};

/** The kind a file name's extension promises, or null for any other name (and for standard input). */
export function promisedKind(path: string): Kind | null {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

/** The finding when the file's extension promises another kind than the archive holds, else null. */
export function kindMismatch(kind: Kind | null, path: string): string | null {
  const promised = promisedKind(path);
  if (!promised || !kind || promised === kind) return null;
  return `${escapeControls(basename(path))} is ${WORDS[kind]}, but its extension ${extname(path)} promises ${WORDS[promised]}`;
}

/** The report, made invalid with an "archive" finding first when the extension promises another kind. */
export function withKindCheck<R extends { verdict: string; reasons: { check: string; message: string }[]; checks: object }>(
  report: R,
  kind: Kind | null,
  path: string,
): R {
  const mismatch = kindMismatch(kind, path);
  if (!mismatch) return report;
  return {
    ...report,
    verdict: 'invalid',
    reasons: [{ check: 'archive', message: mismatch }, ...report.reasons],
    checks: { ...report.checks, archive: false },
  };
}

/** The name a report shows: the file's name, or "standard input". */
export function displayName(path: string): string {
  return path === '-' ? 'standard input' : basename(path);
}

/** A report for a person: its warnings on stderr, the rest on stdout. */
export function printReport(io: CliIo, lines: readonly string[]): void {
  const warnings = lines.filter((l) => l.startsWith('warning: '));
  io.out(lines.filter((l) => !l.startsWith('warning: ')).join('\n'));
  for (const w of warnings) io.err(w);
}

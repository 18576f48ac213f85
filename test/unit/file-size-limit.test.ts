// House rule: no source file over 600 lines (a file that long holds more than one concern; split it by concern).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const MAX_LINES = 600;
const FOLDERS = ['shared', 'renderer', 'electron', 'scripts', 'test'];
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

/** Source files git tracks or would track (untracked but not ignored), so a new file counts before its first commit. */
function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...FOLDERS], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed.split('\n').filter((f) => SOURCE.test(f) && !f.endsWith('.d.ts'));
}

function linesOf(text: string): number {
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe(`source files hold at most ${MAX_LINES} lines`, () => {
  it('counts lines as wc -l does, with or without a final newline', () => {
    expect(linesOf('')).toBe(0);
    expect(linesOf('a\nb\n')).toBe(2);
    expect(linesOf('a\nb')).toBe(2);
    expect(linesOf(`${'x\n'.repeat(MAX_LINES + 1)}`) > MAX_LINES).toBe(true);
  });

  it('finds the source files of every folder', () => {
    const files = sourceFiles();
    for (const folder of FOLDERS)
      expect(
        files.some((f) => f.startsWith(`${folder}/`)),
        folder,
      ).toBe(true);
  });

  it('holds for every source file in shared/, renderer/, electron/, scripts/ and test/', () => {
    const over = sourceFiles()
      .map((file) => ({ file, lines: linesOf(readFileSync(join(root, file), 'utf8')) }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(over).toEqual([]);
  });
});

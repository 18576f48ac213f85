// The renderer's bundle budget (issue #22): `vite build` must leave no JavaScript chunk over 1.5 MB, and exceljs
// (about 0.9 MB) must stay out of what the UI's entry loads: only the backend and the import worker import it,
// lazily, when a workbook is written or read. Builds into a temporary folder (about 30 s).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const BUDGET = 1_500_000;
let out: string;
let chunks: { name: string; bytes: number; code: string }[];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'arw-vite-'));
  await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--sourcemap', 'false'],
    {
      cwd: repoRoot,
      timeout: 300_000,
      // Vitest sets NODE_ENV=test, which would make React's development build part of the bundle.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  const assets = join(out, 'assets');
  chunks = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((name) => ({ name, bytes: statSync(join(assets, name)).size, code: readFileSync(join(assets, name), 'utf8') }));
}, 300_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('vite build', () => {
  it('no JavaScript chunk is over 1.5 MB', () => {
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.filter((c) => c.bytes > BUDGET).map((c) => `${c.name} ${c.bytes}`)).toEqual([]);
  });

  it('exceljs is lazily loaded: never by the UI entry, never statically by a worker entry, one copy per worker bundle', () => {
    // Vite bundles each worker on its own: the backend (report.xlsx) and the nested import worker (workbooks read)
    // each get a copy; a third would mean another thread started loading it.
    const withExcel = chunks.filter((c) => /exceljs/i.test(c.name) || c.code.includes('ExcelJS'));
    expect(withExcel.length).toBeGreaterThan(0);
    expect(withExcel.length).toBeLessThanOrEqual(2);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const entries = chunks.filter((c) => html.includes(c.name) || c.name.includes('.worker-'));
    expect(entries.length).toBeGreaterThan(1);
    for (const { name: excel } of withExcel) {
      expect(entries.map((c) => c.name)).not.toContain(excel);
      // The UI entry does not even name it (it reads workbooks through the backend); workers import it lazily.
      expect(entries.find((c) => html.includes(c.name))!.code).not.toContain(excel);
      for (const c of entries)
        expect(c.code, c.name).not.toMatch(new RegExp(`(^|;)import[^;()]*from\\s*["']\\./${excel.replace('.', '\\.')}["']`));
    }
  });
});

// Keeps the main process testable and the preload sandbox-safe: only electron/main/index.ts loads
// electron at run time (other main modules import its types only), and the preload imports nothing
// but electron and the shared contracts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '../..');
const sources = (folder: string) =>
  readdirSync(join(repoRoot, folder))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `${folder}/${f}`, text: readFileSync(join(repoRoot, folder, f), 'utf8') }));
const imports = (text: string) =>
  [...text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2] ?? '' }));

describe('electron source rules', () => {
  it('imports electron at run time only in electron/main/index.ts', () => {
    const main = sources('electron/main');
    expect(main.length).toBeGreaterThan(5);
    for (const { file, text } of main) {
      const runtime = imports(text).filter((i) => i.from === 'electron' && !i.typeOnly);
      expect(runtime.length, file).toBe(file === 'electron/main/index.ts' ? 1 : 0);
    }
  });

  it('lets the preload import only electron and the shared contracts', () => {
    for (const { file, text } of sources('electron/preload')) {
      for (const { from } of imports(text))
        expect(from === 'electron' || from.startsWith('../../shared/contracts/'), `${file}: ${from}`).toBe(true);
      expect(text, file).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\b/);
    }
  });
});

// The dependency table of ARCHITECTURE.md is enforced mechanically: by lint zones and by per-folder tsconfigs.
// These tests prove both fail on the imports the table forbids (and pass on allowed ones).
import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint zones', () => {
  it('refuses node:fs in shared/', async () => {
    const errors = await restrictedImportErrors(
      'shared/model/probe.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    );
    expect(errors.join('\n')).toMatch(/Node built-ins are not allowed here/);
  });
  it('refuses electron/ from renderer/', async () => {
    const errors = await restrictedImportErrors(
      'renderer/features/probe.ts',
      "import { keystore } from '../../electron/main/keystore';\nexport const x = keystore;\n",
    );
    expect(errors.join('\n')).toMatch(/meet only through shared\/contracts/);
  });
  it('refuses dexie outside renderer/db and React in shared/', async () => {
    expect(
      (await restrictedImportErrors('renderer/features/probe.ts', "import Dexie from 'dexie';\nexport const x = Dexie;\n")).length,
    ).toBe(1);
    expect(
      (await restrictedImportErrors('shared/review/probe.ts', "import { useState } from 'react';\nexport const x = useState;\n")).length,
    ).toBe(1);
  });
  it('refuses node:* in the sandboxed preload and renderer/ in electron/main', async () => {
    expect(
      (
        await restrictedImportErrors(
          'electron/preload/probe.ts',
          "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
        )
      ).length,
    ).toBe(1);
    expect(
      (
        await restrictedImportErrors(
          'electron/main/probe.ts',
          "import { getHost } from '../../renderer/host';\nexport const x = getHost;\n",
        )
      ).length,
    ).toBe(1);
  });
  it('allows what the table allows', async () => {
    expect(
      await restrictedImportErrors(
        'renderer/features/probe.ts',
        "import { sha256Hex } from '../../shared/codec/digest';\nexport const x = sha256Hex;\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImportErrors(
        'electron/main/probe.ts',
        "import { readFileSync } from 'node:fs';\nimport { IPC } from '../../shared/contracts';\nexport const x = [readFileSync, IPC];\n",
      ),
    ).toEqual([]);
    expect(await restrictedImportErrors('renderer/db/probe.ts', "import Dexie from 'dexie';\nexport const x = Dexie;\n")).toEqual([]);
  });
});

describe('shared/ tsconfig sees neither DOM nor Node', () => {
  const dir = join(root, 'test-results', 'boundary-probe');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function compile(source: string): string {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'probe.ts'), source);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../shared/tsconfig.json',
        compilerOptions: { noEmit: true, composite: false, emitDeclarationOnly: false, declaration: false, rootDir: '.' },
        include: ['probe.ts', '../../shared/env.d.ts'],
      }),
    );
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', stdio: 'pipe' });
      return '';
    } catch (error) {
      return String((error as { stdout?: string }).stdout ?? error);
    }
  }

  it('fails on node:fs, process and document', () => {
    const out = compile(
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\nexport const b = process.env;\nexport const c = document.title;\n",
    );
    expect(out).toMatch(/node:fs/);
    expect(out).toMatch(/'process'/);
    expect(out).toMatch(/'document'/);
  });
  it('compiles pure code', () => {
    expect(compile('export const a: number[] = [1, 2].map((x) => x * 2);\nexport const t = new TextEncoder().encode("ok");\n')).toBe('');
  });
});

// Folder surfaces, the layering of shared/ and the absence of import circles are enforced by tools, not goodwill:
// these tests prove each check fails on a violation (and passes on what is allowed).
import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(filePath: string, specifier: string): Promise<string[]> {
  const code = `import { probe } from '${specifier}';\nexport const x = probe;\n`;
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/module-boundaries').map((m) => m.message);
}

describe('folder surfaces: another folder is imported only through its index.ts', () => {
  it('refuses a deep import across folders of shared/', async () => {
    expect((await boundaryErrors('shared/exchange/probe.ts', '../package/verify-package')).join()).toMatch(
      /Import shared\/package through its index\.ts/,
    );
  });
  it('refuses a deep import from renderer/ into shared/, workers and another feature', async () => {
    expect((await boundaryErrors('renderer/features/import/probe.ts', '../../../shared/review/rules')).join()).toMatch(
      /shared\/review through its index/,
    );
    expect((await boundaryErrors('renderer/features/import/probe.ts', '../../workers/client')).join()).toMatch(
      /renderer\/workers through its index/,
    );
    expect((await boundaryErrors('renderer/features/exchange/probe.ts', '../review/sign-event')).join()).toMatch(
      /renderer\/features\/review through its index/,
    );
  });
  it('refuses a deep import from electron/ into shared/', async () => {
    expect((await boundaryErrors('electron/cli/probe.ts', '../../shared/codec/digest')).join()).toMatch(/shared\/codec through its index/);
  });
  it('allows the index, explicit or implied, and files of the same folder', async () => {
    expect(await boundaryErrors('shared/exchange/probe.ts', '../package')).toEqual([]);
    expect(await boundaryErrors('shared/exchange/probe.ts', '../package/index')).toEqual([]);
    expect(await boundaryErrors('shared/package/probe.ts', './verify-package')).toEqual([]);
    expect(await boundaryErrors('renderer/features/review/probe.ts', '../../workers')).toEqual([]);
  });
});

describe('the UI reaches the data only through the backend worker (renderer/backend)', () => {
  it('refuses renderer/db and Dexie in screens, the app shell, components and the session', async () => {
    expect((await boundaryErrors('renderer/features/review/probe.tsx', '../../db')).join()).toMatch(
      /The UI must not import "\.\.\/\.\.\/db"/,
    );
    expect((await boundaryErrors('renderer/features/import/probe.ts', '../../db/review-repository')).join()).toMatch(
      /The UI must not import/,
    );
    expect((await boundaryErrors('renderer/app/probe.tsx', '../db')).join()).toMatch(/The UI must not import/);
    expect((await boundaryErrors('renderer/session/probe.tsx', '../db')).join()).toMatch(/The UI must not import/);
    expect((await boundaryErrors('renderer/components/probe.tsx', 'dexie')).join()).toMatch(/The UI must not import "dexie"/);
    expect((await boundaryErrors('renderer/features/campaigns/probe.tsx', 'dexie-react-hooks')).join()).toMatch(
      /The UI must not import "dexie-react-hooks"/,
    );
  });
  it('allows the backend to use them, and the UI to use the backend', async () => {
    expect(await boundaryErrors('renderer/backend/probe.ts', '../db')).toEqual([]);
    expect(await boundaryErrors('renderer/backend/probe.ts', 'dexie')).toEqual([]);
    expect(await boundaryErrors('renderer/features/review/probe.tsx', '../../backend')).toEqual([]);
  });
});

describe('only the backend worker opens the database', () => {
  it('refuses renderer/db and Dexie in any other thread: the workers, the Electron shells, the core', async () => {
    expect((await boundaryErrors('renderer/workers/probe.ts', '../db')).join()).toMatch(
      /renderer\/workers must not import "\.\.\/db": only the backend worker \(renderer\/backend\) opens the database/,
    );
    expect((await boundaryErrors('renderer/workers/probe.worker.ts', 'dexie')).join()).toMatch(/only the backend worker/);
    expect((await boundaryErrors('electron/main/probe.ts', '../../renderer/db')).join()).toMatch(/only the backend worker/);
    expect((await boundaryErrors('shared/package/probe.ts', 'dexie')).join()).toMatch(/only the backend worker/);
  });
  it("lets another thread name renderer/db's types (they open nothing), but never the UI", async () => {
    const typeErrors = async (filePath: string, code: string) => {
      const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'local/module-boundaries').map((m) => m.message);
    };
    expect(
      await typeErrors('renderer/workers/probe.ts', "import type { CampaignRecord } from '../db';\nexport type X = CampaignRecord;\n"),
    ).toEqual([]);
    expect(
      await typeErrors('renderer/workers/probe.ts', "import { type CampaignRecord } from '../db';\nexport type X = CampaignRecord;\n"),
    ).toEqual([]);
    expect(
      (
        await typeErrors(
          'renderer/workers/probe.ts',
          "import { database, type CampaignRecord } from '../db';\nexport const x: CampaignRecord = database() as never;\n",
        )
      ).join(),
    ).toMatch(/only the backend worker/);
    expect(
      (
        await typeErrors(
          'renderer/features/review/probe.ts',
          "import type { CampaignRecord } from '../../db';\nexport type X = CampaignRecord;\n",
        )
      ).join(),
    ).toMatch(/The UI must not import/);
  });
});

describe('the layers of shared/: codec → model → suggest → review → import/package → exchange', () => {
  it('refuses an import upward', async () => {
    expect((await boundaryErrors('shared/review/probe.ts', '../package')).join()).toMatch(/shared\/review must not import shared\/package/);
    expect((await boundaryErrors('shared/model/probe.ts', '../suggest')).join()).toMatch(/must not import/);
    expect((await boundaryErrors('shared/package/probe.ts', '../exchange')).join()).toMatch(/must not import/);
  });
  it('refuses imports between the two folders of one layer', async () => {
    expect((await boundaryErrors('shared/import/probe.ts', '../package')).join()).toMatch(/shared\/import must not import shared\/package/);
    expect((await boundaryErrors('shared/package/probe.ts', '../import')).join()).toMatch(/must not import/);
  });
  it('keeps codec at the bottom (it imports no other folder) and contracts apart', async () => {
    expect((await boundaryErrors('shared/codec/probe.ts', '../model')).join()).toMatch(/shared\/codec must not import shared\/model/);
    expect((await boundaryErrors('shared/review/probe.ts', '../contracts')).join()).toMatch(/must not import shared\/contracts/);
    expect((await boundaryErrors('shared/contracts/probe.ts', '../review')).join()).toMatch(/must not import/);
  });
  it('allows imports downward', async () => {
    for (const [from, to] of [
      ['shared/exchange/probe.ts', '../package'],
      ['shared/package/probe.ts', '../review'],
      ['shared/review/probe.ts', '../suggest'],
      ['shared/suggest/probe.ts', '../model'],
      ['shared/model/probe.ts', '../codec'],
      ['shared/import/formats/probe.ts', '../../codec'],
      ['shared/contracts/probe.ts', '../codec'],
    ]) {
      expect(await boundaryErrors(from!, to!), `${from} → ${to}`).toEqual([]);
    }
  });
});

describe('import circles (npm run check:cycles)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arw-cycle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function cruise(): { ok: boolean; output: string } {
    try {
      const output = execFileSync(
        process.execPath,
        [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), dir, '--config', join(root, '.dependency-cruiser.cjs')],
        { cwd: root, encoding: 'utf8', stdio: 'pipe' },
      );
      return { ok: true, output };
    } catch (error) {
      return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
    }
  }

  it('fails on two files that import each other, type-only imports included', () => {
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'b.ts'), "import type { a } from './a';\nexport const b: typeof a | null = null;\n");
    const { ok, output } = cruise();
    expect(ok).toBe(false);
    expect(output).toMatch(/no-circular/);
  });
  it('passes once the loop is cut', () => {
    writeFileSync(join(dir, 'b.ts'), 'export const b = null;\n');
    expect(cruise().ok).toBe(true);
  });
});

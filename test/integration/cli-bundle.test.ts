// The built command line (`npm run build:cli`): one self-contained ES module (plus its two worker scripts) that runs
// with Node alone. Copied into a folder without node_modules and run with NODE_PATH cleared, `node bin/arw.mjs
// --version` and every command work, so `npm ci --omit=dev` and the packaged app (resources/cli) need no dev
// dependency. Takes about 10 s (the esbuild bundle, then a few runs).
import { execFile, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> })
  .version;
let copy: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts/build-cli.mjs')], { cwd: repoRoot, timeout: 120_000 });
  copy = mkdtempSync(join(tmpdir(), 'arw-cli-bundle-'));
  // As after `npm ci --omit=dev && npm run build`: the launcher, the bundle and package.json; no node_modules. The
  // TypeScript entry is there too (a checkout has it) so that the launcher's fallback from tsx is exercised.
  for (const f of ['package.json', 'bin/arw.mjs', 'dist-cli', 'electron/cli/arw.ts'])
    cpSync(join(repoRoot, f), join(copy, f), { recursive: true });
  mkdirSync(join(copy, 'data'));
  cpSync(join(repoRoot, 'test/fixtures/workbench-csv'), join(copy, 'data/csv'), { recursive: true });
  for (const f of ['sample.arwpkg', 'sample-decision-set.arwdec', 'trusted-keys.json'])
    cpSync(join(repoRoot, 'test/fixtures/packages', f), join(copy, 'data', f));
}, 180_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function node(...argv: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: '' };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, argv, { cwd: copy, encoding: 'utf8', timeout: 60_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the built arw (dist-cli), without node_modules', () => {
  it('package.json bin points at the bundle, which starts with a hashbang', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin.arw).toBe('dist-cli/arw.mjs');
    expect(readFileSync(join(copy, 'dist-cli/arw.mjs'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(existsSync(join(copy, 'node_modules'))).toBe(false);
  });

  it('imports nothing but Node built-ins (esbuild only on the from-sources path, never reached)', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    // Scripts only: sql-wasm.wasm (SQLite for Baton .c1z) is WebAssembly, loaded by the bundle from beside it.
    for (const file of readdirSync(join(copy, 'dist-cli')).filter((f) => f.endsWith('.mjs'))) {
      const code = readFileSync(join(copy, 'dist-cli', file), 'utf8');
      // Static imports (a line of their own in esbuild's output), dynamic imports and require calls.
      const specifiers = [...code.matchAll(/(?:^import\s[^;\n]*?from\s*|^import\s*|\bimport\(|\brequire\()["']([^"'./][^"']*)["']/gm)].map(
        (m) => m[1]!,
      );
      expect(specifiers.length, file).toBeGreaterThan(0);
      expect(
        specifiers.filter((s) => !builtins.has(s) && s !== 'esbuild'),
        file,
      ).toEqual([]);
    }
  });

  it('node bin/arw.mjs --version and node dist-cli/arw.mjs --version print the version', () => {
    for (const entry of ['bin/arw.mjs', 'dist-cli/arw.mjs']) {
      const r = node(entry, '--version');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(`arw ${version}`);
    }
  });

  it('verify: the sample package (audit log on the worker script) and decision set verify', () => {
    const pkg = node('bin/arw.mjs', 'verify', 'data/sample.arwpkg', '--trust', 'data/trusted-keys.json');
    expect(pkg.code, pkg.stderr).toBe(0);
    expect(pkg.stdout).toMatch(/^VALID {2}sample\.arwpkg/);
    const set = node('dist-cli/arw.mjs', 'verify', 'data/sample-decision-set.arwdec', '--trust', 'data/trusted-keys.json', '--json');
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ kind: 'decision-set', verdict: 'valid' });
  });

  it('inspect and suggest run on the sample CSV; --help exits 0', () => {
    const inspect = node('bin/arw.mjs', 'inspect', 'data/csv', '--json');
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout).totals).toMatchObject({ identities: 10, entitlements: 6 });
    const suggest = node('bin/arw.mjs', 'suggest', 'data/csv', '--as-of', '2026-11-22', '--json');
    expect(suggest.code, suggest.stderr).toBe(0);
    expect(JSON.parse(suggest.stdout).suggestions.length).toBeGreaterThan(0);
    for (const c of ['verify', 'suggest', 'inspect']) expect(node('bin/arw.mjs', c, '--help').code, c).toBe(0);
  });

  const baton = join(
    process.env.ARW_DATASETS ?? resolve(repoRoot, '../shared/datasets'),
    'baton-c1z/sync.36zfOAoWMxQdISbixanQCRBiX7E.unexpanded.c1z',
  );
  it.skipIf(!existsSync(baton))('inspect reads a Baton .c1z with the SQLite WebAssembly beside the bundle', () => {
    const inspect = node('bin/arw.mjs', 'inspect', baton, '--json');
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout).sources[0].format).toBe('baton-c1z');
  });
});

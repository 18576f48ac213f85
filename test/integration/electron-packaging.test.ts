// Packaging checked offline: electron-builder --dir with `electronDist` pointed at a stand-in Electron
// (a small executable carrying Electron's fuse sentinel and default fuse wire, since the real runtime
// cannot be downloaded here) must produce linux-unpacked/resources/app.asar. The asar must hold the
// app's built files and nothing else (no tests, fixtures, .env, sources, source maps or node_modules),
// and the packaged binary's fuse wire must be flipped to the hardened settings of electron-builder.yml.
// The bundled main.cjs is also started in Node against a stand-in electron module (bundle smoke test).
// Takes about 10 s (electron-builder itself ~7 s); builds dist-electron every run and dist/renderer
// only when it is missing (vite build, ~30 s more).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { IPC } from '../../shared/contracts/ipc';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../..');
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);

let work: string;
let appOutDir: string;
let asarPath: string;
let entries: string[];

/** Files under a folder, as '/'-joined paths relative to the repository. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(repoRoot, path).split('\\').join('/')];
  });
}

async function standInElectron(dir: string): Promise<void> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  // Electron 45's fuse wire: version 1, 8 fuses, at their defaults (RunAsNode on, cookie encryption off,
  // NODE_OPTIONS on, --inspect on, asar integrity off, only-asar off, V8 snapshot off, file:// privileges on).
  const wire = Buffer.from([1, 8, ON, OFF, ON, ON, OFF, OFF, OFF, ON]);
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron: the real runtime is not available offline" >&2\nexit 1\n# '),
    Buffer.from(FUSE_SENTINEL),
    wire,
    Buffer.from('\n'),
  ]);
  await writeFile(join(dir, 'electron'), binary, { mode: 0o755 });
  await writeFile(join(dir, 'LICENSE'), 'stand-in');
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'arw-package-'));
  if (!existsSync(join(repoRoot, 'dist/renderer/index.html'))) {
    await run(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: repoRoot, timeout: 180_000 });
  }
  await run(process.execPath, [join(repoRoot, 'scripts/build-electron.mjs')], { cwd: repoRoot, timeout: 60_000 });
  await run(process.execPath, [join(repoRoot, 'scripts/build-cli.mjs')], { cwd: repoRoot, timeout: 120_000 });
  const electronDist = join(work, 'electron-dist');
  await standInElectron(electronDist);
  const output = join(work, 'release');
  await run(
    process.execPath,
    [
      join(repoRoot, 'node_modules/electron-builder/cli.js'),
      '--dir',
      '--linux',
      '--x64',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: repoRoot, timeout: 120_000, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  appOutDir = join(output, 'linux-unpacked');
  asarPath = join(appOutDir, 'resources', 'app.asar');
  entries = listPackage(asarPath, { isPack: false }).map((e) => e.split('\\').join('/'));
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('electron-builder --dir (stand-in Electron)', () => {
  it('builds linux-unpacked with the renamed executable and app.asar, and no loose app folder', () => {
    expect(existsSync(asarPath)).toBe(true);
    expect(existsSync(join(appOutDir, 'access-review-workbench'))).toBe(true);
    expect(existsSync(join(appOutDir, 'resources', 'app'))).toBe(false);
  });

  it('puts the built app in the asar: every renderer file, main, preload and package.json', async () => {
    const expected = [
      ...walk(join(repoRoot, 'dist/renderer')).filter((f) => !f.endsWith('.map')),
      'dist-electron/main.cjs',
      'dist-electron/preload.cjs',
      'package.json',
    ];
    expect(expected.length).toBeGreaterThan(4);
    for (const file of expected) expect(entries, file).toContain(`/${file}`);
    const packagedMain = extractFile(asarPath, 'dist-electron/main.cjs');
    expect(packagedMain.equals(await readFile(join(repoRoot, 'dist-electron/main.cjs')))).toBe(true);
    const packaged = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as { main: string };
    expect(entries).toContain(`/${packaged.main}`);
  });

  it('ships a preload that a sandboxed renderer can load: it requires electron and nothing else', () => {
    const preload = extractFile(asarPath, 'dist-electron/preload.cjs').toString('utf8');
    const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld("desktop"');
    expect(preload.length).toBeLessThan(20_000);
  });

  it('leaves out tests, fixtures, .env files, sources, source maps and every node module (dev dependencies included)', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const forbidden = entries.filter(
      (e) =>
        /(^|\/)(test|tests|fixtures|__tests__)(\/|$)/.test(e) ||
        /(^|\/)\.env(\.|$)/.test(e) ||
        /\.(ts|tsx|map)$/.test(e) ||
        e.includes('node_modules') ||
        /^\/(electron|shared|renderer|scripts|src|build)(\/|$)/.test(e),
    );
    expect(forbidden).toEqual([]);
    for (const dev of Object.keys(pkg.devDependencies))
      expect(
        entries.some((e) => e.includes(`/${dev}/`)),
        dev,
      ).toBe(false);
  });

  it('flips the fuses of the packaged binary to the hardened settings', async () => {
    const wire = await getCurrentFuseWire(join(appOutDir, 'access-review-workbench'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
  });
});

// Loads the bundled dist-electron/main.cjs in plain Node with a stand-in `electron` module, to prove
// the esbuild output itself starts (CommonJS interop, __dirname, no missing module) and wires up.
const BUNDLE_SMOKE = `
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const [mainPath, userData, appPath] = process.argv.slice(2);
const seen = { schemes: [], ipc: [], windows: [], urls: [], handler: null };
const app = Object.assign(new EventEmitter(), {
  isPackaged: true, enableSandbox() {}, getPath: (n) => userData + '/' + n, setPath() {}, getAppPath: () => appPath,
  getVersion: () => '0.0.0-smoke', commandLine: { hasSwitch: () => false }, requestSingleInstanceLock: () => true,
  quit() {}, exit(code) { process.exit(code); }, isReady: () => true, whenReady: () => Promise.resolve(), addRecentDocument() {}, clearRecentDocuments() {},
});
class BrowserWindow extends EventEmitter {
  static getAllWindows() { return []; }
  constructor(options) { super(); seen.windows.push(options.webPreferences); this.webContents = { id: 1, isLoading: () => false, reload() {} }; }
  loadURL(url) { seen.urls.push(url); return Promise.resolve(); }
}
const session = { defaultSession: Object.assign(new EventEmitter(), { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, setDevicePermissionHandler() {}, setDisplayMediaRequestHandler() {}, webRequest: { onBeforeRequest() {} } }) };
const electron = { app, BrowserWindow, session, dialog: {}, safeStorage: {},
  protocol: { registerSchemesAsPrivileged: (s) => seen.schemes.push(...s), handle: (scheme, h) => { seen.handler = h; } },
  ipcMain: { handle: (channel) => seen.ipc.push(channel) }, Menu: { setApplicationMenu() {}, buildFromTemplate: (t) => t } };
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'electron' ? electron : load.call(this, request, ...rest); };
require(mainPath);
setTimeout(async () => {
  const response = await seen.handler(new Request('app://bundle/index.html'));
  const traversal = await seen.handler(new Request('app://bundle/..%2f..%2fpackage.json'));
  process.stdout.write(JSON.stringify({ ...seen, handler: undefined, status: response.status, csp: response.headers.get('content-security-policy'), body: (await response.text()).slice(0, 200), traversal: traversal.status }));
}, 100);
`;

describe('bundled main process', () => {
  it('starts against a stand-in electron: app:// scheme, every IPC channel, the window, the CSP-protected renderer', async () => {
    const script = join(work, 'bundle-smoke.cjs');
    await writeFile(script, BUNDLE_SMOKE);
    const { stdout } = await run(process.execPath, [script, join(repoRoot, 'dist-electron/main.cjs'), join(work, 'user-data'), repoRoot], {
      cwd: work,
      timeout: 30_000,
    });
    const seen = JSON.parse(stdout) as {
      schemes: Array<{ scheme: string }>;
      ipc: string[];
      windows: Array<Record<string, unknown>>;
      urls: string[];
      status: number;
      csp: string;
      body: string;
      traversal: number;
    };
    expect(seen.schemes.map((s) => s.scheme)).toEqual(['app']);
    expect(seen.ipc.sort()).toEqual(Object.values(IPC).sort());
    expect(seen.windows).toHaveLength(1);
    expect(seen.windows[0]).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
      preload: join(repoRoot, 'dist-electron/preload.cjs'),
    });
    expect(seen.urls).toEqual(['app://bundle/index.html']);
    expect(seen.status).toBe(200);
    expect(seen.body.toLowerCase()).toContain('<!doctype html>');
    expect(seen.csp).toContain("default-src 'none'");
    expect(seen.traversal).toBe(403);
  });
});

describe('the arw command line in the package', () => {
  it('ships resources/cli/arw.mjs (outside the asar, beside its worker scripts), which runs with plain Node', async () => {
    const cli = join(appOutDir, 'resources', 'cli');
    expect(readdirSync(cli).sort()).toEqual(['arw.mjs', 'audit-log-worker.mjs', 'report-worker.mjs']);
    const { stdout } = await run(process.execPath, [join(cli, 'arw.mjs'), '--version'], {
      cwd: work,
      env: { ...process.env, NODE_PATH: '' },
    });
    expect(stdout.trim()).toMatch(/^arw \d+\.\d+\.\d+/);
  });
});

describe('electron-builder.yml: packaging conventions', () => {
  it('keeps the default .deb dependencies, associates all three archive kinds, publishes nothing; @electron/asar is declared', async () => {
    const config = parseYaml(await readFile(join(repoRoot, 'electron-builder.yml'), 'utf8')) as {
      deb: { depends: string[] };
      fileAssociations: Array<{ ext: string }>;
      publish: unknown;
      nsis: { perMachine: boolean };
    };
    expect(config.deb.depends).toEqual(
      expect.arrayContaining([
        'libgtk-3-0',
        'libnotify4',
        'libnss3',
        'libxss1',
        'libxtst6',
        'xdg-utils',
        'libatspi2.0-0',
        'libuuid1',
        'libsecret-1-0',
      ]),
    );
    expect(config.fileAssociations.map((a) => a.ext).sort()).toEqual(['arwdec', 'arwpkg', 'arwwork']);
    expect(Object.hasOwn(config, 'publish')).toBe(true);
    expect(config.publish).toBeNull();
    expect(typeof config.nsis.perMachine).toBe('boolean');
    expect(await readFile(join(repoRoot, 'docs/security.md'), 'utf8')).toMatch(/perMachine[\s\S]*HKEY_CURRENT_USER/);
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies['@electron/asar']).toBeDefined();
  });
});

describe('electron-builder.yml', () => {
  it('declares identity, icons, asar, installers, file association and the fuses', async () => {
    const config = parseYaml(await readFile(join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
      linux: { target: string[]; icon: string };
      win: { target: string[] };
      mac: { target: string[] };
      fileAssociations: Array<{ ext: string }>;
      electronFuses: Record<string, boolean>;
    };
    expect(config.appId).toBe('dev.arw.workbench');
    expect(config.productName).toBe('Access Review Workbench');
    expect(config.asar).toBe(true);
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    expect(config.fileAssociations.map((a) => a.ext)).toContain('arwpkg');
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    const icon = await readFile(join(repoRoot, config.linux.icon));
    expect(icon.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
  });
});

// The desktop app through its real window, with Playwright's Electron driver: launch, secure web
// preferences, the shell renders, navigation/new windows/network refused, and the walking skeleton
// (import → review → signed export → verify) through the Electron host. These run only when an Electron
// binary is present (ELECTRON_OVERRIDE_DIST_PATH, or an `electron` package installed with its binary);
// otherwise every test is skipped with the reason. No web server is needed: the app serves itself on app://.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createFirstReviewer, decideProdDbCampaign, goTo, shot, unlockKey } from './helpers';

const repoRoot = resolve('.');
const FIXTURE = join(repoRoot, 'test/fixtures/workbench-csv');

/**
 * The Electron executable, or why there is none. Found the way the electron package finds it, without
 * require('electron'): in Electron 45 that call downloads the binary when it is missing.
 */
function findElectron(): { path: string } | { reason: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relativeBinary = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const path = override ? join(override, relativeBinary || 'electron') : relativeBinary ? join(packageDir, 'dist', relativeBinary) : '';
  if (path && existsSync(path)) return { path };
  return {
    reason: override
      ? `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist`
      : 'no Electron binary in node_modules/electron/dist (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 and it cannot be downloaded here); set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45 to run these specs',
  };
}

const found = findElectron();
test.skip('reason' in found, 'reason' in found ? `Electron specs skipped: ${found.reason}` : '');

let app: ElectronApplication;
let page: Page;
let userData: string;

test.beforeAll(async () => {
  if (!('path' in found)) return;
  if (!existsSync(join(repoRoot, 'dist/renderer/index.html')))
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: repoRoot, stdio: 'inherit' });
  execFileSync(process.execPath, [join(repoRoot, 'scripts/build-electron.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  userData = mkdtempSync(join(tmpdir(), 'arw-electron-e2e-'));
  app = await electron.launch({
    executablePath: found.path,
    // Chromium refuses to run as root with its OS sandbox; the renderer's own sandbox option stays on.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot],
    env: { ...process.env, ARW_USER_DATA_DIR: userData, ARW_ALLOW_BASIC_TEXT_KEYSTORE: '1', ELECTRON_ENABLE_LOGGING: '1' },
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

test.describe.configure({ mode: 'serial' });

test('launches one window on app:// with hardened web preferences', async () => {
  expect(page.url()).toBe('app://bundle/index.html');
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const windows = BrowserWindow.getAllWindows();
    // Not in Electron's typings, but present on WebContents: the preferences the page really got.
    const contents = windows[0]?.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> } | undefined;
    const p = contents?.getLastWebPreferences?.();
    return {
      count: windows.length,
      contextIsolation: p?.contextIsolation,
      sandbox: p?.sandbox,
      nodeIntegration: p?.nodeIntegration,
      webSecurity: p?.webSecurity,
      webviewTag: p?.webviewTag,
      spellcheck: p?.spellcheck,
    };
  });
  expect(prefs).toEqual({
    count: 1,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    webviewTag: false,
    spellcheck: false,
  });
  // The same, as the page experiences it: no Node, no webview element.
  expect(
    await page.evaluate(() => ({
      webview: customElements.get('webview') === undefined,
      require: typeof (globalThis as { require?: unknown }).require,
    })),
  ).toEqual({ webview: true, require: 'undefined' });
});

test('renders the shell, with window.desktop as the only bridge and no Node in the page', async () => {
  await expect(page).toHaveTitle('Access Review Workbench');
  await expect(page.getByRole('tab', { name: 'Import' })).toBeVisible();
  const bridge = await page.evaluate(() => ({
    desktop: Object.keys((window as unknown as { desktop: object }).desktop).sort(),
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    ipcRenderer: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer,
  }));
  expect(bridge).toEqual({
    desktop: [
      'changePassphrase',
      'createProtectedKey',
      'ensureSigningKey',
      'info',
      'keyStatus',
      'lockKey',
      'openFiles',
      'saveFile',
      'sign',
      'takeLaunchFile',
      'unlockKey',
    ],
    require: 'undefined',
    process: 'undefined',
    ipcRenderer: 'undefined',
  });
  const info = await page.evaluate(() => (window as unknown as { desktop: { info(): Promise<{ platform: string }> } }).desktop.info());
  expect(info.platform).toBe('electron');
  await shot(page, 'electron-01-shell');
});

test('refuses navigation, new windows and network requests', async () => {
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = 'https://example.com/';
    a.id = 'arw-e2e-link';
    a.textContent = 'external';
    document.body.append(a);
  });
  await page.click('#arw-e2e-link');
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe('app://bundle/index.html');
  expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
  expect(await page.evaluate(() => window.open('app://bundle/index.html') === null)).toBe(true);
  expect(app.windows()).toHaveLength(1);
  const fetched = await page.evaluate(() =>
    fetch('https://example.com/').then(
      () => 'reached',
      () => 'refused',
    ),
  );
  expect(fetched).toBe('refused');
  await page.evaluate(() => document.getElementById('arw-e2e-link')?.remove());
});

test('import, review, signed export through the native save dialog, and verify', async () => {
  const pkgPath = join(userData, 'electron-e2e.arwpkg');
  await app.evaluate(({ dialog }, path) => {
    // The native save dialog cannot be driven; answer it as a user choosing `path` would.
    dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as typeof dialog.showSaveDialog;
  }, pkgPath);

  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');
  const files = readdirSync(FIXTURE).filter((f) => f.endsWith('.csv'));
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(files.map((f) => join(FIXTURE, f)));
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');

  await page.getByTestId('to-campaigns').click();
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('scope-applications').click();
  await page.getByRole('option', { name: 'PostgreSQL (prod)' }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('create-campaign').click();
  await page.getByTestId('open-campaign').first().click();
  // The same decisions as the browser walking skeleton: rationales with reasons, a second person for critical items.
  await decideProdDbCampaign(page);

  await goTo(page, 'Export');
  await page.getByTestId('export-package').click();
  // Switching to the approver locked Jun's key: it asks for his passphrase before it signs his decisions.
  await unlockKey(page, 'Jun Tanaka');
  await expect(page.getByTestId('export-result')).toContainText('signed');
  expect(existsSync(pkgPath)).toBe(true);
  await shot(page, 'electron-02-export');

  await goTo(page, 'Verify');
  await page.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(pkgPath);
  await expect(page.getByTestId('verdict')).toContainText('VALID');
  await shot(page, 'electron-03-verify');
});

test('"open with" a package while running: it reaches the auditor view through takeLaunchFile', async () => {
  const pkgPath = join(userData, 'electron-e2e.arwpkg');
  expect(existsSync(pkgPath)).toBe(true);
  // What the OS does when the user opens a package while the app runs: a second instance forwards its argv.
  const reloaded = page.waitForEvent('load');
  await app.evaluate(({ app: electronApp }, path) => {
    electronApp.emit('second-instance', {}, ['access-review-workbench', path], '/');
  }, pkgPath);
  await reloaded;
  await goTo(page, 'Verify');
  await expect(page.getByTestId('verdict')).toContainText('VALID');
  await shot(page, 'electron-04-open-with');
});

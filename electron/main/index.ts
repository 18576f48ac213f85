// Electron main process: lifecycle and wiring only. Every policy lives in a plain Node module beside
// this file (tested with Electron's APIs passed in); this file is the one that imports electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { APP_ENTRY_URL, APP_SCHEME } from './app-constants';
import { createFileLog } from './app-log';
import { buildAppMenuTemplate } from './app-menu';
import { createAppProtocolHandler } from './app-protocol';
import { createDesktopHost, type HostDialogs } from './desktop-host';
import { registerHostHandlers } from './ipc-validation';
import { createFileKeystore, safeStorageProtector } from './keystore';
import { findPackageArgument, LaunchFileQueue } from './launch-file';
import { guardWebContents } from './navigation-guards';
import { createRecentFiles } from './recent-files';
import { guardSession } from './session-guards';
import { createSecureWindow } from './window-options';

const PRODUCT_NAME = 'Access Review Workbench';

// Must run before 'ready': app:// behaves like https (standard, secure) so IndexedDB, module workers
// and fetch of the app's own assets work, without any of the file:// protocol's extra powers.
// corsEnabled stays off (no cross-origin reads of app://), and bypassCSP is never set.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
]);
app.enableSandbox();

// A fresh profile for development runs and Electron e2e tests (never honoured by a packaged build).
const devUserData = process.env.ARW_USER_DATA_DIR;
if (!app.isPackaged && devUserData) app.setPath('userData', devUserData);

const userData = app.getPath('userData');
let userName: string | undefined;
try {
  userName = userInfo().username;
} catch {
  userName = undefined;
}
const log = createFileLog({ file: join(userData, 'logs', 'main.log'), homeDir: homedir(), userName, echo: !app.isPackaged });
const allowDevTools = !app.isPackaged;

// Chromium's remote debugging port is not covered by the fuses: a packaged build refuses to run with it.
if (app.isPackaged && (app.commandLine.hasSwitch('remote-debugging-port') || app.commandLine.hasSwitch('remote-debugging-pipe'))) {
  log.warn('refused-remote-debugging');
  app.exit(1);
}

const launchFiles = new LaunchFileQueue();
let mainWindow: BrowserWindow | null = null;
const trustedContents = new Set<number>();

const recentFiles = createRecentFiles({
  file: join(userData, 'recent-files.json'),
  onChange: () => refreshMenu(),
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  launchFiles.offer(findPackageArgument(process.argv, process.cwd()));

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = findPackageArgument(argv, workingDirectory);
    if (path) openPackage(path);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  // macOS "open with" and double-click on a package; may arrive before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openPackage(path);
  });

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { allowDevTools, log }));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  app.whenReady().then(start, (error: unknown) => {
    log.error('start-failed', { kind: error instanceof Error ? error.name : typeof error });
    app.exit(1);
  });
}

function start(): void {
  log.info('start', { version: app.getVersion(), packaged: app.isPackaged, platform: process.platform });
  guardSession(session.defaultSession, { allowDevTools }, log);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: join(app.getAppPath(), 'dist', 'renderer'), log }));

  const dialogs: HostDialogs = {
    showOpenDialog: (options) => (mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options)),
    showSaveDialog: (options) => (mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)),
  };
  const keystore = createFileKeystore({
    dir: join(userData, 'keys'),
    protector: safeStorageProtector({
      safeStorage,
      platform: process.platform,
      // Development and e2e runs on machines without a keyring only; a packaged build never accepts basic_text.
      allowBasicText: !app.isPackaged && process.env.ARW_ALLOW_BASIC_TEXT_KEYSTORE === '1',
    }),
    log,
  });
  const host = createDesktopHost({
    appVersion: app.getVersion(),
    dialogs,
    keystore,
    launchFiles,
    recentFiles,
    defaultSaveDir: app.getPath('documents'),
    log,
  });
  registerHostHandlers(ipcMain, host, { isTrustedContents: (id) => trustedContents.has(id) }, log);

  refreshMenu();
  createWindow();
}

function createWindow(): void {
  const window = createSecureWindow(BrowserWindow, {
    preloadPath: join(__dirname, 'preload.cjs'),
    isPackaged: app.isPackaged,
    title: PRODUCT_NAME,
  });
  const id = window.webContents.id;
  trustedContents.add(id);
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    trustedContents.delete(id);
    if (mainWindow === window) mainWindow = null;
  });
  void window
    .loadURL(APP_ENTRY_URL)
    .catch((error: unknown) => log.error('load-failed', { kind: error instanceof Error ? error.name : typeof error }));
}

/** Queue a package for the auditor view and reload the renderer, which takes it on start-up. */
function openPackage(path: string): void {
  launchFiles.offer(path);
  recentFiles.add(path);
  app.addRecentDocument(path);
  log.info('package-queued');
  if (mainWindow && !mainWindow.webContents.isLoading()) mainWindow.webContents.reload();
}

async function choosePackage(): Promise<void> {
  const options = {
    title: 'Open a certification package',
    properties: ['openFile' as const],
    filters: [{ name: 'Certification package', extensions: ['arwpkg'] }],
  };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  const path = result.filePaths[0];
  if (!result.canceled && path) openPackage(path);
}

function refreshMenu(): void {
  if (!app.isReady()) return;
  const template = buildAppMenuTemplate({
    platform: process.platform,
    isPackaged: app.isPackaged,
    appName: PRODUCT_NAME,
    recentFiles: recentFiles.list(),
    openPackage: () => void choosePackage(),
    openRecent: (path) => openPackage(path),
    clearRecent: () => {
      recentFiles.clear();
      app.clearRecentDocuments();
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

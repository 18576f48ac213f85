// Loads electron/main/index.ts against a fake electron module and checks the wiring: privileged
// scheme, sandbox, guards on every webContents, session guards, IPC for every channel, the secure
// window on app://, and a package from a second instance reaching the renderer through takeLaunchFile.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../shared/contracts/ipc';

const fake = vi.hoisted(() => {
  // vi.hoisted runs before imports are bound; require is the way to reach node:events here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter: Emitter } = require('node:events') as { EventEmitter: typeof EventEmitter };
  const state = {
    userData: '',
    privileged: [] as unknown[],
    sandboxEnabled: false,
    handles: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    protocolHandlers: new Map<string, unknown>(),
    windows: [] as Array<{ options: Record<string, unknown>; url: string | null; reloads: number; webContents: { id: number } }>,
    menuSet: 0,
    quit: 0,
    session: { permissionRequest: null as unknown, beforeRequest: null as unknown },
  };
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    enableSandbox: () => (state.sandboxEnabled = true),
    getPath: (name: string) => (name === 'userData' ? state.userData : `${state.userData}/${name}`),
    setPath: () => undefined,
    getAppPath: () => '/app',
    getVersion: () => '0.1.0',
    commandLine: { hasSwitch: () => false },
    requestSingleInstanceLock: () => true,
    quit: () => (state.quit += 1),
    exit: () => undefined,
    isReady: () => true,
    whenReady: () => Promise.resolve(),
    addRecentDocument: () => undefined,
    clearRecentDocuments: () => undefined,
  });
  let nextId = 100;
  class BrowserWindow extends Emitter {
    static getAllWindows = () => state.windows;
    webContents: { id: number; isLoading: () => boolean; reload: () => void };
    record: (typeof state.windows)[number];
    constructor(options: Record<string, unknown>) {
      super();
      const id = nextId++;
      this.record = { options, url: null, reloads: 0, webContents: { id } };
      this.webContents = { id, isLoading: () => false, reload: () => (this.record.reloads += 1) };
      state.windows.push(this.record);
    }
    loadURL(url: string) {
      this.record.url = url;
      return Promise.resolve();
    }
    isMinimized = () => false;
    restore = () => undefined;
    focus = () => undefined;
    show = () => undefined;
  }
  const session = {
    defaultSession: Object.assign(new Emitter(), {
      setPermissionRequestHandler: (h: unknown) => (state.session.permissionRequest = h),
      setPermissionCheckHandler: () => undefined,
      setDevicePermissionHandler: () => undefined,
      setDisplayMediaRequestHandler: () => undefined,
      webRequest: { onBeforeRequest: (h: unknown) => (state.session.beforeRequest = h) },
    }),
  };
  return { state, app, BrowserWindow, session };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.BrowserWindow,
  session: fake.session,
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => fake.state.privileged.push(...schemes),
    handle: (scheme: string, handler: unknown) => fake.state.protocolHandlers.set(scheme, handler),
  },
  ipcMain: {
    handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      fake.state.handles.set(channel, listener),
  },
  dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
  Menu: { setApplicationMenu: () => (fake.state.menuSet += 1), buildFromTemplate: (t: unknown) => t },
  safeStorage: {
    isEncryptionAvailable: () => false,
    encryptString: vi.fn(),
    decryptString: vi.fn(),
    getSelectedStorageBackend: () => 'basic_text',
  },
}));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arw-main-'));
  fake.state.userData = dir;
  await import('../../electron/main/index');
  await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trustedEvent = (id: number) => {
  const mainFrame = { processId: 1, routingId: 1, parent: null, url: 'app://bundle/index.html' };
  return { sender: { id, mainFrame }, senderFrame: mainFrame };
};

describe('main process wiring (fake electron)', () => {
  it('registers app:// as a standard, secure scheme and enables the sandbox for every renderer', () => {
    expect(fake.state.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(fake.state.sandboxEnabled).toBe(true);
    expect(fake.state.protocolHandlers.has('app')).toBe(true);
  });

  it('opens one secure window on the app protocol and sets the menu', () => {
    expect(fake.state.windows).toHaveLength(1);
    const window = fake.state.windows[0];
    expect(window?.url).toBe('app://bundle/index.html');
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: false,
    });
    expect(String((window?.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(fake.state.menuSet).toBeGreaterThan(0);
  });

  it('guards the session and every webContents created', () => {
    expect(fake.state.session.permissionRequest).toBeTypeOf('function');
    expect(fake.state.session.beforeRequest).toBeTypeOf('function');
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn(), closeDevTools: vi.fn() });
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-navigate', event, 'https://example.com/');
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it('handles every IPC channel and trusts only its own window', async () => {
    expect([...fake.state.handles.keys()].sort()).toEqual(Object.values(IPC).sort());
    const id = fake.state.windows[0]?.webContents.id ?? -1;
    const info = await fake.state.handles.get(IPC.info)?.(trustedEvent(id));
    expect(info).toMatchObject({ ok: true, value: { platform: 'electron', appVersion: '0.1.0' } });
    expect(await fake.state.handles.get(IPC.info)?.(trustedEvent(id + 1))).toMatchObject({ ok: false });
  });

  it('refuses to create a signing key without OS encryption (basic_text)', async () => {
    const id = fake.state.windows[0]?.webContents.id ?? -1;
    const result = await fake.state.handles.get(IPC.ensureSigningKey)?.(trustedEvent(id), 'reviewer');
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be stored safely/) });
  });

  it('passes a package from a second instance to the renderer (reload, then takeLaunchFile once)', async () => {
    const pkg = join(dir, 'q3.arwpkg');
    await writeFile(pkg, 'PK-test');
    const window = fake.state.windows[0];
    const before = window?.reloads ?? 0;
    fake.app.emit('second-instance', {}, ['/opt/arw/arw', '--some-switch', 'q3.arwpkg'], dir);
    expect(window?.reloads).toBe(before + 1);
    const taken = (await fake.state.handles.get(IPC.takeLaunchFile)?.(trustedEvent(window?.webContents.id ?? -1))) as {
      ok: boolean;
      value: { name: string; bytes: Uint8Array };
    };
    expect(taken.ok).toBe(true);
    expect(taken.value.name).toBe('q3.arwpkg');
    expect(new TextDecoder().decode(taken.value.bytes)).toBe('PK-test');
    expect(await fake.state.handles.get(IPC.takeLaunchFile)?.(trustedEvent(window?.webContents.id ?? -1))).toEqual({
      ok: true,
      value: null,
    });
  });

  it('writes its log into the user-data folder', async () => {
    const { readFile } = await import('node:fs/promises');
    const log = await readFile(join(dir, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('"event":"start"');
    expect(log).not.toContain(dir);
  });
});

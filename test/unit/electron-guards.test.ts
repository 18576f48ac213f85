import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { AppLog } from '../../electron/main/app-log';
import { guardWebContents, type GuardedContents } from '../../electron/main/navigation-guards';
import { guardSession, isAllowedRequestUrl, type GuardedSession } from '../../electron/main/session-guards';
import type { BrowserWindowConstructorOptions } from 'electron';
import { createSecureWindow } from '../../electron/main/window-options';

function recordingLog() {
  const events: string[] = [];
  const log: AppLog = { info: (e) => events.push(e), warn: (e) => events.push(e), error: (e) => events.push(e) };
  return { log, events };
}

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  closeDevTools = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

function guarded(allowDevTools: boolean) {
  const contents = new FakeContents();
  const { log, events } = recordingLog();
  guardWebContents(contents as unknown as GuardedContents, { allowDevTools, log });
  return { contents, events };
}

const navEvent = (url = 'https://example.com/') => ({ preventDefault: vi.fn(), url });

describe('navigation guards', () => {
  it.each(['will-navigate', 'will-redirect'])('cancels every %s away from the app', (name) => {
    const { contents, events } = guarded(true);
    const urls = [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://bundle/other.html',
      'app://bundle/index.html?x=1',
      'app://other/index.html',
      'http://127.0.0.1:5173/',
    ];
    for (const url of urls) {
      const event = { ...navEvent(url), isMainFrame: true };
      contents.emit(name, event, url);
      expect(event.preventDefault, url).toHaveBeenCalledOnce();
    }
    expect(events.filter((e) => e === 'navigation-refused')).toHaveLength(urls.length);
  });

  it("lets the main frame reload the app's own entry page, and nothing else", () => {
    const { contents } = guarded(true);
    const reload = { ...navEvent('app://bundle/index.html#/verify'), isMainFrame: true };
    contents.emit('will-navigate', reload, reload.url);
    expect(reload.preventDefault).not.toHaveBeenCalled();
    const subframe = { ...navEvent('app://bundle/index.html'), isMainFrame: false };
    contents.emit('will-navigate', subframe, subframe.url);
    expect(subframe.preventDefault).toHaveBeenCalledOnce();
    const frameReload = { ...navEvent('app://bundle/index.html'), isMainFrame: true };
    contents.emit('will-frame-navigate', frameReload);
    expect(frameReload.preventDefault).not.toHaveBeenCalled();
    const frameAway = { ...navEvent('app://bundle/index.html'), isMainFrame: false };
    contents.emit('will-frame-navigate', frameAway);
    expect(frameAway.preventDefault).toHaveBeenCalledOnce();
    const redirect = { ...navEvent('app://bundle/index.html'), isMainFrame: true };
    contents.emit('will-redirect', redirect, redirect.url);
    expect(redirect.preventDefault).toHaveBeenCalledOnce();
  });

  it('cancels frame navigations, main frame included', () => {
    const { contents } = guarded(true);
    for (const isMainFrame of [true, false]) {
      const event = { ...navEvent('https://evil.example/frame'), isMainFrame };
      contents.emit('will-frame-navigate', event);
      expect(event.preventDefault).toHaveBeenCalledOnce();
    }
  });

  it('denies window.open and refuses webviews', () => {
    const { contents, events } = guarded(true);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'app://bundle/index.html' })).toEqual({ action: 'deny' });
    const attach = navEvent();
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalledOnce();
    expect(events).toContain('window-open-refused');
    expect(events).toContain('webview-refused');
  });

  it('closes DevTools in production builds and leaves them in development', () => {
    const production = guarded(false);
    production.contents.emit('devtools-opened');
    expect(production.contents.closeDevTools).toHaveBeenCalledOnce();
    const development = guarded(true);
    development.contents.emit('devtools-opened');
    expect(development.contents.closeDevTools).not.toHaveBeenCalled();
  });

  it('logs only the scheme of a refused URL, never the URL', () => {
    const contents = new FakeContents();
    const lines: string[] = [];
    const log: AppLog = { info: () => undefined, error: () => undefined, warn: (e, d) => lines.push(JSON.stringify({ e, d })) };
    guardWebContents(contents as unknown as GuardedContents, { allowDevTools: false, log });
    contents.emit('will-navigate', navEvent(), 'https://evil.example/alice@corp.example/secret');
    expect(lines.join()).toContain('https:');
    expect(lines.join()).not.toContain('alice');
  });
});

describe('session guards', () => {
  function fakeSession() {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const emitter = new EventEmitter();
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
      setDisplayMediaRequestHandler: (h: never) => (handlers.display = h),
      webRequest: { onBeforeRequest: (h: never) => (handlers.beforeRequest = h) },
      on: (name: string, listener: (...args: unknown[]) => void) => emitter.on(name, listener),
    };
    return { session: session as unknown as GuardedSession, handlers, emitter };
  }

  it('denies every permission request and check but clipboard writes by the app itself', () => {
    const { session, handlers } = fakeSession();
    guardSession(session, { allowDevTools: false }, recordingLog().log);
    const request = (permission: string, requestingUrl: string) => {
      const callback = vi.fn();
      (handlers.request as unknown as (w: unknown, p: string, cb: (granted: boolean) => void, d: { requestingUrl: string }) => void)(
        {},
        permission,
        callback,
        { requestingUrl },
      );
      return callback.mock.calls[0]?.[0] as boolean;
    };
    const check = (permission: string, origin: string) =>
      (handlers.check as unknown as (w: unknown, p: string, o: string) => boolean)({}, permission, origin);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'fullscreen',
      'openExternal',
      'persistent-storage',
      'hid',
      'usb',
      'serial',
      'midiSysex',
      'pointerLock',
    ]) {
      expect(request(permission, 'app://bundle/index.html'), permission).toBe(false);
      expect(check(permission, 'app://bundle'), permission).toBe(false);
    }
    expect((handlers.device as unknown as () => boolean)()).toBe(false);
    // The single exception: the app's own page may write to the clipboard (Copy buttons); no one else may.
    expect(request('clipboard-sanitized-write', 'app://bundle/index.html')).toBe(true);
    expect(check('clipboard-sanitized-write', 'app://bundle')).toBe(true);
    expect(request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(check('clipboard-sanitized-write', 'app://other')).toBe(false);
    expect(check('clipboard-sanitized-write', '')).toBe(false);
    const display = vi.fn();
    (handlers.display as unknown as (r: unknown, cb: (s: unknown) => void) => void)({}, display);
    expect(display).toHaveBeenCalledWith({});
  });

  it('cancels every request that leaves the app and lets the app protocol through', () => {
    const { session, handlers } = fakeSession();
    guardSession(session, { allowDevTools: false }, recordingLog().log);
    const decide = (url: string) => {
      const callback = vi.fn();
      (handlers.beforeRequest as unknown as (d: unknown, cb: (r: { cancel: boolean }) => void) => void)(
        { url, resourceType: 'xhr' },
        callback,
      );
      return callback.mock.calls[0]?.[0] as { cancel: boolean };
    };
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:5173/',
      'ws://localhost/',
      'file:///etc/passwd',
      'ftp://x/',
      'app://other/x.js',
      'blob:https://evil.example/uuid',
      'devtools://devtools/bundled/x.html',
    ]) {
      expect(decide(url), url).toEqual({ cancel: true });
    }
    for (const url of ['app://bundle/index.html', 'app://bundle/assets/x.js', 'blob:app://bundle/1234', 'data:image/png;base64,AA==']) {
      expect(decide(url), url).toEqual({ cancel: false });
    }
  });

  it('allows devtools: only in development', () => {
    expect(isAllowedRequestUrl('devtools://devtools/bundled/x.html', { allowDevTools: true })).toBe(true);
    expect(isAllowedRequestUrl('devtools://devtools/bundled/x.html', { allowDevTools: false })).toBe(false);
    expect(isAllowedRequestUrl('not a url', { allowDevTools: true })).toBe(false);
  });

  it('refuses browser downloads', () => {
    const { session, emitter } = fakeSession();
    guardSession(session, { allowDevTools: false }, recordingLog().log);
    const event = navEvent();
    emitter.emit('will-download', event);
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });
});

describe('window options', () => {
  class FakeWindow {
    constructor(readonly options: BrowserWindowConstructorOptions) {}
  }

  it('builds a sandboxed, context-isolated window without Node or webviews', () => {
    const window = createSecureWindow(FakeWindow, {
      preloadPath: '/app/dist-electron/preload.cjs',
      isPackaged: true,
      title: 'Access Review Workbench',
    });
    expect(window.options.show).toBe(false);
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      devTools: false,
      preload: '/app/dist-electron/preload.cjs',
    });
    expect(createSecureWindow(FakeWindow, { preloadPath: '/p.cjs', isPackaged: false, title: 't' }).options.webPreferences?.devTools).toBe(
      true,
    );
  });
});

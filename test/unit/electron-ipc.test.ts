import { describe, expect, it, vi } from 'vitest';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC, ipcRequestSchemas, type IpcChannel } from '../../shared/contracts/ipc';
import { ok, type Result } from '../../shared/contracts/result';
import type { AppLog } from '../../electron/main/app-log';
import { registerHostHandlers, senderProblem, validatedHandle, type HostHandlers } from '../../electron/main/ipc-validation';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<Result<unknown>>;

function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain = { handle: (channel: string, listener: Listener) => listeners.set(channel, listener) } as unknown as Pick<
    IpcMain,
    'handle'
  >;
  return { ipcMain, listeners };
}

const silent: AppLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const TRUSTED_ID = 7;
const policy = { isTrustedContents: (id: number) => id === TRUSTED_ID };

function senderEvent(options: { id?: number; url?: string; subframe?: boolean; noFrame?: boolean } = {}) {
  const mainFrame = { processId: 1, routingId: 1, parent: null, url: options.url ?? 'app://bundle/index.html' };
  const child = { processId: 1, routingId: 2, parent: mainFrame, url: options.url ?? 'app://bundle/index.html' };
  const senderFrame = options.noFrame ? null : options.subframe ? child : mainFrame;
  return { sender: { id: options.id ?? TRUSTED_ID, mainFrame }, senderFrame } as unknown as IpcMainInvokeEvent;
}

function handlersSpy() {
  const handlers = {
    info: vi.fn(async () => ok({ platform: 'electron' as const, appVersion: '1.0.0', keyProtection: 'test' })),
    openFiles: vi.fn(async () => ok([])),
    saveFile: vi.fn(async () => ok(null)),
    ensureSigningKey: vi.fn(async (keyId: string) => ok({ keyId, publicKey: 'AA==', fingerprint: 'SHA256:00', createdAt: 'now' })),
    sign: vi.fn(async () => ok(new Uint8Array(64))),
    takeLaunchFile: vi.fn(async () => ok(null)),
    createProtectedKey: vi.fn(async (request: { keyId: string }) =>
      ok({ keyId: request.keyId, publicKey: 'AA==', fingerprint: 'SHA256:00', createdAt: 'now' }),
    ),
    keyStatus: vi.fn(async () => ok({ exists: true, passphrase: true, unlocked: false })),
    unlockKey: vi.fn(async () => ok(true as const)),
    lockKey: vi.fn(async () => ok(true as const)),
    changePassphrase: vi.fn(async () => ok(true as const)),
  } satisfies HostHandlers;
  return handlers;
}

function registered() {
  const { ipcMain, listeners } = fakeIpcMain();
  const handlers = handlersSpy();
  registerHostHandlers(ipcMain, handlers, policy, silent);
  const call = (channel: IpcChannel, event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const listener = listeners.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return listener(event, ...args);
  };
  return { handlers, listeners, call };
}

describe('validated IPC', () => {
  it('registers exactly one handler per channel of the contract', () => {
    const { listeners } = registered();
    expect([...listeners.keys()].sort()).toEqual(Object.values(IPC).sort());
    expect(Object.keys(ipcRequestSchemas).sort()).toEqual(Object.values(IPC).sort());
  });

  it('passes a valid request from the app window to the handler', async () => {
    const { call, handlers } = registered();
    const result = await call(IPC.ensureSigningKey, senderEvent(), 'reviewer-1');
    expect(result).toMatchObject({ ok: true, value: { keyId: 'reviewer-1' } });
    expect(handlers.ensureSigningKey).toHaveBeenCalledWith('reviewer-1');
    const signed = await call(IPC.sign, senderEvent(), { keyId: 'reviewer-1', message: new Uint8Array([1, 2, 3]) });
    expect(signed.ok).toBe(true);
  });

  it.each([
    [IPC.ensureSigningKey, ['../../etc/passwd']],
    [IPC.ensureSigningKey, [42]],
    [IPC.ensureSigningKey, []],
    [IPC.sign, [{ keyId: 'k', message: 'not bytes' }]],
    [IPC.sign, [{ keyId: 'k', message: new Uint8Array(1), extra: true }]],
    [IPC.openFiles, [{ title: 'x', extensions: ['../x'], multiple: false }]],
    [IPC.saveFile, [{ suggestedName: '../../.bashrc', bytes: new Uint8Array(1), mimeType: 'text/plain' }]],
    [IPC.saveFile, [{ suggestedName: 'a.zip', bytes: [1, 2, 3], mimeType: 'application/zip' }]],
    [IPC.info, ['unexpected']],
    [IPC.takeLaunchFile, [{}]],
  ] as const)('refuses an invalid payload on %s before the handler runs', async (channel, args) => {
    const { call, handlers } = registered();
    const result = await call(channel, senderEvent(), ...args);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(`Invalid request on ${channel}`);
    for (const spy of Object.values(handlers)) expect(spy).not.toHaveBeenCalled();
  });

  it.each([
    ['a subframe', { subframe: true }, 'not-main-frame'],
    ['another webContents', { id: 99 }, 'untrusted-contents'],
    ['a remote origin', { url: 'https://evil.example/' }, 'bad-origin'],
    ['a file:// page', { url: 'file:///tmp/index.html' }, 'bad-origin'],
    ['another app host', { url: 'app://other/index.html' }, 'bad-origin'],
    ['a destroyed frame', { noFrame: true }, 'no-frame'],
  ] as const)('refuses a request from %s', async (_label, options, reason) => {
    expect(senderProblem(senderEvent(options), policy)).toBe(reason);
    const { call, handlers } = registered();
    const result = await call(IPC.ensureSigningKey, senderEvent(options), 'reviewer-1');
    expect(result).toEqual({ ok: false, error: 'Request refused: it did not come from the application window.' });
    expect(handlers.ensureSigningKey).not.toHaveBeenCalled();
  });

  it('turns a thrown handler error into a Result without leaking its message', async () => {
    const { ipcMain, listeners } = fakeIpcMain();
    validatedHandle(
      ipcMain,
      IPC.takeLaunchFile,
      async () => {
        throw new Error('/home/alice/secret path');
      },
      policy,
      silent,
    );
    const result = await listeners.get(IPC.takeLaunchFile)?.(senderEvent());
    expect(result?.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('alice');
  });

  it('refuses to register a channel outside the contract', () => {
    const { ipcMain } = fakeIpcMain();
    expect(() => validatedHandle(ipcMain, 'other:channel' as IpcChannel, async () => ok(1), policy, silent)).toThrow(
      /not part of the contract/,
    );
  });
});

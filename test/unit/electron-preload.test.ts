import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../shared/contracts/ipc';
import type { HostApi } from '../../shared/contracts/host-api';

const bridge = vi.hoisted(() => ({
  exposed: [] as Array<{ key: string; api: unknown }>,
  invoke: vi.fn(async (channel: string, ..._args: unknown[]) => ({
    ok: true,
    value: channel === 'arw:host:info' ? { platform: 'electron' } : channel,
  })),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.push({ key, api }) },
  ipcRenderer: { invoke: bridge.invoke, on: vi.fn(), send: vi.fn() },
}));

beforeAll(async () => {
  await import('../../electron/preload/index');
});

describe('preload', () => {
  it('exposes exactly one object, window.desktop, with one method per HostApi channel and nothing else', () => {
    expect(bridge.exposed).toHaveLength(1);
    expect(bridge.exposed[0]?.key).toBe('desktop');
    const api = bridge.exposed[0]?.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(Object.keys(IPC).sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.values(api)).not.toContain(bridge.invoke);
  });

  it('maps every method to its channel and passes the request through unchanged', async () => {
    const api = bridge.exposed[0]?.api as HostApi;
    const message = new Uint8Array([1, 2]);
    await api.openFiles({ title: 't', extensions: ['csv'], multiple: true });
    await api.saveFile({ suggestedName: 'a.zip', bytes: message, mimeType: 'application/zip' });
    await api.ensureSigningKey('k');
    await api.sign({ keyId: 'k', message });
    await api.takeLaunchFile();
    await api.createProtectedKey({ keyId: 'k', profile: { id: 'p', name: 'P' }, passphrase: 'a long passphrase' });
    await api.keyStatus('k');
    await api.unlockKey({ keyId: 'k', passphrase: 'a long passphrase' });
    await api.lockKey('k');
    await api.changePassphrase({ keyId: 'k', oldPassphrase: 'a long passphrase', newPassphrase: 'another long one' });
    expect(await api.info()).toEqual({ platform: 'electron' });
    expect(bridge.invoke.mock.calls).toEqual([
      [IPC.openFiles, { title: 't', extensions: ['csv'], multiple: true }],
      [IPC.saveFile, { suggestedName: 'a.zip', bytes: message, mimeType: 'application/zip' }],
      [IPC.ensureSigningKey, 'k'],
      [IPC.sign, { keyId: 'k', message }],
      [IPC.takeLaunchFile],
      [IPC.createProtectedKey, { keyId: 'k', profile: { id: 'p', name: 'P' }, passphrase: 'a long passphrase' }],
      [IPC.keyStatus, 'k'],
      [IPC.unlockKey, { keyId: 'k', passphrase: 'a long passphrase' }],
      [IPC.lockKey, 'k'],
      [IPC.changePassphrase, { keyId: 'k', oldPassphrase: 'a long passphrase', newPassphrase: 'another long one' }],
      [IPC.info],
    ]);
  });
});

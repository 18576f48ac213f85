// The preload script (sandboxed, context-isolated): exposes exactly one object, window.desktop, whose
// methods each invoke one IPC channel of the contract. ipcRenderer itself is never exposed, and no
// event objects or callbacks cross the bridge.
import { contextBridge, ipcRenderer } from 'electron';
// The sandboxed preload takes the channel names and types straight from their files: the contracts' index would
// bundle every validator (zod) into it (758 kB instead of a few kB).
/* eslint-disable local/module-boundaries */
import type { HostApi, HostInfo, KeyStatus, PickedFile, PublicKeyInfo } from '../../shared/contracts/host-api';
import { IPC, type IpcChannel } from '../../shared/contracts/ipc-channels';
import type { Result } from '../../shared/contracts/result';

const invoke = <T>(channel: IpcChannel, ...args: unknown[]): Promise<Result<T>> =>
  ipcRenderer.invoke(channel, ...args) as Promise<Result<T>>;

const api = {
  async info() {
    const result = await invoke<HostInfo>(IPC.info);
    if (!result.ok) throw new Error(result.error);
    return result.value;
  },
  openFiles: (request) => invoke<PickedFile[]>(IPC.openFiles, request),
  saveFile: (request) => invoke<string | null>(IPC.saveFile, request),
  ensureSigningKey: (keyId) => invoke<PublicKeyInfo>(IPC.ensureSigningKey, keyId),
  sign: (request) => invoke<Uint8Array>(IPC.sign, request),
  takeLaunchFile: () => invoke<PickedFile | null>(IPC.takeLaunchFile),
  createProtectedKey: (request) => invoke<PublicKeyInfo>(IPC.createProtectedKey, request),
  keyStatus: (keyId) => invoke<KeyStatus>(IPC.keyStatus, keyId),
  unlockKey: (request) => invoke<true>(IPC.unlockKey, request),
  lockKey: (keyId) => invoke<true>(IPC.lockKey, keyId),
  changePassphrase: (request) => invoke<true>(IPC.changePassphrase, request),
} satisfies HostApi;

contextBridge.exposeInMainWorld('desktop', api);

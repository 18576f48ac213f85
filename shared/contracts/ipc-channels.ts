// IPC channel names alone, without their schemas: the sandboxed preload imports only this, so it
// does not bundle the schema library (main validates every request with the schemas in ./ipc).
export const IPC_PREFIX = 'arw:';

export const IPC = {
  info: 'arw:host:info',
  openFiles: 'arw:files:open',
  saveFile: 'arw:files:save',
  ensureSigningKey: 'arw:keys:ensure',
  sign: 'arw:keys:sign',
  createProtectedKey: 'arw:keys:create-protected',
  keyStatus: 'arw:keys:status',
  unlockKey: 'arw:keys:unlock',
  lockKey: 'arw:keys:lock',
  changePassphrase: 'arw:keys:change-passphrase',
  takeLaunchFile: 'arw:files:take-launch-file',
} as const;

export type IpcChannel = (typeof IPC)[keyof typeof IPC];

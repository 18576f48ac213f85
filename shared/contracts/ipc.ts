// IPC channels between preload and main, and the schemas every request is validated with on arrival.
import { z } from 'zod';

import { IPC, type IpcChannel } from './ipc-channels';

export { IPC, IPC_PREFIX, type IpcChannel } from './ipc-channels';

const bytes = z.instanceof(Uint8Array);
const passphrase = z.string().min(1).max(1024);
const keyId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'key id: 1-64 letters, digits, dot, underscore or dash');

/** Request schemas, by channel. A request that does not parse is refused before any handler runs. */
export const ipcRequestSchemas = {
  [IPC.info]: z.tuple([]),
  [IPC.openFiles]: z.tuple([
    z
      .object({
        title: z.string().max(200),
        extensions: z.array(z.string().regex(/^[a-z0-9]{1,10}$/i)).max(20),
        multiple: z.boolean(),
      })
      .strict(),
  ]),
  [IPC.saveFile]: z.tuple([
    z
      .object({
        suggestedName: z
          .string()
          .min(1)
          .max(255)
          .refine((n) => !/[\\/]|^\.\.?$/.test(n), 'a file name, not a path'),
        bytes: bytes.refine((b) => b.byteLength <= 2 * 1024 ** 3, 'at most 2 GiB'),
        mimeType: z.string().max(100),
      })
      .strict(),
  ]),
  [IPC.ensureSigningKey]: z.tuple([keyId]),
  [IPC.sign]: z.tuple([z.object({ keyId, message: bytes.refine((b) => b.byteLength <= 64 * 1024 ** 2, 'at most 64 MiB') }).strict()]),
  [IPC.takeLaunchFile]: z.tuple([]),
  [IPC.createProtectedKey]: z.tuple([
    z
      .object({ keyId, profile: z.object({ id: z.string().min(1).max(120), name: z.string().min(1).max(200) }).strict(), passphrase })
      .strict(),
  ]),
  [IPC.keyStatus]: z.tuple([keyId]),
  [IPC.unlockKey]: z.tuple([z.object({ keyId, passphrase }).strict()]),
  [IPC.lockKey]: z.tuple([keyId]),
  [IPC.changePassphrase]: z.tuple([z.object({ keyId, oldPassphrase: passphrase, newPassphrase: passphrase }).strict()]),
} as const satisfies Record<IpcChannel, z.ZodType>;

export function isIpcChannel(channel: string): channel is IpcChannel {
  return Object.values(IPC).includes(channel as IpcChannel);
}

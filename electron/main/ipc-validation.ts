// Every IPC request is checked on arrival before any handler runs: the channel has our prefix and a
// schema, the sender is one of our windows, the sending frame is that window's main frame, the frame's
// origin is our app protocol, and the arguments parse with the channel's schema. Handlers return
// Result values; a thrown error becomes a Result too and is logged without its message.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { z } from 'zod';
import type { HostApi } from '../../shared/contracts';
import { IPC, IPC_PREFIX, ipcRequestSchemas, type IpcChannel } from '../../shared/contracts';
import { fail, type Result } from '../../shared/contracts';
import { APP_HOST, APP_SCHEME } from './app-constants';
import { errorKind, type AppLog } from './app-log';

type Unwrapped<R> = Awaited<R> extends Result<infer T> ? T : Awaited<R>;

/** What main implements for each HostApi method: the same arguments, always a Result. */
export type HostHandlers = {
  [K in keyof typeof IPC]: (...args: Parameters<HostApi[K]>) => Promise<Result<Unwrapped<ReturnType<HostApi[K]>>>>;
};

export interface SenderPolicy {
  /** True for the webContents id of a window this app created and trusts. */
  isTrustedContents(id: number): boolean;
}

type InvokeEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** `null` when the sender may call us, otherwise the reason (logged, returned to nobody). */
export function senderProblem(event: InvokeEvent, policy: SenderPolicy): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'no-frame';
  if (!policy.isTrustedContents(event.sender.id)) return 'untrusted-contents';
  const main = event.sender.mainFrame;
  if (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId)) return 'not-main-frame';
  if (frame.parent !== null) return 'not-main-frame';
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return 'bad-origin';
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') return 'bad-origin';
  return null;
}

export function validatedHandle<C extends IpcChannel>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: C,
  handler: (...args: z.infer<(typeof ipcRequestSchemas)[C]>) => Promise<Result<unknown>>,
  policy: SenderPolicy,
  log: AppLog,
): void {
  if (!channel.startsWith(IPC_PREFIX) || !(channel in ipcRequestSchemas)) {
    throw new Error(`IPC channel ${channel} is not part of the contract`);
  }
  const schema = ipcRequestSchemas[channel];
  ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<Result<unknown>> => {
    const problem = senderProblem(event, policy);
    if (problem) {
      log.warn('ipc-refused', { channel, reason: problem });
      return fail('Request refused: it did not come from the application window.');
    }
    const parsed = schema.safeParse(args);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
      log.warn('ipc-invalid', { channel, issues: parsed.error.issues.length });
      return fail(`Invalid request on ${channel}${where}: ${first?.message ?? 'does not match the contract'}.`);
    }
    try {
      return await handler(...(parsed.data as z.infer<(typeof ipcRequestSchemas)[C]>));
    } catch (error) {
      log.error('ipc-handler-failed', { channel, kind: errorKind(error) });
      return fail('The application hit an unexpected error; the details are in its log.');
    }
  });
}

/** Registers one validated handler per channel of the contract. */
export function registerHostHandlers(ipcMain: Pick<IpcMain, 'handle'>, handlers: HostHandlers, policy: SenderPolicy, log: AppLog): void {
  validatedHandle(ipcMain, IPC.info, () => handlers.info(), policy, log);
  validatedHandle(ipcMain, IPC.openFiles, (request) => handlers.openFiles(request), policy, log);
  validatedHandle(ipcMain, IPC.saveFile, (request) => handlers.saveFile(request), policy, log);
  validatedHandle(ipcMain, IPC.ensureSigningKey, (keyId) => handlers.ensureSigningKey(keyId), policy, log);
  validatedHandle(ipcMain, IPC.sign, (request) => handlers.sign(request), policy, log);
  validatedHandle(ipcMain, IPC.takeLaunchFile, () => handlers.takeLaunchFile(), policy, log);
  validatedHandle(ipcMain, IPC.createProtectedKey, (request) => handlers.createProtectedKey(request), policy, log);
  validatedHandle(ipcMain, IPC.keyStatus, (keyId) => handlers.keyStatus(keyId), policy, log);
  validatedHandle(ipcMain, IPC.unlockKey, (request) => handlers.unlockKey(request), policy, log);
  validatedHandle(ipcMain, IPC.lockKey, (keyId) => handlers.lockKey(keyId), policy, log);
  validatedHandle(ipcMain, IPC.changePassphrase, (request) => handlers.changePassphrase(request), policy, log);
}

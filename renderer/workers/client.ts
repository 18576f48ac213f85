// Run a task in a fresh Web Worker through shared/rpc: progress, cancel (an AbortSignal), and calls back to the UI
// thread (signing with the host's key).
import type { TaskProgress } from './protocol';
import type { TaskMap } from './tasks';
import { CancelledError } from '../../shared/model';
import { connect, type CallContext, type Handlers } from '../../shared/rpc';

export interface TaskHandle<R> {
  result: Promise<R>;
  cancel(): void;
}

export interface TaskHooks {
  onProgress?: (p: TaskProgress) => void;
  /** Answers the worker's calls (only "sign" today). */
  onCall?: (method: string, args: unknown) => Promise<unknown>;
  /** Aborting it cancels the task, as cancel() does. */
  signal?: AbortSignal;
}

type TaskHandlers = { [M in keyof TaskMap]: (args: TaskMap[M]['args'], ctx: CallContext<TaskProgress>) => Promise<TaskMap[M]['result']> };

/** A task that does not stop within this long after its cancellation is stopped by terminating its worker. */
const CANCEL_GRACE_MS = 5000;

export function runTask<M extends keyof TaskMap>(
  method: M,
  args: TaskMap[M]['args'],
  hooks: TaskHooks = {},
  transfer: Transferable[] = [],
): TaskHandle<TaskMap[M]['result']> {
  const worker = new Worker(new URL('./workbench.worker.ts', import.meta.url), { type: 'module', name: `arw-${method}` });
  const onCall = hooks.onCall ?? ((name: string) => Promise.reject(new Error(`no handler for ${name}`)));
  const served: Handlers = { sign: (callArgs: unknown) => onCall('sign', callArgs) };
  const channel = connect<TaskHandlers>(worker, served);
  const abort = new AbortController();
  let cancelTimer: ReturnType<typeof setTimeout> | undefined;
  worker.onerror = (event) => channel.close(new Error(event.message || 'the worker failed'));
  const result = channel.call(method, args as never, { signal: abort.signal, onProgress: hooks.onProgress, transfer }).finally(() => {
    if (cancelTimer) clearTimeout(cancelTimer);
    worker.terminate();
  }) as Promise<TaskMap[M]['result']>;
  const cancel = () => {
    if (abort.signal.aborted) return;
    // Cooperative cancel first (the task aborts its transaction); terminate if it does not answer.
    abort.abort();
    cancelTimer = setTimeout(() => channel.close(new CancelledError()), CANCEL_GRACE_MS);
  };
  if (hooks.signal?.aborted) cancel();
  else hooks.signal?.addEventListener('abort', cancel, { once: true });
  return { result, cancel };
}

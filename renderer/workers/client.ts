// Run a task in a fresh Web Worker: progress, cancel, and calls back to the UI thread.
import type { FromWorker, TaskProgress, ToWorker } from './protocol';
import type { TaskMap } from './tasks';
import { CancelledError } from '../../shared/model';

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

/** The one cancellation error (shared/model), under the name the screens use. */
export { CancelledError as TaskCancelled } from '../../shared/model';

export function runTask<M extends keyof TaskMap>(method: M, args: TaskMap[M]['args'], hooks: TaskHooks = {}, transfer: Transferable[] = []): TaskHandle<TaskMap[M]['result']> {
  const worker = new Worker(new URL('./workbench.worker.ts', import.meta.url), { type: 'module', name: `arw-${method}` });
  let settled = false;
  let cancelTimer: ReturnType<typeof setTimeout> | undefined;
  let rejectFn: (e: Error) => void = () => {};
  const result = new Promise<TaskMap[M]['result']>((resolve, reject) => {
    rejectFn = reject;
    const finish = () => {
      settled = true;
      if (cancelTimer) clearTimeout(cancelTimer);
      worker.terminate();
    };
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const msg = event.data;
      if (msg.kind === 'progress') hooks.onProgress?.(msg.progress);
      else if (msg.kind === 'result') {
        finish();
        resolve(msg.value as TaskMap[M]['result']);
      } else if (msg.kind === 'error') {
        finish();
        reject(msg.cancelled ? new CancelledError() : new Error(msg.error));
      } else if (msg.kind === 'call') {
        const answer = hooks.onCall ? hooks.onCall(msg.method, msg.args) : Promise.reject(new Error(`no handler for ${msg.method}`));
        answer.then(
          (value) => worker.postMessage({ kind: 'reply', callId: msg.callId, ok: true, value } satisfies ToWorker),
          (error: unknown) => worker.postMessage({ kind: 'reply', callId: msg.callId, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies ToWorker),
        );
      }
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(event.message || 'the worker failed'));
    };
  });
  worker.postMessage({ kind: 'start', method, args } satisfies ToWorker, transfer);
  const handle = {
    result,
    cancel() {
      if (settled) return;
      worker.postMessage({ kind: 'cancel' } satisfies ToWorker);
      // Cooperative cancel first (the task aborts its transaction); terminate if it does not answer.
      cancelTimer = setTimeout(() => {
        if (settled) return;
        settled = true;
        worker.terminate();
        rejectFn(new CancelledError());
      }, 5000);
    },
  };
  if (hooks.signal?.aborted) handle.cancel();
  else hooks.signal?.addEventListener('abort', () => handle.cancel(), { once: true });
  return handle;
}

// The task worker: runs one task from ./tasks and reports progress, result or error.
import { z } from 'zod';
import type { FromWorker, ToWorker } from './protocol';
import { tasks } from './tasks';
import type { TaskContext } from './protocol';
import { isCancellation } from '../../shared/model';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
// Strict CSP without 'unsafe-eval' (desktop app): zod must not probe for eval.
z.config({ jitless: true });

// Cancelling the task aborts this signal; the task and the shared/ steps it runs check it.
const abort = new AbortController();
let nextCall = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let lastProgress = 0;

const ctx: TaskContext = {
  progress(p) {
    const now = performance.now();
    if (now - lastProgress < 50 && p.done !== p.total) return;
    lastProgress = now;
    scope.postMessage({ kind: 'progress', progress: p });
  },
  signal: abort.signal,
  isCancelled: () => abort.signal.aborted,
  call(method, args) {
    const callId = nextCall++;
    return new Promise((resolve, reject) => {
      pending.set(callId, { resolve, reject });
      scope.postMessage({ kind: 'call', callId, method, args });
    });
  },
};

function transferablesOf(value: unknown): Transferable[] {
  if (value && typeof value === 'object' && 'bytes' in value && (value as { bytes: unknown }).bytes instanceof Uint8Array) {
    return [((value as { bytes: Uint8Array }).bytes.buffer as ArrayBuffer)];
  }
  return [];
}

scope.onmessage = (event) => {
  const msg = event.data;
  if (msg.kind === 'cancel') {
    abort.abort();
    return;
  }
  if (msg.kind === 'reply') {
    const p = pending.get(msg.callId);
    pending.delete(msg.callId);
    if (p) {
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(msg.error ?? 'call failed'));
    }
    return;
  }
  const run = (tasks as Record<string, (args: unknown, ctx: TaskContext) => Promise<unknown>>)[msg.method];
  if (!run) {
    scope.postMessage({ kind: 'error', error: `unknown task ${msg.method}` });
    return;
  }
  run(msg.args, ctx).then(
    (value) => scope.postMessage({ kind: 'result', value }, transferablesOf(value)),
    (error: unknown) => scope.postMessage({ kind: 'error', error: error instanceof Error ? error.message : String(error), cancelled: abort.signal.aborted || isCancellation(error) }),
  );
};

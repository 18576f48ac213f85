// Starting a nested worker from a task worker. Chromium loads a nested worker's script through its parent, so a
// parent busy with a long synchronous job (building or verifying a package) holds the child's start back, and
// whatever was posted to it waits: the parent waits for the child to say it is ready (connect(…, { ready: true }))
// before the job begins.
import { isReadySignal } from '../../shared/rpc';

const READY_TIMEOUT_MS = 5_000;

export interface NestedWorker {
  worker: Worker | null;
  /** Resolves true once the worker has started, false if it could not (the caller then works alone). */
  ready: Promise<boolean>;
}

/**
 * `create` must construct the worker as `new Worker(new URL('./x.worker.ts', import.meta.url), ...)` itself: that
 * literal form is how Vite finds and bundles a worker's script.
 */
export function startNestedWorker(create: () => Worker): NestedWorker {
  let worker: Worker | null;
  try {
    worker = typeof Worker === 'function' ? create() : null;
  } catch {
    worker = null;
  }
  const w = worker;
  if (!w) return { worker: null, ready: Promise.resolve(false) };
  const ready = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      resolve(ok);
    };
    const onMessage = (event: MessageEvent<unknown>) => {
      if (isReadySignal(event.data)) done(true);
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      done(false);
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
  });
  return { worker: w, ready };
}

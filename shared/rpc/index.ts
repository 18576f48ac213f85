// The one request/reply mechanism between threads (web workers, nested workers, Node worker threads): typed calls
// with progress, one cancellation (the caller's AbortSignal aborts the handler's signal; a cancelled call rejects
// with CancelledError) and errors that keep their name. Either side may serve calls, so a worker can ask its
// caller for what only the caller can do (sign with the host's key). A subscription is a call that reports
// updates as progress until the caller aborts it.
import { CancelledError } from '../model';

/** What both ends of a channel are: a Worker, a worker's global scope, a MessagePort (see nodeEndpoint for Node). */
export interface Endpoint {
  postMessage(message: unknown, transfer?: object[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** What a handler gets besides its arguments. */
export interface CallContext<P = unknown> {
  /** Aborted when the caller cancels the call. */
  signal: AbortSignal;
  /** Reports progress (or, for a subscription, an update) to the caller. */
  progress(value: P, transfer?: object[]): void;
  /** Calls a handler the caller serves (e.g. "sign"). */
  call(method: string, args: unknown): Promise<unknown>;
}

export type Handler<A = never, R = unknown, P = unknown> = (args: A, ctx: CallContext<P>) => R | Promise<R>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handler maps are checked where they are declared
export type Handlers = Record<string, Handler<any, any, any>>;

export type ArgsOf<H> = H extends (args: infer A, ctx: CallContext<never>) => unknown ? A : never;
export type ResultOf<H> = H extends (...a: never[]) => infer R ? Awaited<R> : never;
export type ProgressOf<H> = H extends (args: never, ctx: CallContext<infer P>) => unknown ? P : never;

export interface CallOptions<P> {
  signal?: AbortSignal;
  onProgress?: (value: P) => void;
  transfer?: object[];
  /** Handlers this caller serves to this call's handler only (its ctx.call), before the channel's own. */
  serve?: Handlers;
}

/** A reply whose buffers are moved to the caller rather than copied. */
export class Transfer<T> {
  constructor(
    readonly value: T,
    readonly transfer: object[],
  ) {}
}
export const transfer = <T>(value: T, list: object[]): T => new Transfer(value, list) as unknown as T;

export interface Channel<H extends Handlers> {
  call<M extends keyof H & string>(method: M, args: ArgsOf<H[M]>, options?: CallOptions<ProgressOf<H[M]>>): Promise<ResultOf<H[M]>>;
  /** Rejects every waiting call with `error` (the other side stopped) and stops listening. */
  close(error?: Error): void;
  /** How many of this side's calls wait for their answer. */
  pending(): number;
}

/** An error as it crosses: its name kept, so a CancelledError or a typed failure stays one. */
export interface WireError {
  name: string;
  message: string;
}
type Message =
  | { rpc: 'call'; id: number; method: string; args: unknown; parent?: number }
  | { rpc: 'cancel'; id: number }
  | { rpc: 'progress'; id: number; value: unknown }
  | { rpc: 'result'; id: number; value: unknown }
  | { rpc: 'error'; id: number; error: WireError }
  | { rpc: 'ready' }
  | { rpc: 'ping' }
  | { rpc: 'pong' }
  | { rpc: 'hold'; lock: string }
  | { rpc: 'held'; lock: string };

export function toWire(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export function fromWire(error: WireError): Error {
  if (error.name === 'CancelledError' || error.name === 'AbortError') return new CancelledError(error.message);
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}

const isMessage = (data: unknown): data is Message =>
  typeof data === 'object' && data !== null && typeof (data as { rpc?: unknown }).rpc === 'string';

/**
 * Connects to `endpoint`: serves `handlers` to the other side and calls the handlers it serves (`H`).
 * `ready` posts the ready signal nested workers wait for (startNestedWorker).
 */
export function connect<H extends Handlers = Handlers>(
  endpoint: Endpoint,
  handlers: Handlers = {},
  options: { ready?: boolean } = {},
): Channel<H> {
  let next = 1;
  const waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (v: never) => void; serve?: Handlers; detach: () => void }
  >();
  const running = new Map<number, AbortController>();
  let closed: Error | null = null;

  const post = (message: Message, list: object[] = []) => endpoint.postMessage(message, list);

  const serve = (msg: Extract<Message, { rpc: 'call' }>) => {
    // A call made by the handler of one of our calls is answered by that call's own handlers first.
    const handler = (msg.parent !== undefined ? waiting.get(msg.parent)?.serve?.[msg.method] : undefined) ?? handlers[msg.method];
    if (!handler) return post({ rpc: 'error', id: msg.id, error: { name: 'Error', message: `unknown method ${msg.method}` } });
    const abort = new AbortController();
    running.set(msg.id, abort);
    const ctx: CallContext = {
      signal: abort.signal,
      progress: (value, list) => {
        if (running.has(msg.id)) post({ rpc: 'progress', id: msg.id, value }, list);
      },
      call: (method, args) => send(method, args, {}, msg.id),
    };
    new Promise((resolve) => resolve(handler(msg.args as never, ctx))).then(
      (value) => {
        running.delete(msg.id);
        if (value instanceof Transfer) post({ rpc: 'result', id: msg.id, value: value.value }, value.transfer);
        else post({ rpc: 'result', id: msg.id, value });
      },
      (error: unknown) => {
        running.delete(msg.id);
        // A handler that stops on its signal may throw anything: the caller asked for it, so it is a cancellation.
        post({ rpc: 'error', id: msg.id, error: abort.signal.aborted ? { name: 'CancelledError', message: 'cancelled' } : toWire(error) });
      },
    );
  };

  const listener = ({ data }: { data: unknown }) => {
    if (!isMessage(data)) return;
    if (data.rpc === 'call') serve(data);
    else if (data.rpc === 'ping') post({ rpc: 'pong' });
    else if (data.rpc === 'hold') holdLock(data.lock, () => post({ rpc: 'held', lock: data.lock }));
    else if (data.rpc === 'cancel') running.get(data.id)?.abort();
    else if (data.rpc === 'progress') waiting.get(data.id)?.onProgress?.(data.value as never);
    else if (data.rpc === 'result' || data.rpc === 'error') {
      const w = waiting.get(data.id);
      if (!w) return;
      waiting.delete(data.id);
      w.detach();
      if (data.rpc === 'result') w.resolve(data.value);
      else w.reject(fromWire(data.error));
    }
  };
  endpoint.addEventListener('message', listener);

  const send = (method: string, args: unknown, options: CallOptions<unknown>, parent?: number): Promise<unknown> => {
    if (closed) return Promise.reject(closed);
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    const id = next++;
    return new Promise((resolve, reject) => {
      const signal = options.signal;
      const onAbort = () => post({ rpc: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress as ((v: never) => void) | undefined,
        serve: options.serve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      });
      try {
        post(parent === undefined ? { rpc: 'call', id, method, args } : { rpc: 'call', id, method, args, parent }, options.transfer);
      } catch (error) {
        waiting.delete(id);
        signal?.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  };

  const channel: Channel<H> = {
    call: (method, args, options = {}) => send(method, args, options as CallOptions<unknown>) as never,
    pending: () => waiting.size,
    close(error = new Error('the channel was closed')) {
      closed = error;
      endpoint.removeEventListener('message', listener);
      for (const abort of running.values()) abort.abort();
      running.clear();
      for (const w of waiting.values()) {
        w.detach();
        w.reject(error);
      }
      waiting.clear();
    },
  };
  if (options.ready) post({ rpc: 'ready' });
  return channel;
}

/** A thread that stopped (crashed, failed to load, exited, or killed silently at its heap limit) while calls waited. */
export class WorkerStoppedError extends Error {
  override name = 'WorkerStoppedError';
  constructor(
    /** Which worker, as the UI names it ("import", "backend"…). */
    readonly worker: string,
    readonly detail: string,
  ) {
    super(`The ${worker} worker stopped unexpectedly (out of memory?): ${detail}`);
  }
}

/** Web Locks as the platform offers them (browsers and Electron; absent in Node). */
interface LockManagerLike {
  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
}
const lockManager = (): LockManagerLike | null => (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks ?? null;

/** The worker's side of the lock check: held until this thread ends (the platform releases it then). */
function holdLock(name: string, held: () => void): void {
  const locks = lockManager();
  if (!locks) return;
  void locks.request(name, () => {
    held();
    return new Promise(() => {});
  });
}

/** How a thread tells that it stopped: its error, messageerror and (Node) exit events. */
export interface StopEvents {
  /** Calls `stopped` when the thread fails or ends; returns what stops listening. */
  listen(stopped: (detail: string) => void): () => void;
}

/** A browser Worker's stop events: `error` (an uncaught error, or the script failed to load) and `messageerror`. */
export function webWorkerStops(worker: {
  addEventListener(type: 'error' | 'messageerror', fn: (event: { message?: string; preventDefault?(): void }) => void): void;
  removeEventListener(type: 'error' | 'messageerror', fn: (event: { message?: string; preventDefault?(): void }) => void): void;
}): StopEvents {
  return {
    listen(stopped) {
      const onError = (event: { message?: string; preventDefault?(): void }) => {
        event.preventDefault?.();
        stopped(event.message || 'it failed (an uncaught error, or its script did not load)');
      };
      const onMessageError = () => stopped('a message from it could not be read');
      worker.addEventListener('error', onError);
      worker.addEventListener('messageerror', onMessageError);
      return () => {
        worker.removeEventListener('error', onError);
        worker.removeEventListener('messageerror', onMessageError);
      };
    },
  };
}

/** A Node worker_threads Worker's stop events: `error`, `messageerror` and `exit`. */
export function nodeWorkerStops(worker: {
  on(event: 'error' | 'messageerror' | 'exit', fn: (value: unknown) => void): unknown;
  off(event: 'error' | 'messageerror' | 'exit', fn: (value: unknown) => void): unknown;
}): StopEvents {
  return {
    listen(stopped) {
      const onError = (e: unknown) => stopped(e instanceof Error ? e.message : String(e));
      const onMessageError = () => stopped('a message from it could not be read');
      const onExit = (code: unknown) => stopped(`it exited (code ${String(code)})`);
      worker.on('error', onError);
      worker.on('messageerror', onMessageError);
      worker.on('exit', onExit);
      return () => {
        worker.off('error', onError);
        worker.off('messageerror', onMessageError);
        worker.off('exit', onExit);
      };
    },
  };
}

export interface SuperviseOptions {
  /** The worker as the UI names it in the error ("import", "backend"…). */
  name: string;
  /** While a call waits, the worker is pinged this often… */
  pingMs?: number;
  /** …and deemed gone when nothing at all (answer, progress, pong) has come from it for this long. */
  silentMs?: number;
  /** Called once, after the waiting calls were rejected. */
  onStopped?: (error: WorkerStoppedError) => void;
}

let locks = 0;

/**
 * Watches the thread behind `channel` so that no caller waits forever: when it fails (error, messageerror, exit),
 * when the lock it holds is released (the platform ends a killed worker's locks), or when it stays silent to pings
 * for `silentMs` while calls wait, the channel closes and every waiting call rejects with WorkerStoppedError.
 * Returns what stops watching (call it before terminating the worker on purpose).
 */
export function superviseWorker(endpoint: Endpoint, channel: Channel<Handlers>, events: StopEvents, options: SuperviseOptions): () => void {
  const pingMs = options.pingMs ?? 5_000;
  const silentMs = options.silentMs ?? 60_000;
  let watching = true;
  let lastHeard = Date.now();
  const stop = (detail: string) => {
    if (!watching) return;
    unwatch();
    const error = new WorkerStoppedError(options.name, detail);
    channel.close(error);
    options.onStopped?.(error);
  };
  const heard = () => {
    lastHeard = Date.now();
  };
  endpoint.addEventListener('message', heard);
  const stopListening = events.listen(stop);
  // A silent kill leaves no event: the ping finds it while a call waits (a busy worker still reports progress).
  const timer = setInterval(() => {
    if (channel.pending() === 0) return heard();
    if (Date.now() - lastHeard > silentMs) return stop(`it has not answered for ${silentMs / 1000} s`);
    endpoint.postMessage({ rpc: 'ping' } satisfies Message);
  }, pingMs);
  (timer as { unref?: () => void }).unref?.();
  // Where the platform has Web Locks, the worker holds one for its life: getting it means the worker is gone.
  const manager = lockManager();
  const lock = `arw-worker-alive-${options.name}-${Date.now()}-${++locks}`;
  const onHeld = ({ data }: { data: unknown }) => {
    if (!manager || !isMessage(data) || data.rpc !== 'held' || data.lock !== lock) return;
    endpoint.removeEventListener('message', onHeld);
    void manager.request(lock, async () => stop('it ended'));
  };
  if (manager) {
    endpoint.addEventListener('message', onHeld);
    endpoint.postMessage({ rpc: 'hold', lock } satisfies Message);
  }
  const unwatch = () => {
    watching = false;
    clearInterval(timer);
    stopListening();
    endpoint.removeEventListener('message', heard);
    endpoint.removeEventListener('message', onHeld);
  };
  return unwatch;
}

/** True for the ready signal of connect(…, { ready: true }). */
export const isReadySignal = (data: unknown): boolean => isMessage(data) && data.rpc === 'ready';

/** Node's worker_threads Worker (an EventEmitter) as an Endpoint. */
export function nodeEndpoint(emitter: {
  postMessage(message: unknown, transfer?: readonly object[]): void;
  on(event: 'message', fn: (data: unknown) => void): unknown;
  off(event: 'message', fn: (data: unknown) => void): unknown;
}): Endpoint {
  const wrapped = new Map<(event: { data: unknown }) => void, (data: unknown) => void>();
  return {
    postMessage: (message, list) => emitter.postMessage(message, list),
    addEventListener(_type, listener) {
      const fn = (data: unknown) => listener({ data });
      wrapped.set(listener, fn);
      emitter.on('message', fn);
    },
    removeEventListener(_type, listener) {
      const fn = wrapped.get(listener);
      wrapped.delete(listener);
      if (fn) emitter.off('message', fn);
    },
  };
}

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
  | { rpc: 'ready' };

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

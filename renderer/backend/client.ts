// The UI thread's side of the backend worker: send a command, or read a live query with useBackendQuery (the
// component re-renders when the records it shows change, wherever they were written).
import { useEffect, useState } from 'react';
import { CancelledError, isCancellation } from '../../shared/model';
import { WorkerStoppedError, connect, superviseWorker, webWorkerStops, type Channel, type Handlers } from '../../shared/rpc';
import { i18n } from '../i18n';
import type { AuditEvent } from '../../shared/review';
import type { BackendHandlers, Commands, Queries, QueryName } from './service';
import type { TaskProgress } from './protocol';
import type { TaskMap } from './tasks';

let channel: Channel<BackendHandlers> | null = null;

function backend(): Channel<BackendHandlers> {
  if (!channel) {
    const worker = new Worker(new URL('./backend.worker.ts', import.meta.url), { type: 'module', name: 'arw-backend' });
    const c = connect<BackendHandlers>(worker);
    // A backend that dies (killed at its heap limit, crashed) rejects what waits; the next command starts a fresh one.
    superviseWorker(worker, c, webWorkerStops(worker), {
      name: 'backend',
      // A task's long synchronous step (a suggestion run) may not answer pings for a while: the lock check is the quick one.
      silentMs: 180_000,
      onStopped: (error) => {
        console.error(error.message);
        if (channel === c) channel = null;
        worker.terminate();
      },
    });
    channel = c;
  }
  return channel;
}

/** The worker a task is reported under when it stops mid-task. */
const TASK_WORKER: Record<keyof TaskMap, string> = {
  importSnapshot: 'import',
  readWorkbook: 'import',
  openSnapshot: 'import',
  suggest: 'campaign',
  createCampaign: 'campaign',
  previewBaseline: 'campaign',
  buildPackage: 'export',
  verifyPackage: 'verify',
  issueWorkPackages: 'exchange',
  mergeDecisionSets: 'exchange',
  issueApprovalPackage: 'exchange',
  buildMergedPackage: 'exchange',
  receiveWorkPackage: 'exchange',
  buildReturnSet: 'exchange',
};

/** A stopped worker's error in the UI's language, named after the task it ran; any other error as it came. */
function shown(error: unknown, name: string): unknown {
  if (!(error instanceof WorkerStoppedError)) return error;
  const worker = TASK_WORKER[name as keyof TaskMap] ?? error.worker;
  const e = new Error(i18n.t('common.workerStopped', { worker, detail: error.detail }));
  e.name = error.name;
  return e;
}

type CommandArgs<K extends keyof Commands> = Parameters<Commands[K]>[0];
type CommandResult<K extends keyof Commands> = Awaited<ReturnType<Commands[K]>>;

export interface CommandOptions {
  /** Aborting it cancels the command (a long task stops and rolls back; the call rejects with CancelledError). */
  signal?: AbortSignal;
  onProgress?: (p: TaskProgress) => void;
  /** Answers the task's calls back to this thread (only "sign": the host's key never reaches a worker). */
  onCall?: (method: string, args: unknown) => Promise<unknown>;
  /** Buffers of the arguments moved to the backend rather than copied. */
  transfer?: Transferable[];
}

/** Sends a command to the backend; resolves once it is done (written, where it writes). */
export function command<K extends keyof Commands>(
  name: K,
  ...rest: CommandArgs<K> extends undefined
    ? [args?: undefined, options?: CommandOptions]
    : [args: CommandArgs<K>, options?: CommandOptions]
): Promise<CommandResult<K>> {
  const [args, options = {}] = rest;
  const onCall = options.onCall;
  const serve: Handlers = onCall ? { sign: (callArgs: unknown) => onCall('sign', callArgs) } : {};
  return backend()
    .call(name, args as never, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress as never } : {}),
      ...(options.transfer ? { transfer: options.transfer } : {}),
      serve,
    })
    .catch((error: unknown) => {
      throw shown(error, name);
    }) as Promise<CommandResult<K>>;
}

export interface TaskHandle<R> {
  result: Promise<R>;
  cancel(): void;
}

export type TaskHooks = Omit<CommandOptions, 'transfer'>;

/** A task that does not stop within this long after its cancellation is given up on (the screen is freed). */
const CANCEL_GRACE_MS = 5000;

/** A long task as a command of the backend, with a handle to cancel it (as the screens' Cancel buttons do). */
export function runTask<M extends keyof TaskMap>(
  method: M,
  args: TaskMap[M]['args'],
  hooks: TaskHooks = {},
  transfer: Transferable[] = [],
): TaskHandle<TaskMap[M]['result']> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let giveUp = () => {};
  const givenUp = new Promise<never>((_, reject) => {
    giveUp = () => reject(new CancelledError());
  });
  const cancel = () => {
    if (abort.signal.aborted) return;
    // Cooperative cancel (the task aborts its transaction); the caller stops waiting if it does not answer.
    abort.abort();
    timer = setTimeout(giveUp, CANCEL_GRACE_MS);
  };
  if (hooks.signal?.aborted) cancel();
  else hooks.signal?.addEventListener('abort', cancel, { once: true });
  const call = (command as (name: M, args: unknown, options: CommandOptions) => Promise<TaskMap[M]['result']>)(method, args, {
    ...hooks,
    signal: abort.signal,
    transfer,
  });
  const result = Promise.race([call, givenUp]).finally(() => clearTimeout(timer));
  return { result, cancel };
}

type QueryArgs<Q extends QueryName> = Parameters<Queries[Q]>[0];
type QueryResult<Q extends QueryName> = Awaited<ReturnType<Queries[Q]>>;

/** Subscribes to a live query: `onValue` gets each result until the returned function is called. */
export function subscribe<Q extends QueryName>(query: Q, args: QueryArgs<Q>, onValue: (value: QueryResult<Q>) => void): () => void {
  const abort = new AbortController();
  const start = () =>
    backend()
      .call('watch', { query, args }, { signal: abort.signal, onProgress: (value) => onValue(value as QueryResult<Q>) })
      .catch((e: unknown) => {
        if (isCancellation(e)) return;
        console.error(`backend query ${query} failed`, e);
        // The backend stopped: the query goes on against the fresh one.
        if (e instanceof WorkerStoppedError && !abort.signal.aborted) setTimeout(start, 1000);
      });
  start();
  return () => abort.abort();
}

/** A live query's latest result (undefined until the first arrives), re-read when `args` (by value) change. */
export function useBackendQuery<Q extends QueryName>(
  query: Q,
  ...rest: QueryArgs<Q> extends undefined ? [] : [QueryArgs<Q>]
): QueryResult<Q> | undefined {
  const args = rest[0];
  const key = JSON.stringify(args ?? null);
  const [state, setState] = useState<{ key: string; value: QueryResult<Q> | undefined }>({ key, value: undefined });
  useEffect(() => subscribe(query, args as QueryArgs<Q>, (value) => setState({ key, value })), [query, key]); // eslint-disable-line react-hooks/exhaustive-deps -- args are compared by value (key)
  // A result for other arguments is not shown while the new one loads.
  return state.key === key ? state.value : undefined;
}

/** A campaign's audit log as it grows: `onEvents` gets the new events each time (first: all so far, maybe none). */
export function subscribeEvents(campaignId: string, onEvents: (events: AuditEvent[]) => void): () => void {
  const abort = new AbortController();
  const start = () =>
    backend()
      .call('watchEvents', { campaignId }, { signal: abort.signal, onProgress: onEvents })
      .catch((e: unknown) => {
        if (isCancellation(e)) return;
        console.error('audit log subscription failed', e);
        // After a backend restart the log is reported from its start again (useItemStateLog skips what it has).
        if (e instanceof WorkerStoppedError && !abort.signal.aborted) setTimeout(start, 1000);
      });
  start();
  return () => abort.abort();
}

/** A stored setting (undefined when never set). */
export const getSetting = <T>(key: string): Promise<T | undefined> => command('getSetting', { key }) as Promise<T | undefined>;
export const putSetting = (key: string, value: unknown): Promise<void> => command('putSetting', { key, value });

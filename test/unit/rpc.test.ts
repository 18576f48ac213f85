// The one request/reply mechanism (shared/rpc) over real threads: a worker_threads worker (structured clone,
// transfer, its own event loop) and a MessageChannel. A call is answered once; progress keeps its labelKey; an
// error keeps its name; the caller's AbortSignal stops the handler mid-task and the call rejects as CancelledError.
import { MessageChannel, Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../shared/model';
import {
  WorkerStoppedError,
  connect,
  isReadySignal,
  nodeEndpoint,
  nodeWorkerStops,
  superviseWorker,
  transfer,
  type Channel,
  type Endpoint,
  type StopEvents,
} from '../../shared/rpc';
import type { TestHandlers } from '../fixtures/rpc/rpc-worker';

let worker: Worker;
let channel: Channel<TestHandlers>;
const stoppedAfter: number[] = [];
let script = '';

beforeAll(async () => {
  const bundled = await build({
    entryPoints: ['test/fixtures/rpc/rpc-worker.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  script = bundled.outputFiles[0]!.text;
  worker = new Worker(script, { eval: true });
  const ready = new Promise<void>((resolve) => worker.on('message', (data) => isReadySignal(data) && resolve()));
  channel = connect<TestHandlers>(nodeEndpoint(worker), {
    answer: ({ question }: { question: string }) => `${question.length} letters`,
    stopped: ({ ticks }: { ticks: number }) => void stoppedAfter.push(ticks),
  });
  await ready;
});

afterAll(async () => {
  channel.close();
  await worker.terminate();
});

describe('shared/rpc over a worker thread', () => {
  it('answers each call with its own result, in any order', async () => {
    const sums = await Promise.all([1, 2, 3, 4].map((n) => channel.call('add', { a: n, b: 10 * n })));
    expect(sums).toStrictEqual([11, 22, 33, 44]);
  });

  it('rejects with the error the handler threw, its name and message kept', async () => {
    const error = await channel.call('fail', { name: 'RangeError', message: 'too many rows in sheet Decisions' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('RangeError');
    expect((error as Error).message).toBe('too many rows in sheet Decisions');
    const cancelled = await channel.call('fail', { name: 'CancelledError', message: 'cancelled' }).catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(CancelledError);
  });

  it('reports progress, with its labelKey, before the result', async () => {
    const seen: { labelKey: string; done: number; total: number }[] = [];
    const result = await channel.call('count', { to: 5 }, { onProgress: (p) => seen.push(p) });
    expect(result).toBe(5);
    expect(seen.map((p) => p.done)).toStrictEqual([1, 2, 3, 4, 5]);
    expect(seen.every((p) => p.labelKey === 'progress.counting' && p.total === 5)).toBe(true);
  });

  it('lets the worker call back to the caller mid-call', async () => {
    expect(await channel.call('ask', { question: 'who signs' })).toBe('who signs → 9 letters');
  });

  it("answers a handler's call back with its own call's handlers first (two tasks, two signers)", async () => {
    const [a, b, plain] = await Promise.all([
      channel.call('ask', { question: 'Ada' }, { serve: { answer: () => 'signed by Ada' } }),
      channel.call('ask', { question: 'Jun' }, { serve: { answer: () => 'signed by Jun' } }),
      channel.call('ask', { question: 'nobody' }),
    ]);
    expect([a, b, plain]).toStrictEqual(['Ada → signed by Ada', 'Jun → signed by Jun', 'nobody → 6 letters']);
  });

  it('cancels mid-task: the handler sees its signal abort, and the call rejects as CancelledError', async () => {
    const abort = new AbortController();
    let ticks = 0;
    const call = channel.call('spin', null, {
      signal: abort.signal,
      onProgress: (n) => {
        ticks = n;
        if (n === 3) abort.abort();
      },
    });
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    expect(ticks).toBeGreaterThanOrEqual(3);
    // The handler stopped on the signal (it reported how far it got before rejecting).
    expect(stoppedAfter.at(-1)).toBeGreaterThanOrEqual(3);
    // A signal already aborted sends nothing.
    await expect(channel.call('add', { a: 1, b: 1 }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
    // The channel goes on serving after a cancellation.
    expect(await channel.call('add', { a: 2, b: 2 })).toBe(4);
  });

  it('an unknown method is an error naming it', async () => {
    await expect((channel as unknown as Channel<{ nope: () => void }>).call('nope', undefined as never)).rejects.toThrow(
      /unknown method nope/,
    );
  });
});

describe('shared/rpc over a MessageChannel', () => {
  it('moves a transferred reply rather than copying it, and close() rejects what still waits', async () => {
    const { port1, port2 } = new MessageChannel();
    const kept = new Uint8Array(1024);
    const served = connect(port2 as unknown as Endpoint, {
      bytes: () => transfer(kept, [kept.buffer]),
      never: () => new Promise(() => {}),
    });
    const caller = connect<{ bytes: () => Uint8Array; never: () => Promise<void> }>(port1 as unknown as Endpoint);
    const got = await caller.call('bytes', undefined as never);
    expect(got.byteLength).toBe(1024);
    expect(kept.byteLength).toBe(0);
    const waiting = caller.call('never', undefined as never);
    caller.close(new Error('the worker stopped'));
    await expect(waiting).rejects.toThrow('the worker stopped');
    served.close();
    port1.close();
    port2.close();
  });
});

describe('a worker that stops mid-call does not leave its caller waiting', () => {
  /** A fresh worker thread, supervised as the app supervises its workers. */
  async function supervised(events: (w: Worker) => StopEvents, timing: { pingMs?: number; silentMs?: number } = {}) {
    const w = new Worker(script, { eval: true });
    const ready = new Promise<void>((resolve) => w.on('message', (data) => isReadySignal(data) && resolve()));
    const endpoint = nodeEndpoint(w);
    const c = connect<TestHandlers>(endpoint, { stopped: () => undefined });
    const stopped: WorkerStoppedError[] = [];
    const unwatch = superviseWorker(endpoint, c, events(w), { name: 'import', ...timing, onStopped: (e) => stopped.push(e) });
    await ready;
    return { w, c, stopped, unwatch };
  }

  it('rejects the waiting call with WorkerStoppedError when the thread exits', async () => {
    const { w, c, stopped } = await supervised(nodeWorkerStops);
    let progress = 0;
    const error = await c.call('exit', null, { onProgress: (n) => (progress = n) }).catch((e: unknown) => e);
    expect(progress).toBe(1);
    expect(error).toBeInstanceOf(WorkerStoppedError);
    expect((error as WorkerStoppedError).message).toMatch(
      /^The import worker stopped unexpectedly \(out of memory\?\): it exited \(code 3\)/,
    );
    expect(stopped).toHaveLength(1);
    // The channel is closed: a later call fails at once rather than waiting.
    await expect(c.call('add', { a: 1, b: 2 })).rejects.toBeInstanceOf(WorkerStoppedError);
    await w.terminate();
  });

  it('rejects the waiting call when the thread throws an uncaught error', async () => {
    const { w, c } = await supervised(nodeWorkerStops);
    const error = await c.call('crash', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerStoppedError);
    expect((error as Error).name).toBe('WorkerStoppedError');
    expect((error as Error).message).toMatch(/stopped unexpectedly \(out of memory\?\): Array buffer allocation failed/);
    await w.terminate();
  });

  it('finds a thread that went silent without any event (the ping while a call waits)', async () => {
    // No stop events at all: only the liveness check can tell, as with a worker Chromium kills at its heap limit.
    const silent: StopEvents = { listen: () => () => {} };
    const { w, c } = await supervised(() => silent, { pingMs: 20, silentMs: 300 });
    const started = Date.now();
    const error = await c.call('freeze', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerStoppedError);
    expect((error as Error).message).toMatch(/has not answered for 0.3 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await w.terminate();
  });

  it('leaves a worker that answers pings alone while it works, however long the call', async () => {
    const silent: StopEvents = { listen: () => () => {} };
    const { w, c, stopped, unwatch } = await supervised(() => silent, { pingMs: 10, silentMs: 100 });
    const abort = new AbortController();
    let ticks = 0;
    // spin reports progress every 5 ms until cancelled: 400 ms is four times the silence limit.
    const call = c.call('spin', null, { signal: abort.signal, onProgress: (n) => (ticks = n) });
    await new Promise((resolve) => setTimeout(resolve, 400));
    abort.abort();
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    expect(ticks).toBeGreaterThan(10);
    expect(stopped).toHaveLength(0);
    unwatch();
    await w.terminate();
  });
});

// The one request/reply mechanism (shared/rpc) over real threads: a worker_threads worker (structured clone,
// transfer, its own event loop) and a MessageChannel. A call is answered once; progress keeps its labelKey; an
// error keeps its name; the caller's AbortSignal stops the handler mid-task and the call rejects as CancelledError.
import { MessageChannel, Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../shared/model';
import { connect, isReadySignal, nodeEndpoint, transfer, type Channel, type Endpoint } from '../../shared/rpc';
import type { TestHandlers } from '../fixtures/rpc/rpc-worker';

let worker: Worker;
let channel: Channel<TestHandlers>;
const stoppedAfter: number[] = [];

beforeAll(async () => {
  const bundled = await build({
    entryPoints: ['test/fixtures/rpc/rpc-worker.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  worker = new Worker(bundled.outputFiles[0]!.text, { eval: true });
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

// Native compression only advances while this thread lets the event loop run.
//
// Node's CompressionStream/DecompressionStream run zlib on the thread pool, but in 16 KiB output chunks, and each
// next chunk is started from a callback on this thread: during a long synchronous task (writing a 100,000-row
// sheet), every compression started before it stalls after one chunk. Long loops therefore call `pace()` often;
// every few milliseconds it yields to the event loop (a macrotask, so thread-pool completions are handled), which
// keeps the pool busy on the other core. setImmediate where the runtime has it (Node: it runs right after the I/O
// poll, without the 1 ms timer floor), else a MessageChannel message (browsers and workers), else a timer.

const INTERVAL_MS = 3;

type Yield = () => Promise<void>;

function macrotaskYield(): Yield {
  const g = globalThis as unknown as {
    setImmediate?: (callback: () => void) => unknown;
    MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: null): void } };
    setTimeout?: (callback: () => void, ms: number) => unknown;
  };
  const { setImmediate, MessageChannel, setTimeout } = g;
  if (setImmediate) return () => new Promise((resolve) => void setImmediate(resolve));
  if (MessageChannel) {
    const channel = new MessageChannel();
    const waiting: Array<() => void> = [];
    channel.port1.onmessage = () => waiting.splice(0).forEach((resolve) => resolve());
    return () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  if (setTimeout) return () => new Promise((resolve) => void setTimeout(resolve, 0));
  return () => Promise.resolve();
}

function clock(): () => number {
  const performance = (globalThis as { performance?: { now(): number } }).performance;
  return performance ? () => performance.now() : () => Date.now();
}

let yieldNow: Yield | null = null;
const now = clock();

/** Yields to the event loop when the last yield is a few milliseconds old; otherwise returns at once. */
export interface Pacer {
  /** True when it is time to yield (cheap: call it every few hundred rows, then `await pace()`). */
  due(): boolean;
  pace(): Promise<void>;
}

export function createPacer(): Pacer {
  yieldNow ??= macrotaskYield();
  let last = now();
  return {
    due: () => now() - last >= INTERVAL_MS,
    async pace() {
      if (now() - last < INTERVAL_MS) return;
      await yieldNow!();
      last = now();
    },
  };
}

// The task worker: serves the tasks of ./tasks through shared/rpc (progress, result or error, cancellation).
import { z } from 'zod';
import { connect, transfer, type CallContext, type Handlers } from '../../shared/rpc';
import { tasks } from './tasks';
import type { TaskContext, TaskProgress } from './protocol';

// Strict CSP without 'unsafe-eval' (desktop app): zod must not probe for eval.
z.config({ jitless: true });

/** A task's context over the call's: progress at most every 50 ms (and the last one), the call's signal. */
function taskContext(ctx: CallContext<TaskProgress>): TaskContext {
  let lastProgress = 0;
  return {
    progress(p) {
      const now = performance.now();
      if (now - lastProgress < 50 && p.done !== p.total) return;
      lastProgress = now;
      ctx.progress(p);
    },
    signal: ctx.signal,
    isCancelled: () => ctx.signal.aborted,
    call: (method, args) => ctx.call(method, args),
  };
}

/** A result's bytes are moved, not copied (a package is tens of megabytes). */
function withTransfer(value: unknown): unknown {
  if (value && typeof value === 'object' && 'bytes' in value && (value as { bytes: unknown }).bytes instanceof Uint8Array) {
    return transfer(value, [(value as { bytes: Uint8Array }).bytes.buffer]);
  }
  return value;
}

const handlers: Handlers = {};
for (const [method, run] of Object.entries(tasks as Record<string, (args: unknown, ctx: TaskContext) => Promise<unknown>>)) {
  handlers[method] = async (args: unknown, ctx: CallContext<TaskProgress>) => withTransfer(await run(args, taskContext(ctx)));
}
connect(self as never, handlers);

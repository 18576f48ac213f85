// The long tasks (import, campaign creation, export, verify, exchange) as commands of the backend: each runs here,
// beside the database it reads and writes, reporting progress and stopping on the caller's AbortSignal.
import { transfer, type CallContext } from '../../shared/rpc';
import type { TaskMap } from './tasks';
import type { TaskContext, TaskProgress } from './protocol';

export type TaskCommands = {
  [M in keyof TaskMap]: (args: TaskMap[M]['args'], ctx: CallContext<TaskProgress>) => Promise<TaskMap[M]['result']>;
};

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

/** Every task by name (the record keeps the list whole: a task missing here is a type error). */
const TASKS: Record<keyof TaskMap, true> = {
  importSnapshot: true,
  openSnapshot: true,
  readWorkbook: true,
  suggest: true,
  createCampaign: true,
  previewBaseline: true,
  buildPackage: true,
  verifyPackage: true,
  issueWorkPackages: true,
  mergeDecisionSets: true,
  issueApprovalPackage: true,
  buildMergedPackage: true,
  receiveWorkPackage: true,
  buildReturnSet: true,
};

// The task modules (parsers, package builder, exchange) load on the first task, not when the backend starts: its
// first answers to the screens' queries do not wait for them.
let loaded: Promise<Record<string, (args: unknown, ctx: TaskContext) => Promise<unknown>>> | null = null;
const taskModules = () => (loaded ??= import('./tasks').then((m) => m.tasks as never));

export const taskCommands = Object.fromEntries(
  Object.keys(TASKS).map((method) => [
    method,
    async (args: unknown, ctx: CallContext<TaskProgress>) => {
      const run = (await taskModules())[method]!;
      return withTransfer(await run(args, taskContext(ctx)));
    },
  ]),
) as unknown as TaskCommands;

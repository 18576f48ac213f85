// What a long task reports to the screen besides its own arguments and result (the calls themselves go through
// shared/rpc), and what a task gets from the backend that runs it.
import type { TaskProgress } from '../workers';

export type { TaskProgress };

/** What a task gets from the backend that runs it. */
export interface TaskContext {
  progress(p: TaskProgress): void;
  /** Aborted when the UI cancels the task. */
  signal?: AbortSignal;
  isCancelled(): boolean;
  call(method: string, args: unknown): Promise<unknown>;
}

// What a long task reports to the screen besides its own arguments and result (the calls themselves go through
// shared/rpc), and what a task gets from the backend that runs it.
import type { TranslationKey } from '../i18n';

export interface TaskProgress {
  /** English, for logs; the UI shows labelKey in its own language when there is one. */
  label: string;
  /** The label as a key of renderer/i18n with its values. */
  labelKey?: TranslationKey;
  labelValues?: Record<string, string | number>;
  /** Rows read so far (formatted by the UI in its locale). */
  rows?: number;
  done: number;
  total: number;
  unit: 'rows' | 'bytes' | 'items' | 'chunks' | 'files';
  /** Secondary figure, e.g. bytes while rows are counted. */
  detail?: string;
}

/** What a task gets from the backend that runs it. */
export interface TaskContext {
  progress(p: TaskProgress): void;
  /** Aborted when the UI cancels the task. */
  signal?: AbortSignal;
  isCancelled(): boolean;
  call(method: string, args: unknown): Promise<unknown>;
}

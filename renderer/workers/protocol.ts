// Messages between the UI thread and a task worker. One worker runs one task, then is terminated.
import type { TranslationKey } from '../i18n';
export type ToWorker =
  | { kind: 'start'; method: string; args: unknown }
  | { kind: 'cancel' }
  | { kind: 'reply'; callId: number; ok: boolean; value?: unknown; error?: string };

export type FromWorker =
  | { kind: 'progress'; progress: TaskProgress }
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; error: string; cancelled?: boolean }
  /** The worker asks the UI thread for something only it can do (e.g. sign with the host's key). */
  | { kind: 'call'; callId: number; method: string; args: unknown };

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

/** What a task gets from the worker that runs it. */
export interface TaskContext {
  progress(p: TaskProgress): void;
  /** Aborted when the UI cancels the task. */
  signal?: AbortSignal;
  isCancelled(): boolean;
  call(method: string, args: unknown): Promise<unknown>;
}

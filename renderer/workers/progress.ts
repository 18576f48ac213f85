// A long task's progress as the screens show it, reported by the backend and by the nested workers it runs.
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

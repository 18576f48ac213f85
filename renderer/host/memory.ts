// What this runtime tells about the memory it can give an import (Chromium, and Electron's renderer, which is one).
import type { MemorySignals } from '../../shared/import';

/**
 * Test and support setting of the browser host: a number of bytes in this localStorage key lowers the memory an
 * import may count on (to see the refusal without a machine-sized file). Electron ignores it.
 */
export const IMPORT_MEMORY_LIMIT_KEY = 'arw.debug.importMemoryLimitBytes';

export function importMemorySignals(): MemorySignals {
  const memory = (performance as Performance & { memory?: { jsHeapSizeLimit?: number } }).memory;
  const deviceMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  const override = window.desktop ? undefined : Number(localStorage.getItem(IMPORT_MEMORY_LIMIT_KEY) ?? NaN);
  return {
    ...(memory?.jsHeapSizeLimit ? { jsHeapSizeLimit: memory.jsHeapSizeLimit } : {}),
    ...(deviceMemory ? { deviceMemoryGiB: deviceMemory } : {}),
    ...(override !== undefined && Number.isFinite(override) && override > 0 ? { override } : {}),
  };
}

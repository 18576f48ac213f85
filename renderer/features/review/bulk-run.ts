// A bulk accept of thousands of items is one decision on disk after another: it reports how far it is and stops
// between two decisions when asked (the decisions saved stay; the rest stay open).

/** How far a bulk accept is: `loading` while the campaign's suggestions are still being read. */
export interface BulkProgress {
  done: number;
  total: number;
  loading: boolean;
}

/**
 * Runs `step` for 0…total-1 in order, each awaited before the next. `stopped()` is asked before each step; progress
 * is told at most every `everyMs` (each report renders the screen). A failing step rejects, as it would alone.
 */
export async function runInOrder(
  total: number,
  step: (k: number) => Promise<void>,
  options: { stopped: () => boolean; progress: (done: number) => void; everyMs?: number; now?: () => number },
): Promise<{ done: number; stopped: boolean }> {
  const now = options.now ?? (() => performance.now());
  const every = options.everyMs ?? 150;
  let told = now();
  for (let k = 0; k < total; k++) {
    if (options.stopped()) return { done: k, stopped: true };
    await step(k);
    if (now() - told >= every) {
      told = now();
      options.progress(k + 1);
    }
  }
  return { done: total, stopped: false };
}

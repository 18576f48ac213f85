// Whether this machine can compute a snapshot's suggestions, and on how many workers: an estimate from the
// snapshot's size before any work starts (#19), instead of a fixed limit on assignments. The backend and the suggest
// workers are nested workers of one renderer process, whose V8 heaps draw on one budget (measured: two workers
// crashed at 3,000,000 assignments where one completed), so the estimate adds them up against that budget.

/** What this machine gives the app: the JS heap limit (performance.memory.jsHeapSizeLimit, Chromium; V8's 4 GiB
 * where absent), the device's memory (navigator.deviceMemory: GiB, capped at 8 by the browser), the cores. */
export interface MachineMemory {
  heapLimitMiB: number;
  deviceMemoryGiB?: number;
  cores?: number;
}

/** MiB per million assignments (measured on the bench's workbench CSV; a snapshot has about 1.1 suggestions per
 * assignment) and fixed MiB per thread (code, the records, the chunk in flight). */
export const MEMORY_FIGURES = {
  /** A suggest worker: the snapshot's columns as it receives them (68–77 MiB per million), the engine's index (55–62)
   * and what the engine and the encoder allocate while they run. Kept from before the workers read the columns: two
   * workers at 3,000,000 now complete, but at 6.1 GiB of browser memory, above the 6 GiB the app aims for. */
  workerMiBPerMillion: 600,
  workerFixedMiB: 120,
  /** The backend: the stored assignment columns, a summary per suggestion, the campaign's rows and table. */
  backendMiBPerMillion: 380,
  backendFixedMiB: 200,
  /** A scoped computation (only a campaign scope's items, where the whole snapshot's do not fit) splits those by what
   * they grow with. Per million assignments of the snapshot: a worker's columns and engine index (measured at
   * 10,000,000: 1,231 MiB of live heap), the backend's stored assignment columns (68–77) and records. Per million
   * items computed: the rest of the figures above (the engine's output and the encoder in the worker; the summaries,
   * the campaign's rows and table in the backend). Measured in the app (scale bench, load average 10): a scope of
   * 999,777 items on 10,000,000 assignments, estimated 3,460 MiB on one worker, completed with the browser's peak at
   * 5,264 MiB (776 before anything was loaded; 4,911 on a second run); two workers would need 4,880. */
  workerIndexMiBPerMillion: 130,
  workerItemMiBPerMillion: 470,
  backendSnapshotMiBPerMillion: 110,
  backendItemMiBPerMillion: 270,
} as const;

/** V8's heap cap with pointer compression, where the platform does not say. */
const DEFAULT_HEAP_LIMIT_MIB = 4096;
/** Below this many assignments one worker does it all: a second one costs more to start and feed than it saves. */
export const TWO_PARTS_FROM = 50_000;
/** Of the device's memory, the share the browser's workers may take (the rest: the browser, the system). */
const DEVICE_SHARE = 0.75;

export function machineMemory(): MachineMemory {
  const g = globalThis as {
    performance?: { memory?: { jsHeapSizeLimit?: number } };
    navigator?: { deviceMemory?: number; hardwareConcurrency?: number };
  };
  const heap = g.performance?.memory?.jsHeapSizeLimit;
  const device = g.navigator?.deviceMemory;
  const cores = g.navigator?.hardwareConcurrency;
  return {
    heapLimitMiB: heap && heap > 0 ? heap / 1024 ** 2 : DEFAULT_HEAP_LIMIT_MIB,
    ...(device && device > 0 ? { deviceMemoryGiB: device } : {}),
    ...(cores && cores > 0 ? { cores } : {}),
  };
}

export type SuggestionPlan =
  { ok: true; threads: number; needMiB: number; limitMiB: number } | { ok: false; needMiB: number; limitMiB: number; refusal: string };

/** The memory the suggestions of `assignments` take with `threads` workers, in MiB. */
export function neededMiB(assignments: number, threads: number, f: typeof MEMORY_FIGURES = MEMORY_FIGURES): number {
  const m = assignments / 1_000_000;
  return f.backendFixedMiB + f.backendMiBPerMillion * m + threads * (f.workerFixedMiB + f.workerMiBPerMillion * m);
}

/** The memory a scoped computation takes with `threads` workers, in MiB: every worker indexes the whole snapshot,
 * the items computed are counted once (each worker encodes its share). */
export function neededScopedMiB(assignments: number, items: number, threads: number, f: typeof MEMORY_FIGURES = MEMORY_FIGURES): number {
  const m = assignments / 1_000_000;
  const k = items / 1_000_000;
  return (
    f.backendFixedMiB +
    f.backendSnapshotMiBPerMillion * m +
    f.backendItemMiBPerMillion * k +
    threads * (f.workerFixedMiB + f.workerIndexMiBPerMillion * m) +
    f.workerItemMiBPerMillion * k
  );
}

/** What the app may use: the heap budget, less where the device has less memory than that. */
export function limitMiB(machine: MachineMemory): number {
  const device = machine.deviceMemoryGiB !== undefined ? machine.deviceMemoryGiB * 1024 * DEVICE_SHARE : Infinity;
  return Math.min(machine.heapLimitMiB, device);
}

/**
 * How many workers compute the suggestions of `assignments`: two where the machine has the cores and both fit, one
 * where only one does; or a refusal naming the limit and the figures when even one would not fit.
 */
export function planSuggestions(assignments: number, machine: MachineMemory, f: typeof MEMORY_FIGURES = MEMORY_FIGURES): SuggestionPlan {
  const limit = limitMiB(machine);
  const wanted = assignments < TWO_PARTS_FROM ? 1 : Math.max(1, Math.min(2, machine.cores ?? 2));
  for (let threads = wanted; threads >= 1; threads--) {
    const need = neededMiB(assignments, threads, f);
    if (need <= limit) return { ok: true, threads, needMiB: Math.round(need), limitMiB: Math.round(limit) };
  }
  const need = neededMiB(assignments, 1, f);
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const most = Math.floor(
    (Math.max(0, limit - f.backendFixedMiB - f.workerFixedMiB) / (f.backendMiBPerMillion + f.workerMiBPerMillion)) * 1_000_000,
  );
  return {
    ok: false,
    needMiB: Math.round(need),
    limitMiB: Math.round(limit),
    refusal:
      `suggestions for ${n(assignments)} assignments need about ${n(need)} MiB of memory and the app can use ` +
      `${n(limit)} MiB on this machine (the limit is about ${n(most)} assignments per snapshot: ` +
      `${f.backendMiBPerMillion} MiB per million assignments in the backend and ${f.workerMiBPerMillion} in the suggest worker); ` +
      `import the applications in smaller snapshots`,
  };
}

/**
 * How many workers compute only a campaign scope's `items` (at most that many: the scope's assignments, credentials
 * and identities) of a snapshot of `assignments`; or a refusal naming the limit and the figures.
 */
export function planScopedSuggestions(
  assignments: number,
  items: number,
  machine: MachineMemory,
  f: typeof MEMORY_FIGURES = MEMORY_FIGURES,
): SuggestionPlan {
  const limit = limitMiB(machine);
  const wanted = items < TWO_PARTS_FROM ? 1 : Math.max(1, Math.min(2, machine.cores ?? 2));
  for (let threads = wanted; threads >= 1; threads--) {
    const need = neededScopedMiB(assignments, items, threads, f);
    if (need <= limit) return { ok: true, threads, needMiB: Math.round(need), limitMiB: Math.round(limit) };
  }
  const need = neededScopedMiB(assignments, items, 1, f);
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const index = f.backendSnapshotMiBPerMillion + f.workerIndexMiBPerMillion;
  const most = Math.floor(
    (Math.max(0, limit - f.backendFixedMiB - f.workerFixedMiB - index * (assignments / 1_000_000)) /
      (f.backendItemMiBPerMillion + f.workerItemMiBPerMillion)) *
      1_000_000,
  );
  return {
    ok: false,
    needMiB: Math.round(need),
    limitMiB: Math.round(limit),
    refusal:
      `suggestions for the ${n(items)} items of this scope on a snapshot of ${n(assignments)} assignments need about ` +
      `${n(need)} MiB of memory and the app can use ${n(limit)} MiB on this machine (${index} MiB per million ` +
      `assignments of the snapshot, ${f.backendItemMiBPerMillion + f.workerItemMiBPerMillion} per million items of the ` +
      `scope: at most about ${n(most)} items on this snapshot); narrow the scope or import the applications in smaller snapshots`,
  };
}

// Profiling harness for #17's suggest worker: one part (default part 0 of 2) computed and encoded in this process as
// the worker does (computeSuggestionPart: the engine reading the snapshot's columns, its suggestions encoded),
// with CPU seconds, the phases' wall seconds, the peak heap and the full collections.
// `npx tsx scripts/profile-suggest-part.ts [assignments] [index] [of]`.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { encodeAssignmentChunks, importFiles } from '../shared/import';
import { DEFAULT_POLICY } from '../shared/suggest';
import { computeSuggestionPart, type SnapshotPayload } from '../renderer/workers/suggest-part';
import { writeWorkbenchCsv } from '../test/bench/workbench-data';
import { cpuSeconds, gcCounter, mib } from './profiling';

const size = Number(process.argv[2] ?? 100_000);
const index = Number(process.argv[3] ?? 0);
const of = Number(process.argv[4] ?? 2);
const gen = writeWorkbenchCsv(`/tmp/s9-perf-data/${size}`, { identities: size / 10, assignments: size, seed: 42 });
// Imported as the app does: the assignments written straight into column chunks (encoded where the import could
// not keep them as they are), the payload a suggest worker receives.
const imported = importFiles(
  gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) })),
  { assignmentColumns: true },
);
const payload: SnapshotPayload = (({ assignments, ...rest }) => ({
  id: 'snap',
  name: 'profile',
  createdAt: '2026-11-01T00:00:00Z',
  sources: [],
  ...rest,
  assignmentChunks: imported.assignmentChunks ?? encodeAssignmentChunks(assignments),
}))(imported.data);
const cpu = cpuSeconds;
const collections = gcCounter();
const heapBefore = getHeapStatistics().used_heap_size;
let heapPeak = heapBefore;
const c0 = cpu();
const t0 = performance.now();
// The heap is sampled at each progress report (the engine reports every 16,384 suggestions, the encoder per chunk).
// With node --expose-gc, the live heap (JS heap and array buffers, after a full collection) is also taken when the
// index and the per-group state are built (the engine's first progress report) and once the engine is done.
const gc = (globalThis as { gc?: () => void }).gc;
const live = () => {
  gc!();
  gc!();
  return getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;
};
let liveAtEnd = 0;
let liveAtStart = 0;
const result = computeSuggestionPart(
  { snapshot: payload, policy: DEFAULT_POLICY, asOf: Date.UTC(2026, 10, 22), part: { index, of } },
  {
    onProgress: (done, total, phase) => {
      heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
      if (gc && phase === 'computing' && done === 0 && !liveAtStart) liveAtStart = live();
      if (gc && phase === 'computing' && done === total) liveAtEnd = live();
    },
  },
);
const wall = (performance.now() - t0) / 1000;
const used = cpu() - c0;
await new Promise((r) => setTimeout(r, 10));
collections.stop();
console.error(
  `part ${index} of ${of} at ${size}: ${result.count} suggestions in ${result.chunks.length} chunks; ${wall.toFixed(2)} s wall ` +
    `(decode ${result.decodeSeconds.toFixed(2)}, compute ${result.computeSeconds.toFixed(2)}, encode ${result.encodeSeconds.toFixed(2)}), ` +
    `${used.toFixed(2)} s CPU; heap ${mib(heapBefore)} MiB before, peak ${mib(heapPeak)} MiB; ` +
    `${collections.describe()}; ` +
    `load ${loadavg()[0]!.toFixed(1)}` +
    (gc
      ? `; live (heap + array buffers) when the index is built ${mib(liveAtStart)} MiB ` +
        `(${((liveAtStart / 2 ** 20) * (1e6 / size)).toFixed(0)} MiB per million assignments), when the engine is done ${mib(liveAtEnd)} MiB`
      : ''),
);

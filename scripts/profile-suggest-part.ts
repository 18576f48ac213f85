// Profiling harness for #17's suggest worker: one part (default part 0 of 2) computed and encoded in this process as
// the worker does (computeSuggestionPart: the engine reading the snapshot's columns, its suggestions encoded),
// with CPU seconds, the phases' wall seconds, the peak heap and the full collections, and a SHA-256 over the chunks'
// bytes (the stored format must not change). `npx tsx scripts/profile-suggest-part.ts [assignments] [index] [of]`;
// SHAPE=org takes the organisation shape (seed 11) instead of the manager-heavy one; index `all` runs every part
// one after the other and hashes them all (the figures are then summed).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { encodeAssignmentChunks, importFiles } from '../shared/import';
import { DEFAULT_POLICY } from '../shared/suggest';
import { computeSuggestionPart, type SnapshotPayload } from '../renderer/workers/suggest-part';
import type { SuggestionColumns } from '../renderer/db/suggestion-columns';
import { writeWorkbenchCsv } from '../test/bench/workbench-data';
import { generateOrganisation } from '../test/bench/org-generator';
import { utf8 } from '../shared/codec/digest';
import { cpuSeconds, gcCounter, mib } from './profiling';

const size = Number(process.argv[2] ?? 100_000);
const all = process.argv[3] === 'all';
const of = Number(process.argv[4] ?? 2);
const indexes = all ? Array.from({ length: of }, (_, k) => k) : [Number(process.argv[3] ?? 0)];
const shape = process.env.SHAPE === 'org' ? 'org' : 'manager';
let files: { name: string; bytes: Uint8Array }[];
let asOf = Date.UTC(2026, 10, 22);
if (shape === 'org') {
  const org = generateOrganisation({ seed: 11, identities: size / 10, shape: { optionalPool: 4 } });
  files = org.files.map((f) => ({ name: f.name, bytes: utf8(f.text) }));
  asOf = Date.parse(org.truth.asOf);
} else {
  const gen = writeWorkbenchCsv(`/tmp/s9-perf-data/${size}`, { identities: size / 10, assignments: size, seed: 42 });
  files = gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }));
}
// Imported as the app does: the assignments written straight into column chunks (encoded where the import could
// not keep them as they are), the payload a suggest worker receives.
const imported = importFiles(files, { assignmentColumns: true });
const payload: SnapshotPayload = (({ assignments, ...rest }) => ({
  id: 'snap',
  name: 'profile',
  createdAt: '2026-11-01T00:00:00Z',
  sources: [],
  ...rest,
  assignmentChunks: imported.assignmentChunks ?? encodeAssignmentChunks(assignments),
}))(imported.data);
const cpu = cpuSeconds;
const hash = createHash('sha256');
/** The chunk's stored bytes, in the order of its keys: strings as JSON, typed columns as their bytes. */
const hashChunk = (c: SuggestionColumns) => {
  for (const [key, v] of Object.entries(c)) {
    hash.update(key);
    if (ArrayBuffer.isView(v)) hash.update(`${v.constructor.name}:`).update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else hash.update(JSON.stringify(v));
  }
};
let count = 0;
for (const index of indexes) {
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
  // Marks where the part starts in --trace-gc-nvp's output (stdout), to total the collections' figures from there.
  if (process.env.GC_MARK === '1') console.log(`GC_MARK part ${index}`);
  const result = computeSuggestionPart(
    { snapshot: payload, policy: DEFAULT_POLICY, asOf, part: { index, of } },
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
  count += result.count;
  for (const c of result.chunks) hashChunk(c);
  await new Promise((r) => setTimeout(r, 10));
  collections.stop();
  console.error(
    `part ${index} of ${of} at ${size}: ${result.count} suggestions in ${result.chunkCount} chunks; ${wall.toFixed(2)} s wall ` +
      `(decode ${result.decodeSeconds.toFixed(2)}, compute ${result.computeSeconds.toFixed(2)}, encode ${result.encodeSeconds.toFixed(2)}), ` +
      `${used.toFixed(2)} s CPU; heap ${mib(heapBefore)} MiB before, peak ${mib(heapPeak)} MiB; ` +
      `${collections.describe()}; ` +
      `load ${loadavg()[0]!.toFixed(1)}` +
      (gc
        ? `; live (heap + array buffers) when the index is built ${mib(liveAtStart)} MiB ` +
          `(${((liveAtStart / 2 ** 20) * (1e6 / size)).toFixed(0)} MiB per million assignments), when the engine is done ${mib(liveAtEnd)} MiB`
        : ''),
  );
}
console.error(
  `${shape} ${size}, parts ${indexes.join(', ')} of ${of}: ${count} suggestions, chunks sha256 ${hash.digest('hex').slice(0, 16)}`,
);

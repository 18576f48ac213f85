// Profiling harness for #17's store: suggest() on the import bench's manager-heavy shape, then the suggestion
// chunks encoded as the repository does (50,000 per chunk) and serialised as structured clone does (v8.serialize),
// with CPU seconds, bytes and the peak heap while storing. `npx tsx scripts/profile-store.ts [assignments]`;
// CHECK=1 decodes every chunk and compares; PROFILE=file.cpuprofile profiles the store phase alone; COLUMN_BYTES=1
// prints the bytes of each column; RELEASE=1 lets each chunk's suggestions go once encoded, as the suggest worker does.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { getHeapStatistics, serialize } from 'node:v8';
import { importFiles } from '../shared/import';
import { DEFAULT_POLICY, suggest } from '../shared/suggest';
import { decodeSuggestions, suggestionEncoder } from '../renderer/db/suggestion-columns';
import { writeWorkbenchCsv } from '../test/bench/workbench-data';
import { cpuProfile, cpuSeconds, gcCounter, mib } from './profiling';

const size = Number(process.argv[2] ?? 100_000);
const gen = writeWorkbenchCsv(`/tmp/s9-perf-data/${size}`, { identities: size / 10, assignments: size, seed: 42 });
const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
const out = suggest(data, DEFAULT_POLICY, { asOf: Date.UTC(2026, 10, 22) });
const cpu = cpuSeconds;
const profiler = await cpuProfile();
// Full collections while storing: each marks the whole heap (the million suggestions).
const gc = gcCounter();
const heapBefore = getHeapStatistics().used_heap_size;
let heapPeak = heapBefore;
const c0 = cpu();
const t0 = performance.now();
let bytes = 0;
const chunks = [];
/** COLUMN_BYTES=1: serialised bytes per column, summed over the chunks. */
const perColumn = new Map<string, number>();
const encodeSuggestions = suggestionEncoder();
for (let i = 0; i < out.length; i += 50_000) {
  const cols = encodeSuggestions(out, i, Math.min(i + 50_000, out.length));
  heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
  // SERIALIZE=0: encoding alone (the serialised copy is an off-heap buffer of its own, which starts collections too).
  if (process.env.SERIALIZE !== '0') bytes += serialize(cols).length;
  if (process.env.COLUMN_BYTES === '1')
    for (const [k, v] of Object.entries(cols)) perColumn.set(k, (perColumn.get(k) ?? 0) + serialize(v).length);
  if (process.env.CHECK === '1') chunks.push(cols);
  else if (process.env.RELEASE === '1') for (let k = i; k < Math.min(i + 50_000, out.length); k++) (out as unknown[])[k] = undefined;
}
const wall = (performance.now() - t0) / 1000;
const used = cpu() - c0;
await new Promise((r) => setTimeout(r, 10));
gc.stop();
await profiler.stop();
console.error(
  `store ${out.length} suggestions: ${wall.toFixed(2)} s wall, ${used.toFixed(2)} s CPU, ${mib(bytes)} MiB serialised, ` +
    `heap ${mib(heapBefore)} MiB before, peak ${mib(heapPeak)} MiB; ${gc.describe()}; load ${loadavg()[0]!.toFixed(1)}`,
);
if (perColumn.size) console.error([...perColumn].map(([k, b]) => `${k} ${mib(b)}`).join(', '));
if (process.env.CHECK === '1') {
  const d0 = cpu();
  const decoded = chunks.map((cols) => decodeSuggestions(cols));
  console.error(`decoded in ${(cpu() - d0).toFixed(2)} s CPU`);
  let k = 0;
  for (const list of decoded)
    for (const s of list) if (JSON.stringify(s) !== JSON.stringify(out[k++])) throw new Error(`suggestion ${k - 1} differs after decoding`);
  console.error(`decoded: ${k} suggestions identical`);
}

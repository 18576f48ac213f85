// Memory of #17's suggest worker (and the 10M blocker, #19): the live heap of the decoded snapshot, and what the
// engine's index and per-group state add by the time it starts on the items (first progress report), with the
// largest live JS allocations by the function that made them (a sampling heap profile: live objects only; typed
// arrays' contents live outside the JS heap and are counted apart).
// `node --expose-gc --import tsx scripts/profile-suggest-heap.ts [assignments] [part] [of]` (manager-heavy shape).
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapStatistics } from 'node:v8';
import { importFiles } from '../shared/import';
import { DEFAULT_POLICY, suggest } from '../shared/suggest';
import { writeWorkbenchCsv } from '../test/bench/workbench-data';

const size = Number(process.argv[2] ?? 1_000_000);
const index = Number(process.argv[3] ?? 0);
const of = Number(process.argv[4] ?? 2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const mib = (b: number) => (b / 2 ** 20).toFixed(0);
const live = () => {
  gc();
  gc();
  return { heap: getHeapStatistics().used_heap_size, buffers: process.memoryUsage().arrayBuffers };
};
const total = (m: { heap: number; buffers: number }) => m.heap + m.buffers;

const gen = writeWorkbenchCsv(`/tmp/s9-perf-data/${size}`, { identities: size / 10, assignments: size, seed: 42 });
const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
// Array buffers are released by a task after the collection: let it run before reading their total.
live();
await new Promise((r) => setTimeout(r, 200));
const heapData = live();

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}
const session = new Session();
session.connect();
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
await post('HeapProfiler.enable');
// Sampled every 64 KiB on average: enough for structures of a few MiB.
await post('HeapProfiler.startSampling', { samplingInterval: 65536 });

let atStart = { heap: 0, buffers: 0 };
let profile: SampleNode | null = null;
let started = false;
suggest(data, DEFAULT_POLICY, {
  asOf: Date.UTC(2026, 10, 22),
  part: { index, of },
  onSuggestions: () => {},
  onProgress: () => {
    if (started) return;
    started = true;
    atStart = live();
    // The profile is read synchronously here through the session (inspector calls complete on this thread).
    session.post('HeapProfiler.getSamplingProfile', (err, res) => {
      if (!err) profile = (res as { profile: { head: SampleNode } }).profile.head;
    });
  },
});
await post('HeapProfiler.stopSampling');
const perMillion = (b: number) => ((b / 2 ** 20) * 1e6) / data.assignments.length;
const engine = total(atStart) - total(heapData);
console.log(
  `${data.assignments.length} assignments, ${data.identities.length} identities, part ${index} of ${of}: snapshot data ` +
    `${mib(total(heapData))} MiB live (${perMillion(total(heapData)).toFixed(0)} MiB per million assignments); the engine's ` +
    `state at its first item ${mib(engine)} MiB (${perMillion(engine).toFixed(0)} MiB per million: JS heap ` +
    `${mib(atStart.heap - heapData.heap)}, typed arrays ${mib(atStart.buffers - heapData.buffers)}); live then ${mib(total(atStart))} MiB`,
);
if (profile) {
  // Self size by allocating function (file:line), the engine's own frames.
  const bySite = new Map<string, number>();
  const walk = (n: SampleNode) => {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    bySite.set(key, (bySite.get(key) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c);
  };
  walk(profile);
  console.log('largest live allocations at the first item, by allocating function (sampled):');
  for (const [k, v] of [...bySite].sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`${mib(v).padStart(6)} MiB  ${k}`);
}

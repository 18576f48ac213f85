// Memory of #17's suggest worker (and the 10M blocker, #19): the live heap of the snapshot as a worker holds it (its
// records, its assignments as column chunks), and what the engine's index and per-group state add by the time it
// starts on the items (first progress report), with the largest live JS allocations by the function that made them
// (a sampling heap profile: live objects only; typed arrays' contents live outside the JS heap and are counted
// apart). HEAP_SNAPSHOT=1 also writes a heap snapshot then and sums its nodes by constructor (slow beyond a few
// million assignments).
// `node --expose-gc --import tsx scripts/profile-suggest-heap.ts [assignments] [part] [of]` (manager-heavy shape).
import { readFileSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { encodeAssignmentChunks, importFiles } from '../shared/import';
import { CancelledError, type ColumnarSnapshotData } from '../shared/model';
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
// Imported as the app does: the assignments written straight into column chunks (encoded here where the import
// could not keep them as they are).
const imported = importFiles(
  gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) })),
  { assignmentColumns: true },
);
const data: ColumnarSnapshotData = (({ assignments, ...rest }) => ({
  ...rest,
  assignmentChunks: imported.assignmentChunks ?? encodeAssignmentChunks(assignments),
}))(imported.data);
const nA = data.assignmentChunks.reduce((n, c) => n + c.identity.length, 0);
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
let snapshotFile: string | null = null;
// Stopped (cancelled) at the first item: what is measured is the state the part then computes from. UNTIL=end goes
// on to the part's last item and measures there too (what the caches built while computing add; the profile is then
// the one at the end).
const untilEnd = process.env.UNTIL === 'end';
let atEnd = { heap: 0, buffers: 0 };
try {
  suggest(data, DEFAULT_POLICY, {
    asOf: Date.UTC(2026, 10, 22),
    part: { index, of },
    onSuggestions: () => {},
    isCancelled: () => started && !untilEnd,
    onProgress: (done, all) => {
      if (started && untilEnd && done === all) {
        atEnd = live();
        session.post('HeapProfiler.getSamplingProfile', (err, res) => {
          if (!err) profile = (res as { profile: { head: SampleNode } }).profile.head;
        });
        if (process.env.HEAP_SNAPSHOT === '1') snapshotFile = writeHeapSnapshot(`/tmp/suggest-heap-${process.pid}.heapsnapshot`);
      }
      if (started) return;
      started = true;
      atStart = live();
      // The profile is read synchronously here through the session (inspector calls complete on this thread).
      session.post('HeapProfiler.getSamplingProfile', (err, res) => {
        if (!err) profile = (res as { profile: { head: SampleNode } }).profile.head;
      });
      if (process.env.HEAP_SNAPSHOT === '1' && !untilEnd) snapshotFile = writeHeapSnapshot(`/tmp/suggest-heap-${process.pid}.heapsnapshot`);
    },
  });
} catch (err) {
  if (!(err instanceof CancelledError)) throw err;
}
await post('HeapProfiler.stopSampling');
const perMillion = (b: number) => ((b / 2 ** 20) * 1e6) / nA;
const engine = total(atStart) - total(heapData);
console.log(
  `${nA} assignments, ${data.identities.length} identities, part ${index} of ${of}: snapshot data ` +
    `${mib(total(heapData))} MiB live (${perMillion(total(heapData)).toFixed(0)} MiB per million assignments); the engine's ` +
    `state at its first item ${mib(engine)} MiB (${perMillion(engine).toFixed(0)} MiB per million: JS heap ` +
    `${mib(atStart.heap - heapData.heap)}, typed arrays ${mib(atStart.buffers - heapData.buffers)}); live then ${mib(total(atStart))} MiB` +
    (untilEnd ? `; at its last item ${mib(total(atEnd))} MiB (JS heap ${mib(atEnd.heap)}, typed arrays ${mib(atEnd.buffers)})` : ''),
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
  console.log(`largest live allocations at the ${untilEnd ? 'last' : 'first'} item, by allocating function (sampled):`);
  for (const [k, v] of [...bySite].sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`${mib(v).padStart(6)} MiB  ${k}`);
}
if (snapshotFile) {
  // Self sizes summed by node type and name (an object's name is its constructor; typed arrays' contents are the
  // 'native' nodes).
  const snap = JSON.parse(readFileSync(snapshotFile, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  rmSync(snapshotFile);
  const fields = snap.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const types = snap.snapshot.meta.node_types[0];
  const byName = new Map<string, { size: number; count: number }>();
  for (let k = 0; k < snap.nodes.length; k += fields.length) {
    const type = types[snap.nodes[k + typeAt]!]!;
    const name = type === 'object' || type === 'native' ? snap.strings[snap.nodes[k + nameAt]!]! : `(${type})`;
    const entry = byName.get(name) ?? { size: 0, count: 0 };
    entry.size += snap.nodes[k + sizeAt]!;
    entry.count++;
    byName.set(name, entry);
  }
  console.log(`the heap at the ${untilEnd ? 'last' : 'first'} item by constructor (self size, count):`);
  for (const [k, v] of [...byName].sort((x, y) => y[1].size - x[1].size).slice(0, 20))
    console.log(`${mib(v.size).padStart(6)} MiB  ${String(v.count).padStart(9)}  ${k.slice(0, 80)}`);
}

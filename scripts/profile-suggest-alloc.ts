// Allocation profile of one suggest part (#17): every byte the engine allocates while computing part `index` of
// `of` on the manager-heavy shape, garbage included, by allocating function (a sampling heap profile). Allocation
// is what the collector pays for, and unlike CPU seconds it does not move with the machine's load: compare totals
// before and after a change. `npx tsx scripts/profile-suggest-alloc.ts [assignments] [index] [of]`.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { importFiles } from '../shared/import';
import { DEFAULT_POLICY, suggest } from '../shared/suggest';
import { writeWorkbenchCsv } from '../test/bench/workbench-data';

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}
const size = Number(process.argv[2] ?? 1_000_000);
const index = Number(process.argv[3] ?? 0);
const of = Number(process.argv[4] ?? 2);
const gen = writeWorkbenchCsv(`/tmp/s9-perf-data/${size}`, { identities: size / 10, assignments: size, seed: 42 });
const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
const session = new Session();
session.connect();
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
await post('HeapProfiler.enable');
await post('HeapProfiler.startSampling', {
  samplingInterval: 32768,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
suggest(data, DEFAULT_POLICY, { asOf: Date.UTC(2026, 10, 22), part: { index, of }, onSuggestions: () => {} });
const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: SampleNode } };
const bySite = new Map<string, number>();
let total = 0;
const walk = (n: SampleNode) => {
  const f = n.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  bySite.set(key, (bySite.get(key) ?? 0) + n.selfSize);
  total += n.selfSize;
  n.children.forEach(walk);
};
walk(profile.head);
const mib = (b: number) => (b / 2 ** 20).toFixed(0);
console.log(`part ${index} of ${of} at ${size}: ${mib(total)} MiB allocated`);
for (const [k, v] of [...bySite].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`${mib(v).padStart(6)} MiB  ${k}`);

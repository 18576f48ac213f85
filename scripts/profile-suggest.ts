// Profiling harness for #17: suggest() on the import bench's manager-heavy shape (writeWorkbenchCsv, seed 42) or the
// organisation shape; prints CPU and wall seconds and a SHA-256 over every suggestion's JSON (output must not change).
// `npx tsx scripts/profile-suggest.ts [manager|org] [assignments]`; PROF=file.cpuprofile profiles suggest() alone (not
// the import). PARTS=2 computes the output as parts 0..1 of 2, one after the other (the hash is over all of them, so
// it must equal the whole run's), and prints each part's time and the index build (up to the first progress call);
// PART=1 with PARTS=2 runs part 1 alone. STREAM=1 streams the output in batches as the app's worker does (nothing is
// kept; the hash, when on, is taken in the sink and its CPU time left out of the figures). COLUMNS=1 hands the engine
// the assignments as column chunks, as the app's workers do (the hash must not change). tsx reports every function at line 1: for real lines, bundle this script with esbuild and run the bundle.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import { encodeAssignmentChunks, importFiles } from '../shared/import';
import { DEFAULT_POLICY, suggest, type SuggestInput } from '../shared/suggest';
import { writeWorkbenchCsv } from '../test/bench/workbench-data';
import { generateOrganisation } from '../test/bench/org-generator';
import { utf8 } from '../shared/codec/digest';

const shape = process.argv[2] ?? 'manager';
const size = Number(process.argv[3] ?? 100_000);
const runs = Number(process.env.RUNS ?? 1);
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
const imported = importFiles(files).data;
const data: SuggestInput =
  process.env.COLUMNS === '1'
    ? (({ assignments, ...rest }) => ({ ...rest, assignmentChunks: encodeAssignmentChunks(assignments) }))(imported)
    : imported;
const nA = imported.assignments.length;
console.error(
  `${shape} ${size}: ${data.identities.length} identities, ${nA} assignments${process.env.COLUMNS === '1' ? ' (as columns)' : ''}`,
);
const prof = process.env.PROF;
const session = new Session();
const post = (method: string) =>
  new Promise<unknown>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
if (prof) {
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.start');
}
const parts = Number(process.env.PARTS ?? 0);
const stream = process.env.STREAM === '1';
const only = process.env.PART === undefined ? -1 : Number(process.env.PART);
for (let r = 0; r < runs; r++) {
  const h = process.env.HASH === '0' ? null : createHash('sha256');
  let count = 0;
  let wallAll = 0;
  let cpuAll = 0;
  for (let k = 0; k < Math.max(1, parts); k++) {
    if (only >= 0 && k !== only) continue;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let built = Number.NaN;
    let builtCpu = Number.NaN;
    let streamed = 0;
    let sinkCpu = 0;
    const out = suggest(data, DEFAULT_POLICY, {
      onSuggestions: stream
        ? (batch) => {
            streamed += batch.length;
            if (!h) return;
            const s0 = process.cpuUsage();
            for (const s of batch) h.update(JSON.stringify(s));
            const s1 = process.cpuUsage(s0);
            sinkCpu += (s1.user + s1.system) / 1e6;
          }
        : undefined,
      asOf,
      part: parts ? { index: k, of: parts } : undefined,
      onProgress: () => {
        if (built !== built) {
          built = (performance.now() - t0) / 1000;
          const b = process.cpuUsage(c0);
          builtCpu = (b.user + b.system) / 1e6;
        }
      },
    });
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6 - sinkCpu;
    wallAll += wall;
    cpuAll += cpu;
    count += out.length + streamed;
    if (h) for (const s of out) h.update(JSON.stringify(s));
    const heap = (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
    const what = parts ? `part ${k} of ${parts}` : 'whole';
    console.error(
      `run ${r + 1} ${what}: ${out.length + streamed} suggestions, ${wall.toFixed(2)} s wall (index build ${built.toFixed(2)} s, ${builtCpu.toFixed(2)} s CPU), ${cpu.toFixed(2)} s CPU, load ${loadavg()[0]!.toFixed(1)}, heap ${heap} MiB`,
    );
  }
  console.error(
    `run ${r + 1}: ${count} suggestions, ${wallAll.toFixed(2)} s wall, ${cpuAll.toFixed(2)} s CPU${h ? `, sha256 ${h.digest('hex').slice(0, 16)}` : ''}`,
  );
}
if (prof) writeFileSync(prof, JSON.stringify(((await post('Profiler.stop')) as { profile: unknown }).profile));

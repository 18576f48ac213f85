// Profiling harness for #19's import: the import worker's own parse path (parseImport in
// renderer/workers/import-parse.ts, files read from Blobs in slices as in the app) over the bench's generated
// workbench CSV. `npx tsx scripts/profile-import.ts [assignments]`; PROFILE=file.cpuprofile writes a CPU profile;
// the printed digest covers every stored assignment column, to compare two versions of the parser.
import { openAsBlob } from 'node:fs';
import { register } from 'node:module';
import { loadavg } from 'node:os';
import { createHash } from 'node:crypto';
import { writeWorkbenchCsv } from '../test/bench/workbench-data';
import { cpuProfile, cpuSeconds, mib } from './profiling';
import type * as ImportModule from '../shared/import';

// The worker imports sql.js's wasm as a Vite `?url` asset; Node gets an empty URL (no .c1z among these files).
register(
  'data:text/javascript,' +
    encodeURIComponent(
      `export async function resolve(s, c, next) { return s.endsWith('?url') ? { url: 'data:text/javascript,export default ""', shortCircuit: true } : next(s, c); }`,
    ),
);
const { parseImport } = await import('../renderer/workers/import-parse');

const size = Number(process.argv[2] ?? 1_000_000);
const gen = writeWorkbenchCsv(`/tmp/s13-import-data/${size}`, { identities: size / 10, assignments: size, seed: 42 });
const files = await Promise.all(gen.files.map(async (f) => ({ name: f.name, blob: await openAsBlob(f.path) })));
const cpu = cpuSeconds;
const profiler = await cpuProfile();
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const c0 = cpu();
const t0 = performance.now();
const parsed = await parseImport(
  { files, name: 'profile', acceptRejected: false },
  { progress: () => (peak = Math.max(peak, process.memoryUsage().rss)), isCancelled: () => false },
);
const wall = (performance.now() - t0) / 1000;
const used = cpu() - c0;
clearInterval(sampler);
await profiler.stop();
if (parsed.status !== 'storable' || !parsed.store) throw new Error(`parse: ${parsed.status} ${JSON.stringify(parsed.report.files)}`);
const hash = createHash('sha256');
let rows = 0;
for (const c of parsed.store.assignmentChunks) {
  rows += c.identity.length;
  hash.update(JSON.stringify(c.strings));
  for (const col of [c.identity, c.entitlement, c.grantedAt, c.lastUsedAt, c.source, c.usageKnown, c.path, c.derivedFrom])
    hash.update(col ? new Uint8Array(col.buffer, col.byteOffset, col.byteLength) : new Uint8Array([0xff]));
}
console.error(
  `parse ${rows} assignments (${parsed.store.assignmentChunks.length} chunks): ${wall.toFixed(2)} s wall, ${used.toFixed(2)} s CPU, ` +
    `peak RSS ${mib(peak)} MiB; load ${loadavg()[0]!.toFixed(1)}; columns sha256 ${hash.digest('hex').slice(0, 16)}`,
);
// The app digests large files on a thread of its own while they are parsed; here (no Worker) they are digested in
// line. The same digest alone, for the parse's own share.
const { bytesSource, digestSource } = (await import('../shared/import')) as Partial<typeof ImportModule>;
if (digestSource && bytesSource) {
  const d0 = cpu();
  for (const f of gen.files) await digestSource(bytesSource(f.name, new Uint8Array(await (await openAsBlob(f.path)).arrayBuffer())));
  const digestCpu = cpu() - d0;
  console.error(`digest alone ${digestCpu.toFixed(2)} s CPU (inside the parse's CPU above when no digest thread runs)`);
}

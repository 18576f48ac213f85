// Profiling harness for #17's store: suggest() on the import bench's manager-heavy shape, then the suggestion
// chunks encoded as the repository does (50,000 per chunk) and serialised as structured clone does (v8.serialize),
// with CPU seconds and bytes. `npx tsx scripts/profile-store.ts [assignments]`.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { serialize } from 'node:v8';
import { importFiles } from '../shared/import';
import { DEFAULT_POLICY, suggest } from '../shared/suggest';
import { decodeSuggestions, encodeSuggestions } from '../renderer/db/suggestion-columns';
import { writeWorkbenchCsv } from '../test/bench/workbench-data';

const size = Number(process.argv[2] ?? 100_000);
const gen = writeWorkbenchCsv(`/tmp/s9-perf-data/${size}`, { identities: size / 10, assignments: size, seed: 42 });
const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
const out = suggest(data, DEFAULT_POLICY, { asOf: Date.UTC(2026, 10, 22) });
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const c0 = cpu();
const t0 = performance.now();
let bytes = 0;
const chunks = [];
for (let i = 0; i < out.length; i += 50_000) {
  const cols = encodeSuggestions(out.slice(i, i + 50_000));
  bytes += serialize(cols).length;
  if (process.env.CHECK === '1') chunks.push(cols);
}
console.error(
  `store ${out.length} suggestions: ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${(cpu() - c0).toFixed(2)} s CPU, ${(bytes / 2 ** 20).toFixed(0)} MiB serialised, load ${loadavg()[0]!.toFixed(1)}`,
);
if (process.env.CHECK === '1') {
  let k = 0;
  for (const cols of chunks)
    for (const s of decodeSuggestions(cols))
      if (JSON.stringify(s) !== JSON.stringify(out[k++])) throw new Error(`suggestion ${k - 1} differs after decoding`);
  console.error(`decoded: ${k} suggestions identical`);
}

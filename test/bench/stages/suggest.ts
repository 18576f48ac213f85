// `npm run bench -- suggest`: the suggestion engine with every signal on generated organisations — 10k identities
// (~100k assignments, target ≤ 1 s) and 100k identities (~1M assignments, target ≤ 10 s) — in Node, with memory,
// and each of the two parts the app computes on two threads.
// Import is not timed here (the import stage measures it); the data goes through the real importer first.
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { importFiles } from '../../../shared/import';
import { utf8 } from '../../../shared/codec/digest';
import { DEFAULT_POLICY, suggest } from '../../../shared/suggest';
import { generateOrganisation } from '../org-generator';
import type { BenchStage, Metrics } from '../stage';

const MB = 1024 * 1024;
const SIZES: { label: string; identities: number; seed: number; targetSeconds: number; runs: number }[] = [
  { label: '10k', identities: 10_000, seed: 7, targetSeconds: 1, runs: 3 },
  { label: '100k', identities: 100_000, seed: 8, targetSeconds: 10, runs: 2 },
];

/** A full garbage collection between runs, so earlier stages' and runs' garbage does not weigh on the next one. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export const stage: BenchStage = {
  name: 'suggest',
  description: 'suggestion engine, all signals, 10k and 100k identities (Node)',
  async run(ctx) {
    const metrics: Metrics = {};
    for (const size of SIZES) {
      // Balanced shape with four optional entitlements per role: about 10.2 assignments per identity, so 100k
      // identities give the 1M assignments of the target.
      const org = generateOrganisation({ seed: size.seed, identities: size.identities, shape: { optionalPool: 4 } });
      const imported = importFiles(org.files.map((f) => ({ name: f.name, bytes: utf8(f.text) })));
      org.files.length = 0;
      const asOf = Date.parse(org.truth.asOf);
      const data = imported.data;
      ctx.log(
        `${size.label}: ${data.identities.length} identities, ${data.assignments.length} assignments, ${data.credentials.length} credentials`,
      );
      collectGarbage();
      const base = process.memoryUsage();
      const times: number[] = [];
      const cpu: number[] = [];
      let peakRss = base.rss;
      let peakHeap = base.heapUsed;
      let items = 0;
      for (let r = 0; r < size.runs; r++) {
        collectGarbage(); // the previous run's suggestions are unreachable here
        const sample = () => {
          const m = process.memoryUsage();
          if (m.rss > peakRss) peakRss = m.rss;
          if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
        };
        const load = loadavg()[0]!;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const out = suggest(data, DEFAULT_POLICY, { asOf, onProgress: sample });
        times.push((performance.now() - t0) / 1000);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1e6);
        sample();
        items = out.length;
        ctx.log(
          `${size.label} run ${r + 1}: ${times[r]!.toFixed(2)} s wall, ${cpu[r]!.toFixed(2)} s CPU (all threads), load average ${load.toFixed(1)} on ${availableParallelism()} cores`,
        );
        metrics[`${size.label}.run${r + 1}.loadAverage`] = round(load);
      }
      const best = Math.min(...times);
      metrics[`${size.label}.identities`] = data.identities.length;
      metrics[`${size.label}.assignments`] = data.assignments.length;
      metrics[`${size.label}.suggestions`] = items;
      metrics[`${size.label}.firstRunSeconds`] = round(times[0]!);
      metrics[`${size.label}.bestSeconds`] = round(best);
      metrics[`${size.label}.bestCpuSeconds`] = round(Math.min(...cpu));
      metrics[`${size.label}.itemsPerSecond`] = Math.round(items / best);
      metrics[`${size.label}.target`] = `${best <= size.targetSeconds ? 'met' : 'NOT met'} (≤ ${size.targetSeconds} s)`;
      metrics[`${size.label}.snapshotHeapMB`] = Math.round(base.heapUsed / MB);
      metrics[`${size.label}.peakHeapMB`] = Math.round(peakHeap / MB);
      metrics[`${size.label}.peakHeapAboveSnapshotMB`] = Math.round((peakHeap - base.heapUsed) / MB);
      metrics[`${size.label}.peakRssMB`] = Math.round(peakRss / MB);
      // The app runs the output as two parts on two threads: each part alone, and its index build (up to the first
      // progress call), which every part repeats.
      for (let index = 0; index < 2; index++) {
        collectGarbage();
        let built = Number.NaN;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const onProgress = () => {
          if (Number.isNaN(built)) built = performance.now() - t0;
        };
        suggest(data, DEFAULT_POLICY, { asOf, part: { index, of: 2 }, onProgress });
        const wall = (performance.now() - t0) / 1000;
        const c = process.cpuUsage(c0);
        const key = `${size.label}.part${index + 1}of2`;
        metrics[`${key}.seconds`] = round(wall);
        metrics[`${key}.cpuSeconds`] = round((c.user + c.system) / 1e6);
        metrics[`${key}.indexBuildSeconds`] = round(built / 1000);
        ctx.log(`${size.label} part ${index + 1} of 2: ${wall.toFixed(2)} s wall (index build ${(built / 1000).toFixed(2)} s)`);
      }
    }
    return metrics;
  },
};

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

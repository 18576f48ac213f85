// Verify stage: the export stage's 100,000-item certification package verified against a trust list (archive read
// with every safety check, 3 signatures, every digest, audit chain, consistency, completeness, counts). Target ≤ 3 s.
//
// Measured as `arw verify` runs it (verifyCertificationPackageOnNode: Node's zlib and crypto, the audit log analysed
// on a worker thread), median of 3. Reported beside it: one run of the portable, single-thread path (the app's
// browser worker's code path), here in Node.
import { verifyCertificationPackageOnNode } from '../../../electron/cli/node-runtime';
import { installNodeRuntime } from '../../../electron/cli/node-primitives';
import { verifyCertificationPackage } from '../../../shared/exchange';
import type { VerifyReport } from '../../../shared/package';
import { resetRuntimePrimitives } from '../../../shared/codec/runtime-primitives';
import type { BenchStage, Metrics } from '../stage';
import { benchPackage, EXPORT_ITEMS, loadAverage, mainThreadCpuSeconds, median, speedProbeMs } from './export';

const RUNS = 3;

async function timed(verify: () => Promise<VerifyReport>): Promise<{ seconds: number; cpu: number | null }> {
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = mainThreadCpuSeconds();
  const started = performance.now();
  const report = await verify();
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = mainThreadCpuSeconds();
  if (report.verdict !== 'valid')
    throw new Error(
      `the bench package did not verify: ${report.reasons
        .slice(0, 3)
        .map((r) => r.message)
        .join('; ')}`,
    );
  return { seconds, cpu: cpu !== null && cpuAfter !== null ? cpuAfter - cpu : null };
}

export const stage: BenchStage = {
  name: 'verify',
  description: `verify the ${EXPORT_ITEMS.toLocaleString('en-US')}-item certification package against a trust list (target ≤ 3 s)`,
  async run(ctx) {
    const { bytes, trustedKeys, items } = await benchPackage(ctx.log);
    const probeBefore = speedProbeMs();
    const runs: { seconds: number; cpu: number | null }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timed(() => verifyCertificationPackageOnNode(bytes, { trustedKeys })));
    ctx.log('verifying once more on one thread with the portable implementations only');
    resetRuntimePrimitives();
    const portable = await timed(() => verifyCertificationPackage(bytes, { trustedKeys }));
    installNodeRuntime();
    const probeAfter = speedProbeMs();
    const seconds = median(runs.map((r) => r.seconds));
    const cpu = runs.map((r) => r.cpu);
    const metrics: Metrics = {
      items,
      archiveMiB: round(bytes.length / 1024 ** 2),
      verdict: 'valid',
      verifySecondsMedian: round(seconds),
      verifySecondsRuns: runs.map((r) => r.seconds.toFixed(2)).join(' / '),
      verifyMainThreadCpuSecondsMedian: cpu.every((c) => c !== null) ? round(median(cpu as number[])) : 'n/a',
      portableVerifySeconds: round(portable.seconds),
      loadAverage: loadAverage(),
      speedProbeMs: `${probeBefore} / ${probeAfter}`,
      target: seconds <= 3 ? 'met (≤ 3 s)' : 'MISSED (> 3 s)',
      portableTarget: portable.seconds <= 3 ? 'met (≤ 3 s)' : 'MISSED (> 3 s)',
    };
    return metrics;
  },
};

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

// Import stage: a Baton .c1z sync in Node (ARW_BENCH_IMPORT_BATON_ONLY=1 stops there), then workbench CSV through the
// real parser, worker and Dexie (chunked snapshot) in headless Chromium.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { decompress } from 'fzstd';
import { nodeSqliteEngine } from '../../../electron/cli/sqlite-engine';
import { writeOrganisation } from '../org-generator';
import { openBrowserBench } from '../browser/harness';
import type { BenchStage, Metrics } from '../stage';
import { importFiles } from '../../../shared/import';
import { ldifDirectory, writeWorkbenchCsv } from '../workbench-data';
import { createHash } from 'node:crypto';

const SIZES = (process.env.ARW_BENCH_IMPORT_SIZES ?? '100000,1000000').split(',').map(Number);
/** Identities of the realistic organisation whose suggestions are computed and stored in the worker (~10 assignments each). */
const ORG_IDENTITIES = Number(process.env.ARW_BENCH_IMPORT_ORG_IDENTITIES ?? 100_000);

export const stage: BenchStage = {
  name: 'import',
  description: `Baton .c1z sync (grants per second, Node); workbench CSV → worker parse → chunked Dexie snapshot in Chromium at ${SIZES.map((n) => n.toLocaleString('en-US')).join(' and ')} assignments; reopen after reload; per-row bulkPut for comparison`,
  async run(ctx) {
    const metrics: Metrics = {};
    Object.assign(metrics, await batonImport(ctx));
    if (process.env.ARW_BENCH_IMPORT_BATON_ONLY === '1') return metrics;
    const bench = await openBrowserBench(ctx.workDir);
    try {
      for (const size of SIZES) {
        const tag = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
        ctx.log(`generating ${size.toLocaleString('en-US')} assignments over ${(size / 10).toLocaleString('en-US')} identities`);
        const data = writeWorkbenchCsv(join(bench.dataDir, tag), { identities: size / 10, assignments: size, seed: 42 });
        const files = data.files.map((f) => ({ name: f.name, url: bench.urlFor(`${tag}/${f.name}`) }));
        await bench.page.evaluate(() => (window as unknown as { bench: { clearDatabase(): Promise<void> } }).bench.clearDatabase());
        bench.resetPeak();
        metrics[`${tag}.browserMemoryBeforeImportMiB`] = bench.currentMemoryMiB();
        ctx.log(`importing ${tag} (${(data.files.reduce((s, f) => s + f.bytes, 0) / 1024 ** 2).toFixed(0)} MiB)`);
        const r = await bench.page.evaluate(
          (f) =>
            (
              window as unknown as {
                bench: {
                  importSnapshot(
                    f: unknown,
                  ): Promise<{ seconds: number; status: string; snapshotId?: string; totals: { assignments: number } }>;
                };
              }
            ).bench.importSnapshot(f),
          files,
        );
        if (r.status !== 'stored' || r.totals.assignments !== data.assignments)
          throw new Error(`import ${tag}: ${r.status}, ${r.totals.assignments} of ${data.assignments} stored`);
        metrics[`${tag}.assignments`] = data.assignments;
        metrics[`${tag}.importSeconds`] = round(r.seconds);
        metrics[`${tag}.rowsPerSecond`] = Math.round(data.assignments / r.seconds);
        metrics[`${tag}.peakBrowserMemoryMiB`] = bench.peakMemoryMiB();
        // Where the peak is: reading + parsing (files streamed in chunks) or storing the snapshot.
        for (const [phase, mib] of Object.entries(bench.peakByPhaseMiB())) metrics[`${tag}.peakBrowserMemoryMiB.${phase}`] = mib;
        await bench.page.reload();
        await bench.page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
        const reopen = await bench.page.evaluate(
          (id) =>
            (
              window as unknown as { bench: { reopenSnapshot(id: string): Promise<{ seconds: number; assignments: number }> } }
            ).bench.reopenSnapshot(id),
          r.snapshotId!,
        );
        if (reopen.assignments !== data.assignments) throw new Error(`reopen ${tag}: ${reopen.assignments} assignments`);
        metrics[`${tag}.reopenSeconds`] = round(reopen.seconds);
        // Issue #4: all signals over this snapshot in the app's worker (load and store reported apart).
        bench.resetPeak();
        const sw = await bench.page.evaluate(
          (id) =>
            (
              window as unknown as {
                bench: {
                  suggestInWorker(
                    id: string,
                  ): Promise<{ suggestions: number; loadSeconds: number; computeSeconds: number; storeSeconds: number }>;
                };
              }
            ).bench.suggestInWorker(id),
          r.snapshotId!,
        );
        metrics[`${tag}.worker.suggestions`] = sw.suggestions;
        metrics[`${tag}.worker.allSignalsSeconds`] = round(sw.computeSeconds);
        metrics[`${tag}.worker.loadSnapshotSeconds`] = round(sw.loadSeconds);
        metrics[`${tag}.worker.storeSuggestionsSeconds`] = round(sw.storeSeconds);
        metrics[`${tag}.worker.peakBrowserMemoryMiB`] = bench.peakMemoryMiB();
        if (size === SIZES[SIZES.length - 1]) {
          ctx.log('per-row bulkPut of 100,000 rows with three indexes, for comparison');
          const naive = await bench.page.evaluate(
            ([url]) =>
              (
                window as unknown as { bench: { perRowBulkPut(u: string, n: number): Promise<{ rows: number; seconds: number }> } }
              ).bench.perRowBulkPut(url!, 100_000),
            [files.find((f) => f.name === 'assignments.csv')!.url],
          );
          metrics['perRow.rowsPerSecond'] = Math.round(naive.rows / naive.seconds);
          metrics['chunkedVsPerRow.ratio'] = round(Number(metrics[`${tag}.rowsPerSecond`]) / (naive.rows / naive.seconds));
        }
      }
      // Issue #4's figure on a realistic organisation (role-shaped bundles, managers with normal spans): the
      // quality benchmark's generator at 100,000 identities.
      ctx.log(`all signals in the worker on a generated organisation of ${ORG_IDENTITIES.toLocaleString('en-US')} identities`);
      const orgTag = `org${ORG_IDENTITIES / 1000}k`;
      const org = await writeOrganisation(join(bench.dataDir, orgTag), { seed: 11, identities: ORG_IDENTITIES });
      const orgFiles = org.paths.map((p) => ({ name: basename(p), url: bench.urlFor(`${orgTag}/${basename(p)}`) }));
      const orgImport = await bench.page.evaluate(
        (f) =>
          (
            window as unknown as {
              bench: { importSnapshot(f: unknown): Promise<{ status: string; snapshotId?: string; totals: { assignments: number } }> };
            }
          ).bench.importSnapshot(f),
        orgFiles,
      );
      if (orgImport.status !== 'stored') throw new Error(`organisation import: ${orgImport.status}`);
      bench.resetPeak();
      const ow = await bench.page.evaluate(
        (id) =>
          (
            window as unknown as {
              bench: {
                suggestInWorker(
                  id: string,
                ): Promise<{ suggestions: number; loadSeconds: number; computeSeconds: number; storeSeconds: number }>;
              };
            }
          ).bench.suggestInWorker(id),
        orgImport.snapshotId!,
      );
      metrics[`${orgTag}.assignments`] = orgImport.totals.assignments;
      metrics[`${orgTag}.worker.allSignalsSeconds`] = round(ow.computeSeconds);
      metrics[`${orgTag}.worker.loadSnapshotSeconds`] = round(ow.loadSeconds);
      metrics[`${orgTag}.worker.storeSuggestionsSeconds`] = round(ow.storeSeconds);
      metrics[`${orgTag}.worker.suggestions`] = ow.suggestions;
      metrics[`${orgTag}.worker.peakBrowserMemoryMiB`] = bench.peakMemoryMiB();
    } finally {
      await bench.close();
    }
    // LDIF: 100,000 directory entries through the same importer (in Node).
    const ldif = new TextEncoder().encode(ldifDirectory(100_000, 3));
    const started = performance.now();
    const outcome = importFiles([{ name: 'directory.ldif', bytes: ldif, sha256: createHash('sha256').update(ldif).digest('hex') }]);
    const seconds = (performance.now() - started) / 1000;
    if (outcome.data.identities.length !== 100_000) throw new Error(`LDIF: ${outcome.data.identities.length} identities of 100,000`);
    metrics['ldif100k.entries'] = 100_000 + Math.ceil(100_000 / 500);
    metrics['ldif100k.seconds'] = round(seconds);
    metrics['ldif100k.entriesPerSecond'] = Math.round((100_000 + Math.ceil(100_000 / 500)) / seconds);
    metrics['ldif100k.assignments'] = outcome.data.assignments.length;
    return metrics;
  },
};

/**
 * Baton: the expanded sample sync (ARW_DATASETS/baton-c1z) through the importer in Node (zstd, SQLite via sql.js,
 * protobuf, then the workbench's own expansion), as grant rows read per second. Best of three readings.
 */
async function batonImport(ctx: { log(message: string): void }): Promise<Metrics> {
  const file = join(
    process.env.ARW_DATASETS ?? resolve(import.meta.dirname, '../../../../shared/datasets'),
    'baton-c1z/sync.36zfOAoWMxQdISbixanQCRBiX7E.expanded.c1z',
  );
  if (!existsSync(file)) {
    ctx.log(`Baton: ${file} not found (set ARW_DATASETS); no Baton figure`);
    return { 'baton.skipped': 'dataset not found' };
  }
  const bytes = new Uint8Array(readFileSync(file));
  const sqlite = await nodeSqliteEngine();
  const db = sqlite.open(decompress(bytes.subarray(5)));
  const grantRows = Number(db.exec('SELECT count(*) FROM v1_grants')[0]!.values[0]![0]);
  db.close();
  let best = Infinity;
  let effective = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const outcome = importFiles([{ name: basename(file), bytes }], { sqlite });
    best = Math.min(best, (performance.now() - started) / 1000);
    if (outcome.refused.length) throw new Error(`Baton: ${outcome.refused[0]!.message}`);
    effective = outcome.data.assignments.length;
  }
  ctx.log(`Baton: ${grantRows} grant rows in ${round(best)} s`);
  return {
    'baton.grantRows': grantRows,
    'baton.effectiveAssignments': effective,
    'baton.seconds': round(best),
    'baton.grantsPerSecond': Math.round(grantRows / best),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

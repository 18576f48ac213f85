// Scale stage (#19): at each size of ARW_BENCH_SCALE_SIZES (default 3,000,000 and 10,000,000 assignments, ten per
// identity) the import, reopen, suggestions (computed and stored) and a campaign over everything opened in the real
// app, in headless Chromium with a persistent profile (the bench page's own steps, as the import and review stages
// use them); then export and verification of ARW_BENCH_SCALE_DECISIONS (1,000,000) decided items in child Node
// processes (scripts/measure-package.ts). A step that fails or crashes reports that as its figure (`3M.importSeconds: null`, `3M.error: "…"`) and
// the bench goes on with the next size.
// To iterate on opening alone: ARW_BENCH_SCALE_KEEP=1 keeps each size's browser profile (its database) under
// bench-results/scale/<size>/ (fixed port ARW_BENCH_SCALE_PORT, default 47311: the database is the origin's);
// ARW_BENCH_SCALE_REUSE=1 then rebuilds the app, opens that profile and only opens the last campaign created there
// (the scoped one where it was made: `<size>.scopedCampaignOpen*`, else `<size>.campaignOpen*`).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openBrowserBench, type BrowserBench } from '../browser/harness';
import type { BenchStage, Metrics } from '../stage';
import { writeWorkbenchCsv } from '../workbench-data';
import { loadAverage } from './export';

const SIZES = (process.env.ARW_BENCH_SCALE_SIZES ?? '3000000,10000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const DECISIONS = Number(process.env.ARW_BENCH_SCALE_DECISIONS ?? 1_000_000);
/**
 * Steps to leave out at every size (`ARW_BENCH_SCALE_SKIP=suggest`: the campaign then computes what it needs;
 * `campaign`: no campaign is created or opened, for measuring the import and reopening alone).
 */
const SKIP = new Set((process.env.ARW_BENCH_SCALE_SKIP ?? '').split(',').filter(Boolean));
/** A step in the app's worker that takes longer fails with that as its error (`ARW_BENCH_SCALE_STEP_TIMEOUT_S`; none by default). */
const STEP_TIMEOUT_MS = Number(process.env.ARW_BENCH_SCALE_STEP_TIMEOUT_S ?? 0) * 1000;
/** The heap the app's estimate is told this machine gives (`ARW_BENCH_SCALE_HEAP_MIB`): to measure past its refusal
 * where the estimate's figures are in question; by default what the platform reports. */
const HEAP_MIB_OVERRIDE = Number(process.env.ARW_BENCH_SCALE_HEAP_MIB ?? 0);
const memory = HEAP_MIB_OVERRIDE > 0 ? { heapLimitMiB: HEAP_MIB_OVERRIDE } : undefined;
/** From this size on, a campaign scoped to about SCOPED_ITEMS items is created and opened as well (a large company
 * reviews per application): `${tag}.scopedCampaign*`. Leave it out with ARW_BENCH_SCALE_SKIP=scoped. */
const SCOPED_FROM = 3_000_000;
const SCOPED_ITEMS = 1_000_000;
/** The bench data's applications: entitlement e belongs to "App e % 40", the assignments spread evenly over them. */
const BENCH_APPLICATIONS = 40;
/** The decisions child's heap and time (generating and signing 1,000,000 decisions alone takes minutes). */
const HEAP_MIB = 16_384;
const KEEP = process.env.ARW_BENCH_SCALE_KEEP === '1';
const REUSE = process.env.ARW_BENCH_SCALE_REUSE === '1';
const KEPT_PORT = Number(process.env.ARW_BENCH_SCALE_PORT ?? 47311);
/** What a kept profile holds, written beside it (ARW_BENCH_SCALE_KEEP) and read by ARW_BENCH_SCALE_REUSE. */
interface Kept {
  snapshotId: string;
  campaignItems?: number;
  scopedItems?: number;
}
const DECISIONS_TIMEOUT_MS = Number(process.env.ARW_BENCH_SCALE_DECISIONS_TIMEOUT_S ?? 3600) * 1000;

interface BenchApi {
  clearDatabase(): Promise<void>;
  importSnapshot(f: unknown): Promise<{
    seconds: number;
    status: string;
    snapshotId?: string;
    totals: { assignments: number; identities: number };
    phases?: { parseSeconds: number; storeSeconds: number };
  }>;
  reopenSnapshot(id: string): Promise<{ seconds: number; assignments: number }>;
  suggestInWorker(
    id: string,
    memory?: { heapLimitMiB: number },
  ): Promise<{
    suggestions: number;
    loadSeconds: number;
    computeSeconds: number;
    storeSeconds: number;
    encodeSeconds?: number;
    writeSeconds?: number;
    decodeSeconds?: number;
    threads?: number;
    estimateMiB?: number;
    limitMiB?: number;
  }>;
  campaignFor(
    id: string,
    memory?: { heapLimitMiB: number },
    scope?: { applications: string[]; identityTypes: string[]; privileges: string[] },
    campaignId?: string,
  ): Promise<{ items: number; suggestSeconds: number; timings?: Record<string, number> }>;
}
type Window = { bench: BenchApi };

export function sizeTag(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
}

export const stage: BenchStage = {
  name: 'scale',
  description: `import, reopen, suggestions and a campaign over everything at ${SIZES.map((n) => n.toLocaleString('en-US')).join(' and ')} assignments (Chromium, persistent profile); export and verify of ${DECISIONS.toLocaleString('en-US')} decisions (Node)`,
  async run(ctx) {
    const metrics: Metrics = { loadAverageBefore: loadAverage() };
    for (const size of SIZES) Object.assign(metrics, await oneSize(size, ctx));
    if (DECISIONS > 0) Object.assign(metrics, await decisions(DECISIONS, ctx));
    metrics.loadAverageAfter = loadAverage();
    return metrics;
  },
};

async function oneSize(size: number, ctx: { workDir: string; log(m: string): void }): Promise<Metrics> {
  const tag = sizeTag(size);
  const m: Metrics = { [`${tag}.assignments`]: size };
  const steps = ['importSeconds', 'reopenSeconds', 'suggestSeconds', 'campaignCreateSeconds', 'campaignOpenSeconds'];
  for (const s of steps) m[`${tag}.${s}`] = null;
  let bench: BrowserBench | null = null;
  let step = 'start';
  let peak = 0;
  let snapshotId: string | undefined;
  const notePeak = () => (peak = Math.max(peak, bench?.peakMemoryMiB() ?? 0));
  const keptFile = join(ctx.workDir, tag, 'kept.json');
  const keep = (k: Kept) => KEEP && writeFileSync(keptFile, JSON.stringify(k));
  try {
    try {
      if (REUSE) {
        step = 'reuse';
        if (!existsSync(keptFile)) throw new Error(`nothing kept at ${keptFile} (run with ARW_BENCH_SCALE_KEEP=1 first)`);
        const kept = JSON.parse(readFileSync(keptFile, 'utf8')) as Kept;
        bench = await openBrowserBench(join(ctx.workDir, tag), { withApp: true, keep: { port: KEPT_PORT } });
        const key = kept.scopedItems ? 'scopedCampaignOpen' : 'campaignOpen';
        ctx.log(`${tag}: opening the kept ${kept.scopedItems ? 'scoped ' : ''}campaign (${kept.scopedItems ?? kept.campaignItems} items)`);
        step = key;
        bench.resetPeak();
        const opened = await openReview(bench);
        m[`${tag}.${key}Seconds`] = opened.seconds;
        m[`${tag}.${key}DetailSeconds`] = opened.detailSeconds;
        m[`${tag}.${key}.peakBrowserMemoryMiB`] = bench.peakMemoryMiB();
        notePeak();
        return m;
      }
      step = 'generate';
      bench = await openBrowserBench(join(ctx.workDir, tag), { withApp: true, ...(KEEP ? { keep: { port: KEPT_PORT } } : {}) });
      ctx.log(`${tag}: generating ${size.toLocaleString('en-US')} assignments over ${(size / 10).toLocaleString('en-US')} identities`);
      const data = writeWorkbenchCsv(join(bench.dataDir, tag), { identities: size / 10, assignments: size, seed: 42 });
      m[`${tag}.inputMiB`] = round(data.files.reduce((s, f) => s + f.bytes, 0) / 1024 ** 2);
      const files = data.files.map((f) => ({ name: f.name, url: bench!.urlFor(`${tag}/${f.name}`) }));
      const page = bench.page;

      step = 'import';
      ctx.log(`${tag}: importing ${m[`${tag}.inputMiB`]} MiB`);
      bench.resetPeak();
      m[`${tag}.browserMemoryBeforeImportMiB`] = bench.currentMemoryMiB();
      const imported = await watched(
        bench,
        page.evaluate((f) => (window as unknown as Window).bench.importSnapshot(f), files),
      );
      if (imported.status !== 'stored' || imported.totals.assignments !== data.assignments)
        throw new Error(`import: ${imported.status}, ${imported.totals.assignments} of ${data.assignments} assignments`);
      m[`${tag}.importSeconds`] = round(imported.seconds);
      snapshotId = imported.snapshotId;
      // In the app's worker: reading and parsing (with the hand-over of what to store), then storing.
      if (imported.phases) {
        m[`${tag}.import.parseSeconds`] = round(imported.phases.parseSeconds);
        m[`${tag}.import.storeSeconds`] = round(imported.phases.storeSeconds);
      }
      m[`${tag}.import.peakBrowserMemoryMiB`] = bench.peakMemoryMiB();
      for (const [phase, mib] of Object.entries(bench.peakByPhaseMiB())) m[`${tag}.import.peakBrowserMemoryMiB.${phase}`] = mib;
      notePeak();
      ctx.log(`${tag}: imported in ${m[`${tag}.importSeconds`]} s, peak ${m[`${tag}.import.peakBrowserMemoryMiB`]} MiB`);

      step = 'reopen';
      ctx.log(`${tag}: reopening after a reload`);
      await page.reload();
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
      const reopened = await page.evaluate((id) => (window as unknown as Window).bench.reopenSnapshot(id), imported.snapshotId!);
      if (reopened.assignments !== data.assignments) throw new Error(`reopen: ${reopened.assignments} assignments`);
      m[`${tag}.reopenSeconds`] = round(reopened.seconds);
      notePeak();

      step = 'suggest';
      if (!SKIP.has('suggest')) {
        ctx.log(`${tag}: suggestions, computed and stored`);
        bench.resetPeak();
        const t0 = performance.now();
        const suggested = await watched(
          bench,
          page.evaluate(([id, mem]) => (window as unknown as Window).bench.suggestInWorker(id!, mem), [
            imported.snapshotId!,
            memory,
          ] as const),
        );
        m[`${tag}.suggestSeconds`] = round((performance.now() - t0) / 1000);
        m[`${tag}.suggest.loadSeconds`] = round(suggested.loadSeconds);
        m[`${tag}.suggest.computeSeconds`] = round(suggested.computeSeconds);
        m[`${tag}.suggest.storeSeconds`] = round(suggested.storeSeconds);
        // Storing, split: encoding in the suggest workers, writing and decoding in the backend; how many workers.
        // And the memory estimate it started on (MiB needed, MiB the machine gives).
        for (const k of ['encodeSeconds', 'writeSeconds', 'decodeSeconds', 'threads', 'estimateMiB', 'limitMiB'] as const)
          if (suggested[k] !== undefined) m[`${tag}.suggest.${k}`] = round(suggested[k]);
        m[`${tag}.suggestions`] = suggested.suggestions;
        m[`${tag}.suggest.peakBrowserMemoryMiB`] = bench.peakMemoryMiB();
        notePeak();
        ctx.log(`${tag}: suggestions in ${m[`${tag}.suggestSeconds`]} s, peak ${m[`${tag}.suggest.peakBrowserMemoryMiB`]} MiB`);
      } else m[`${tag}.suggestSeconds`] = 'skipped';

      if (SKIP.has('campaign')) {
        m[`${tag}.campaignCreateSeconds`] = 'skipped';
        m[`${tag}.campaignOpenSeconds`] = 'skipped';
        return m;
      }
      step = 'campaignCreate';
      ctx.log(`${tag}: a campaign over everything`);
      const campaign = await watched(
        bench,
        page.evaluate(([id, mem]) => (window as unknown as Window).bench.campaignFor(id!, mem), [imported.snapshotId!, memory] as const),
      );
      m[`${tag}.campaignCreateSeconds`] = round(campaign.suggestSeconds);
      // Where the creation's time went, in the backend: suggestions loaded, reviewers, review table, storing.
      for (const [k, v] of Object.entries(campaign.timings ?? {})) m[`${tag}.campaignCreate.${k}`] = round(v);
      m[`${tag}.campaignItems`] = campaign.items;
      keep({ snapshotId: snapshotId!, campaignItems: campaign.items });
      notePeak();

      step = 'campaignOpen';
      ctx.log(`${tag}: opening the campaign in the app`);
      const opened = await openReview(bench);
      m[`${tag}.campaignOpenSeconds`] = opened.seconds;
      m[`${tag}.campaignOpenDetailSeconds`] = opened.detailSeconds;
      notePeak();
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      ctx.log(`${tag}: ${step} failed: ${message}`);
      m[`${tag}.error`] = `${step}: ${message}`;
      // Where an import that crashed the tab was: reading and parsing, or storing (the last phase the page announced).
      if (step === 'import' && bench)
        for (const [phase, mib] of Object.entries(bench.peakByPhaseMiB())) m[`${tag}.import.peakBrowserMemoryMiB.${phase}`] = mib;
    }
    // The campaign a large company runs (per application) on the stored snapshot, whether or not the whole snapshot's
    // suggestions and campaign above could be made.
    if (size >= SCOPED_FROM && snapshotId && bench && !SKIP.has('scoped') && !SKIP.has('campaign')) {
      Object.assign(m, await scopedCampaign(tag, size, snapshotId, bench, ctx));
      const items = m[`${tag}.scopedCampaignItems`];
      if (typeof items === 'number') keep({ snapshotId, scopedItems: items });
      // Its steps reset the sampled peak: their own peaks count toward the size's.
      for (const k of ['scopedCampaignCreate', 'scopedCampaignOpen']) {
        const v = m[`${tag}.${k}.peakBrowserMemoryMiB`];
        if (typeof v === 'number') peak = Math.max(peak, v);
      }
      notePeak();
    }
  } finally {
    notePeak();
    m[`${tag}.peakBrowserMemoryMiB`] = peak;
    m[`${tag}.loadAverage`] = loadAverage();
    await bench?.close().catch(() => undefined);
    // The generated inputs and the built site are large at these sizes (a kept profile stays, with its note).
    if (KEEP || REUSE) rmSync(join(ctx.workDir, tag, 'site'), { recursive: true, force: true });
    else rmSync(join(ctx.workDir, tag), { recursive: true, force: true });
    // Each size's figures as soon as they are known: a long run stopped later still has them in its log.
    ctx.log(`${tag}: ${JSON.stringify(m)}`);
  }
  return m;
}

/** From a click on Review in the freshly loaded app to the first rows and the detail pane, as the review stage
 * (seconds); and to the first item's signals in that pane (detailSeconds: its full suggestion and the snapshot behind
 * the campaign loaded). */
async function openReview(bench: BrowserBench): Promise<{ seconds: number; detailSeconds: number }> {
  const page = bench.page;
  await page.goto(`${bench.base}/app/index.html`);
  await page.getByRole('tab', { name: 'Review' }).waitFor();
  const started = Date.now();
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByTestId('review-row').first().waitFor({ timeout: 600_000 });
  await page.getByTestId('detail-pane').waitFor();
  const seconds = round((Date.now() - started) / 1000);
  // The review screen while the campaign still loads and once the first item's signals show, where asked for.
  const shots = process.env.ARW_BENCH_SCREENSHOTS;
  const shot = (name: string) => (shots ? page.screenshot({ path: join(shots, `${name}.png`) }) : Promise.resolve());
  await shot(`review-opening-${Date.now()}`);
  await page.waitForFunction(
    () => {
      const pane = document.querySelector('[data-testid="detail-pane"]');
      return pane !== null && !pane.textContent?.includes('loading the signals');
    },
    undefined,
    { timeout: 600_000, polling: 100 },
  );
  const detailSeconds = round((Date.now() - started) / 1000);
  await shot(`review-detail-${Date.now()}`);
  return { seconds, detailSeconds };
}

/** A campaign scoped to the first applications whose items add up to about SCOPED_ITEMS, created (its suggestions
 * computed where the whole snapshot's are not stored) and opened; a failure is its own error key. */
async function scopedCampaign(
  tag: string,
  size: number,
  snapshotId: string,
  bench: BrowserBench,
  ctx: { log(m: string): void },
): Promise<Metrics> {
  const m: Metrics = { [`${tag}.scopedCampaignCreateSeconds`]: null, [`${tag}.scopedCampaignOpenSeconds`]: null };
  const apps = Math.max(1, Math.min(BENCH_APPLICATIONS, Math.round((BENCH_APPLICATIONS * SCOPED_ITEMS) / size)));
  const scope = { applications: Array.from({ length: apps }, (_, k) => `App ${k}`), identityTypes: [], privileges: [] };
  m[`${tag}.scopedCampaignApplications`] = apps;
  let step = 'scopedCampaignCreate';
  try {
    ctx.log(`${tag}: a campaign scoped to ${apps} of ${BENCH_APPLICATIONS} applications`);
    const page = bench.page;
    // Back on the bench page (the last step may have left the app, or a crashed worker, behind).
    await page.goto(`${bench.base}/index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    bench.resetPeak();
    const campaign = await watched(
      bench,
      page.evaluate(([id, mem, s]) => (window as unknown as Window).bench.campaignFor(id!, mem, s, 'camp-scoped'), [
        snapshotId,
        memory,
        scope,
      ] as const),
    );
    m[`${tag}.scopedCampaignCreateSeconds`] = round(campaign.suggestSeconds);
    for (const [k, v] of Object.entries(campaign.timings ?? {})) m[`${tag}.scopedCampaignCreate.${k}`] = round(v);
    m[`${tag}.scopedCampaignItems`] = campaign.items;
    m[`${tag}.scopedCampaignCreate.peakBrowserMemoryMiB`] = bench.peakMemoryMiB();
    step = 'scopedCampaignOpen';
    ctx.log(`${tag}: opening the scoped campaign in the app`);
    bench.resetPeak();
    const opened = await openReview(bench);
    m[`${tag}.scopedCampaignOpenSeconds`] = opened.seconds;
    m[`${tag}.scopedCampaignOpenDetailSeconds`] = opened.detailSeconds;
    m[`${tag}.scopedCampaignOpen.peakBrowserMemoryMiB`] = bench.peakMemoryMiB();
    ctx.log(
      `${tag}: scoped campaign of ${campaign.items} items: created in ${m[`${tag}.scopedCampaignCreateSeconds`]} s, opened in ${m[`${tag}.scopedCampaignOpenSeconds`]} s`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    ctx.log(`${tag}: ${step} failed: ${message}`);
    m[`${tag}.scopedError`] = `${step}: ${message}`;
  }
  return m;
}

/**
 * A task in the app's worker, watched: Chromium ends a worker that reaches its heap limit without an error event the
 * page sees, and the task then never settles. Once a worker thread has been seen (the page fetches the inputs
 * first), none left in the browser for 30 s fails the step.
 */
async function watched<T>(bench: BrowserBench, task: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setInterval> | undefined;
  const gone = new Promise<never>((_, reject) => {
    let seen = false;
    let missing = 0;
    timer = setInterval(() => {
      const threads = bench.workerThreads();
      if (threads) seen = true;
      missing = seen && threads === 0 ? missing + 1 : 0;
      if (missing >= 6)
        reject(
          new Error(
            `the worker is gone (no DedicatedWorker thread in the browser for 30 s; memory now ${bench.currentMemoryMiB()} MiB): ended at its heap limit, the task never settles`,
          ),
        );
    }, 5000);
  });
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    if (STEP_TIMEOUT_MS > 0)
      deadline = setTimeout(
        () => reject(new Error(`timed out after ${STEP_TIMEOUT_MS / 1000} s (ARW_BENCH_SCALE_STEP_TIMEOUT_S)`)),
        STEP_TIMEOUT_MS,
      );
  });
  try {
    return await Promise.race([task, gone, late]);
  } finally {
    clearInterval(timer);
    clearTimeout(deadline);
  }
}

/**
 * Export and verify of `items` decided items in child processes (scripts/measure-package.ts: the export in one, the
 * verification of the written archive in a fresh one, so each phase's peak memory is its own). A heap above Node's
 * default 4 GiB: the campaign itself (1,000,000 items, 1.3 million signed events) is held in memory as the app
 * hands it over.
 */
async function decisions(items: number, ctx: { workDir: string; log(m: string): void }): Promise<Metrics> {
  const tag = `decisions${sizeTag(items)}`;
  ctx.log(`${tag}: export and verify of ${items.toLocaleString('en-US')} decided items (child processes)`);
  const m: Metrics = { [`${tag}.exportSeconds`]: null, [`${tag}.verifySeconds`]: null };
  const script = resolve(import.meta.dirname, '../../../scripts/measure-package.ts');
  const dir = join(ctx.workDir, tag);
  const result = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      ['--expose-gc', `--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', script, String(items)],
      { maxBuffer: 16 * 1024 * 1024, timeout: DECISIONS_TIMEOUT_MS, env: { ...process.env, ARW_MEASURE_DIR: dir } },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; signal?: string }) | null;
        done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, signal: e?.signal ?? null, stdout, stderr });
      },
    );
  });
  rmSync(dir, { recursive: true, force: true });
  // What the export said before the verification, if that is as far as it got.
  const exported = /exported \((\{.*\})\)/.exec(result.stderr)?.[1];
  const r = (JSON.parse(result.stdout.trim().split('\n').pop() || exported || '{}') as Record<string, number | string>) ?? {};
  if (result.code !== 0) {
    const last = result.stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';
    m[`${tag}.error`] = result.signal ? `killed by ${result.signal}` : `exit ${result.code}: ${last}`;
  }
  if (r.verdict !== undefined && r.verdict !== 'valid') m[`${tag}.error`] = `verdict ${r.verdict}: ${String(r.reasons)}`;
  const num = (k: string) => (typeof r[k] === 'number' ? round(r[k]) : null);
  m[`${tag}.items`] = num('items');
  m[`${tag}.auditEvents`] = num('auditEvents');
  m[`${tag}.exportSeconds`] = num('exportSeconds');
  m[`${tag}.exportCpuSeconds`] = num('exportCpuSeconds');
  m[`${tag}.exportPeakRssMiB`] = num('exportPeakRssMiB');
  m[`${tag}.exportRssBeforeMiB`] = num('exportRssBeforeMiB');
  m[`${tag}.verifySeconds`] = num('verifySeconds');
  m[`${tag}.verifyCpuSeconds`] = num('verifyCpuSeconds');
  m[`${tag}.verifyPeakRssMiB`] = num('verifyPeakRssMiB');
  m[`${tag}.archiveMiB`] = num('archiveMiB');
  m[`${tag}.uncompressedMiB`] = num('uncompressedMiB');
  m[`${tag}.generateSeconds`] = num('generateSeconds');
  m[`${tag}.loadAverage`] = loadAverage();
  ctx.log(`${tag}: ${JSON.stringify(m)}`);
  return m;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

// Starts a Vite dev server over the bench page and a persistent Chromium profile (Playwright's default
// context keeps IndexedDB in memory and overstates write speed), and samples the browser's memory.
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { chromiumArgs, chromiumPath } from '../../../playwright.config';

export interface BrowserBench {
  page: Page;
  /** The origin serving the bench page (and, with `withApp`, the app under /app/). */
  base: string;
  /** Folder served at /data/: write generated inputs here. */
  dataDir: string;
  urlFor(fileName: string): string;
  /** Peak resident memory of all the profile's Chromium processes since the last reset, in MiB. */
  peakMemoryMiB(): number;
  /** The same peak split by the phase the page last announced (`window.benchPhase(name)`), in MiB. */
  peakByPhaseMiB(): Record<string, number>;
  /** Resident memory now, in MiB. */
  currentMemoryMiB(): number;
  resetPeak(): void;
  /** Threads named DedicatedWorker in the profile's processes now (Linux /proc; null elsewhere). */
  workerThreads(): number | null;
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** `keep`: a fixed profile directory and port (the origin, whose IndexedDB it is), to open the same database again. */
export async function openBrowserBench(
  workDir: string,
  options: { withApp?: boolean; keep?: { port: number } } = {},
): Promise<BrowserBench> {
  // A production build, served statically: the code measured is the code that ships.
  const outDir = join(workDir, 'site');
  await build({
    configFile: false,
    root: here,
    base: './',
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
    worker: { format: 'es' },
  });
  if (options.withApp) {
    // The real app, built as it ships, on the same origin as the bench page: they share IndexedDB.
    await build({
      configFile: join(here, '../../../vite.config.ts'),
      logLevel: 'error',
      build: { outDir: join(outDir, 'app'), emptyOutDir: true, sourcemap: false, minify: process.env.ARW_BENCH_NO_MINIFY ? false : 'oxc' },
    });
  }
  mkdirSync(join(outDir, 'data'), { recursive: true });
  const server: PreviewServer = await preview({
    configFile: false,
    root: here,
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: options.keep?.port ?? 0, strictPort: Boolean(options.keep) },
  });
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not listen');
  const base = `http://127.0.0.1:${address.port}`;
  const profile = options.keep ? join(workDir, 'profile') : mkdtempSync(join(workDir, 'profile-'));
  mkdirSync(profile, { recursive: true });
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  if (process.env.ARW_BENCH_CONSOLE) page.on('console', (m) => process.stderr.write(`console: ${m.text()}\n`));
  page.setDefaultTimeout(600_000);
  await page.goto(`${base}/index.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 120_000 });

  let peak = 0;
  let current = 0;
  let pids: number[] = [];
  let phase = '';
  const peaks = new Map<string, number>();
  await page.exposeFunction('benchPhase', (name: string) => {
    sample();
    phase = name;
  });
  // Only this bench's browser: the process started with this profile and all its descendants (renderers, GPU,
  // utility processes), not other Chromium instances on the machine.
  const PS_ARGS = ['-eo', 'pid=,ppid=,rss=,args='];
  const sample = () => {
    try {
      account(execFileSync('ps', PS_ARGS, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }));
    } catch {
      // ps unavailable: memory is reported as 0
    }
  };
  // The periodic sample runs ps without blocking: this process also serves the inputs the page fetches, and on a
  // loaded machine a blocking ps every 200 ms left a 150 MiB download starved for minutes.
  let sampling = false;
  const sampleInBackground = () => {
    if (sampling) return;
    sampling = true;
    execFile('ps', PS_ARGS, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, out) => {
      sampling = false;
      if (!error) account(out);
    });
  };
  const account = (out: string) => {
    const rows = out
      .split('\n')
      .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null);
    const children = new Map<number, number[]>();
    for (const r of rows) children.set(Number(r[2]), [...(children.get(Number(r[2])) ?? []), Number(r[1])]);
    const rss = new Map(rows.map((r) => [Number(r[1]), Number(r[3])] as const));
    const roots = rows.filter((r) => r[4]!.includes(profile) && !r[4]!.includes('--type=')).map((r) => Number(r[1]));
    let kib = 0;
    const seen = new Set<number>();
    const stack = [...roots];
    while (stack.length) {
      const pid = stack.pop()!;
      if (seen.has(pid)) continue;
      seen.add(pid);
      kib += rss.get(pid) ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    pids = [...seen];
    current = kib / 1024;
    peak = Math.max(peak, current);
    if (phase) peaks.set(phase, Math.max(peaks.get(phase) ?? 0, current));
  };
  const timer = setInterval(sampleInBackground, 200);
  return {
    page,
    base,
    dataDir: join(outDir, 'data'),
    urlFor: (name) => `${base}/data/${name}`,
    peakMemoryMiB: () => {
      sample();
      return Math.round(peak);
    },
    peakByPhaseMiB: () => {
      sample();
      return Object.fromEntries([...peaks].map(([k, v]) => [k, Math.round(v)]));
    },
    currentMemoryMiB: () => {
      sample();
      return Math.round(current);
    },
    workerThreads: () => {
      sample();
      let count = 0;
      for (const pid of pids) {
        try {
          for (const task of readdirSync(`/proc/${pid}/task`))
            if (readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').startsWith('DedicatedWorker')) count++;
        } catch {
          // the process ended, or no /proc
          if (!existsSync('/proc/self/task')) return null;
        }
      }
      return count;
    },
    resetPeak: () => {
      peak = 0;
      phase = '';
      peaks.clear();
    },
    async close() {
      clearInterval(timer);
      await context.close();
      await new Promise<void>((r) => server.httpServer.close(() => r()));
      if (!options.keep) rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Export and verification of N decided items, measured: `npx tsx scripts/measure-package.ts 100000 [200000 …]`.
// For each N: a seeded campaign of N items with every decision signed (real Ed25519, as the bench), then the export
// as the bench and `arw` run it (Node's zlib and crypto, report.xlsx on a worker thread), the archive written as it is
// made to ARW_MEASURE_DIR (default a temporary folder; --in-memory: held as parts, written after), then its
// verification in a fresh child process, so that each phase's peak memory is its own. Prints one JSON line per N: wall and CPU seconds, peak RSS and heap per phase.
// ARW_MEASURE_CACHE=DIR keeps the signed campaign there and reads it back next time (generating 1,000,000 takes many
// minutes; measure-package-cache.ts). Profile a phase with `node --import tsx --cpu-prof scripts/measure-package.ts --verify-only FILE KEYS`, or the
// export alone (this thread) with ARW_MEASURE_PROFILE=DIR.
import { execFileSync } from 'node:child_process';
import { Session } from 'node:inspector';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { installNodeRuntime } from '../electron/cli/node-primitives';
import { openInputSource, PACKAGE_LIMIT_BYTES } from '../electron/cli/input';
import {
  buildCertificationPackageOnNode,
  buildCertificationPackageToFile,
  verifyCertificationPackageOnNode,
} from '../electron/cli/node-runtime';
import { trustedKeyEntry, type CertificationInput, type PackageSigner, type TrustedKey } from '../shared/package';
import { cachedInput, generateSigner } from './measure-package-cache';
import { gcCounter } from './profiling';
import { keyFingerprint } from '../shared/package';
import { sampleCertificationInput, signAuditEvents } from '../test/fixtures/packages/sample-campaign';

const MiB = 1024 * 1024;

/** Peak heap in use, sampled every 50 ms while the event loop turns (the package code yields every few ms). */
function heapWatch(): { stop(): number } {
  let peak = getHeapStatistics().used_heap_size;
  const timer = setInterval(() => (peak = Math.max(peak, getHeapStatistics().used_heap_size)), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, getHeapStatistics().used_heap_size) / MiB);
    },
  };
}

async function timedPhase<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number; peakHeapMiB: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const heap = heapWatch();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { value, seconds: round(seconds), cpuSeconds: round((used.user + used.system) / 1e6), peakHeapMiB: heap.stop() };
}

/** CPU seconds of each thread of this process by thread id (Linux; empty elsewhere). */
function threadCpuSeconds(): Map<string, number> {
  const threads = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // not Linux, or a thread ended while being read
  }
  return threads;
}

/** The busiest threads' CPU seconds since `before` (this thread first: the others are the report worker, zlib, GC). */
function busiestThreads(before: Map<string, number>): { seconds: number[]; total: number } {
  const main = String(process.pid);
  const used = [...threadCpuSeconds()].map(([tid, s]) => [tid, s - (before.get(tid) ?? 0)] as const);
  const total = used.reduce((n, [, s]) => n + s, 0);
  const others = used
    .filter(([tid, s]) => tid !== main && s > 0.05)
    .map(([, s]) => round(s))
    .sort((a, b) => b - a);
  return { seconds: [round(used.find(([tid]) => tid === main)?.[1] ?? 0), ...others.slice(0, 8)], total };
}

/** This (the main) thread's CPU seconds, from /proc (NaN where there is none): the rest of the process's is other threads'. */
function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of the line, 12 and 13 after the name), in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rssMiB = () => Math.round(process.memoryUsage.rss() / MiB);
const round = (n: number) => Math.round(n * 100) / 100;
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

async function verifyOnly(file: string, keysFile: string): Promise<void> {
  installNodeRuntime();
  const trustedKeys = (JSON.parse(readFileSync(keysFile, 'utf8')) as { keys: TrustedKey[] }).keys;
  const rssBefore = rssMiB();
  const threadsBefore = threadCpuSeconds();
  const mainBefore = mainThreadCpuSeconds();
  // As `arw verify` reads it: from the file by offset (ARW_MEASURE_VERIFY_WHOLE=1: the whole file read first).
  const phase = await timedPhase(async () => {
    if (process.env.ARW_MEASURE_VERIFY_WHOLE) return verifyCertificationPackageOnNode(new Uint8Array(readFileSync(file)), { trustedKeys });
    const source = await openInputSource(file, file, PACKAGE_LIMIT_BYTES, 'a package');
    try {
      return await verifyCertificationPackageOnNode(source, { trustedKeys });
    } finally {
      await source.close();
    }
  });
  const threads = busiestThreads(threadsBefore);
  const report = phase.value;
  const reasons = report.reasons.slice(0, 3).map((r) => r.message);
  process.stdout.write(
    `${JSON.stringify({
      verdict: report.verdict,
      reasons,
      verifySeconds: phase.seconds,
      verifyCpuSeconds: phase.cpuSeconds,
      verifyMainThreadCpuSeconds: round(mainThreadCpuSeconds() - mainBefore),
      // Of the threads that outlived the verification (zlib's and crypto's pool), this one first.
      verifyThreadsCpuSeconds: threads.seconds,
      // The rest: the worker threads, ended with the verification (the audit log's analysis).
      verifyEndedThreadsCpuSeconds: round(phase.cpuSeconds - threads.total),
      verifyPeakHeapMiB: phase.peakHeapMiB,
      verifyRssBeforeMiB: rssBefore,
      verifyPeakRssMiB: peakRssMiB(),
    })}\n`,
  );
}

async function measure(items: number, dir: string, verify: boolean, inMemory: boolean): Promise<Record<string, unknown>> {
  const file = join(dir, `package-${items}.arwpkg`);
  const keysFile = join(dir, `trusted-keys-${items}.json`);
  const exported = await exportOnce(items, file, keysFile, inMemory);
  if (!verify) return { ...exported, loadAverage: load() };
  // The campaign and the built package are dropped first: the child's verification has the machine to itself.
  (globalThis as { gc?: () => void }).gc?.();
  process.stderr.write(`${items}: exported (${JSON.stringify(exported)}); verifying in a child process\n`);
  const verified = JSON.parse(
    execFileSync(process.execPath, [...process.execArgv, import.meta.filename, '--verify-only', file, keysFile], {
      encoding: 'utf8',
      maxBuffer: 16 * MiB,
    })
      .trim()
      .split('\n')
      .pop()!,
  ) as Record<string, unknown>;
  return { ...exported, ...verified, loadAverage: load() };
}

async function generate(items: number): Promise<{ input: CertificationInput; signers: PackageSigner[] }> {
  const signers = [await generateSigner('reviewer-1'), await generateSigner('reviewer-2'), await generateSigner('reviewer-3')];
  const people = [
    { id: 'r1', name: 'Reviewer One' },
    { id: 'r2', name: 'Reviewer Two' },
    { id: 'r3', name: 'Reviewer Three' },
  ];
  const reviewers = signers.map((s, i) => ({
    ...people[i]!,
    keyFingerprint: keyFingerprint(s.publicKey),
    publicKey: Buffer.from(s.publicKey).toString('base64'),
  }));
  const input = await signAuditEvents(
    sampleCertificationInput(reviewers, { items, seed: 42 }),
    signers.map((s, i) => ({ fingerprint: reviewers[i]!.keyFingerprint, sign: (m: Uint8Array) => s.sign(m) })),
  );
  return { input, signers };
}

async function exportOnce(items: number, file: string, keysFile: string, inMemory: boolean): Promise<Record<string, unknown>> {
  // ARW_MEASURE_CACHE=DIR: the signed campaign is kept there and read back next time (generating 1,000,000 takes minutes).
  const cache = process.env.ARW_MEASURE_CACHE;
  const generated = await timedPhase(() => (cache ? cachedInput(cache, items, () => generate(items)) : generate(items)));
  const { input, signers } = generated.value;
  installNodeRuntime();
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = rssMiB();
  const heapBefore = Math.round(getHeapStatistics().used_heap_size / MiB);
  const profiler = process.env.ARW_MEASURE_PROFILE ? await startProfile() : null;
  const allocations = process.env.ARW_MEASURE_ALLOCATIONS ? await startAllocationSampling() : null;
  // Seconds from the export's start to the end of each of its phases (build-package.ts names them).
  // and the CPU seconds each phase took: the process's (every thread) and this thread's alone (Linux).
  const phases: Record<string, number> = {};
  const phasesCpu: Record<string, number> = {};
  const phasesMainCpu: Record<string, number> = {};
  const phaseStart = performance.now();
  let phaseCpu = process.cpuUsage();
  let phaseMainCpu = mainThreadCpuSeconds();
  const mainCpuAtStart = phaseMainCpu;
  const phaseEnded = (name: string) => {
    // ARW_MEASURE_PHASE_LOG=1: each phase's end on stdout too, between the lines `node --trace-gc` writes there.
    // =heap: and the heap left after a full collection (what the export keeps alive; slows the export down).
    if (process.env.ARW_MEASURE_PHASE_LOG) {
      if (process.env.ARW_MEASURE_PHASE_LOG === 'heap') (globalThis as { gc?: () => void }).gc?.();
      const heap = Math.round(getHeapStatistics().used_heap_size / MiB);
      process.stdout.write(`phase ended: ${name}; heap ${heap} MiB, RSS ${rssMiB()} MiB\n`);
    }
    phases[name] = round((performance.now() - phaseStart) / 1000);
    const used = process.cpuUsage(phaseCpu);
    phaseCpu = process.cpuUsage();
    phasesCpu[name] = round((used.user + used.system) / 1e6);
    const main = mainThreadCpuSeconds();
    phasesMainCpu[name] = round(main - phaseMainCpu);
    phaseMainCpu = main;
  };
  const gcs = gcCounter();
  const threadsBefore = threadCpuSeconds();
  // Written to the file as it is made (the default), or (--in-memory) held as parts and written after.
  const exported = await timedPhase(() =>
    inMemory
      ? buildCertificationPackageOnNode(input, signers, { phaseEnded })
      : buildCertificationPackageToFile(input, signers, file, { phaseEnded }),
  );
  gcs.stop();
  const threads = busiestThreads(threadsBefore);
  if (allocations)
    writeFileSync(join(process.env.ARW_MEASURE_ALLOCATIONS!, `export-${items}.heapprofile`), JSON.stringify(await allocations.stop()));
  if (profiler) writeFileSync(join(process.env.ARW_MEASURE_PROFILE!, `export-${items}.cpuprofile`), JSON.stringify(await profiler.stop()));
  const exportPeakRss = peakRssMiB();
  if (inMemory) writeParts(file, exported.value.parts);
  const keys = signers.map((s, i) => trustedKeyEntry({ name: input.reviewers[i]!.name }, s.publicKey));
  writeFileSync(keysFile, JSON.stringify({ keys }));
  return {
    items,
    auditEvents: input.auditEvents.length,
    generateSeconds: generated.seconds,
    ...(cache ? { inputCache: cache } : {}),
    exportSeconds: exported.seconds,
    exportCpuSeconds: exported.cpuSeconds,
    exportPhasesEndAt: phases,
    exportPhasesCpuSeconds: phasesCpu,
    exportPhasesMainThreadCpuSeconds: phasesMainCpu,
    exportMainThreadCpuSeconds: round(mainThreadCpuSeconds() - mainCpuAtStart),
    // Of the threads that outlived the export (a finished worker's are gone from /proc).
    exportThreadsCpuSeconds: threads.seconds,
    // The rest: threads that ended with the export (the report worker, mostly).
    exportEndedThreadsCpuSeconds: round(exported.cpuSeconds - threads.total),
    exportMainThreadGc: {
      full: gcs.gcs.major,
      fullSeconds: round(gcs.gcs.majorMs / 1000),
      scavenges: gcs.gcs.minor,
      scavengeSeconds: round(gcs.gcs.minorMs / 1000),
    },
    exportHeapBeforeMiB: heapBefore,
    exportPeakHeapMiB: exported.peakHeapMiB,
    exportRssBeforeMiB: rssBefore,
    archiveWritten: inMemory ? 'after, from memory' : 'as made (spooled)',
    exportPeakRssMiB: exportPeakRss,
    archiveMiB: round(exported.value.size / MiB),
    uncompressedMiB: round(Object.values(exported.value.fileSizes).reduce((n, f) => n + f, 0) / MiB),
  };
}

/** A CPU profile of this thread from now to stop() (ARW_MEASURE_PROFILE=DIR: the export alone, not the set-up). */
async function startProfile(): Promise<{ stop(): Promise<object> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      session.disconnect();
      return profile;
    },
  };
}

/**
 * A sampling profile of what this thread allocates from now to stop(), collected objects included
 * (ARW_MEASURE_ALLOCATIONS=DIR: what feeds the garbage collector, by function).
 */
async function startAllocationSampling(): Promise<{ stop(): Promise<object> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: 256 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return {
    async stop() {
      const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: object };
      session.disconnect();
      return profile;
    },
  };
}

/** The archive written part by part (it is never joined into one buffer). */
function writeParts(file: string, parts: readonly Uint8Array[]): void {
  const fd = openSync(file, 'w');
  try {
    for (const part of parts) for (let at = 0; at < part.length;) at += writeSync(fd, part, at);
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--verify-only') return verifyOnly(args[1]!, args[2]!);
  // --no-verify: the export alone (the archive and keys are still written, for a later --verify-only).
  const verify = !args.includes('--no-verify');
  const inMemory = args.includes('--in-memory');
  const sizes = args.map(Number).filter((n) => n > 0);
  if (!sizes.length)
    throw new Error('usage: measure-package.ts [--no-verify] [--in-memory] ITEMS [ITEMS …] | --verify-only FILE TRUSTED-KEYS');
  const dir = process.env.ARW_MEASURE_DIR ?? mkdtempSync(join(tmpdir(), 'arw-measure-'));
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`archives in ${dir}; load ${load()}\n`);
  for (const items of sizes) process.stdout.write(`${JSON.stringify(await measure(items, dir, verify, inMemory))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

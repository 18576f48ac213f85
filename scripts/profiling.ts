// What the profiling scripts measure the same way: CPU seconds of this process, MiB, garbage collections by kind,
// and PROFILE=file.cpuprofile (a CPU profile of what runs between start and stop).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';

export const cpuSeconds = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

export const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

/** Counts collections from now until `stop()`; full ones mark the whole heap, so their count says more than wall time
 * on a shared machine. */
export function gcCounter() {
  const gcs = { major: 0, majorMs: 0, minor: 0, minorMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gcs.major++;
        gcs.majorMs += e.duration;
      } else {
        gcs.minor++;
        gcs.minorMs += e.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    gcs,
    stop: () => observer.disconnect(),
    describe: () =>
      `full GCs ${gcs.major} (${(gcs.majorMs / 1000).toFixed(1)} s), scavenges ${gcs.minor} (${(gcs.minorMs / 1000).toFixed(1)} s)`,
  };
}

/** Starts a CPU profile when `file` is set (PROFILE by default); `stop()` writes it. */
export async function cpuProfile(file = process.env.PROFILE): Promise<{ stop(): Promise<void> }> {
  if (!file) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}

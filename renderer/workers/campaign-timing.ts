// Where opening a campaign spends its time, across the UI thread, the campaign worker and the backend: logged only in
// a build made with VITE_ARW_CAMPAIGN_TIMINGS=1 (the scale bench prints the page's console with ARW_BENCH_CONSOLE=1).
// Wall-clock milliseconds: each thread's performance.now() starts at its own origin.
const on = (import.meta as { env?: Record<string, string | undefined> }).env?.VITE_ARW_CAMPAIGN_TIMINGS === '1';

export function campaignMark(what: string): void {
  if (on) console.log(`campaign timing ${Date.now() % 1_000_000} ${what}`);
}

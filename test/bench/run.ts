// `npm run bench -- [STAGE...] [--json]`: runs the named stages (all but scale when none is named) and prints a table,
// or with --json one object {stage: {metric: value}} on stdout.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchStage, Metrics } from './stage';

const stageLoaders: Record<string, () => Promise<BenchStage>> = {
  import: async () => (await import('./stages/import')).stage,
  suggest: async () => (await import('./stages/suggest')).stage,
  quality: async () => (await import('./stages/quality')).stage,
  review: async () => (await import('./stages/review')).stage,
  export: async () => (await import('./stages/export')).stage,
  verify: async () => (await import('./stages/verify')).stage,
  'package-app': async () => (await import('./stages/package-app')).stage,
  exchange: async () => (await import('./stages/exchange')).stage,
  'carry-forward': async () => (await import('./stages/carry-forward')).stage,
  scale: async () => (await import('./stages/scale')).stage,
};

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in stageLoaders));
  if (unknown.length) {
    process.stderr.write(`bench: unknown stage(s) ${unknown.join(', ')}; stages: ${Object.keys(stageLoaders).join(', ')}\n`);
    return 2;
  }
  // scale (millions of assignments, many minutes) runs only when named.
  const selected = names.length ? names : Object.keys(stageLoaders).filter((n) => n !== 'scale');
  const workDir = resolve('bench-results');
  mkdirSync(workDir, { recursive: true });
  const results: Record<string, Metrics> = {};
  for (const name of selected) {
    const loader = stageLoaders[name]!;
    let stage: BenchStage;
    try {
      stage = await loader();
    } catch {
      results[name] = { status: 'not implemented yet' };
      continue;
    }
    process.stderr.write(`bench: ${name} — ${stage.description}\n`);
    const dir = join(workDir, name);
    mkdirSync(dir, { recursive: true });
    const started = performance.now();
    try {
      results[name] = await stage.run({ workDir: dir, log: (m) => process.stderr.write(`  ${m}\n`) });
    } catch (error) {
      results[name] = { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    results[name]!.stageSeconds = round((performance.now() - started) / 1000);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } else {
    for (const [name, metrics] of Object.entries(results)) {
      process.stdout.write(`\n${name}\n`);
      const width = Math.max(...Object.keys(metrics).map((k) => k.length));
      for (const [k, v] of Object.entries(metrics))
        process.stdout.write(`  ${k.padEnd(width)}  ${typeof v === 'number' ? v.toLocaleString('en-US') : v}\n`);
    }
  }
  return Object.values(results).some((m) => m.status === 'failed') ? 1 : 0;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

main().then((code) => {
  process.exitCode = code;
});

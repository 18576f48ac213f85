// Reads a .cpuprofile of the suggest worker's path (`node --cpu-prof` on a bundle of profile-suggest-part.ts: tsx
// reports every function at line 1, esbuild's bundle keeps lines and names each module in a `// path` comment) and
// sums its samples: where the part's CPU goes between the engine (shared/suggest) and the encoder
// (renderer/db/suggestion-columns*), the collector apart, then the functions with most self samples.
// `npx tsx scripts/profile-suggest-summary.ts CPU.….cpuprofile bundle.mjs [functions]`. Sample counts, not the
// profile's time deltas: on a loaded machine a delta also counts the time the thread waited for a core.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [profileFile, bundleFile, top = '25'] = process.argv.slice(2);
if (!profileFile || !bundleFile) throw new Error('usage: profile-suggest-summary.ts <cpuprofile> <bundle.mjs> [functions]');
const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as { nodes: Node[]; samples: number[] };
// The module each line of the bundle comes from.
const moduleAt: string[] = [];
let current = '?';
readFileSync(bundleFile, 'utf8')
  .split('\n')
  .forEach((line, i) => {
    const m = /^\/\/ (\S+\.(?:ts|js|mjs))$/.exec(line);
    if (m) current = m[1]!;
    moduleAt[i + 1] = current;
  });
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const moduleOf = (n: Node) => (n.callFrame.url.endsWith('.mjs') ? (moduleAt[n.callFrame.lineNumber + 1] ?? '?') : `(native)`);
const samples = new Map<number, number>();
for (const s of profile.samples) samples.set(s, (samples.get(s) ?? 0) + 1);
const parts = new Map<string, number>();
const self = new Map<string, number>();
const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
for (const [id, n] of samples) {
  const node = byId.get(id)!;
  let inPart = false;
  let inEncoder = false;
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
    const up = byId.get(x)!;
    if (up.callFrame.functionName === 'computeSuggestionPart') inPart = true;
    if (moduleOf(up).includes('suggestion-columns')) inEncoder = true;
  }
  const name = node.callFrame.functionName || '(anonymous)';
  if (name === '(garbage collector)') add(parts, 'collector (whole process)', n);
  else if (!inPart) add(parts, 'outside the part (data, import, hashing)', n);
  else add(parts, inEncoder ? 'encoder' : 'engine', n);
  if (inPart || name === '(garbage collector)') add(self, `${name} ${moduleOf(node)}:${node.callFrame.lineNumber + 1}`, n);
}
const total = profile.samples.length;
const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
console.log(`${total} samples`);
for (const [k, n] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(7)} ${pct(n)}  ${k}`);
console.log('self samples in the part:');
for (const [k, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${String(n).padStart(7)} ${pct(n)}  ${k}`);

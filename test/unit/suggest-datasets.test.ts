// The peer signal on real user-permission data: the HP Labs role-mining benchmarks (Ene et al., SACMAT 2008;
// see ../shared/datasets/PROVENANCE.md). They have no departments or managers, so only nearest neighbours apply;
// the figures each signal states must match the raw data.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SnapshotData } from '../../shared/model';
import { DEFAULT_POLICY, suggest } from '../../shared/suggest';

const repoRoot = resolve(import.meta.dirname, '../..');
const folder = join(process.env.ARW_DATASETS ?? resolve(repoRoot, '../shared/datasets'), 'role-mining-benchmarks/hp');
const present = existsSync(join(folder, 'hc.txt'));
if (!present) console.log(`skipping HP role-mining dataset tests: ${folder} not found`);

function load(file: string): { data: SnapshotData; holders: Map<string, Set<string>> } {
  const data: SnapshotData = { identities: [], entitlements: [], assignments: [], credentials: [] };
  const holders = new Map<string, Set<string>>();
  const users = new Set<string>();
  for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
    const [u, p] = line.trim().split(/\s+/);
    if (!u || !p) continue;
    users.add(u);
    if (!holders.has(`p${p}`)) {
      holders.set(`p${p}`, new Set());
      data.entitlements.push({ id: `p${p}`, name: `p${p}`, application: 'hp', privilege: 'low' });
    }
    holders.get(`p${p}`)!.add(`u${u}`);
    data.assignments.push({ identityId: `u${u}`, entitlementId: `p${p}`, source: 'hp', usageKnown: false });
  }
  for (const u of users) data.identities.push({ id: `u${u}`, displayName: u, type: 'human', status: 'active' });
  return { data, holders };
}

describe.skipIf(!present)('HP role-mining benchmarks', () => {
  it('states nearest-neighbour figures that match the raw data (healthcare)', () => {
    const { data, holders } = load('hc.txt');
    const out = suggest(data, DEFAULT_POLICY, { asOf: Date.parse('2026-01-01') });
    expect(out).toHaveLength(data.assignments.length);
    let checked = 0;
    for (const s of out) {
      const g = s.signals.find((x) => x.id === 'peer-outlier.nearest-neighbours' && x.value !== null);
      if (!g?.peers?.members) continue;
      const held = g.peers.members.filter((m) => holders.get(s.entitlementId!)!.has(m));
      expect(g.peers.members).not.toContain(s.identityId);
      expect(g.value).toBe(Math.round((held.length / g.peers.members.length) * 10000) / 10000);
      expect(g.message).toContain(`held by ${held.length} of the ${g.peers.members.length} most similar identities`);
      if (g.peers.holders) expect(g.peers.holders).toEqual([...held].sort());
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    // Usage is unknown in this data: the engine says so rather than calling it unused.
    expect(out.every((s) => s.signals.find((x) => x.id === 'unused-access')!.value === null)).toBe(true);
  });
});

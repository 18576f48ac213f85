// Separation of duties: an identity holding both sides of a toxic pair; which side to revoke, and why.
import type { Policy } from './policy';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import { globToRegExp, pct, push } from './helpers';

/** Assignment → its separation-of-duties signals (revoke on the side to give up, a note on the side kept). */
export function buildSod(ix: SnapshotIndex, policy: Policy, peerSupport: (a: number) => number): Map<number, Signal[]> {
  const { nA, aEnt, aIdent, entitlements, aLastUsed, aGranted, dates } = ix;
  const sodPolicy = policy.separationOfDuties;
  const sodSignals = new Map<number, Signal[]>();
  if (sodPolicy.enabled && sodPolicy.pairs.length) {
    const sideA = sodPolicy.pairs.map((p) => globToRegExp(p.a));
    const sideB = sodPolicy.pairs.map((p) => globToRegExp(p.b));
    const entSides: { pair: number; side: 0 | 1 }[][] = entitlements.map((x) => {
      const out: { pair: number; side: 0 | 1 }[] = [];
      const norm = x.name.replace(/[\s_]+/g, '-');
      sodPolicy.pairs.forEach((_, p) => {
        if (sideA[p]!.test(x.id) || sideA[p]!.test(norm)) out.push({ pair: p, side: 0 });
        if (sideB[p]!.test(x.id) || sideB[p]!.test(norm)) out.push({ pair: p, side: 1 });
      });
      return out;
    });
    const byIdentity = new Map<number, number[]>();
    for (let a = 0; a < nA; a++) {
      const e = aEnt[a]!;
      if (e < 0 || aIdent[a]! < 0 || entSides[e]!.length === 0) continue;
      const list = byIdentity.get(aIdent[a]!);
      if (list) list.push(a);
      else byIdentity.set(aIdent[a]!, [a]);
    }
    for (const list of byIdentity.values()) {
      // Most holders have one side only: find the pairs with both sides before building anything.
      const bothSides: number[] = [];
      for (let p = 0; p < sodPolicy.pairs.length; p++) {
        let hasA = false;
        let hasB = false;
        for (const a of list)
          for (const sd of entSides[aEnt[a]!]!)
            if (sd.pair === p) {
              if (sd.side === 0) hasA = true;
              else hasB = true;
            }
        if (hasA && hasB) bothSides.push(p);
      }
      for (const p of bothSides) {
        const as = list.filter((a) => entSides[aEnt[a]!]!.some((s) => s.pair === p && s.side === 0));
        const bs = list.filter((a) => entSides[aEnt[a]!]!.some((s) => s.pair === p && s.side === 1));
        for (const x of as)
          for (const y of bs) {
            if (x === y) continue;
            const [victim, why] = chooseSodVictim(x, y);
            const rule = sodPolicy.pairs[p]!;
            const keepA = victim === x ? y : x;
            const nameOf = (a: number) => entitlements[aEnt[a]!]!.name;
            const base = `holds ${nameOf(x)} and ${nameOf(y)} together (rule ${rule.id}${rule.description ? `: ${rule.description}` : ''})`;
            push(sodSignals, victim, {
              id: SIGNAL_IDS.sod,
              message: `${base}; revoke ${nameOf(victim)}: ${why}`,
              value: nameOf(keepA),
              threshold: rule.id,
              verdict: 'revoke',
              confidence: 0.85,
            });
            push(sodSignals, keepA, {
              id: SIGNAL_IDS.sod,
              message: `${base}; keep ${nameOf(keepA)}, revoke ${nameOf(victim)} instead: ${why}`,
              value: nameOf(victim),
              threshold: rule.id,
            });
          }
      }
    }
  }
  function chooseSodVictim(x: number, y: number): [number, string] {
    const sx = peerSupport(x);
    const sy = peerSupport(y);
    const nx = entitlements[aEnt[x]!]!.name;
    const ny = entitlements[aEnt[y]!]!.name;
    if (!Number.isNaN(sx) && !Number.isNaN(sy) && Math.abs(sx - sy) >= 0.05) {
      return sx < sy
        ? [x, `held by ${pct(sx)} of peers against ${pct(sy)} for ${ny}`]
        : [y, `held by ${pct(sy)} of peers against ${pct(sx)} for ${nx}`];
    }
    const lx = dates[aLastUsed[x]!]!;
    const ly = dates[aLastUsed[y]!]!;
    const ux = Number.isNaN(lx) ? Number.NEGATIVE_INFINITY : lx;
    const uy = Number.isNaN(ly) ? Number.NEGATIVE_INFINITY : ly;
    if (ux !== uy) return ux < uy ? [x, `used less recently than ${ny}`] : [y, `used less recently than ${nx}`];
    const gx = aGranted[x] === 0 ? Number.POSITIVE_INFINITY : dates[aGranted[x]!]!;
    const gy = aGranted[y] === 0 ? Number.POSITIVE_INFINITY : dates[aGranted[y]!]!;
    if (gx !== gy) return gx > gy ? [x, `granted more recently than ${ny}`] : [y, `granted more recently than ${nx}`];
    return nx >= ny
      ? [x, 'no difference in peers, use or grant date; the later name is chosen']
      : [y, 'no difference in peers, use or grant date; the later name is chosen'];
  }

  return sodSignals;
}

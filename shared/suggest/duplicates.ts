// Duplicate accounts: two accounts of one person within one source (same e-mail or employee id). Correlation
// merges records across sources; within a source such a pair is a second account nobody closed.
import type { Identity } from '../model';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import { flat } from './helpers';

function sharesSource(x: Identity, y: Identity): string | null {
  const xs = x.sources ?? [];
  const ys = y.sources ?? [];
  if (!xs.length && !ys.length) return 'the same snapshot';
  for (const s of xs) if (ys.includes(s)) return s;
  return null;
}

/** Identity → its duplicate-account signal (the account to close gets disable-login; the one kept, a note). */
export function findDuplicates(ix: SnapshotIndex): Map<number, Signal> {
  const { identities, nI, ms, sets } = ix;
  // By e-mail and by employee id apart: the key's words are added only where two accounts share a value.
  const byEmail = new Map<string, number[]>();
  const byEmployee = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, k: string, i: number) => {
    const list = map.get(k);
    if (list) list.push(i);
    else map.set(k, [i]);
  };
  for (let i = 0; i < nI; i++) {
    const x = identities[i]!;
    if (x.type !== 'human' || x.principal) continue;
    if (x.email && x.email.includes('@')) add(byEmail, x.email.trim().toLowerCase(), i);
    if (x.employeeId && x.employeeId.trim()) add(byEmployee, x.employeeId.trim(), i);
  }
  const out = new Map<number, Signal>();
  // The account kept: the active one signed in most recently, then the one holding most, then the first id.
  const lastSignIn = (i: number) => {
    const x = identities[i]!;
    const t = Math.max(ms(x.lastLoginAt) || 0, ms(x.passwordLastUsedAt) || 0);
    return t;
  };
  const rank = (i: number, j: number) =>
    Number(identities[j]!.status === 'active') - Number(identities[i]!.status === 'active') ||
    lastSignIn(j) - lastSignIn(i) ||
    sets.start[j + 1]! - sets.start[j]! - (sets.start[i + 1]! - sets.start[i]!) ||
    (identities[i]!.id < identities[j]!.id ? -1 : 1);
  // Keys shared by two accounts or more, in the order of their text ("e-mail …" sorts before "employee id …").
  const shared: [string, number[]][] = [];
  for (const [map, words] of [
    [byEmail, 'e-mail'],
    [byEmployee, 'employee id'],
  ] as const) {
    const values: string[] = [];
    for (const [v, list] of map) if (list.length > 1) values.push(v);
    for (const v of values.sort()) shared.push([`${words} ${v}`, map.get(v)!]);
  }
  for (const [key, list] of shared) {
    const sorted = [...list].sort(rank);
    const kept = sorted[0]!;
    for (const other of sorted.slice(1)) {
      const where = sharesSource(identities[kept]!, identities[other]!);
      if (!where || out.has(other)) continue;
      const k = identities[kept]!;
      out.set(other, {
        id: SIGNAL_IDS.duplicate,
        message: flat(
          `second account of one person: same ${key} as ${k.displayName} (${k.id}) in ${where}; ${k.id} is the one in use, close this one`,
        ),
        value: k.id,
        threshold: key,
        verdict: 'disable-login',
        confidence: 0.75,
      });
      if (!out.has(kept))
        out.set(kept, {
          id: SIGNAL_IDS.duplicate,
          message: flat(
            `same ${key} as ${identities[other]!.displayName} (${identities[other]!.id}) in ${where}: this account is the one in use, the other is to close`,
          ),
          value: identities[other]!.id,
          threshold: key,
        });
    }
  }
  return out;
}

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
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < nI; i++) {
    const x = identities[i]!;
    if (x.type !== 'human' || x.principal) continue;
    const keys: string[] = [];
    if (x.email && x.email.includes('@')) keys.push(`e-mail ${x.email.trim().toLowerCase()}`);
    if (x.employeeId && x.employeeId.trim()) keys.push(`employee id ${x.employeeId.trim()}`);
    for (const k of keys) {
      const list = byKey.get(k);
      if (list) list.push(i);
      else byKey.set(k, [i]);
    }
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
  // Only keys shared by two accounts or more matter: sorting every person's e-mail was most of the work.
  const shared: string[] = [];
  for (const [key, list] of byKey) if (list.length > 1) shared.push(key);
  for (const key of shared.sort()) {
    const list = byKey.get(key)!;
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

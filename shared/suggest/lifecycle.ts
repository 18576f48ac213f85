// Lifecycle: identities that must not hold access (orphaned: disabled, terminated, missing from the authoritative
// source), and states where disuse is no evidence (suspended, never activated).
import type { Identity } from '../model';
import type { Policy } from './policy';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import { flat, globToRegExp } from './helpers';

export interface LifecycleModel {
  /** Identity → why it must not hold access (null: it may). */
  orphanReason: (string | null)[];
  /** Identity → a note when its state explains disuse (suspended, never activated), shared by its assignments. */
  statusNote: (Signal | null)[];
}

function statusWord(x: Identity): string {
  return x.sourceStatus && x.sourceStatus.toLowerCase() !== x.status ? `${x.status} (${x.sourceStatus})` : x.status;
}

export function buildLifecycle(ix: SnapshotIndex, policy: Policy): LifecycleModel {
  const { identities, nI } = ix;
  const p = policy.orphaned;
  const authGlobs = p.authoritativeSources.map(globToRegExp);
  const inAuth = (i: Identity) => (i.sources ?? []).some((s) => authGlobs.some((g) => g.test(s)));
  const authEvaluated = p.enabled && authGlobs.length > 0 && identities.some(inAuth);
  const orphanReason: (string | null)[] = new Array<string | null>(nI).fill(null);
  const statusNote: (Signal | null)[] = new Array<Signal | null>(nI).fill(null);
  for (let i = 0; i < nI; i++) {
    const x = identities[i]!;
    if (p.enabled) {
      if (p.statuses.includes(x.status)) orphanReason[i] = `identity is ${statusWord(x)}`;
      else if (authEvaluated && p.authoritativeTypes.includes(x.type) && !inAuth(x))
        orphanReason[i] = `identity is not in the authoritative source (${p.authoritativeSources.join(', ')})`;
    }
    if (orphanReason[i]) continue;
    if (x.status === 'suspended')
      statusNote[i] = {
        id: SIGNAL_IDS.lifecycle,
        message: flat(`identity is ${statusWord(x)}: it cannot sign in now, so disuse is no evidence`),
        value: x.status,
        threshold: null,
      };
    else if (x.status === 'never-activated')
      statusNote[i] = {
        id: SIGNAL_IDS.lifecycle,
        message: flat(
          `identity was never activated (${x.sourceStatus ?? x.status}): its access was never usable, so "never used" is no evidence`,
        ),
        value: x.status,
        threshold: null,
      };
  }
  return { orphanReason, statusNote };
}

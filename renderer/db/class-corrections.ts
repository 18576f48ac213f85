// Human corrections of an identity's class ("classify by runtime authority, not by label": the class is
// explained and can be corrected by a person, and the correction is itself recorded). Corrections are kept
// per snapshot, applied whenever the snapshot is loaded, and never change the imported chunks.
import type { Identity, IdentityType } from '../../shared/model';
import type { ReviewerRef } from '../../shared/review';
import type { WorkbenchDatabase } from './database';

export interface ClassCorrection {
  identityId: string;
  from: IdentityType;
  to: IdentityType;
  reason: string;
  by: ReviewerRef;
  at: string;
}

const key = (snapshotId: string) => `classCorrections:${snapshotId}`;

export async function listClassCorrections(db: WorkbenchDatabase, snapshotId: string): Promise<ClassCorrection[]> {
  return ((await db.settings.get(key(snapshotId)))?.value as ClassCorrection[] | undefined) ?? [];
}

/** Appends a correction (the earlier ones stay: the record shows every change). */
export async function addClassCorrection(db: WorkbenchDatabase, snapshotId: string, correction: ClassCorrection): Promise<void> {
  if (correction.reason.trim().length < 8) throw new Error('say why the class is wrong (at least a few words)');
  await db.transaction('rw', db.settings, async () => {
    const list = await listClassCorrections(db, snapshotId);
    await db.settings.put({ key: key(snapshotId), value: [...list, correction] });
  });
}

/** The identities with the latest correction of each applied; the reason says who changed it, when and why. */
export function applyClassCorrections(identities: Identity[], corrections: readonly ClassCorrection[]): void {
  if (!corrections.length) return;
  const latest = new Map<string, ClassCorrection>();
  for (const c of corrections) latest.set(c.identityId, c);
  for (const identity of identities) {
    const c = latest.get(identity.id);
    if (!c) continue;
    identity.typeReason = `corrected by ${c.by.name} on ${c.at.slice(0, 10)}: ${c.reason} (was ${c.from}: ${identity.typeReason ?? 'no reason recorded'})`;
    identity.type = c.to;
  }
}

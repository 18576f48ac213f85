// People's resolutions of ambiguous correlation matches (shared/import/resolutions.ts): kept per snapshot in the
// settings table, like class corrections, as an append-only list (an undo is a new entry). The ambiguities
// themselves are part of the immutable snapshot (chunks of kind "ambiguities", written at import).
import Dexie from 'dexie';
import { activeResolutions, checkResolution, type AmbiguousMatch, type CorrelationResolution } from '../../shared/import';
import type { Identity } from '../../shared/model';
import type { WorkbenchDatabase } from './database';

const key = (snapshotId: string) => `correlationResolutions:${snapshotId}`;

export async function listCorrelationResolutions(db: WorkbenchDatabase, snapshotId: string): Promise<CorrelationResolution[]> {
  return ((await db.settings.get(key(snapshotId)))?.value as CorrelationResolution[] | undefined) ?? [];
}

/** The ambiguous matches the import listed for the snapshot (empty for snapshots imported before they were kept). */
export async function listAmbiguities(db: WorkbenchDatabase, snapshotId: string): Promise<AmbiguousMatch[]> {
  const chunks = await db.snapshotChunks
    .where('[snapshotId+kind+index]')
    .between([snapshotId, 'ambiguities', Dexie.minKey], [snapshotId, 'ambiguities', Dexie.maxKey])
    .toArray();
  return chunks.flatMap((c) => (c.kind === 'ambiguities' ? c.rows : []));
}

/**
 * Appends a resolution after checking it against the snapshot and the resolutions so far (the ambiguity and its
 * candidates exist, it is not resolved already, no identity in two merges, a real rationale). Throws why not.
 */
export async function addCorrelationResolution(
  db: WorkbenchDatabase,
  snapshotId: string,
  resolution: CorrelationResolution,
): Promise<number> {
  return db.transaction('rw', db.settings, db.snapshotChunks, async () => {
    const [list, ambiguities, identityChunks] = await Promise.all([
      listCorrelationResolutions(db, snapshotId),
      listAmbiguities(db, snapshotId),
      db.snapshotChunks
        .where('[snapshotId+kind+index]')
        .between([snapshotId, 'identities', Dexie.minKey], [snapshotId, 'identities', Dexie.maxKey])
        .toArray(),
    ]);
    const ids = new Set<string>();
    for (const c of identityChunks) if (c.kind === 'identities') for (const i of c.rows as Identity[]) ids.add(i.id);
    const problem = checkResolution(resolution, list, ambiguities, (id) => ids.has(id));
    if (problem) throw new Error(problem);
    await db.settings.put({ key: key(snapshotId), value: [...list, resolution] });
    return list.length;
  });
}

/** How many resolutions a suggestion set (and so a campaign) was computed with: the prefix of the list it saw. */
export function resolutionsInKey(suggestionKey: string): number {
  const m = /\|resolutions:(\d+)(?:\||$)/.exec(suggestionKey);
  return m ? Number(m[1]) : 0;
}

/** Per snapshot id: how many of its ambiguities have a standing resolution, and how many identities the standing
 * merges fold into others (so the snapshot list can say how many identities there are now). */
export async function resolvedCounts(db: WorkbenchDatabase): Promise<Map<string, { resolved: number; mergedAway: number }>> {
  const rows = await db.settings.where('key').startsWith('correlationResolutions:').toArray();
  return new Map(
    rows.map((r) => {
      const active = [...activeResolutions(r.value as CorrelationResolution[]).values()];
      const mergedAway = active.reduce((n, a) => n + (a.entry.action === 'merge' ? a.entry.identityIds.length - 1 : 0), 0);
      return [r.key.slice('correlationResolutions:'.length), { resolved: active.length, mergedAway }];
    }),
  );
}

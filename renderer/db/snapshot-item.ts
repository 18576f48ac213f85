// What one review item's detail reads of its campaign's snapshot, without reading the whole snapshot (#19): the
// identity chunks that hold its identity and peers, the assignment chunks that hold their pairs with its entitlement
// (found by the chunks' keys, snapshot-keys.ts), the entitlements, the credentials and the sources. Undefined where
// this cannot give what the whole snapshot would: no keys (stored before them), correlation merges, inherited access.
import Dexie, { type Table } from 'dexie';
import type { Credential, Entitlement, Identity, SourceEvidence } from '../../shared/model';
import type { AssignmentColumns } from './chunk-codec';
import type { SnapshotChunk, WorkbenchDatabase } from './database';
import { applyClassCorrections, listClassCorrections } from './class-corrections';
import { listCorrelationResolutions, resolutionsInKey } from './correlation-resolutions';
import { holdsKey, idKey, type SnapshotKeysRecord } from './snapshot-keys';

export interface SnapshotItemAsk {
  identityId: string;
  entitlementId?: string;
  /** The peers whose names (and holdings of the entitlement) the detail shows. */
  peers: readonly string[];
}

export interface SnapshotItemRead {
  /** The asked identities the snapshot holds (the last of an id, as a map of all of them keeps), corrected. */
  identities: Identity[];
  entitlements: Entitlement[];
  /** The credentials of the asked identity, in snapshot order. */
  credentials: Credential[];
  sources: SourceEvidence[];
  /** Per asked identity holding the entitlement: its first assignment row of it, in chunk and row order. */
  holdings: Map<string, { columns: AssignmentColumns; row: number }>;
}

const kindRange = <T>(t: Table<T, [string, string, number]>, id: string, kind: string) =>
  t.where('[snapshotId+kind+index]').between([id, kind, Dexie.minKey], [id, kind, Dexie.maxKey]);

/** Index order 0..n-1 and one keys record per chunk (else the keys are not the chunks'). */
const complete = (chunkKeys: unknown[], keys: SnapshotKeysRecord[]) =>
  keys.length === chunkKeys.length && keys.every((k, i) => k.index === i);

export async function readSnapshotItem(
  db: WorkbenchDatabase,
  campaign: { snapshotId: string; suggestionKey: string },
  ask: SnapshotItemAsk,
  /** Told where the time goes (the campaign timing marks). */
  mark: (what: string) => void = () => {},
): Promise<SnapshotItemRead | undefined> {
  const id = campaign.snapshotId;
  const record = await db.snapshots.get(id);
  if (!record || record.status !== 'complete') throw new Error(`snapshot ${id} is not in the database`);
  const [identityChunks, assignmentChunks, links, ambiguities, identityKeys, assignmentKeys] = await Promise.all([
    kindRange(db.snapshotChunks, id, 'identities').primaryKeys(),
    kindRange(db.snapshotChunks, id, 'assignments').primaryKeys(),
    kindRange(db.snapshotChunks, id, 'links').count(),
    kindRange(db.snapshotChunks, id, 'ambiguities').count(),
    kindRange(db.snapshotKeys, id, 'identities').toArray(),
    kindRange(db.snapshotKeys, id, 'assignments').toArray(),
  ]);
  mark(`snapshot keys read (${identityKeys.length} identity, ${assignmentKeys.length} assignment chunks)`);
  if (!complete(identityChunks, identityKeys) || !complete(assignmentChunks, assignmentKeys)) return undefined;
  // The grant graph needs every assignment; merges rewrite identities and assignments (loadSnapshotColumns).
  if (links || assignmentKeys.some((k) => k.inherited)) return undefined;
  const limit = resolutionsInKey(campaign.suggestionKey);
  if (ambiguities && limit && (await listCorrelationResolutions(db, id)).slice(0, limit).length) return undefined;

  const asked = [ask.identityId, ...ask.peers];
  const wanted = new Set(asked);
  const hashes = asked.map(idKey);
  const holding = (keys: SnapshotKeysRecord[]) => keys.filter((k) => hashes.some((h) => holdsKey(k.keys, h))).map((k) => k.index);
  const identityAt = holding(identityKeys);
  const entitlementId = ask.entitlementId;
  const pairAt = entitlementId === undefined ? [] : holding(assignmentKeys);
  const chunksOf = (kind: string, at: number[]) =>
    db.snapshotChunks.bulkGet(at.map((index): [string, string, number] => [id, kind, index])) as Promise<SnapshotChunk[]>;
  const [identityRows, entitlementRows, credentialRows, pairRows, corrections] = await Promise.all([
    chunksOf('identities', identityAt),
    kindRange(db.snapshotChunks, id, 'entitlements').toArray(),
    kindRange(db.snapshotChunks, id, 'credentials').toArray(),
    chunksOf('assignments', pairAt),
    listClassCorrections(db, id),
  ]);

  mark(`snapshot chunks read (${identityAt.length} identity, ${pairAt.length} assignment)`);
  const found = new Map<string, Identity>();
  for (const c of identityRows) if (c.kind === 'identities') for (const i of c.rows) if (wanted.has(i.id)) found.set(i.id, i);
  const identities = [...found.values()];
  applyClassCorrections(identities, corrections);
  const holdings = new Map<string, { columns: AssignmentColumns; row: number }>();
  for (const c of pairRows) if (c.kind === 'assignments') holdersIn(c.columns, entitlementId!, wanted, holdings);
  return {
    identities,
    entitlements: entitlementRows.flatMap((c) => (c.kind === 'entitlements' ? c.rows : [])),
    credentials: credentialRows.flatMap((c) => (c.kind === 'credentials' ? c.rows.filter((r) => r.identityId === ask.identityId) : [])),
    sources: record.sources,
    holdings,
  };
}

/** The rows of a chunk that give a wanted identity the entitlement: the first of each identity kept. */
function holdersIn(
  c: AssignmentColumns,
  entitlementId: string,
  wanted: ReadonlySet<string>,
  out: Map<string, { columns: AssignmentColumns; row: number }>,
): void {
  const local = c.strings.indexOf(entitlementId);
  if (local < 0) return;
  for (let r = 0; r < c.entitlement.length; r++) {
    if (c.entitlement[r] !== local) continue;
    const who = c.strings[c.identity[r]!]!;
    if (wanted.has(who) && !out.has(who)) out.set(who, { columns: c, row: r });
  }
}

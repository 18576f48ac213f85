// An item's detail from its full suggestion and the facts of the snapshot, the same way before the campaign worker
// has its data (#19: at 1,000,000 items it waited 15 s for the snapshot, every summary and every reviewer assignment
// to cross) and after: early, the backend builds it from the few chunks that hold the item and its peers
// (itemFacts; renderer/db's readSnapshotItem), or where those cannot give it from the whole snapshot with a look-up of
// the item's entitlement only (snapshotFacts); once loaded, the worker with its look-up over every assignment. All go
// through itemDetail, so they are equal.
import type { Credential, Entitlement, Identity, SourceEvidence } from '../../shared/model';
import type { ItemPlaces, SnapshotItemAsk, SnapshotItemRead } from '../db';
import type { Suggestion } from '../../shared/suggest';
import { GrantGraph } from '../../shared/review';
import type { AssignmentColumns } from '../../shared/import';
import { entitlementLookup, heldLookup, type AssignmentLookup } from './campaign-assignments';
import { itemDetail, type CampaignData, type CampaignSnapshot, type ItemDetail } from './campaign-table';

/** The snapshot as the backend reads it for a campaign: its assignments as the stored columns. */
export type ColumnarCampaignSnapshot = Extract<CampaignSnapshot, { assignmentChunks: readonly AssignmentColumns[] }>;

/** What an item's detail reads of the snapshot: the records' maps, made once per campaign. */
export interface SnapshotFacts {
  identities: Map<string, Identity>;
  entitlements: Map<string, Entitlement>;
  credentialsByIdentity: Map<string, Credential[]>;
  sources: SourceEvidence[];
  grants: () => GrantGraph | null;
  /** The look-up an item of this entitlement reads: the campaign's over every assignment once it is loaded, before
   * that one pass over the columns for this entitlement alone. */
  lookup: (entitlementId: string | undefined) => AssignmentLookup;
}

/** The facts of a snapshot read for one early detail or a few (no index of every assignment is built). */
export function snapshotFacts(snapshot: ColumnarCampaignSnapshot): SnapshotFacts {
  const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
  const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
  const credentialsByIdentity = new Map<string, Credential[]>();
  for (const c of snapshot.credentials) {
    let list = credentialsByIdentity.get(c.identityId);
    if (!list) credentialsByIdentity.set(c.identityId, (list = []));
    list.push(c);
  }
  let graph: GrantGraph | null | undefined;
  const grants = () => {
    if (graph !== undefined) return graph;
    // As campaignData's: every assignment decoded, only where a grant path can exist.
    const all = entitlementLookup(snapshot.assignmentChunks, undefined);
    return (graph = snapshot.links?.length || all.inherited ? new GrantGraph(all.all(), snapshot.links) : null);
  };
  const lookup = (entitlementId: string | undefined) => entitlementLookup(snapshot.assignmentChunks, entitlementId);
  return { identities, entitlements, credentialsByIdentity, sources: snapshot.sources, grants, lookup };
}

/** The facts of one item read from the chunks that hold it (readSnapshotItem): enough for that item's detail only. */
export function itemFacts(read: SnapshotItemRead, ask: SnapshotItemAsk): SnapshotFacts {
  const asked = new Set([ask.identityId, ...ask.peers]);
  return {
    identities: new Map(read.identities.map((i) => [i.id, i])),
    entitlements: new Map(read.entitlements.map((e) => [e.id, e])),
    credentialsByIdentity: new Map(read.credentials.length ? [[ask.identityId, read.credentials]] : []),
    sources: read.sources,
    // Read only where the snapshot has neither links nor inherited rows: the loaded campaign has no graph either.
    grants: () => null,
    lookup: (entitlementId) => heldLookup(read.holdings, entitlementId, asked),
  };
}

/** The facts of a loaded campaign's data (its look-up over every assignment). */
export function factsOf(data: Omit<CampaignData, 'items' | 'assigned'>): SnapshotFacts {
  const { identities, entitlements, credentialsByIdentity, sources, grants, assignments } = data;
  return { identities, entitlements, credentialsByIdentity, sources, grants, lookup: () => assignments };
}

/** The detail of the item at `index` of the campaign (its full suggestion `full`, its reviewer assignment if any). */
export function detailOf(
  facts: SnapshotFacts,
  index: number,
  full: Suggestion,
  assigned: { reviewerId: string; reason: string } | undefined,
): ItemDetail {
  const items: Suggestion[] = [];
  items[index] = full;
  const data: CampaignData = {
    items,
    identities: facts.identities,
    entitlements: facts.entitlements,
    assignments: facts.lookup(full.entitlementId),
    credentialsByIdentity: facts.credentialsByIdentity,
    assigned: new Map(assigned ? [[full.itemId, assigned]] : []),
    sources: facts.sources,
    grants: facts.grants,
  };
  return itemDetail(data, index, full);
}

/** Where each item's suggestion is stored, by table index (the items are placed summaries). */
export function placesOf(items: readonly { chunk: number; row: number }[]): ItemPlaces {
  const chunk = new Uint32Array(items.length);
  const row = new Uint32Array(items.length);
  items.forEach((s, i) => {
    chunk[i] = s.chunk;
    row[i] = s.row;
  });
  return { chunk, row };
}

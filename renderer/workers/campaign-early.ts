// One item's detail served before the campaign worker has its data (#19: at 1,000,000 items the worker waited 15 s
// for the whole snapshot, every summary and every reviewer assignment to cross): built where the snapshot is read
// (the backend), from the item's full suggestion and the snapshot's records, with the same itemDetail the loaded
// campaign uses, so the two are equal. The look-up covers the item's entitlement only: one pass over the columns,
// no index of every assignment.
import type { Credential, Entitlement, Identity } from '../../shared/model';
import type { ItemPlaces } from '../db';
import type { Suggestion } from '../../shared/suggest';
import { GrantGraph } from '../../shared/review';
import type { AssignmentColumns } from '../../shared/import';
import { entitlementLookup } from './campaign-assignments';
import { itemDetail, type CampaignData, type CampaignSnapshot, type ItemDetail } from './campaign-table';

/** The snapshot as the backend reads it for a campaign: its assignments as the stored columns. */
export type ColumnarCampaignSnapshot = Extract<CampaignSnapshot, { assignmentChunks: readonly AssignmentColumns[] }>;

/** What every early detail of one campaign reads: the records' maps, made once. */
export interface SnapshotFacts {
  snapshot: ColumnarCampaignSnapshot;
  identities: Map<string, Identity>;
  entitlements: Map<string, Entitlement>;
  credentialsByIdentity: Map<string, Credential[]>;
  grants: () => GrantGraph | null;
}

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
  return { snapshot, identities, entitlements, credentialsByIdentity, grants };
}

/** The detail of the item at `index` of the campaign (its full suggestion `full`, its reviewer assignment if any). */
export function earlyItemDetail(
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
    assignments: entitlementLookup(facts.snapshot.assignmentChunks, full.entitlementId),
    credentialsByIdentity: facts.credentialsByIdentity,
    assigned: new Map(assigned ? [[full.itemId, assigned]] : []),
    sources: facts.snapshot.sources,
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

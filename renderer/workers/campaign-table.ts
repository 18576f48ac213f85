// A campaign's review items as a compact, columnar table (typed arrays of dictionary ids plus one string
// dictionary), built where the snapshot lives (the campaign worker) and transferred to the UI thread. The UI
// thread filters, sorts, groups and draws rows from it without holding 100,000 suggestion objects; the full
// detail of one item is served on demand (itemDetail).
import type { Assignment, Credential, Entitlement, Identity, Snapshot, SourceEvidence } from '../../shared/model';
import { IDENTITY_TYPES } from '../../shared/model';
import {
  DECISION_CLASSES,
  RISK_TIERS,
  SUGGESTED_ACTIONS,
  type DecisionClass,
  type RiskTier,
  type Suggestion,
  type SuggestedAction,
} from '../../shared/suggest';
import { StringDictionary } from '../../shared/codec';
import type { SuggestionSnapshot } from '../../shared/review';
import { GrantGraph, inScope, type CampaignScope, type RemediationOption } from '../../shared/review';
import type { AssignmentColumns } from '../../shared/import';
import { columnLookup, objectLookup, type AssignmentLookup } from './campaign-assignments';

/** Layout of CampaignTable (5: stored with the items' places); stored tables of another format are rebuilt. */
export const TABLE_FORMAT = 5;
export const NONE = 0xffffffff;
export const NO_CLASS = 0xff;

export interface CampaignTable {
  count: number;
  /** The string dictionary every *Id column points into. */
  strings: string[];
  /** Per dictionary string: its place in locale order (equal strings under localeCompare share a rank). */
  rank: Uint32Array;
  itemIds: string[];
  /** Table indexes ordered by item id (code-unit order), to find an item by its id without a map of every id. */
  byItemId: Uint32Array;
  /** Identity display name (or id), entitlement name (or credential / "identity"), application. */
  who: Uint32Array;
  what: Uint32Array;
  app: Uint32Array;
  identityId: Uint32Array;
  /** Assigned reviewer id, NONE when unassigned. */
  reviewer: Uint32Array;
  /** Indexes into SUGGESTED_ACTIONS, RISK_TIERS, DECISION_CLASSES, IDENTITY_TYPES (NO_CLASS: identity unknown). */
  action: Uint8Array;
  tier: Uint8Array;
  decisionClass: Uint8Array;
  identityClass: Uint8Array;
  confidence: Float64Array;
  /** The granting group (the first of the grant path, by name); NONE for a direct grant. */
  via: Uint32Array;
}

/** The table index of the item with this id, or -1. */
export function indexOfItem(t: { byItemId: Uint32Array; itemIds: readonly string[] }, itemId: string): number {
  let lo = 0;
  let hi = t.byItemId.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const i = t.byItemId[mid]!;
    const id = t.itemIds[i]!;
    if (id === itemId) return i;
    if (id < itemId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The item a view in the table's own order (unfiltered, unsorted) selects for this cursor (the screen's rule: the
 * item if it is there, else the position, within the table): its detail can be asked before the screen renders. */
export function selectedInOrder(
  t: { byItemId: Uint32Array; itemIds: readonly string[]; count: number },
  c: { pos: number; id: string | null },
): number {
  if (!t.count) return -1;
  const i = c.id === null ? -1 : indexOfItem(t, c.id);
  return i >= 0 ? i : Math.max(0, Math.min(c.pos, t.count - 1));
}

export const actionOf = (t: CampaignTable, i: number): SuggestedAction => SUGGESTED_ACTIONS[t.action[i]!]!;
export const tierOf = (t: CampaignTable, i: number): RiskTier => RISK_TIERS[t.tier[i]!]!;
export const decisionClassOf = (t: CampaignTable, i: number): DecisionClass => DECISION_CLASSES[t.decisionClass[i]!]!;
export const identityClassOf = (t: CampaignTable, i: number): string | undefined =>
  t.identityClass[i] === NO_CLASS ? undefined : IDENTITY_TYPES[t.identityClass[i]!];
export const reviewerOf = (t: CampaignTable, i: number): string | undefined =>
  t.reviewer[i] === NONE ? undefined : t.strings[t.reviewer[i]!];

/**
 * The table as stored and posted: the two string lists joined into one string each when no string holds the
 * separator. Reading or posting one long string is much cheaper than 100,000 short ones.
 */
export type PackedCampaignTable = Omit<CampaignTable, 'strings' | 'itemIds'> &
  ({ strings: string[]; itemIds: string[] } | { packedStrings: string; packedItemIds: string });

const SEPARATOR = '\u0000';

export function packTable(t: CampaignTable): PackedCampaignTable {
  const { strings, itemIds, ...columns } = t;
  if (strings.some((s) => s.includes(SEPARATOR)) || itemIds.some((s) => s.includes(SEPARATOR))) return t;
  return { ...columns, packedStrings: strings.join(SEPARATOR), packedItemIds: itemIds.join(SEPARATOR) };
}

export function unpackTable(p: PackedCampaignTable): CampaignTable {
  if ('strings' in p) return p;
  const { packedStrings, packedItemIds: _ids, ...columns } = p;
  return { ...columns, strings: packedStrings === '' ? [] : packedStrings.split(SEPARATOR), itemIds: itemIdsOf(p) };
}

/** The item ids of a table, packed or not. */
export function itemIdsOf(p: PackedCampaignTable): string[] {
  if ('itemIds' in p) return p.itemIds;
  return p.packedItemIds === '' && p.count === 0 ? [] : p.packedItemIds.split(SEPARATOR);
}

export function tableTransferables(
  t: Pick<
    CampaignTable,
    | 'byItemId'
    | 'rank'
    | 'who'
    | 'what'
    | 'app'
    | 'identityId'
    | 'reviewer'
    | 'action'
    | 'tier'
    | 'decisionClass'
    | 'identityClass'
    | 'confidence'
    | 'via'
  >,
): ArrayBuffer[] {
  return [
    t.byItemId,
    t.rank,
    t.who,
    t.what,
    t.app,
    t.identityId,
    t.reviewer,
    t.action,
    t.tier,
    t.decisionClass,
    t.identityClass,
    t.confidence,
    t.via,
  ].map((a) => a.buffer as ArrayBuffer);
}

/** What the table reads of a suggestion (renderer/db's SuggestionSummary; a full Suggestion is one). */
export type TableSuggestion = Pick<
  Suggestion,
  'itemId' | 'identityId' | 'entitlementId' | 'credentialId' | 'action' | 'confidence' | 'riskTier' | 'decisionClass'
>;

/** The campaign's data as the worker keeps it: the items in scope (summaries: a full suggestion is read per item
 * on demand) and look-ups for their detail. */
export interface CampaignData<S extends TableSuggestion = TableSuggestion> {
  items: S[];
  identities: Map<string, Identity>;
  entitlements: Map<string, Entitlement>;
  /** An assignment by its pair (identity, entitlement). */
  assignments: AssignmentLookup;
  credentialsByIdentity: Map<string, Credential[]>;
  assigned: Map<string, { reviewerId: string; reason: string }>;
  sources: SourceEvidence[];
  /** The snapshot's grant graph (built on first use, only for a snapshot with inherited access). */
  grants: () => GrantGraph | null;
}

/** A snapshot with its assignments as objects, or as the stored columns (the backend serves those). */
export type CampaignSnapshot = Omit<Snapshot, 'assignments'> &
  ({ assignments: readonly Assignment[] } | { assignmentChunks: readonly AssignmentColumns[] });

export function campaignData<S extends TableSuggestion>(
  scope: CampaignScope,
  snapshot: CampaignSnapshot,
  suggestions: readonly S[],
  assigned: Map<string, { reviewerId: string; reason: string }>,
): CampaignData<S> {
  const identities = new Map(snapshot.identities.map((i) => [i.id, i]));
  const entitlements = new Map(snapshot.entitlements.map((e) => [e.id, e]));
  const assignments = 'assignmentChunks' in snapshot ? columnLookup(snapshot.assignmentChunks) : objectLookup(snapshot.assignments);
  const credentialsByIdentity = new Map<string, Credential[]>();
  for (const c of snapshot.credentials) {
    let list = credentialsByIdentity.get(c.identityId);
    if (!list) credentialsByIdentity.set(c.identityId, (list = []));
    list.push(c);
  }
  const items = suggestions.filter((s) =>
    inScope(scope, s, identities.get(s.identityId), s.entitlementId ? entitlements.get(s.entitlementId) : undefined),
  );
  let graph: GrantGraph | null | undefined;
  const grants = () =>
    graph !== undefined
      ? graph
      : (graph = snapshot.links?.length || assignments.inherited ? new GrantGraph(assignments.all(), snapshot.links) : null);
  return { items, identities, entitlements, assignments, credentialsByIdentity, assigned, sources: snapshot.sources, grants };
}

/** The row texts of an item, exactly as the table shows them. */
export function titleOf(data: CampaignData, s: TableSuggestion): { who: string; what: string; app: string } {
  const identity = data.identities.get(s.identityId);
  const entitlement = s.entitlementId ? data.entitlements.get(s.entitlementId) : undefined;
  const credential = s.credentialId
    ? data.credentialsByIdentity.get(s.identityId)?.find((c) => c.credentialId === s.credentialId)
    : undefined;
  return {
    who: identity?.displayName ?? s.identityId,
    what: entitlement?.name ?? credential?.credentialId ?? (s.credentialId ? `credential ${s.credentialId}` : 'identity'),
    app: entitlement?.application ?? (credential ? credential.kind : '—'),
  };
}

export function buildCampaignTable(data: CampaignData): CampaignTable {
  const n = data.items.length;
  const dict = new StringDictionary();
  const intern = (s: string): number => dict.of(s);
  const strings = dict.list;
  const t: CampaignTable = {
    count: n,
    strings,
    rank: new Uint32Array(0),
    itemIds: new Array<string>(n),
    byItemId: new Uint32Array(0),
    who: new Uint32Array(n),
    what: new Uint32Array(n),
    app: new Uint32Array(n),
    identityId: new Uint32Array(n),
    reviewer: new Uint32Array(n),
    action: new Uint8Array(n),
    tier: new Uint8Array(n),
    decisionClass: new Uint8Array(n),
    identityClass: new Uint8Array(n),
    confidence: new Float64Array(n),
    via: new Uint32Array(n),
  };
  const code = <T extends string>(list: readonly T[], v: T) => list.indexOf(v);
  for (let i = 0; i < n; i++) {
    const s = data.items[i]!;
    const title = titleOf(data, s);
    t.itemIds[i] = s.itemId;
    t.who[i] = intern(title.who);
    t.what[i] = intern(title.what);
    t.app[i] = intern(title.app);
    t.identityId[i] = intern(s.identityId);
    const reviewerId = data.assigned.get(s.itemId)?.reviewerId;
    t.reviewer[i] = reviewerId === undefined ? NONE : intern(reviewerId);
    t.action[i] = code(SUGGESTED_ACTIONS, s.action);
    t.tier[i] = code(RISK_TIERS, s.riskTier);
    t.decisionClass[i] = code(DECISION_CLASSES, s.decisionClass);
    const type = data.identities.get(s.identityId)?.type;
    t.identityClass[i] = type === undefined ? NO_CLASS : code(IDENTITY_TYPES, type);
    t.confidence[i] = s.confidence;
    const head = s.entitlementId ? data.assignments.get(s.identityId, s.entitlementId)?.path?.[0] : undefined;
    t.via[i] = head === undefined ? NONE : intern(data.entitlements.get(head)?.name ?? head);
  }
  const ids = t.itemIds;
  t.byItemId = Uint32Array.from(ids.keys()).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  // Locale order once here, so sorting and grouping on the UI thread compare integers.
  const order = strings.map((_, i) => i);
  const collator = new Intl.Collator();
  order.sort((a, b) => collator.compare(strings[a]!, strings[b]!));
  t.rank = new Uint32Array(strings.length);
  let rank = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && collator.compare(strings[order[k - 1]!]!, strings[order[k]!]!) !== 0) rank = k;
    t.rank[order[k]!] = rank;
  }
  return t;
}

export interface PeerRow {
  id: string;
  name: string;
  /** Whether the peer holds the item's entitlement; undefined for items without one. */
  holds?: boolean;
}

/** Everything the detail pane shows about one item. */
export interface ItemDetail {
  index: number;
  itemId: string;
  suggestion: Suggestion;
  identity?: Identity;
  entitlement?: Entitlement;
  assignment?: Assignment;
  credential?: Credential;
  /** All credentials of the identity (shown for non-human identities). */
  credentials: Credential[];
  evidence: string;
  assignedReviewerId?: string;
  assignmentReason?: string;
  /** Per signal (same order as suggestion.signals): the first peers listed, with names and holdings. */
  peers: (PeerRow[] | null)[];
  /** Inherited access: the names of the groups it comes through, from the direct one to the entitlement's holder. */
  grantPath?: string[];
  /** Where a revoke would be carried out (the link to cut, default first) with who loses what; absent when no
   * grant path is involved. */
  remediation?: RemediationView[];
}

/** A remediation option with the names the pane shows. */
export interface RemediationView extends RemediationOption {
  memberName: string;
  groupName: string;
  lossNames: { who: string; what: string }[];
}

export const PEERS_SHOWN = 60;

/** The peers a signal's detail lists (by id): the first PEERS_SHOWN of its members or holders. */
function peersShown(sig: Suggestion['signals'][number]): string[] {
  return (sig.peers?.members ?? sig.peers?.holders ?? []).slice(0, PEERS_SHOWN);
}

/** Every identity an item's detail names besides its own: what an early detail reads of the snapshot. */
export function peersOfDetail(s: Suggestion): string[] {
  return [...new Set(s.signals.flatMap(peersShown))];
}

/** One item's detail; `full`: its full suggestion (the items are summaries unless they are full suggestions). */
export function itemDetail(data: CampaignData, index: number, full?: Suggestion): ItemDetail {
  const item = data.items[index];
  if (!item) throw new Error(`no item ${index} in this campaign`);
  const s = full ?? (item as Suggestion);
  if (s.itemId !== item.itemId) throw new Error(`item ${index} is ${item.itemId}, not ${s.itemId}`);
  if (!Array.isArray(s.signals)) throw new Error(`item ${index}: its full suggestion was not read`);
  const identity = data.identities.get(s.identityId);
  const entitlement = s.entitlementId ? data.entitlements.get(s.entitlementId) : undefined;
  const assignment = s.entitlementId ? data.assignments.get(s.identityId, s.entitlementId) : undefined;
  const credentials = data.credentialsByIdentity.get(s.identityId) ?? [];
  const credential = s.credentialId ? credentials.find((c) => c.credentialId === s.credentialId) : undefined;
  const assigned = data.assigned.get(s.itemId);
  const peers = s.signals.map((sig) => {
    if (!sig.peers) return null;
    return peersShown(sig).map((id): PeerRow => ({
      id,
      name: data.identities.get(id)?.displayName ?? id,
      ...(s.entitlementId ? { holds: data.assignments.has(id, s.entitlementId) } : {}),
    }));
  });
  return {
    index,
    itemId: s.itemId,
    suggestion: s,
    ...(identity ? { identity } : {}),
    ...(entitlement ? { entitlement } : {}),
    ...(assignment ? { assignment } : {}),
    ...(credential ? { credential } : {}),
    credentials,
    evidence: evidenceFor(identity, assignment, data.sources),
    ...(assigned ? { assignedReviewerId: assigned.reviewerId, assignmentReason: assigned.reason } : {}),
    peers,
    ...(assignment?.path?.length ? { grantPath: assignment.path.map((id) => data.entitlements.get(id)?.name ?? id) } : {}),
    ...remediationOf(data, s),
  };
}

function remediationOf(data: CampaignData, s: TableSuggestion): { remediation?: RemediationView[] } {
  if (!s.entitlementId) return {};
  const options = data.grants()?.options(s.identityId, s.entitlementId) ?? [];
  if (!options.length) return {};
  const who = (id: string) => data.identities.get(id)?.displayName ?? id;
  const what = (id: string) => data.entitlements.get(id)?.name ?? id;
  return {
    remediation: options.map((o) => ({
      ...o,
      memberName: o.link.kind === 'membership' || o.link.kind === 'direct' ? who(o.link.member) : what(o.link.member),
      groupName: what(o.link.group),
      lossNames: o.losses.map((l) => ({ who: who(l.identityId), what: what(l.entitlementId) })),
    })),
  };
}

function evidenceFor(identity: Identity | undefined, assignment: Assignment | undefined, sources: readonly SourceEvidence[]): string {
  const names = new Set([...(identity?.sources ?? []), ...(assignment ? [assignment.source] : [])]);
  const files = sources.filter((src) => names.has(src.file) || [...names].some((n) => src.file.toLowerCase().includes(n.toLowerCase())));
  if (!files.length) return [...names].join(', ') || 'source not recorded';
  return files.map((f) => `${f.file} (${f.format}, sha256 ${f.sha256.slice(0, 12)}…)`).join(', ');
}

/** What a decision event records about the suggestion it answers. */
export function suggestionSnapshot(s: Suggestion): SuggestionSnapshot {
  return {
    action: s.action,
    confidence: s.confidence,
    riskTier: s.riskTier,
    decisionClass: s.decisionClass,
    signals: s.signals,
    engine: s.engine,
    policyDigest: s.policyDigest,
  };
}

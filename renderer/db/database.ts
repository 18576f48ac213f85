// The one Dexie database. The schema history is kept as data: one entry per version, never edited once shipped.
import Dexie, { type Table } from 'dexie';
import type { AmbiguousMatch } from '../../shared/import';
import type { Credential, Entitlement, GrantLink, Identity, SnapshotCounts, SourceEvidence } from '../../shared/model';
import type { AuditEvent, BaselineLink } from '../../shared/review';
import type { CampaignScope } from '../../shared/review';
import type { AssignmentPolicy } from '../../shared/review';
import type { Suggestion } from '../../shared/suggest';
import type { AssignmentColumns } from './chunk-codec';
import type { SuggestionColumns, SuggestionColumnsV1, SuggestionColumnsV2 } from './suggestion-columns';
import type { SnapshotKeysRecord } from './snapshot-keys';

export interface SnapshotRecord {
  id: string;
  name: string;
  createdAt: string;
  /** "pending" until the final commit record is written; pending snapshots are removed at start-up. */
  status: 'pending' | 'complete';
  counts: SnapshotCounts;
  sources: SourceEvidence[];
  chunks: number;
  /** Distinct applications of the snapshot's entitlements, for scoping campaigns. */
  applications: string[];
  correlation?: { merged: number; ambiguous: number };
}

export type SnapshotChunk =
  | { snapshotId: string; kind: 'identities'; index: number; rows: Identity[] }
  | { snapshotId: string; kind: 'entitlements'; index: number; rows: Entitlement[] }
  | { snapshotId: string; kind: 'credentials'; index: number; rows: Credential[] }
  | { snapshotId: string; kind: 'assignments'; index: number; columns: AssignmentColumns }
  /** Nesting links (inherited access derives from them; remediation asks who else a cut link reaches). */
  | { snapshotId: string; kind: 'links'; index: number; rows: GrantLink[] }
  /** The matches correlation left for a person to resolve (see correlation-resolutions.ts). */
  | { snapshotId: string; kind: 'ambiguities'; index: number; rows: AmbiguousMatch[] };

export interface SuggestionChunk {
  /** snapshotId|policyDigest|engine */
  key: string;
  index: number;
  /** Older chunks: the suggestions as objects (structured clone). */
  rows?: Suggestion[];
  /** Older chunks: the suggestions as one JSON text. */
  json?: string;
  /** The suggestions as typed columns with a string dictionary (no schema change: not indexed). */
  columns?: SuggestionColumns | SuggestionColumnsV2 | SuggestionColumnsV1;
}

export interface SuggestionSetRecord {
  key: string;
  snapshotId: string;
  policyDigest: string;
  engine: string;
  asOf: string;
  count: number;
  chunks: number;
  status: 'pending' | 'complete';
  /** Only the items of one campaign scope (a digest of its filters), computed so where the whole snapshot's
   * suggestions do not fit in memory; absent: every item of the snapshot. */
  scope?: string;
  /** The key the set's chunks are stored under when written while computing (suggestion-repository.ts's staged
   * sets); absent: under `key`. A pending record's own key is that staging key. */
  chunkKey?: string;
}

export interface CampaignRecord {
  id: string;
  name: string;
  snapshotId: string;
  suggestionKey: string;
  policyDigest: string;
  engine: string;
  createdAt: string;
  createdBy: string;
  dueDate?: string;
  itemCount: number;
  /** The scope in words, for people and packages. */
  scope: string;
  scopeFilter: CampaignScope;
  assignment: AssignmentPolicy;
  /** Items per assigned reviewer id, as assigned at creation. */
  reviewerLoad: Record<string, number>;
  /**
   * Set when the campaign was opened from a work package sent by its owner from another laptop (campaigns across
   * laptops): this machine reviews only those items and returns a signed decision set.
   */
  received?: ReceivedWorkPackage;
  /** The last certification this campaign started from, by digest (#21; the comparison: getCampaignBaseline). */
  baseline?: BaselineLink;
}

export interface ReceivedWorkPackage {
  /** `sha256:` of the work package's statement: names it. */
  statementDigest: string;
  workPackageId: string;
  kind: 'review' | 'approval';
  fileName: string;
  receivedAt: string;
  owner: { id: string; name: string; email: string | null; fingerprint: string };
  reviewerId: string;
}

export interface ReviewerRecord {
  id: string;
  name: string;
  email?: string;
  /**
   * A colleague on another laptop, known by a pinned public key only: campaigns can assign them work (sent as a work
   * package), but nobody can act as them here. Empty keyId.
   */
  remote?: boolean;
  keyId: string;
  publicKey: string;
  fingerprint: string;
  createdAt: string;
  /** Keys this profile had before (a lost passphrase means a new key): what was replaced, when and why. */
  previousKeys?: {
    keyId: string;
    fingerprint: string;
    publicKey: string;
    replacedAt: string;
    reason: 'passphrase-lost' | 'key-compromised' | 'rotation';
  }[];
}

/** Who reviews which item of a campaign, and why; chunked like everything that scales with items. */
export interface CampaignAssignmentChunk {
  campaignId: string;
  index: number;
  itemIds: string[];
  reviewerIds: string[];
  reasons: string[];
}

/** A campaign's compact item table (derived data, rebuilt when `format` changes). */
export interface CampaignTableRecord {
  campaignId: string;
  format: number;
  /** What else the table was built from (class corrections of the snapshot). */
  basis: string;
  table: unknown;
  /** Where each item's suggestion is stored (by table index): one item's detail is read before the campaign loads. */
  places?: ItemPlaces;
}

/** Per item of a campaign table: the chunk and row of its suggestion in the campaign's suggestion set. */
export interface ItemPlaces {
  chunk: Uint32Array;
  row: Uint32Array;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

export type StoredEvent = AuditEvent;

export class WorkbenchDatabase extends Dexie {
  snapshots!: Table<SnapshotRecord, string>;
  snapshotChunks!: Table<SnapshotChunk, [string, string, number]>;
  suggestionSets!: Table<SuggestionSetRecord, string>;
  suggestionChunks!: Table<SuggestionChunk, [string, number]>;
  campaigns!: Table<CampaignRecord, string>;
  events!: Table<StoredEvent, [string, number]>;
  reviewers!: Table<ReviewerRecord, string>;
  settings!: Table<SettingRecord, string>;
  campaignAssignments!: Table<CampaignAssignmentChunk, [string, number]>;
  campaignTables!: Table<CampaignTableRecord, string>;
  snapshotKeys!: Table<SnapshotKeysRecord, [string, string, number]>;

  constructor(name = 'access-review-workbench') {
    super(name);
    for (const [version, stores] of SCHEMA_HISTORY) this.version(version).stores(stores);
  }
}

/** Schema history: [version, stores]. Add a new entry (with an upgrade if needed); never edit an old one. */
export const SCHEMA_HISTORY: [number, Record<string, string>][] = [
  [
    1,
    {
      snapshots: 'id, createdAt, status',
      snapshotChunks: '[snapshotId+kind+index], snapshotId',
      suggestionSets: 'key, snapshotId, status',
      suggestionChunks: '[key+index], key',
      campaigns: 'id, snapshotId, createdAt',
      events: '[campaignId+seq], campaignId, itemId',
      reviewers: 'id',
      settings: 'key',
    },
  ],
  [2, { campaignAssignments: '[campaignId+index], campaignId' }],
  [3, { campaignTables: 'campaignId' }],
  // Snapshots stored before it have no keys: their items' details wait for the whole snapshot (no upgrade needed).
  [4, { snapshotKeys: '[snapshotId+kind+index], snapshotId' }],
];

let instance: WorkbenchDatabase | null = null;

export function database(): WorkbenchDatabase {
  instance ??= new WorkbenchDatabase();
  return instance;
}

// What crosses from the backend to a campaign worker when a campaign opens, as columns rather than an object per
// item: the structured clone of a million summaries and a million-entry reviewer map took 4 s to write and 13 s to
// read (v8.serialize, the same serializer), as string and typed arrays 1.2 s and 1.3 s. The scale bench's "first
// item's signals" waited for it (19.7 s at 1,000,000 items).
import type { CampaignAssignmentChunk, PlacedSummary } from '../db';
import type { Identity, Snapshot } from '../../shared/model';
import type { AssignmentColumns } from '../../shared/import';

/** Summaries as columns; `words` holds the action, risk tier and decision class values the byte columns point to. */
export interface SummaryColumns {
  itemId: string[];
  identityId: string[];
  entitlementId: (string | undefined)[];
  credentialId: (string | undefined)[];
  words: string[];
  action: Uint8Array;
  riskTier: Uint8Array;
  decisionClass: Uint8Array;
  confidence: Float64Array;
  chunk: Uint32Array;
  row: Uint32Array;
}

export function summaryColumns(list: readonly PlacedSummary[]): SummaryColumns {
  const n = list.length;
  const words: string[] = [];
  const wordIndex = new Map<string, number>();
  const word = (w: string) => {
    let k = wordIndex.get(w);
    if (k === undefined) {
      wordIndex.set(w, (k = words.length));
      words.push(w);
    }
    return k;
  };
  const out: SummaryColumns = {
    itemId: new Array<string>(n),
    identityId: new Array<string>(n),
    entitlementId: new Array<string | undefined>(n),
    credentialId: new Array<string | undefined>(n),
    words,
    action: new Uint8Array(n),
    riskTier: new Uint8Array(n),
    decisionClass: new Uint8Array(n),
    confidence: new Float64Array(n),
    chunk: new Uint32Array(n),
    row: new Uint32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s = list[i]!;
    out.itemId[i] = s.itemId;
    out.identityId[i] = s.identityId;
    out.entitlementId[i] = s.entitlementId;
    out.credentialId[i] = s.credentialId;
    out.action[i] = word(s.action);
    out.riskTier[i] = word(s.riskTier);
    out.decisionClass[i] = word(s.decisionClass);
    out.confidence[i] = s.confidence;
    out.chunk[i] = s.chunk;
    out.row[i] = s.row;
  }
  // Seven actions, four tiers, three classes: a byte each is room enough, but say so if that ever changes.
  if (words.length > 255) throw new Error(`${words.length} distinct action, tier and class values: more than a byte holds`);
  return out;
}

/** The summaries back, each as summaryOf (renderer/db) makes it. */
export function summariesOf(c: SummaryColumns): PlacedSummary[] {
  const n = c.itemId.length;
  const out = new Array<PlacedSummary>(n);
  const w = c.words;
  for (let i = 0; i < n; i++) {
    const s: PlacedSummary = {
      itemId: c.itemId[i]!,
      identityId: c.identityId[i]!,
      action: w[c.action[i]!] as PlacedSummary['action'],
      confidence: c.confidence[i]!,
      riskTier: w[c.riskTier[i]!] as PlacedSummary['riskTier'],
      decisionClass: w[c.decisionClass[i]!] as PlacedSummary['decisionClass'],
      chunk: c.chunk[i]!,
      row: c.row[i]!,
    };
    const e = c.entitlementId[i];
    if (e !== undefined) s.entitlementId = e;
    const k = c.credentialId[i];
    if (k !== undefined) s.credentialId = k;
    out[i] = s;
  }
  return out;
}

/** A campaign's reviewer assignments as stored (its chunks' lists), made the item → reviewer map the table reads. */
export function assignedMap(chunks: readonly Pick<CampaignAssignmentChunk, 'itemIds' | 'reviewerIds' | 'reasons'>[]) {
  const out = new Map<string, { reviewerId: string; reason: string }>();
  for (const c of chunks)
    for (let i = 0; i < c.itemIds.length; i++) out.set(c.itemIds[i]!, { reviewerId: c.reviewerIds[i]!, reason: c.reasons[i]! });
  return out;
}

type AssignedChunk = Pick<CampaignAssignmentChunk, 'itemIds' | 'reviewerIds' | 'reasons'>;

/** A snapshot as it crosses to a campaign worker part by part: a reply clones one part (a slice of the identities or
 * one assignment chunk), so an early detail asked meanwhile waits for one part, not for seconds of the whole. */
export type SnapshotHead = Omit<Snapshot, 'assignments' | 'identities'>;
export type SnapshotPart = { identities: Identity[] } | { assignments: AssignmentColumns };

const IDENTITIES_PER_PART = 20_000;

export function snapshotPartCount(s: { identities: readonly Identity[]; assignmentChunks: readonly AssignmentColumns[] }): number {
  return Math.ceil(s.identities.length / IDENTITIES_PER_PART) + s.assignmentChunks.length;
}

export function snapshotPart(s: { identities: Identity[]; assignmentChunks: readonly AssignmentColumns[] }, part: number): SnapshotPart {
  const slices = Math.ceil(s.identities.length / IDENTITIES_PER_PART);
  if (part < slices) return { identities: s.identities.slice(part * IDENTITIES_PER_PART, (part + 1) * IDENTITIES_PER_PART) };
  const assignments = s.assignmentChunks[part - slices];
  if (!assignments) throw new Error(`no part ${part} of this snapshot`);
  return { assignments };
}

export function snapshotHead<S extends SnapshotHead & { identities: unknown; assignmentChunks: unknown }>(s: S): SnapshotHead {
  const { identities: _i, assignmentChunks: _a, ...head } = s;
  return head;
}

/** The snapshot again from its head and its parts, in order. */
export function joinSnapshot(head: SnapshotHead, parts: readonly SnapshotPart[]) {
  const identities: Identity[] = [];
  const assignmentChunks: AssignmentColumns[] = [];
  for (const p of parts)
    if ('identities' in p) for (const i of p.identities) identities.push(i);
    else assignmentChunks.push(p.assignments);
  return { ...head, identities, assignmentChunks };
}

/** A campaign's reviewer assignments as they cross to its worker: the ids as one string where none holds the
 * separator, reviewers and reasons (a few distinct values) as codes into their lists. */
export interface AssignedColumns {
  itemIds: string | string[];
  reviewers: string[];
  reviewer: Uint32Array;
  reasons: string[];
  reason: Uint32Array;
}

const SEPARATOR = '\u0000';

export function assignedColumns(chunks: readonly AssignedChunk[]): AssignedColumns {
  const n = chunks.reduce((k, c) => k + c.itemIds.length, 0);
  const ids = new Array<string>(n);
  const code = (list: string[], index: Map<string, number>, v: string) => {
    let k = index.get(v);
    if (k === undefined) index.set(v, (k = list.push(v) - 1));
    return k;
  };
  const out = { reviewers: [] as string[], reviewer: new Uint32Array(n), reasons: [] as string[], reason: new Uint32Array(n) };
  const rv = new Map<string, number>();
  const rs = new Map<string, number>();
  let i = 0;
  for (const c of chunks)
    for (let r = 0; r < c.itemIds.length; r++, i++) {
      ids[i] = c.itemIds[r]!;
      out.reviewer[i] = code(out.reviewers, rv, c.reviewerIds[r]!);
      out.reason[i] = code(out.reasons, rs, c.reasons[r]!);
    }
  return { ...out, itemIds: ids.some((s) => s.includes(SEPARATOR)) ? ids : ids.join(SEPARATOR) };
}

/** The reviewer assignment of the `index`th item (`itemId`): by place where the assignments are in the order of
 * `tableIds` (the table's ids as one string, when it has them so), else by id (a map made once). */
export function assignedLookup(c: AssignedColumns, tableIds: string | undefined) {
  const at = (k: number) => ({ reviewerId: c.reviewers[c.reviewer[k]!]!, reason: c.reasons[c.reason[k]!]! });
  if (typeof c.itemIds === 'string' && c.itemIds === tableIds)
    return (index: number) => (index < c.reviewer.length ? at(index) : undefined);
  let byId: Map<string, number> | undefined;
  return (_index: number, itemId: string) => {
    if (!byId) {
      const ids = typeof c.itemIds === 'string' ? (c.itemIds === '' ? [] : c.itemIds.split(SEPARATOR)) : c.itemIds;
      byId = new Map(ids.map((id, k) => [id, k]));
    }
    const k = byId.get(itemId);
    return k === undefined ? undefined : at(k);
  };
}

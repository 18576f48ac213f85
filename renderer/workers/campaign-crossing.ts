// What crosses from the backend to a campaign worker when a campaign opens, as columns rather than an object per
// item: the structured clone of a million summaries and a million-entry reviewer map took 4 s to write and 13 s to
// read (v8.serialize, the same serializer), as string and typed arrays 1.2 s and 1.3 s. The scale bench's "first
// item's signals" waited for it (19.7 s at 1,000,000 items).
import type { CampaignAssignmentChunk, PlacedSummary } from '../db';

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

/** The reviewer assignment of the `index`th item (`itemId`) of a campaign: its chunks are stored in campaign order, so
 * it is looked up by place, and found by id (a map made once) where the order does not hold. */
export function assignedByIndex(chunks: readonly AssignedChunk[]) {
  const per = chunks[0]?.itemIds.length ?? 0;
  let byId: Map<string, { reviewerId: string; reason: string }> | undefined;
  return (index: number, itemId: string): { reviewerId: string; reason: string } | undefined => {
    const c = per ? chunks[Math.floor(index / per)] : undefined;
    const r = index % per;
    if (c && c.itemIds[r] === itemId) return { reviewerId: c.reviewerIds[r]!, reason: c.reasons[r]! };
    return (byId ??= assignedMap(chunks)).get(itemId);
  };
}

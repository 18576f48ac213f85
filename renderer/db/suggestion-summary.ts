// What a campaign's creation and its review table read of a suggestion: a few per-row columns of a stored chunk,
// read without building signals, messages or peer lists (a million full suggestions took the backend 18 s).
import type { Suggestion } from '../../shared/suggest';
import { LITERAL_ROW, NONE, derivedItemId, type SuggestionColumnsV1, type SuggestionColumnsV2 } from './suggestion-columns-legacy';
import { decodeSuggestions, suggestionReader } from './suggestion-columns-read';
import type { Ints, SuggestionColumns } from './suggestion-columns-format';

/** The fields the scope filter, reviewer assignment and review table read (a full Suggestion is one). */
export type SuggestionSummary = Pick<
  Suggestion,
  'itemId' | 'identityId' | 'entitlementId' | 'credentialId' | 'action' | 'confidence' | 'riskTier' | 'decisionClass'
>;

/** Where a summary's full suggestion is stored: chunk `chunk` (its index in the set), row `row`. */
export interface SuggestionPlace {
  chunk: number;
  row: number;
}

export type PlacedSummary = SuggestionSummary & SuggestionPlace;

export type StoredColumns = SuggestionColumns | SuggestionColumnsV2 | SuggestionColumnsV1;

/** The summary of a suggestion, its own fields only (a full suggestion's signals are not kept). */
export function summaryOf(s: SuggestionSummary, place: SuggestionPlace): PlacedSummary {
  const out: PlacedSummary = {
    itemId: s.itemId,
    identityId: s.identityId,
    action: s.action,
    confidence: s.confidence,
    riskTier: s.riskTier,
    decisionClass: s.decisionClass,
    chunk: place.chunk,
    row: place.row,
  };
  if (s.entitlementId !== undefined) out.entitlementId = s.entitlementId;
  if (s.credentialId !== undefined) out.credentialId = s.credentialId;
  return out;
}

/** A narrow column's value with NONE and LITERAL_ROW as themselves. */
function at(col: Ints, i: number): number {
  const v = col[i]!;
  if (col instanceof Uint32Array) return v;
  const top = col instanceof Uint8Array ? 0xff : 0xffff;
  return v === top ? NONE : v === top - 1 ? LITERAL_ROW : v;
}

/** The summaries of one stored chunk, in order (`chunk`: its index in the set). Chunks of the older formats (and
 * rows kept whole as JSON) are decoded in full and cut down. */
export function summarizeChunk(c: StoredColumns, chunk: number): PlacedSummary[] {
  if (c.format !== 3) return decodeSuggestions(c).map((s, row) => summaryOf(s, { chunk, row }));
  const { strings } = c;
  // Which keys a shape lists: per shape string, once.
  const shapes = new Map<number, { entitlement: boolean; credential: boolean }>();
  const shapeOf = (k: number) => {
    let f = shapes.get(k);
    if (!f) {
      const keys = strings[k]!.split(',');
      shapes.set(k, (f = { entitlement: keys.includes('entitlementId'), credential: keys.includes('credentialId') }));
    }
    return f;
  };
  const out = new Array<PlacedSummary>(c.count);
  for (let row = 0; row < c.count; row++) {
    const shape = at(c.shape, row);
    if (shape === LITERAL_ROW) {
      out[row] = summaryOf(JSON.parse(strings[c.itemId[row]!]!) as Suggestion, { chunk, row });
      continue;
    }
    const keys = shapeOf(shape);
    const s: PlacedSummary = {
      itemId: '',
      identityId: strings[c.identityId[row]!]!,
      action: strings[c.action[row]!] as Suggestion['action'],
      confidence: c.confidence[row]!,
      riskTier: strings[c.riskTier[row]!] as Suggestion['riskTier'],
      decisionClass: strings[c.decisionClass[row]!] as Suggestion['decisionClass'],
      chunk,
      row,
    };
    if (keys.entitlement) s.entitlementId = strings[c.entitlementId[row]!];
    if (keys.credential) s.credentialId = strings[c.credentialId[row]!];
    const item = c.itemId[row]!;
    s.itemId = item ? strings[item - 1]! : derivedItemId(s as unknown as Suggestion);
    out[row] = s;
  }
  return out;
}

/** The summaries of chunks in hand, in order, each placed by its index among them. */
export function summarizeChunks(chunks: readonly StoredColumns[]): PlacedSummary[] {
  const out: PlacedSummary[] = [];
  chunks.forEach((c, i) => {
    for (const s of summarizeChunk(c, i)) out.push(s);
  });
  return out;
}

/** Rows of one stored chunk as full suggestions (format 3 decodes only those rows). */
export function suggestionsAtRows(c: StoredColumns, rows: readonly number[]): Suggestion[] {
  if (c.format !== 3) {
    const all = decodeSuggestions(c);
    return rows.map((r) => {
      const s = all[r];
      if (!s) throw new Error(`no suggestion ${r} in a chunk of ${c.count}`);
      return s;
    });
  }
  const read = suggestionReader(c);
  return rows.map(read);
}

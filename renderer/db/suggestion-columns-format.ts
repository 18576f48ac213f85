// The stored layout of format 3's suggestion columns: a type of its own, so the writer and the reader both name it
// without importing each other.
/** Integer columns are written as narrow as their values allow (NONE and LITERAL_ROW become the type's two highest
 * values): most indexes of a chunk fit in 16 bits. */
export type Ints = Uint8Array | Uint16Array | Uint32Array;

export interface SuggestionColumns {
  format: 3;
  count: number;
  /** Every string of the chunk once: ids, engine, digests, signal ids, message templates, JSON of shared parts. */
  strings: string[];
  /** Per suggestion: index (into strings) of its key list ("itemId,identityId,..."), or LITERAL_ROW. */
  shape: Ints;
  /** Per suggestion: 0 item id derived from the ids (a:/c:/i:), else strings index + 1 of the item id as given;
   * for a LITERAL_ROW, the strings index of the suggestion's JSON. */
  itemId: Ints;
  identityId: Ints;
  entitlementId: Ints;
  credentialId: Ints;
  action: Ints;
  confidence: Float64Array;
  riskTier: Ints;
  decisionClass: Ints;
  engine: Ints;
  policyDigest: Ints;
  /** JSON of the risk reasons (shared arrays are written once). */
  riskReasons: Ints;
  /** Signals of suggestion i: signalRefs[signalStart[i] .. signalStart[i + 1]], each an index of a distinct signal. */
  signalStart: Ints;
  signalRefs: Ints;
  /** Distinct signals (each Signal object of the chunk once). */
  sigShape: Ints;
  sigId: Ints;
  /** Index of the signal's message in the message columns below. */
  sigMessage: Ints;
  sigValueKind: Uint8Array;
  sigValue: Float64Array;
  sigThresholdKind: Uint8Array;
  sigThreshold: Float64Array;
  sigVerdict: Ints;
  sigConfidence: Float64Array;
  /** Index of the signal's peer group reference in the peer columns below (shared objects are written once). */
  sigPeers: Ints;
  /** Distinct messages: the text with each short digit run replaced by MARK (msgFlags & LITERAL_MESSAGE: the text as
   * is), and its digit runs numbers[msgNumbers[m] .. msgNumbers[m + 1]]. */
  msgTemplate: Ints;
  msgFlags: Uint8Array;
  msgNumbers: Ints;
  numbers: Ints;
  peerShape: Ints;
  peerGroup: Ints;
  peerSize: Float64Array;
  /** Id lists of the chunk, each once: the ids joined by ID_SEPARATOR, and how many ids each holds. */
  lists: string[];
  listCount: Ints;
  /** Holders of peer reference p: a list (NONE: no holders) and the position left out of it (NONE: none). Every
   * holder of an entitlement in a group lists the others: one full list per group and entitlement, not one each. */
  peerHolders: Ints;
  peerHolderSkip: Ints;
  /** Members of peer reference p (nearest neighbours): a list, NONE when none. */
  peerMembers: Ints;
}

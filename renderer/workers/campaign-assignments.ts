// A campaign's look-up of one assignment by its pair (identity, entitlement), for the item detail and the peers'
// holdings: over the snapshot's assignment columns as stored (#19: at 10,000,000 assignments an object and a map key
// per assignment are gigabytes), or over assignment objects where a snapshot comes as objects.
import type { Assignment } from '../../shared/model';
import { decodeAssignments, type AssignmentColumns } from '../../shared/import';

export interface AssignmentLookup {
  get(identityId: string, entitlementId: string): Assignment | undefined;
  has(identityId: string, entitlementId: string): boolean;
  /** Whether any assignment is inherited (has a grant path). */
  readonly inherited: boolean;
  /** Every assignment as an object (decoded on first use: only the grant graph needs them all). */
  all(): readonly Assignment[];
}

const pairKey = (identityId: string, entitlementId: string) => `${identityId}\u001f${entitlementId}`;

export function objectLookup(assignments: readonly Assignment[]): AssignmentLookup {
  const byPair = new Map<string, Assignment>();
  for (const a of assignments) byPair.set(pairKey(a.identityId, a.entitlementId), a);
  return {
    get: (i, e) => byPair.get(pairKey(i, e)),
    has: (i, e) => byPair.has(pairKey(i, e)),
    inherited: assignments.some((a) => a.path?.length),
    all: () => assignments,
  };
}

/**
 * The look-up over the columns: the rows grouped by identity (a counting sort into one Uint32Array), an identity's
 * few rows compared by entitlement id. One map entry per identity, none per assignment; a row is decoded when asked.
 */
export function columnLookup(chunks: readonly AssignmentColumns[]): AssignmentLookup {
  const starts = new Uint32Array(chunks.length + 1);
  chunks.forEach((c, k) => (starts[k + 1] = starts[k]! + c.identity.length));
  const total = starts[chunks.length]!;
  const identityIndex = new Map<string, number>();
  const rowIdentity = new Uint32Array(total);
  chunks.forEach((c, k) => {
    // Each chunk's dictionary entry resolved once, not once per row.
    const local = new Int32Array(c.strings.length).fill(-1);
    const base = starts[k]!;
    for (let r = 0; r < c.identity.length; r++) {
      const s = c.identity[r]!;
      let id = local[s]!;
      if (id < 0) {
        const name = c.strings[s]!;
        id = identityIndex.get(name) ?? identityIndex.size;
        if (id === identityIndex.size) identityIndex.set(name, id);
        local[s] = id;
      }
      rowIdentity[base + r] = id;
    }
  });
  const offsets = new Uint32Array(identityIndex.size + 1);
  for (let r = 0; r < total; r++) offsets[rowIdentity[r]! + 1]!++;
  for (let i = 0; i < identityIndex.size; i++) offsets[i + 1]! += offsets[i]!;
  const next = offsets.slice(0, identityIndex.size);
  const rows = new Uint32Array(total);
  for (let r = 0; r < total; r++) rows[next[rowIdentity[r]!]!++] = r;

  const chunkOf = (row: number): number => {
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const find = (identityId: string, entitlementId: string): number => {
    const id = identityIndex.get(identityId);
    if (id === undefined) return -1;
    for (let k = offsets[id]!; k < offsets[id + 1]!; k++) {
      const row = rows[k]!;
      const at = chunkOf(row);
      const c = chunks[at]!;
      if (c.strings[c.entitlement[row - starts[at]!]!] === entitlementId) return row;
    }
    return -1;
  };
  return {
    get(identityId, entitlementId) {
      const row = find(identityId, entitlementId);
      if (row < 0) return undefined;
      const k = chunkOf(row);
      const out: Assignment[] = [];
      decodeAssignments(oneRow(chunks[k]!, row - starts[k]!), out);
      return out[0];
    },
    has: (identityId, entitlementId) => find(identityId, entitlementId) >= 0,
    ...columnsWhole(chunks),
  };
}

/**
 * The look-up for one item's detail before the campaign's look-up is built: only the assignments of one entitlement
 * (the item's own and its peers' holdings), found in one pass over the entitlement column of each chunk; `all()`
 * as columnLookup's, for the grant graph. Asked about another entitlement it throws rather than answer wrongly.
 */
export function entitlementLookup(chunks: readonly AssignmentColumns[], entitlementId: string | undefined): AssignmentLookup {
  const holders = new Map<string, { chunk: number; row: number }>();
  if (entitlementId !== undefined)
    chunks.forEach((c, k) => {
      const local = c.strings.indexOf(entitlementId);
      if (local < 0) return;
      const idOf = (s: number) => c.strings[s]!;
      for (let r = 0; r < c.entitlement.length; r++)
        if (c.entitlement[r] === local && !holders.has(idOf(c.identity[r]!))) holders.set(idOf(c.identity[r]!), { chunk: k, row: r });
    });
  const only = (e: string) => {
    if (e !== entitlementId) throw new Error(`this look-up holds ${entitlementId ?? 'no entitlement'}, not ${e}`);
  };
  return {
    get(identityId, e) {
      only(e);
      const at = holders.get(identityId);
      if (!at) return undefined;
      const out: Assignment[] = [];
      decodeAssignments(oneRow(chunks[at.chunk]!, at.row), out);
      return out[0];
    },
    has: (identityId, e) => (only(e), holders.has(identityId)),
    ...columnsWhole(chunks),
  };
}

/**
 * The look-up an early detail reads from what was read for it (renderer/db's readSnapshotItem): per asked identity
 * holding the item's entitlement, its first row. Asked about another identity or entitlement it throws; no grant graph
 * is made from it (such a snapshot is read whole).
 */
export function heldLookup(
  holdings: ReadonlyMap<string, { columns: AssignmentColumns; row: number }>,
  entitlementId: string | undefined,
  asked: ReadonlySet<string>,
): AssignmentLookup {
  const only = (i: string, e: string) => {
    if (e !== entitlementId || !asked.has(i))
      throw new Error(`this look-up holds ${entitlementId ?? 'no entitlement'} of the asked identities, not ${i}, ${e}`);
  };
  return {
    get(identityId, e) {
      only(identityId, e);
      const at = holdings.get(identityId);
      if (!at) return undefined;
      const out: Assignment[] = [];
      decodeAssignments(oneRow(at.columns, at.row), out);
      return out[0];
    },
    has: (identityId, e) => (only(identityId, e), holdings.has(identityId)),
    inherited: false,
    all() {
      throw new Error('an early detail read no assignment beyond its own and its peers');
    },
  };
}

/** What both column look-ups answer about the chunks as a whole: any inherited row, and every row decoded once asked. */
function columnsWhole(chunks: readonly AssignmentColumns[]): Pick<AssignmentLookup, 'inherited' | 'all'> {
  let decoded: Assignment[] | undefined;
  return {
    inherited: chunks.some((c) => c.path?.some((p) => p !== 0xffffffff)),
    all() {
      if (!decoded) {
        decoded = [];
        for (const c of chunks) decodeAssignments(c, decoded);
      }
      return decoded;
    },
  };
}

/** One row of a chunk as a chunk of its own (views on the same columns and dictionary): decoded as any chunk is. */
function oneRow(c: AssignmentColumns, r: number): AssignmentColumns {
  const at = <A extends Uint32Array | Uint8Array>(col: A) => col.subarray(r, r + 1) as A;
  return {
    strings: c.strings,
    identity: at(c.identity),
    entitlement: at(c.entitlement),
    grantedAt: at(c.grantedAt),
    lastUsedAt: at(c.lastUsedAt),
    source: at(c.source),
    usageKnown: at(c.usageKnown),
    ...(c.path ? { path: at(c.path) } : {}),
    ...(c.derivedFrom ? { derivedFrom: at(c.derivedFrom) } : {}),
  };
}

// Assignments as columns: dictionary indexes into a per-chunk string table, one chunk per ASSIGNMENTS_PER_CHUNK
// rows. The form they are stored in, sent to workers in, and read by the suggestion engine without one object per row.

import { StringDictionary } from '../codec';

/** The fields of an assignment the columns hold (model's Assignment; declared here so this file needs nothing else of the model). */
interface AssignmentRow {
  identityId: string;
  entitlementId: string;
  grantedAt?: string;
  lastUsedAt?: string;
  usageKnown?: boolean;
  source?: string;
  path?: string[];
  derivedFrom?: string[];
}

export const ASSIGNMENTS_PER_CHUNK = 50_000;
/** A column's value for an absent field. */
export const NO_STRING = 0xffffffff;
/** Joins a path's ids in one dictionary string. */
export const PATH_SEPARATOR = '\u001f';

export interface AssignmentColumns {
  strings: string[];
  identity: Uint32Array;
  entitlement: Uint32Array;
  grantedAt: Uint32Array;
  lastUsedAt: Uint32Array;
  source: Uint32Array;
  /** 0 unknown field (absent), 1 true, 2 false */
  usageKnown: Uint8Array;
  /** Inherited access: the path's ids joined by U+001F (NONE when direct); absent in chunks with no inherited row. */
  path?: Uint32Array;
  derivedFrom?: Uint32Array;
}

export function encodeAssignments(rows: readonly AssignmentRow[], from: number, to: number): AssignmentColumns {
  const n = to - from;
  const dict = new StringDictionary();
  const intern = (s: string | undefined): number => (s === undefined ? NO_STRING : dict.of(s));
  const cols = emptyAssignmentColumns(n);
  cols.strings = dict.list;
  let inherited = false;
  for (let i = 0; i < n && !inherited; i++) inherited = Boolean(rows[from + i]!.path?.length);
  if (inherited) {
    cols.path = new Uint32Array(n);
    cols.derivedFrom = new Uint32Array(n);
  }
  for (let i = 0; i < n; i++) {
    const a = rows[from + i]!;
    if (cols.path) {
      cols.path[i] = a.path?.length ? intern(a.path.join(PATH_SEPARATOR)) : NO_STRING;
      cols.derivedFrom![i] = a.derivedFrom?.length ? intern(a.derivedFrom.join(PATH_SEPARATOR)) : NO_STRING;
    }
    cols.identity[i] = intern(a.identityId);
    cols.entitlement[i] = intern(a.entitlementId);
    cols.grantedAt[i] = intern(a.grantedAt);
    cols.lastUsedAt[i] = intern(a.lastUsedAt);
    cols.source[i] = intern(a.source);
    cols.usageKnown[i] = a.usageKnown === undefined ? 0 : a.usageKnown ? 1 : 2;
  }
  return cols;
}

export function emptyAssignmentColumns(n: number): AssignmentColumns {
  return {
    strings: [],
    identity: new Uint32Array(n),
    entitlement: new Uint32Array(n),
    grantedAt: new Uint32Array(n),
    lastUsedAt: new Uint32Array(n),
    source: new Uint32Array(n),
    usageKnown: new Uint8Array(n),
  };
}

/** All the rows as chunks of ASSIGNMENTS_PER_CHUNK, in order. */
export function encodeAssignmentChunks(rows: readonly AssignmentRow[], perChunk = ASSIGNMENTS_PER_CHUNK): AssignmentColumns[] {
  const chunks: AssignmentColumns[] = [];
  for (let i = 0; i < rows.length; i += perChunk) chunks.push(encodeAssignments(rows, i, Math.min(i + perChunk, rows.length)));
  return chunks;
}

// Assignments as columns: dictionary indexes into a per-chunk string table, one chunk per ASSIGNMENTS_PER_CHUNK
// rows. The import worker encodes them and hands the backend the chunks (typed arrays, moved, not copied); the
// backend stores them as they are (ARCHITECTURE.md, "Storage") and decodes them when a snapshot is opened.
import {
  ASSIGNMENTS_PER_CHUNK,
  NO_STRING as NONE,
  PATH_SEPARATOR as SEP,
  emptyAssignmentColumns as emptyColumns,
  type Assignment,
  type AssignmentColumns,
} from '../model';

// The columns' type and encoder live in the model (the suggestion engine reads them); re-exported here.
export { ASSIGNMENTS_PER_CHUNK, encodeAssignments, encodeAssignmentChunks, type AssignmentColumns } from '../model';

/**
 * Direct grants written straight into chunks as a parser reads them, with no object per row: the very chunks
 * encodeAssignmentChunks makes of the same rows (same string order, same lengths).
 */
export class AssignmentChunkWriter {
  readonly chunks: AssignmentColumns[] = [];
  /** Chunks given to the sink (not kept), and their rows. */
  handedOut = { chunks: 0, rows: 0 };
  private cols: AssignmentColumns | null = null;
  private index = new Map<string, number>();
  private n = 0;
  // Consecutive rows mostly share their identity and source: their indexes are kept, not looked up again.
  private lastIdentity: string | null = null;
  private lastIdentityIndex = 0;
  private lastSource: string | null = null;
  private lastSourceIndex = 0;

  constructor(
    private readonly perChunk = ASSIGNMENTS_PER_CHUNK,
    /** Takes each chunk once complete (the app stores it while the rest is parsed); else they are kept. */
    private readonly sink?: (chunk: AssignmentColumns, index: number) => void,
  ) {}

  add(
    identityId: string,
    entitlementId: string,
    grantedAt: string | undefined,
    lastUsedAt: string | undefined,
    source: string,
    usageKnown?: boolean,
  ): void {
    let cols = this.cols;
    if (!cols) cols = this.cols = emptyColumns(this.perChunk);
    const i = this.n;
    if (identityId !== this.lastIdentity) {
      this.lastIdentity = identityId;
      this.lastIdentityIndex = this.intern(identityId);
    }
    cols.identity[i] = this.lastIdentityIndex;
    cols.entitlement[i] = this.intern(entitlementId);
    cols.grantedAt[i] = grantedAt === undefined ? NONE : this.intern(grantedAt);
    cols.lastUsedAt[i] = lastUsedAt === undefined ? NONE : this.intern(lastUsedAt);
    if (source !== this.lastSource) {
      this.lastSource = source;
      this.lastSourceIndex = this.intern(source);
    }
    cols.source[i] = this.lastSourceIndex;
    cols.usageKnown[i] = usageKnown === undefined ? 0 : usageKnown ? 1 : 2;
    if (++this.n === this.perChunk) this.close();
  }

  /** The chunks, the last one cut to its rows. */
  finish(): AssignmentColumns[] {
    if (this.cols) this.close();
    return this.chunks;
  }

  private intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      const strings = this.cols!.strings;
      i = strings.length;
      strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  private close(): void {
    const c = this.cols!;
    const n = this.n;
    const chunk: AssignmentColumns =
      n === this.perChunk
        ? c
        : {
            strings: c.strings,
            identity: c.identity.slice(0, n),
            entitlement: c.entitlement.slice(0, n),
            grantedAt: c.grantedAt.slice(0, n),
            lastUsedAt: c.lastUsedAt.slice(0, n),
            source: c.source.slice(0, n),
            usageKnown: c.usageKnown.slice(0, n),
          };
    if (this.sink) {
      this.sink(chunk, this.handedOut.chunks++);
      this.handedOut.rows += n;
    } else this.chunks.push(chunk);
    this.cols = null;
    this.index = new Map();
    this.n = 0;
    this.lastIdentity = this.lastSource = null;
  }
}

/** Rows in these chunks. */
export function assignmentChunkRows(chunks: readonly AssignmentColumns[]): number {
  let n = 0;
  for (const c of chunks) n += c.identity.length;
  return n;
}

/** The chunks' buffers, to move them to another thread instead of copying them. */
export function assignmentChunkBuffers(chunks: readonly AssignmentColumns[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const c of chunks)
    for (const col of [c.identity, c.entitlement, c.grantedAt, c.lastUsedAt, c.source, c.usageKnown, c.path, c.derivedFrom])
      if (col && col.buffer instanceof ArrayBuffer) buffers.add(col.buffer);
  return [...buffers];
}

export function decodeAssignments(cols: AssignmentColumns, out: Assignment[]): void {
  const s = cols.strings;
  const n = cols.identity.length;
  for (let i = 0; i < n; i++) {
    const identityId = s[cols.identity[i]!]!;
    const entitlementId = s[cols.entitlement[i]!]!;
    const source = s[cols.source[i]!] ?? '';
    const g = cols.grantedAt[i]!;
    const l = cols.lastUsedAt[i]!;
    // The dates in the literal: fields added later go to a separate property store (more bytes per row, and
    // millions of rows on reopening).
    const a: Assignment =
      g !== NONE
        ? l !== NONE
          ? { identityId, entitlementId, source, grantedAt: s[g]!, lastUsedAt: s[l]! }
          : { identityId, entitlementId, source, grantedAt: s[g]! }
        : l !== NONE
          ? { identityId, entitlementId, source, lastUsedAt: s[l]! }
          : { identityId, entitlementId, source };
    const k = cols.usageKnown[i]!;
    if (k !== 0) a.usageKnown = k === 1;
    const p = cols.path?.[i] ?? NONE;
    if (p !== NONE) a.path = s[p]!.split(SEP);
    const f = cols.derivedFrom?.[i] ?? NONE;
    if (f !== NONE) a.derivedFrom = s[f]!.split(SEP);
    out.push(a);
  }
}

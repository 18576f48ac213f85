// Archive reading limits and results: the codec's own types, shared by its reader and its callers.

export interface ArchiveLimits {
  maxEntries: number;
  /** Largest uncompressed size of one entry, bytes. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together, bytes. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio for an entry larger than `ratioFloorBytes`. */
  maxCompressionRatio: number;
  ratioFloorBytes: number;
}

export interface ArchiveEntry {
  name: string;
  bytes: Uint8Array;
}

export type ArchiveReadResult =
  | { ok: true; entries: ArchiveEntry[] }
  | { ok: false; problems: string[]; /** False when the bytes are not a ZIP archive at all. */ isZip: boolean };

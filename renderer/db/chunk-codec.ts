// Snapshots are stored as chunks, not a record per row (ARCHITECTURE.md, "Storage"): assignments become
// columns of dictionary indexes into a per-chunk string table (encoded in shared/import, where the import worker
// reaches it); other kinds are stored as record arrays.
export {
  ASSIGNMENTS_PER_CHUNK,
  assignmentChunkRows,
  decodeAssignments,
  encodeAssignmentChunks,
  encodeAssignments,
  type AssignmentColumns,
} from '../../shared/import';

export const RECORDS_PER_CHUNK = 20_000;

// The workers beside the backend: the campaign worker the review screen reads its table from (its data comes from
// the backend), and the nested workers (import, compression, audit-log analysis) the backend's tasks hand pure CPU
// work to. None opens the database.
export type { CampaignDataHandlers, CampaignHandlers } from './campaign.worker';
export {
  NONE,
  TABLE_FORMAT,
  actionOf,
  buildCampaignTable,
  campaignData,
  decisionClassOf,
  identityClassOf,
  indexOfItem,
  packTable,
  peersOfDetail,
  selectedInOrder,
  tierOf,
  unpackTable,
  reviewerOf,
  type CampaignTable,
  type ItemDetail,
  type PackedCampaignTable,
  type PeerRow,
  type RemediationView,
} from './campaign-table';
export { scopeSelector } from './campaign-select';
export { campaignMark } from './campaign-timing';
export { detailOf, itemFacts, placesOf, snapshotFacts, type SnapshotFacts } from './campaign-early';
export {
  assignedColumns,
  assignedMap,
  snapshotHead,
  snapshotPart,
  snapshotPartCount,
  summariesOf,
  summaryColumns,
  type SummaryColumns,
} from './campaign-crossing';
export { startAuditLogThread } from './audit-log-client';
export { withCompressionThread } from './compression-client';
export type { TaskProgress } from './progress';
export {
  parseImport,
  readWorkbook,
  type ImportTaskFile,
  type ImportTaskArgs,
  type ImportFileReport,
  type ImportTaskResult,
  type ParsedImport,
} from './import-parse';
export type { AssignmentChunkProgress, ImportHandlers } from './import.worker';
export { startImportThread } from './import-client';
export { suggestOnThreads, type SuggestThreadsOptions } from './suggest-client';
export {
  SUGGESTIONS_PER_CHUNK,
  chunkBuffers,
  computeSuggestionPart,
  snapshotPayload,
  suggestHandlers,
  type SnapshotPayload,
  type SuggestHandlers,
  type SuggestPartResult,
} from './suggest-part';

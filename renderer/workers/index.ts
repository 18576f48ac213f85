// The workers beside the backend: the campaign worker the review screen reads its table from, and the nested
// workers (compression, audit-log analysis) the backend's tasks hand pure CPU work to. None opens the database
// except the campaign worker (see docs/architecture.md).
export { campaignClient, closeCampaignClient, type CampaignClient, type OpenCampaign } from './campaign-client';
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
  tierOf,
  reviewerOf,
  type CampaignTable,
  type ItemDetail,
  type PeerRow,
  type RemediationView,
} from './campaign-table';
export { startAuditLogThread } from './audit-log-client';
export { withCompressionThread } from './compression-client';

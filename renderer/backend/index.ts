// The application layer as the screens see it: commands sent to the backend worker, and its live queries.
export { command, getSetting, putSetting, subscribe, useBackendQuery } from './client';
export * from './hooks';
export type {
  CampaignBaseline,
  CarriedItem,
  CampaignRecord,
  ClassCorrection,
  PinnedKey,
  ReceivedApprovalPackage,
  ReviewerRecord,
  SnapshotRecord,
} from '../db';

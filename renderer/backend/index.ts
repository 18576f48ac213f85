// The application layer as the screens see it: commands (short ones and the long tasks) sent to the backend worker,
// and its live queries.
export {
  command,
  getSetting,
  putSetting,
  runTask,
  subscribe,
  useBackendQuery,
  type CommandOptions,
  type TaskHandle,
  type TaskHooks,
} from './client';
export type { TaskProgress } from './protocol';
export { campaignClient, closeCampaignClient, type CampaignClient, type OpenCampaign } from './campaign-client';
export type { TaskMap, BuildPackageResult, ImportTaskFile, ImportTaskResult } from './tasks';
export type { MergeSummary } from './exchange-tasks';
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

// The main thread's side of the workers: clients that start them and the shapes that cross to them. The task
// implementations stay behind the worker entries (types only here), so the UI bundle does not load them.
export { runTask, type TaskHandle, type TaskHooks } from './client';
export { campaignClient, closeCampaignClient, type CampaignClient, type OpenCampaign } from './campaign-client';
export {
  NONE,
  actionOf,
  decisionClassOf,
  identityClassOf,
  indexOfItem,
  tierOf,
  reviewerOf,
  type CampaignTable,
  type ItemDetail,
  type PeerRow,
  type RemediationView,
} from './campaign-table';
export type { TaskProgress } from './protocol';
export type { TaskMap, BuildPackageResult, ImportTaskFile, ImportTaskResult } from './tasks';
export type { MergeSummary } from './exchange-tasks';

// Campaigns across laptops, in the backend worker: the owner issues signed work packages, merges the decision sets that come
// back and exports the certification package (the sets embedded); a reviewer opens a work package as a local
// campaign, and returns a signed decision set. The format and the checks are shared/exchange's
// (docs/campaign-exchange.md); this module only gathers what is stored and stores what comes out.
import type { TaskContext } from './protocol';
import { ownerExchangeTasks, type OwnerExchangeTaskMap } from './exchange-owner-tasks';
import { reviewerExchangeTasks, type ReviewerExchangeTaskMap } from './exchange-reviewer-tasks';

export { trustList } from './exchange-common';
export type { IssuedFile, MergeSummary } from './exchange-owner-tasks';
export type { ReceiveResult, DecisionSetFile } from './exchange-reviewer-tasks';

export type ExchangeTaskMap = OwnerExchangeTaskMap & ReviewerExchangeTaskMap;

export const exchangeTasks: {
  [K in keyof ExchangeTaskMap]: (args: ExchangeTaskMap[K]['args'], ctx: TaskContext) => Promise<ExchangeTaskMap[K]['result']>;
} = {
  ...ownerExchangeTasks,
  ...reviewerExchangeTasks,
};

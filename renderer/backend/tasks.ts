// The long tasks the backend worker runs (task-commands.ts serves them): off the UI thread, beside the database.
import type { TaskContext } from './protocol';
import { exchangeTasks, type ExchangeTaskMap } from './exchange-tasks';
import { importTasks, type ImportTaskMap } from './import-tasks';
import { campaignTasks, type CampaignTaskMap } from './campaign-tasks';
import { packageTasks, type PackageTaskMap } from './package-tasks';

export type { ImportTaskFile, ImportTaskArgs, ImportFileReport, ImportTaskResult } from './import-tasks';
export type { SuggestTaskArgs, CreateCampaignArgs, CreateCampaignResult, SuggestTaskResult } from './campaign-tasks';
export type { BuildPackageResult } from './package-tasks';

export type TaskMap = ImportTaskMap & CampaignTaskMap & PackageTaskMap & ExchangeTaskMap;

export const tasks: { [M in keyof TaskMap]: (args: TaskMap[M]['args'], ctx: TaskContext) => Promise<TaskMap[M]['result']> } = {
  ...exchangeTasks,
  ...importTasks,
  ...packageTasks,
  ...campaignTasks,
};

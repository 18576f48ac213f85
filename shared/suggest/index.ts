export * from './types';
export * from './policy';
export { suggest, listPeers, globToRegExp, ENGINE_VERSION, SIGNAL_IDS } from './engine';
export { questionedGroupGrants, type GroupGrantFigures } from './group-grants';
export type { SuggestInput } from './snapshot-index';

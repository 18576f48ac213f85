export * from './types';
export * from './policy';
export { suggest, ENGINE_VERSION } from './engine';

export * from './types';
export * from './audit-log';
export * from './rules';
export * from './state';
export * from './scope';
export * from './assignment';
export * from './dashboard';

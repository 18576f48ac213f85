export * from './result';
export * from './host-api';
export * from './ipc';

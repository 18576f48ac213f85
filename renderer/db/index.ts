export * from './database';
export * from './snapshot-repository';
export * from './suggestion-repository';
export * from './review-repository';
export * from './hooks';
export * from './campaign-table-repository';
export * from './class-corrections';
export * from './correlation-resolutions';

// Presentational UI shared by the screens (no I/O).
export * from './ListCard';
export * from './format';
export * from './focus-return';

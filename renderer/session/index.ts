// The workbench session every screen shares: the current screen and reviewer, background tasks, key unlocking and
// the screen kept across reloads. Below features/ and app/, so both import it without a circle.
export * from './workbench-context';
export * from './key-unlock';
export * from './shortcuts';

// Names and limits the main process shares between its modules. Pure values: safe to import from tests.

/** The renderer is served from this privileged custom scheme, never from file:// or http(s)://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Largest file the app reads from disk (dialog, command line, "open with"). Node cannot buffer much more anyway. */
export const MAX_READ_BYTES = 2 * 1024 ** 3;

/** Certification packages opened by "open with" or on the command line. */
export const PACKAGE_EXTENSION = 'arwpkg';

/** How many entries File > Open Recent keeps. */
export const MAX_RECENT_FILES = 10;

/** The log file is rotated once it grows past this size (one previous file is kept). */
export const MAX_LOG_BYTES = 5 * 1024 ** 2;

// A certification package given on the command line, by "open with" (file association), by a second
// instance, or from File > Open Recent. The renderer takes it once, through HostApi.takeLaunchFile,
// and opens it in the auditor view.
import { extname, isAbsolute, resolve } from 'node:path';
import { PACKAGE_EXTENSION } from './app-constants';

/**
 * The first argument naming a package file (`*.arwpkg`), resolved against `cwd`; `null` if none.
 * Switches (`--…`, `-…`) are skipped: Chromium and Electron put their own there.
 */
export function findPackageArgument(argv: readonly string[], cwd: string): string | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (extname(arg).toLowerCase() !== `.${PACKAGE_EXTENSION}`) continue;
    return isAbsolute(arg) ? arg : resolve(cwd, arg);
  }
  return null;
}

/** Holds the one package waiting for the renderer; a newer one replaces an untaken older one. */
export class LaunchFileQueue {
  #pending: string | null = null;

  offer(path: string | null): void {
    if (path) this.#pending = path;
  }

  take(): string | null {
    const path = this.#pending;
    this.#pending = null;
    return path;
  }

  get hasPending(): boolean {
    return this.#pending !== null;
  }
}

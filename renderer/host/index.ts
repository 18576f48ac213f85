// The only code that touches window.desktop (the preload's API in Electron); a browser host otherwise.
import type { HostApi } from '../../shared/contracts';
import { createBrowserHost } from './browser-host';

declare global {
  interface Window {
    desktop?: HostApi;
  }
}

let host: HostApi | null = null;

export function getHost(): HostApi {
  host ??= window.desktop ?? createBrowserHost();
  return host;
}

export type { HostApi };
export { importMemorySignals, IMPORT_MEMORY_LIMIT_KEY } from './memory';

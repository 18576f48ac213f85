// Guards attached to every WebContents the app creates (app 'web-contents-created'):
// the renderer is a single page that never navigates, opens windows or embeds webviews.
// In-page navigation (hash routes, history.pushState) does not raise these events and keeps working.
import type { WebContents } from 'electron';
import { APP_ENTRY_URL } from './app-constants';
import { errorKind, type AppLog } from './app-log';

/** The part of WebContents the guards use; Electron's WebContents satisfies it. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'closeDevTools'>;

export interface NavigationGuardOptions {
  /** Production builds never show DevTools, whatever opens them. */
  allowDevTools: boolean;
  log: AppLog;
}

/** Only the scheme is logged: URLs may carry personal data. */
export function describeUrl(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'invalid';
  }
}

/**
 * The one navigation let through: the main frame reloading the app's own entry page (the renderer's
 * "Reload" after an error calls location.reload(), which may arrive here as a navigation).
 */
export function isAppReload(url: string): boolean {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href === APP_ENTRY_URL;
  } catch {
    return false;
  }
}

export function guardWebContents(contents: GuardedContents, options: NavigationGuardOptions): void {
  const { log } = options;
  const refuse = (kind: string) => (event: { preventDefault(): void }, url: string) => {
    event.preventDefault();
    log.warn('navigation-refused', { kind, scheme: describeUrl(url) });
  };
  contents.on('will-navigate', (event, url) => {
    if (event.isMainFrame && isAppReload(url)) return;
    refuse('will-navigate')(event, url);
  });
  contents.on('will-redirect', refuse('will-redirect'));
  contents.on('will-frame-navigate', (event) => {
    // Raised for every frame, the main frame included. The first load is started by main (loadURL) and
    // does not pass here; apart from the app reloading itself, everything is refused.
    if (event.isMainFrame && isAppReload(event.url)) return;
    event.preventDefault();
    log.warn('navigation-refused', { kind: 'will-frame-navigate', scheme: describeUrl(event.url) });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview-refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('window-open-refused', { scheme: describeUrl(url) });
    return { action: 'deny' };
  });
  contents.on('devtools-opened', () => {
    if (options.allowDevTools) return;
    log.warn('devtools-closed');
    contents.closeDevTools();
  });
  contents.on('render-process-gone', (_event, details) => {
    log.error('renderer-gone', { reason: details.reason, exitCode: details.exitCode });
  });
  contents.on('preload-error', (_event, _path, error) => {
    log.error('preload-error', { kind: errorKind(error) });
  });
}

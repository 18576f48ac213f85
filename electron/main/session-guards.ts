// Session-wide refusals: every permission (but clipboard writes by the app itself), every device,
// every download, and every request that would leave the app. The app is offline by design; only its own protocol (and in-memory blob:/data:
// URLs, plus devtools: in development) may be fetched.
import type { Session } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-constants';
import type { AppLog } from './app-log';
import { describeUrl } from './navigation-guards';

export interface RequestPolicy {
  allowDevTools: boolean;
}

export function isAllowedRequestUrl(url: string, policy: RequestPolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  switch (parsed.protocol) {
    case `${APP_SCHEME}:`:
      return parsed.hostname === APP_HOST && parsed.port === '' && parsed.username === '' && parsed.password === '';
    case 'blob:':
      // blob:app://bundle/<uuid>: only blobs our own page created.
      return isAllowedRequestUrl(url.slice('blob:'.length), policy);
    case 'data:':
      return true;
    case 'devtools:':
      return policy.allowDevTools;
    default:
      return false;
  }
}

/** The part of Session the guards use; Electron's Session satisfies it. */
export type GuardedSession = Pick<
  Session,
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'setDisplayMediaRequestHandler'
  | 'webRequest'
  | 'on'
>;

/**
 * The one permission granted: writing (sanitised) text to the clipboard, asked by the app's own page —
 * its Copy buttons for fingerprints and digests. Reading the clipboard and everything else is refused.
 */
export function isAllowedPermission(permission: string, requestingUrl: string | undefined): boolean {
  if (permission !== 'clipboard-sanitized-write' || !requestingUrl) return false;
  try {
    const url = new URL(requestingUrl);
    return url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '';
  } catch {
    return false;
  }
}

export function guardSession(session: GuardedSession, policy: RequestPolicy, log: AppLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isAllowedPermission(permission, details?.requestingUrl);
    if (!allowed) log.warn('permission-refused', { permission });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => {
    log.warn('permission-refused', { permission: 'display-capture' });
    callback({});
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, policy);
    if (!allowed) log.warn('request-refused', { scheme: describeUrl(details.url), resourceType: details.resourceType });
    callback({ cancel: !allowed });
  });
  // Files are saved through the host's save dialog, never as browser downloads.
  session.on('will-download', (event) => {
    event.preventDefault();
    log.warn('download-refused');
  });
}

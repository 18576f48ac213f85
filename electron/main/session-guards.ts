// Session-wide refusals: every permission, every device, every download, and every request that
// would leave the app. The app is offline by design; only its own protocol (and in-memory blob:/data:
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
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler' | 'webRequest' | 'on'
>;

export function guardSession(session: GuardedSession, policy: RequestPolicy, log: AppLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('permission-refused', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
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

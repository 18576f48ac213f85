// The handler of the app:// protocol: serves the built renderer (dist/renderer) and nothing else.
// Every response carries the CSP. Paths are checked twice: segment by segment after decoding, then
// the resolved path must still lie inside the root, and so must its real path (a symlinked folder on the way out
// of the root is refused). Symbolic links and folders are never served, nor files over MAX_ENTRY_BYTES.
import { lstat, readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-constants';
import { SECURITY_HEADERS } from './content-security-policy';
import { errorKind, silentLog, type AppLog } from './app-log';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

export type AppPathResolution = { ok: true; path: string } | { ok: false; status: number; reason: string };

/** Maps an app:// URL to a file under `root`, or says why it must be refused. Pure: no file access. */
export function resolveAppPath(root: string, url: string): AppPathResolution {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'malformed-url' };
  }
  if (
    parsed.protocol !== `${APP_SCHEME}:` ||
    parsed.hostname !== APP_HOST ||
    parsed.port !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    return { ok: false, status: 403, reason: 'foreign-origin' };
  }
  const segments: string[] = [];
  for (const raw of parsed.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed-path' };
    }
    if (segment === '.' || segment === '..' || /[\\/:\0]/.test(segment) || segment.trim() !== segment) {
      return { ok: false, status: 403, reason: 'path-traversal' };
    }
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');
  const base = resolve(root);
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    return { ok: false, status: 403, reason: 'path-traversal' };
  }
  return { ok: true, path: target };
}

export interface AppProtocolFiles {
  lstat(path: string): Promise<{ isFile(): boolean; isSymbolicLink(): boolean; size?: number }>;
  readFile(path: string): Promise<Uint8Array>;
  /** The path with every symbolic link resolved (Node's realpath when not given). */
  realpath?(path: string): Promise<string>;
}

const nodeFiles: AppProtocolFiles = { lstat, readFile, realpath };

/** The largest file app:// serves: far above any built asset, far below what a response can hold. */
export const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

/** True when `path` lies strictly inside `root`. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

export interface AppProtocolOptions {
  /** The folder holding the built renderer (index.html and assets). */
  root: string;
  files?: AppProtocolFiles;
  log?: AppLog;
}

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const files = options.files ?? nodeFiles;
  const log = options.log ?? silentLog;
  const refuse = (status: number, reason: string) => {
    log.warn('app-protocol-refused', { status, reason });
    return new Response(null, { status, headers: SECURITY_HEADERS });
  };

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method');
    const resolution = resolveAppPath(options.root, request.url);
    if (!resolution.ok) return refuse(resolution.status, resolution.reason);
    try {
      const info = await files.lstat(resolution.path);
      if (!info.isFile() || info.isSymbolicLink()) return refuse(404, 'not-a-file');
      // lstat sees only the last segment: a symlinked folder on the way could still lead out of the root.
      const real = files.realpath ?? realpath;
      if (!inside(await real(options.root), await real(resolution.path))) return refuse(403, 'symlink-outside-root');
      if (info.size !== undefined && info.size > MAX_ENTRY_BYTES) {
        const entry = relative(resolve(options.root), resolution.path).split(sep).join('/');
        log.warn('app-protocol-too-large', { entry, size: info.size, limit: MAX_ENTRY_BYTES });
        const message = `${entry} is ${(info.size / 1024 / 1024).toFixed(0)} MiB; app:// serves files up to ${MAX_ENTRY_BYTES / 1024 / 1024} MiB`;
        return new Response(message, { status: 413, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
      }
      const body = await files.readFile(resolution.path);
      const headers = {
        ...SECURITY_HEADERS,
        'Content-Type': MIME_TYPES[extname(resolution.path).toLowerCase()] ?? 'application/octet-stream',
      };
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    } catch (error) {
      return refuse(404, errorKind(error));
    }
  };
}

import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppPath } from '../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/content-security-policy';

let base: string;
let root: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'arw-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(root, 'assets', 'main.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'import.worker.js'), 'self.onmessage = () => {}');
  await writeFile(join(base, 'secret.txt'), 'outside the root');
  await symlink(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  handler = createAppProtocolHandler({ root });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// protocol handler', () => {
  it('serves the renderer entry and assets with their MIME types', async () => {
    const index = await get('app://bundle/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>app</title>');
    const script = await get('app://bundle/assets/main.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const worker = await get('app://bundle/assets/import.worker.js');
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('sends the strict CSP and companion headers on every response, refusals included', async () => {
    for (const response of [
      await get('app://bundle/index.html'),
      await get('app://bundle/missing.js'),
      await get('app://bundle/%2e%2e/secret.txt'),
    ]) {
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it.each([
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/%2E%2E%2Fsecret.txt',
    'app://bundle/assets/..%2f..%2fsecret.txt',
    'app://bundle/assets/..%5c..%5csecret.txt',
    'app://bundle/..%252fsecret.txt',
    'app://bundle/%00index.html',
    'app://bundle/C:%5cWindows%5cwin.ini',
    'app://bundle/%2fetc%2fpasswd',
  ])('refuses path traversal: %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('outside the root');
  });

  it('resolves literal dot segments inside the root only (URL normalisation), never above it', () => {
    const resolved = resolveAppPath(root, 'app://bundle/assets/../../../secret.txt');
    // WHATWG URL parsing removes the dot segments before the handler sees them: the result stays in root.
    expect(resolved.ok && resolved.path.startsWith(root)).toBe(true);
  });

  it('refuses other hosts, schemes, credentials and ports', async () => {
    expect((await get('app://other/index.html')).status).toBe(403);
    expect(resolveAppPath(root, 'https://bundle/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://user:pw@bundle/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://bundle:8080/index.html')).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses symbolic links, folders, missing files and methods other than GET/HEAD', async () => {
    const link = await get('app://bundle/assets/link.txt');
    expect(link.status).toBe(404);
    expect(await link.text()).not.toContain('outside the root');
    expect((await get('app://bundle/assets')).status).toBe(404);
    expect((await get('app://bundle/nope.html')).status).toBe(404);
    expect((await get('app://bundle/index.html', 'POST')).status).toBe(405);
    const head = await get('app://bundle/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('Content Security Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('has no unsafe-eval (only WebAssembly compilation) and no remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|wss?:|\*/);
  });

  it('locks objects, base URI, frames and forms, and keeps scripts to the app itself', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('worker-src')).toEqual(["'self'", 'blob:']);
  });
});

// app:// stays inside its root even through a symlinked folder (lstat sees only the last segment), and a file over
// the size limit is refused with a message naming it and the limit, not read whole (issue #22).
import { mkdtemp, mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ENTRY_BYTES, createAppProtocolHandler } from '../../electron/main/app-protocol';

let base: string;
let root: string;
const warnings: { event: string; details?: unknown }[] = [];
let handler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'arw-protocol-bounds-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside', 'secret.txt'), 'outside the root');
  await symlink(join(base, 'outside'), join(root, 'assets', 'linked'));
  await writeFile(join(root, 'assets', 'huge.js'), '');
  await truncate(join(root, 'assets', 'huge.js'), 600 * 1024 * 1024); // sparse: no disk used
  await writeFile(join(root, 'index.html'), '<!doctype html>');
  handler = createAppProtocolHandler({
    root,
    log: { info() {}, warn: (event: string, details?: unknown) => warnings.push({ event, details }), error() {} },
  });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('app:// bounds', () => {
  it('refuses a file reached through a symlinked folder that leads out of the root', async () => {
    const r = await handler(new Request('app://bundle/assets/linked/secret.txt'));
    expect(r.status).toBe(403);
    expect(await r.text()).not.toContain('outside the root');
  });

  it('refuses a 600 MiB file with a message naming it and the limit, without reading it', async () => {
    const started = Date.now();
    const r = await handler(new Request('app://bundle/assets/huge.js'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.status).toBe(413);
    expect(await r.text()).toBe(`assets/huge.js is 600 MiB; app:// serves files up to ${MAX_ENTRY_BYTES / 1024 / 1024} MiB`);
    expect(warnings.some((w) => w.event === 'app-protocol-too-large')).toBe(true);
  });

  it('still serves files inside the root', async () => {
    expect((await handler(new Request('app://bundle/index.html'))).status).toBe(200);
  });
});

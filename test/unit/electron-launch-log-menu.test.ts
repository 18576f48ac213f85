import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileLog, scrubPersonalData } from '../../electron/main/app-log';
import { buildAppMenuTemplate } from '../../electron/main/app-menu';
import { findPackageArgument, LaunchFileQueue } from '../../electron/main/launch-file';
import { createRecentFiles } from '../../electron/main/recent-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arw-misc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('launch file from the command line / open with', () => {
  it('finds the first .arwpkg argument and resolves it against the working directory', () => {
    expect(findPackageArgument(['/opt/arw/arw', '--no-sandbox', 'review.ARWPKG'], '/home/u')).toBe(resolve('/home/u', 'review.ARWPKG'));
    expect(findPackageArgument(['electron', '.', '/data/p.arwpkg', 'q.arwpkg'], '/x')).toBe('/data/p.arwpkg');
    expect(findPackageArgument(['electron', '.', '--flag=x.arwpkg', 'notes.zip'], '/x')).toBeNull();
    expect(findPackageArgument(['app.arwpkg'], '/x')).toBeNull();
  });

  it('holds one pending package and gives it out once', () => {
    const queue = new LaunchFileQueue();
    queue.offer(null);
    expect(queue.take()).toBeNull();
    queue.offer('/a.arwpkg');
    queue.offer('/b.arwpkg');
    expect(queue.hasPending).toBe(true);
    expect(queue.take()).toBe('/b.arwpkg');
    expect(queue.take()).toBeNull();
  });
});

describe('log file', () => {
  it('scrubs paths, e-mail addresses, the home folder and the login name', () => {
    const text = scrubPersonalData('failed on /home/alice/reviews/q3.csv for bob@corp.example and C:\\Users\\alice\\x.csv by alice', {
      homeDir: '/home/alice',
      userName: 'alice',
    });
    expect(text).not.toMatch(/alice|bob|corp\.example|q3\.csv/);
    expect(text).toContain('<email>');
  });

  it('writes JSON lines to the user-data log without personal data, and rotates', async () => {
    const file = join(dir, 'logs', 'main.log');
    const log = createFileLog({
      file,
      homeDir: '/home/alice',
      userName: 'alice',
      maxBytes: 400,
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    log.info('start', { version: '0.1.0', packaged: true });
    log.warn('open-refused /home/alice/secret.csv', { detail: 'carol@example.org at /srv/data/x.csv', count: 3 });
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ t: '2026-01-01T00:00:00.000Z', level: 'info', event: 'start', version: '0.1.0', packaged: true });
    const all = JSON.stringify(lines);
    expect(all).not.toMatch(/alice|carol|secret\.csv|\/srv\/data/);
    expect(lines[1]).toMatchObject({ level: 'warn', count: 3 });
    for (let i = 0; i < 20; i += 1) log.info('filler', { i });
    const rotated = await readFile(`${file}.1`, 'utf8');
    expect(rotated.length).toBeGreaterThan(0);
    expect((await readFile(file, 'utf8')).length).toBeLessThan(800);
  });
});

describe('recent files', () => {
  it('keeps the newest first without duplicates, persists, and survives a damaged list', async () => {
    const file = join(dir, 'recent.json');
    const onChange = vi.fn();
    const recent = createRecentFiles({ file, max: 3, onChange });
    for (const p of ['/a.arwpkg', '/b.arwpkg', '/a.arwpkg', '/c.arwpkg', '/d.arwpkg']) recent.add(p);
    expect(recent.list()).toEqual(['/d.arwpkg', '/c.arwpkg', '/a.arwpkg']);
    expect(createRecentFiles({ file }).list()).toEqual(['/d.arwpkg', '/c.arwpkg', '/a.arwpkg']);
    recent.clear();
    expect(createRecentFiles({ file }).list()).toEqual([]);
    expect(onChange).toHaveBeenCalledTimes(6);
    await writeFile(file, '{not json');
    expect(createRecentFiles({ file }).list()).toEqual([]);
  });
});

describe('application menu', () => {
  const flatten = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
  const build = (isPackaged: boolean, platform: NodeJS.Platform = 'linux', recentFiles: string[] = []) => {
    const openRecent = vi.fn();
    const template = buildAppMenuTemplate({
      platform,
      isPackaged,
      appName: 'Access Review Workbench',
      recentFiles,
      openPackage: vi.fn(),
      openRecent,
      clearRecent: vi.fn(),
    });
    return { items: flatten(template), openRecent, template };
  };

  it('has the usual roles and shortcuts', () => {
    const roles = build(true)
      .items.map((i) => i.role)
      .filter(Boolean);
    for (const role of [
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
      'reload',
      'zoomIn',
      'zoomOut',
      'resetZoom',
      'togglefullscreen',
      'minimize',
      'quit',
    ])
      expect(roles).toContain(role);
    expect(build(true).items.find((i) => i.label === 'Open Package…')?.accelerator).toBe('CmdOrCtrl+O');
    expect(build(true, 'darwin').template[0]?.label).toBe('Access Review Workbench');
  });

  it('offers DevTools only in development builds', () => {
    expect(build(true).items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(build(false).items.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('lists recent packages by name and opens the chosen one', () => {
    const { items, openRecent } = build(true, 'linux', ['/home/u/q3.arwpkg']);
    const entry = items.find((i) => i.label === '1. q3.arwpkg');
    expect(entry).toBeDefined();
    (entry?.click as unknown as () => void)();
    expect(openRecent).toHaveBeenCalledWith('/home/u/q3.arwpkg');
    expect(build(true).items.find((i) => i.label === 'No recent packages')?.enabled).toBe(false);
  });
});

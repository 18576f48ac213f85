import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok } from '../../shared/contracts/result';
import { createDesktopHost, type HostDialogs } from '../../electron/main/desktop-host';
import type { Keystore } from '../../electron/main/keystore';
import { LaunchFileQueue } from '../../electron/main/launch-file';
import { formatBytes, readFileWithinLimit } from '../../electron/main/native-files';
import { MAX_READ_BYTES } from '../../electron/main/app-constants';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arw-host-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const keystore: Keystore = {
  describeProtection: () => 'test protection',
  ensureKey: async (keyId) => ok({ keyId, publicKey: 'AA==', fingerprint: 'SHA256:00', createdAt: 'now' }),
  sign: async () => ok(new Uint8Array(64)),
  createProtectedKey: async (keyId) => ok({ keyId, publicKey: 'AA==', fingerprint: 'SHA256:00', createdAt: 'now' }),
  status: async () => ok({ exists: true, passphrase: true, unlocked: false }),
  unlock: async () => ok(true),
  lock: async () => ok(true),
  changePassphrase: async () => ok(true),
};

function host(dialogs: Partial<HostDialogs>, maxReadBytes = 1024) {
  const launchFiles = new LaunchFileQueue();
  const recent: string[] = [];
  const handlers = createDesktopHost({
    appVersion: '0.1.0',
    dialogs: {
      showOpenDialog: dialogs.showOpenDialog ?? (async () => ({ canceled: true, filePaths: [] })),
      showSaveDialog: dialogs.showSaveDialog ?? (async () => ({ canceled: true, filePath: '' })),
    },
    keystore,
    launchFiles,
    recentFiles: { list: () => recent, add: (p) => recent.push(p), clear: () => recent.splice(0) },
    defaultSaveDir: dir,
    maxReadBytes,
  });
  return { handlers, launchFiles, recent };
}

describe('bounded file reads', () => {
  it('defaults to a 2 GiB limit', () => {
    expect(MAX_READ_BYTES).toBe(2 * 1024 ** 3);
    expect(formatBytes(MAX_READ_BYTES)).toBe('2 GiB');
  });

  it('reads a file at the limit and refuses one byte more, naming the file and both sizes', async () => {
    const atLimit = join(dir, 'at-limit.csv');
    const over = join(dir, 'over.csv');
    await writeFile(atLimit, Buffer.alloc(1024, 1));
    await writeFile(over, Buffer.alloc(1025, 1));
    const read = await readFileWithinLimit(atLimit, 1024);
    expect(read.ok && read.value.byteLength).toBe(1024);
    expect(await readFileWithinLimit(over, 1024)).toEqual({
      ok: false,
      error: 'over.csv is 1,025 bytes (1.0 KiB); the app reads files of at most 1,024 bytes (1 KiB), so it was not opened.',
    });
  });

  it('reports missing files and folders as values', async () => {
    expect(await readFileWithinLimit(join(dir, 'nope.csv'))).toEqual({
      ok: false,
      error: 'Cannot open nope.csv: the file does not exist.',
    });
    await mkdir(join(dir, 'folder'));
    const folder = await readFileWithinLimit(join(dir, 'folder'));
    expect(folder.ok).toBe(false);
  });
});

describe('desktop host', () => {
  it('reports the platform and how keys are protected', async () => {
    expect(await host({}).handlers.info()).toEqual({
      ok: true,
      value: { platform: 'electron', appVersion: '0.1.0', keyProtection: 'test protection' },
    });
  });

  it('opens the chosen files through the native dialog with the requested filter', async () => {
    await writeFile(join(dir, 'identities.csv'), 'id\n1\n');
    await writeFile(join(dir, 'assignments.CSV'), 'x\n');
    const showOpenDialog = vi.fn(async (_options: OpenDialogOptions) => ({
      canceled: false,
      filePaths: [join(dir, 'identities.csv'), join(dir, 'assignments.CSV')],
    }));
    const result = await host({ showOpenDialog }).handlers.openFiles({ title: 'Import', extensions: ['csv'], multiple: true });
    expect(showOpenDialog.mock.calls[0]?.[0]).toMatchObject({
      title: 'Import',
      properties: ['openFile', 'multiSelections'],
      filters: [{ extensions: ['csv'] }],
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.map((f) => f.name)).toEqual(['identities.csv', 'assignments.CSV']);
      expect(new TextDecoder().decode(result.value[0]?.bytes)).toBe('id\n1\n');
    }
  });

  it('returns an empty list when the user cancels', async () => {
    expect(await host({}).handlers.openFiles({ title: 'Import', extensions: [], multiple: false })).toEqual({ ok: true, value: [] });
  });

  it('refuses an oversized file picked in the dialog', async () => {
    await writeFile(join(dir, 'huge.csv'), Buffer.alloc(2048));
    const result = await host(
      { showOpenDialog: async () => ({ canceled: false, filePaths: [join(dir, 'huge.csv')] }) },
      1024,
    ).handlers.openFiles({ title: 'Import', extensions: ['csv'], multiple: false });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatch(/huge\.csv is 2,048 bytes \(2 KiB\); the app reads files of at most 1,024 bytes \(1 KiB\)/);
  });

  it('bounds the total of several files by the same limit', async () => {
    await writeFile(join(dir, 'a.csv'), Buffer.alloc(600));
    await writeFile(join(dir, 'b.csv'), Buffer.alloc(600));
    const result = await host(
      { showOpenDialog: async () => ({ canceled: false, filePaths: [join(dir, 'a.csv'), join(dir, 'b.csv')] }) },
      1024,
    ).handlers.openFiles({ title: 'Import', extensions: [], multiple: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/b\.csv .*may not exceed 1 KiB/);
  });

  it('refuses a file of a type that was not asked for', async () => {
    await writeFile(join(dir, 'notes.txt'), 'x');
    const result = await host({
      showOpenDialog: async () => ({ canceled: false, filePaths: [join(dir, 'notes.txt')] }),
    }).handlers.openFiles({ title: 'Import', extensions: ['csv', 'json'], multiple: false });
    expect(result).toEqual({ ok: false, error: 'notes.txt is not one of the accepted file types (.csv, .json).' });
  });

  it('saves where the user chooses, remembers packages as recent, and returns null on cancel', async () => {
    const target = join(dir, 'out', 'campaign.arwpkg');
    await mkdir(join(dir, 'out'));
    const showSaveDialog = vi.fn(async (_options: SaveDialogOptions) => ({ canceled: false, filePath: target }));
    const { handlers, recent } = host({ showSaveDialog });
    const saved = await handlers.saveFile({
      suggestedName: 'campaign.arwpkg',
      bytes: new Uint8Array([80, 75, 3, 4]),
      mimeType: 'application/zip',
    });
    expect(saved).toEqual({ ok: true, value: target });
    expect(showSaveDialog.mock.calls[0]?.[0]).toMatchObject({
      defaultPath: join(dir, 'campaign.arwpkg'),
      filters: [{ extensions: ['arwpkg'] }],
    });
    expect([...(await readFile(target))]).toEqual([80, 75, 3, 4]);
    expect(recent).toEqual([target]);
    expect(await host({}).handlers.saveFile({ suggestedName: 'x.csv', bytes: new Uint8Array(1), mimeType: 'text/csv' })).toEqual({
      ok: true,
      value: null,
    });
  });

  it('reports a failed save as a value', async () => {
    const result = await host({
      showSaveDialog: async () => ({ canceled: false, filePath: join(dir, 'missing-folder', 'x.csv') }),
    }).handlers.saveFile({ suggestedName: 'x.csv', bytes: new Uint8Array(1), mimeType: 'text/csv' });
    expect(result).toEqual({ ok: false, error: 'Cannot save x.csv: the file does not exist.' });
  });

  it('hands the launch package to the renderer exactly once, within the size limit', async () => {
    const pkg = join(dir, 'review.arwpkg');
    await writeFile(pkg, Buffer.from('PK package'));
    const { handlers, launchFiles } = host({});
    launchFiles.offer(pkg);
    const first = await handlers.takeLaunchFile();
    expect(first.ok && first.value?.name).toBe('review.arwpkg');
    expect(await handlers.takeLaunchFile()).toEqual({ ok: true, value: null });

    const big = join(dir, 'big.arwpkg');
    await writeFile(big, Buffer.alloc(4096));
    const small = host({}, 1024);
    small.launchFiles.offer(big);
    const refused = await small.handlers.takeLaunchFile();
    expect(refused.ok).toBe(false);
  });
});

// The main-process side of HostApi: native dialogs, bounded file reads, saving, the keystore and the
// launch file. Electron's dialog is passed in (bound to the window), so this is a plain Node module.
import type { OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { basename, extname, join } from 'node:path';
import type { PickedFile } from '../../shared/contracts';
import { fail, ok } from '../../shared/contracts';
import { MAX_READ_BYTES, PACKAGE_EXTENSION } from './app-constants';
import { errorKind, silentLog, type AppLog } from './app-log';
import type { HostHandlers } from './ipc-validation';
import type { Keystore } from './keystore';
import type { LaunchFileQueue } from './launch-file';
import { formatBytes, readFileWithinLimit, writeFileAtomically } from './native-files';
import type { RecentFiles } from './recent-files';

export interface HostDialogs {
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

export interface DesktopHostOptions {
  appVersion: string;
  dialogs: HostDialogs;
  keystore: Keystore;
  launchFiles: LaunchFileQueue;
  recentFiles?: RecentFiles;
  /** Where the save dialog starts (e.g. the Documents folder). */
  defaultSaveDir: string;
  maxReadBytes?: number;
  log?: AppLog;
}

const isPackagePath = (path: string) => extname(path).toLowerCase() === `.${PACKAGE_EXTENSION}`;

export function createDesktopHost(options: DesktopHostOptions): HostHandlers {
  const limit = options.maxReadBytes ?? MAX_READ_BYTES;
  const log = options.log ?? silentLog;
  let lastSaveDir = options.defaultSaveDir;

  return {
    async info() {
      return ok({ platform: 'electron', appVersion: options.appVersion, keyProtection: options.keystore.describeProtection() });
    },

    async openFiles(request) {
      const extensions = request.extensions.map((e) => e.toLowerCase());
      const result = await options.dialogs.showOpenDialog({
        title: request.title,
        properties: request.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: extensions.length > 0 ? [{ name: extensions.map((e) => `.${e}`).join(', '), extensions }] : [],
      });
      if (result.canceled || result.filePaths.length === 0) return ok([]);
      const paths = request.multiple ? result.filePaths : result.filePaths.slice(0, 1);
      const files: PickedFile[] = [];
      let total = 0;
      for (const path of paths) {
        const name = basename(path);
        if (extensions.length > 0 && !extensions.includes(extname(name).slice(1).toLowerCase())) {
          return fail(`${name} is not one of the accepted file types (${extensions.map((e) => `.${e}`).join(', ')}).`);
        }
        const read = await readFileWithinLimit(path, limit - total);
        if (!read.ok) {
          log.warn('open-refused', { files: paths.length });
          return total > 0 ? fail(`${read.error} (The files chosen together may not exceed ${formatBytes(limit)}.)`) : read;
        }
        total += read.value.byteLength;
        files.push({ name, bytes: read.value });
      }
      log.info('files-opened', { files: files.length, bytes: total });
      return ok(files);
    },

    async saveFile(request) {
      const extension = extname(request.suggestedName).slice(1).toLowerCase();
      const result = await options.dialogs.showSaveDialog({
        defaultPath: join(lastSaveDir, request.suggestedName),
        filters: extension ? [{ name: `.${extension}`, extensions: [extension] }] : [],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (result.canceled || !result.filePath) return ok(null);
      const saved = await writeFileAtomically(result.filePath, request.bytes);
      if (!saved.ok) {
        log.warn('save-failed');
        return saved;
      }
      lastSaveDir = join(result.filePath, '..');
      if (isPackagePath(result.filePath)) options.recentFiles?.add(result.filePath);
      log.info('file-saved', { bytes: request.bytes.byteLength });
      return ok(result.filePath);
    },

    ensureSigningKey: (keyId) => options.keystore.ensureKey(keyId),

    sign: (request) => options.keystore.sign(request.keyId, request.message),
    createProtectedKey: (request) => options.keystore.createProtectedKey(request.keyId, request.profile, request.passphrase),
    keyStatus: (keyId) => options.keystore.status(keyId),
    unlockKey: (request) => options.keystore.unlock(request.keyId, request.passphrase),
    lockKey: (keyId) => options.keystore.lock(keyId),
    changePassphrase: (request) => options.keystore.changePassphrase(request.keyId, request.oldPassphrase, request.newPassphrase),

    async takeLaunchFile() {
      const path = options.launchFiles.take();
      if (!path) return ok(null);
      try {
        const read = await readFileWithinLimit(path, limit);
        if (!read.ok) return read;
        log.info('launch-file-taken', { bytes: read.value.byteLength });
        return ok({ name: basename(path), bytes: read.value });
      } catch (error) {
        log.error('launch-file-failed', { kind: errorKind(error) });
        return fail(`The package ${basename(path)} could not be opened.`);
      }
    },
  };
}

// Reading and writing the user's files for the host API. Reads are bounded: a file larger than the
// limit is refused before any byte is read (size checked on the open handle, and again while reading
// in case the file grows). Errors are values with the file's name and a reason a person understands.
import { open, rename, writeFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail, ok, type Result } from '../../shared/contracts';
import { MAX_READ_BYTES } from './app-constants';

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Exact and readable: "1,025 bytes (1.0 KiB)". */
export function describeSize(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return bytes < 1024 ? exact : `${exact} (${formatBytes(bytes)})`;
}

function describeFsError(error: unknown): string {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'the file does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the location is read-only';
    default:
      return typeof code === 'string' ? `the system reported ${code}` : 'an unexpected error occurred';
  }
}

/** Reads a whole file, refusing it when it is larger than `limit` bytes. */
export async function readFileWithinLimit(path: string, limit: number = MAX_READ_BYTES): Promise<Result<Uint8Array>> {
  const name = basename(path);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return fail(`Cannot open ${name}: ${describeFsError(error)}.`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return fail(`Cannot open ${name}: it is not a regular file.`);
    if (info.size > limit) {
      return fail(`${name} is ${describeSize(info.size)}; the app reads files of at most ${describeSize(limit)}, so it was not opened.`);
    }
    // One allocation of the announced size; a file that grows while it is read is refused, not truncated.
    const bytes = new Uint8Array(info.size);
    let filled = 0;
    while (filled < bytes.byteLength) {
      const { bytesRead } = await handle.read(bytes, filled, Math.min(bytes.byteLength - filled, 1 << 30), null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const probe = await handle.read(new Uint8Array(1), 0, 1, null);
    if (probe.bytesRead > 0) return fail(`${name} changed while it was read; it was not opened. Try again.`);
    return ok(filled === bytes.byteLength ? bytes : bytes.slice(0, filled));
  } catch (error) {
    return fail(`Cannot read ${name}: ${describeFsError(error)}.`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Writes a whole file through a temporary sibling and a rename, so a failed write never leaves half a file. */
export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<Result<string>> {
  const name = basename(path);
  const temp = join(dirname(path), `.${name}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, path);
    return ok(path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    return fail(`Cannot save ${name}: ${describeFsError(error)}.`);
  }
}

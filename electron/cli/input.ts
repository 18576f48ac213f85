// Every file the CLI reads goes through here: a regular file (or `-`, standard input), its size checked against a
// limit before a byte is read. Folders, FIFOs, devices and sockets are refused at once, naming the file and why.
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import type { RandomAccessSource } from '../../shared/codec';
import { InputError } from './io';

const MiB = 1024 * 1024;

/**
 * Memory one byte of imported text costs while it is parsed and analysed: 1,000,000 assignments of workbench CSV
 * (52 MiB) peaked at 785 MiB resident in `arw inspect` (about 15×); 16 leaves a margin.
 */
const HEAP_PER_INPUT_BYTE = 16;
/** Decoded text must fit one V8 string (2^29 − 24 characters): a file over this cannot be parsed at all. */
const STRING_LIMIT = 512 * MiB - 1 * MiB;

/** The most input bytes `inspect` and `suggest` take in one run: what one string holds and this heap can parse. */
export function importLimitBytes(): number {
  return Math.min(STRING_LIMIT, Math.floor(getHeapStatistics().heap_size_limit / HEAP_PER_INPUT_BYTE / MiB) * MiB);
}

/** A package (or work package, decision set) to verify: what one Node buffer read holds. */
export const PACKAGE_LIMIT_BYTES = 2 * 1024 * MiB - 1;
/** Trust lists and policies: small JSON and YAML documents. */
export const SMALL_FILE_LIMIT_BYTES = 16 * MiB;

export function formatLimit(bytes: number): string {
  return bytes >= 1024 * MiB ? `${(bytes / (1024 * MiB)).toFixed(1)} GiB` : `${(bytes / MiB).toFixed(bytes % MiB ? 1 : 0)} MiB`;
}

/** Why a path that is not a regular file cannot be read, or null for a regular file. */
function notRegular(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'it is a folder, not a file';
  if (st.isFIFO()) return 'it is a named pipe (FIFO), not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'it is a device, not a regular file';
  if (st.isSocket()) return 'it is a socket, not a regular file';
  return 'it is not a regular file';
}

function tooLarge(label: string, size: number, limit: number, what: string): InputError {
  return new InputError(`${label} is ${formatLimit(size)}, over the limit of ${formatLimit(limit)} for ${what}`);
}

/** The stat of a path the CLI may read, or an InputError naming the file and why it is refused. */
export function statInput(path: string, label = path): Stats {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read ${label}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
    );
  }
  return st;
}

/** Refuses a path that is not a regular file, naming it and why. */
export function assertRegular(st: Stats, label: string): void {
  const why = notRegular(st);
  if (why) throw new InputError(`cannot read ${label}: ${why}`);
}

/**
 * The bytes of a regular file (or `-` for standard input), refused before reading when it is not a regular file or
 * is over `limit`. `what` names the use in the refusal ("a package to verify").
 */
export async function readInput(path: string, label: string, limit: number, what: string): Promise<Uint8Array> {
  if (path === '-') return readStandardInput(limit, what);
  const st = statInput(path, label);
  assertRegular(st, label);
  if (st.size > limit) throw tooLarge(label, st.size, limit, what);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${label}: ${code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
  try {
    return readFd(fd, st.size);
  } finally {
    closeSync(fd);
  }
}

/** A file read by offset, open until closed. */
export interface FileSource extends RandomAccessSource {
  readonly fd: number;
  close(): Promise<void>;
}

/**
 * A regular file opened to be read by offset (an archive: only what is needed is read, when it is), refused as
 * readInput refuses it: not a regular file (checked again on the open file, which a swapped path cannot dodge), or
 * over `limit`.
 */
export async function openInputSource(path: string, label: string, limit: number, what: string): Promise<FileSource> {
  const st = statInput(path, label);
  assertRegular(st, label);
  if (st.size > limit) throw tooLarge(label, st.size, limit, what);
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${label}: ${code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
  const opened = await file.stat();
  const why = notRegular(opened);
  if (why || opened.size > limit) {
    await file.close();
    throw why ? new InputError(`cannot read ${label}: ${why}`) : tooLarge(label, opened.size, limit, what);
  }
  const handle = file;
  return {
    size: opened.size,
    fd: handle.fd,
    async read(offset, length) {
      const bytes = new Uint8Array(Math.max(0, Math.min(length, opened.size - offset)));
      let at = 0;
      while (at < bytes.length) {
        const { bytesRead } = await handle.read(bytes, at, bytes.length - at, offset + at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return at === bytes.length ? bytes : bytes.subarray(0, at);
    },
    close: () => handle.close(),
  };
}

/** At most `size` bytes of a regular file (a file that shrank meanwhile gives what is there). */
function readFd(fd: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const n = readSync(fd, bytes, at, Math.min(size - at, 16 * MiB), null);
    if (n === 0) break;
    at += n;
  }
  return at === size ? bytes : bytes.subarray(0, at);
}

async function readStandardInput(limit: number, what: string): Promise<Uint8Array> {
  const st = fstatSync(0);
  if (st.isFile()) {
    if (st.size > limit) throw tooLarge('standard input', st.size, limit, what);
    return readFd(0, st.size);
  }
  if (st.isCharacterDevice() && process.stdin.isTTY)
    throw new InputError('standard input is a terminal: pipe a file into `-` or name the file');
  if (st.isCharacterDevice() || st.isBlockDevice())
    throw new InputError('cannot read standard input: it is a device, not a regular file or pipe');
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      process.stdin.destroy();
      throw new InputError(`standard input is over the limit of ${formatLimit(limit)} for ${what}`);
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

// A small append-only log in the user-data folder. It must never hold personal data: callers pass an
// event name and non-personal details (counts, sizes, channel names, error codes), and every string
// is scrubbed anyway (paths, e-mail addresses, the user's home folder and login name are replaced).
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAX_LOG_BYTES } from './app-constants';

export type LogDetail = string | number | boolean | null | undefined;
export type LogDetails = Readonly<Record<string, LogDetail>>;

export interface AppLog {
  info(event: string, details?: LogDetails): void;
  warn(event: string, details?: LogDetails): void;
  error(event: string, details?: LogDetails): void;
}

export interface ScrubContext {
  homeDir?: string;
  userName?: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// POSIX absolute paths with at least one more segment, Windows drive and UNC paths, file:// URLs.
const FILE_URL = /file:\/\/[^\s'"]*/gi;
const WINDOWS_PATH = /(?:[A-Za-z]:\\|\\\\)[^\s'"]*/g;
const POSIX_PATH = /(?<![\w:/~])~?\/(?:[^\s'"/]+\/)*[^\s'"/]+/g;

/** Replaces anything that could identify a person or their files. */
export function scrubPersonalData(text: string, context: ScrubContext = {}): string {
  let out = text.replace(FILE_URL, '<path>').replace(WINDOWS_PATH, '<path>').replace(EMAIL, '<email>').replace(POSIX_PATH, '<path>');
  if (context.homeDir && context.homeDir.length > 1) out = out.split(context.homeDir).join('~');
  if (context.userName && context.userName.length > 2) {
    out = out.replace(new RegExp(`\\b${context.userName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'gi'), '<user>');
  }
  return out;
}

export interface FileLogOptions extends ScrubContext {
  file: string;
  maxBytes?: number;
  now?: () => Date;
  /** Also write to stderr (development runs). */
  echo?: boolean;
}

export function createFileLog(options: FileLogOptions): AppLog {
  const maxBytes = options.maxBytes ?? MAX_LOG_BYTES;
  const now = options.now ?? (() => new Date());
  let ready = false;

  const write = (level: 'info' | 'warn' | 'error', event: string, details: LogDetails = {}) => {
    const record: Record<string, LogDetail> = { t: now().toISOString(), level, event: scrubPersonalData(event, options) };
    for (const [key, value] of Object.entries(details)) {
      record[key] = typeof value === 'string' ? scrubPersonalData(value, options) : value;
    }
    const line = `${JSON.stringify(record)}\n`;
    try {
      if (!ready) {
        mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
        ready = true;
      }
      rotateIfLarge(options.file, maxBytes);
      appendFileSync(options.file, line, { mode: 0o600 });
    } catch {
      // Logging must never take the app down; a read-only profile just loses its log.
    }
    if (options.echo) process.stderr.write(line);
  };

  return {
    info: (event, details) => write('info', event, details),
    warn: (event, details) => write('warn', event, details),
    error: (event, details) => write('error', event, details),
  };
}

function rotateIfLarge(file: string, maxBytes: number): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return;
  }
  if (size >= maxBytes) renameSync(file, `${file}.1`);
}

/** A log that drops everything (tests, or before the user-data folder is known). */
export const silentLog: AppLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** An error's code or name, never its message (messages often carry paths). */
export function errorKind(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return typeof error;
}

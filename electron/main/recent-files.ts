// File > Open Recent: the packages opened or saved lately, kept in the user-data folder (like the
// OS's own recent-documents list; never written to the log).
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { MAX_RECENT_FILES } from './app-constants';

const recentSchema = z.object({ version: z.literal(1), files: z.array(z.string().min(1)).max(100) });

export interface RecentFiles {
  list(): readonly string[];
  add(path: string): void;
  clear(): void;
}

export interface RecentFilesOptions {
  file: string;
  max?: number;
  onChange?: (files: readonly string[]) => void;
}

export function createRecentFiles(options: RecentFilesOptions): RecentFiles {
  const max = options.max ?? MAX_RECENT_FILES;
  let files: string[] = [];
  try {
    const parsed = recentSchema.safeParse(JSON.parse(readFileSync(options.file, 'utf8')));
    if (parsed.success) files = parsed.data.files.slice(0, max);
  } catch {
    // First run, or a damaged list: start empty.
  }

  const save = () => {
    try {
      mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
      const temp = `${options.file}.tmp`;
      writeFileSync(temp, JSON.stringify({ version: 1, files }), { mode: 0o600 });
      renameSync(temp, options.file);
    } catch {
      // The list is a convenience; failing to persist it must not break opening a file.
    }
    options.onChange?.(files);
  };

  return {
    list: () => files,
    add(path) {
      files = [path, ...files.filter((f) => f !== path)].slice(0, max);
      save();
    },
    clear() {
      files = [];
      save();
    },
  };
}

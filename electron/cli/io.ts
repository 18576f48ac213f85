// What a CLI command gets: its arguments and where to write. Commands return their exit code.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

/** Exit codes shared by every command: 0 success, 1 a finding (tampered, invalid, rejected), 2 unreadable input or bad usage. */
export const EXIT = { ok: 0, finding: 1, usage: 2 } as const;

export class UsageError extends Error {}

// What a CLI command gets: its arguments and where to write. Commands return their exit code.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

/**
 * Exit codes shared by every command: 0 success, 1 a finding (tampered, invalid, rejected), 2 unreadable input or
 * bad usage, 3 an internal error (a bug in arw, not in the input).
 */
export const EXIT = { ok: 0, finding: 1, usage: 2, internal: 3 } as const;

/** Bad usage: exit 2, with the command's usage line. */
export class UsageError extends Error {}

/** Input that cannot be read or is refused (missing, not a regular file, over a limit): exit 2, one line. */
export class InputError extends Error {}

/** A command whose refused input (InputError) becomes one line on stderr and exit 2, as when run through main. */
export function reportingInputErrors(name: string, command: CliCommand): CliCommand {
  return async (argv, io) => {
    try {
      return await command(argv, io);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.err(`arw ${name}: ${error.message}`);
      return EXIT.usage;
    }
  };
}

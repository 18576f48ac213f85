#!/usr/bin/env node
// `arw`: the workbench's command line over shared/. Each command lives in ./commands and is loaded on demand.
// Exit codes (io.ts): 0 ok, 1 a finding, 2 bad input or usage, 3 an internal error (stack trace only with --debug).
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escapeOutput } from './display';
import { EXIT, InputError, UsageError, type CliCommand, type CliIo } from './io';

/** Set by the esbuild bundle (scripts/build-cli.mjs); read from package.json when run from sources. */
declare const __ARW_VERSION__: string | undefined;

export const commands: Record<string, { summary: string; load: () => Promise<{ run: CliCommand }> }> = {
  inspect: {
    summary: 'inspect FILE|FOLDER|-... [--json]          detect formats, parse, and report counts and errors',
    load: () => import('./commands/inspect'),
  },
  suggest: {
    summary: 'suggest PATH|-... [--policy FILE] [--as-of DATE] [--json]   run the suggestion engine',
    load: () => import('./commands/suggest'),
  },
  verify: {
    summary: 'verify FILE|- [--trust KEYS.json] [--json]  verify a certification package, work package or decision set',
    load: () => import('./commands/verify'),
  },
};

function usage(): string {
  return [
    'usage: arw <command> [options]      (arw <command> --help for its options)',
    '       arw --version',
    '',
    'commands:',
    ...Object.values(commands).map((c) => `  ${c.summary}`),
    '',
    'options for every command: --debug (a stack trace with an internal error)',
    'exit codes: 0 ok, 1 invalid/tampered/rejected, 2 unreadable input or bad usage, 3 internal error',
  ].join('\n');
}

export function version(): string {
  if (typeof __ARW_VERSION__ === 'string') return __ARW_VERSION__;
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  // Everything written is made terminal-safe here too, whatever a command forgot (display.ts).
  const io: CliIo = { out: (t) => rawIo.out(escapeOutput(t)), err: (t) => rawIo.err(escapeOutput(t)), cwd: rawIo.cwd };
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv.filter((a) => a !== '--debug');
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`arw ${version()}`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) io.out(usage());
    else io.err(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands[name];
  if (!command) {
    io.err(`arw: unknown command "${name}"\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const { run } = await command.load();
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) {
      io.err(`arw ${name}: ${error.message}`);
      return EXIT.usage;
    }
    return internalError(io, `arw ${name}`, error, debug);
  }
}

/** One line for an internal error; its stack trace only with --debug. */
export function internalError(io: Pick<CliIo, 'err'>, who: string, error: unknown, debug: boolean): number {
  const message = error instanceof Error ? error.message : String(error);
  io.err(`${who}: internal error: ${message.split('\n')[0]}${debug ? '' : ' (run again with --debug for the stack trace)'}`);
  if (debug && error instanceof Error && error.stack) io.err(error.stack);
  return EXIT.internal;
}

/** Runs arw as this process: exit code set, and a crash outside a command still exits 3 with one line. */
export function runAsProcess(): void {
  const io: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`), cwd: process.cwd() };
  const debug = process.argv.includes('--debug');
  const crash = (error: unknown) => {
    process.exitCode = internalError({ err: (t) => process.stderr.write(`${escapeOutput(t)}\n`) }, 'arw', error, debug);
    process.exit();
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  }, crash);
}

/** True when this module is the script node was started with (also through npm's bin symlink); false when imported. */
function invokedDirectly(): boolean {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]!) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
if (invokedDirectly()) runAsProcess();

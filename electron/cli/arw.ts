#!/usr/bin/env node
// `arw`: the workbench's command line over shared/. Each command lives in ./commands and is loaded on demand.
import { EXIT, UsageError, type CliCommand, type CliIo } from './io';

const commands: Record<string, { summary: string; load: () => Promise<{ run: CliCommand }> }> = {
  inspect: { summary: 'inspect FILE|FOLDER... [--json]          detect formats, parse, and report counts and errors', load: () => import('./commands/inspect') },
  suggest: { summary: 'suggest PATH... [--policy FILE] [--as-of DATE] [--json]   run the suggestion engine', load: () => import('./commands/suggest') },
  verify: { summary: 'verify FILE [--trust KEYS.json] [--json]  verify a certification package, work package or decision set (exit 0 valid, 1 invalid, 2 unreadable)', load: () => import('./commands/verify') },
};

function usage(): string {
  return ['usage: arw <command> [options]', '', 'commands:', ...Object.values(commands).map((c) => `  ${c.summary}`)].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
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
    if (error instanceof UsageError) {
      io.err(`arw ${name}: ${error.message}`);
      return EXIT.usage;
    }
    io.err(`arw ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }
}

const invokedDirectly = process.argv[1] && /arw\.(ts|mjs|js|cjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  const io: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`), cwd: process.cwd() };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}

// Command-line options through node:util's parseArgs, its errors turned into UsageErrors that name the option and
// repeat the command's usage line. Every command takes --help (-h).
import { parseArgs } from 'node:util';
import { UsageError } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** For a string option: what its value is, in the "needs" message ("a trusted-keys file: --trust KEYS.json"). */
  value?: string;
}

export interface ParsedArgs {
  help: boolean;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** The options and positionals of argv; a string option given twice, an unknown option or a missing value is a UsageError. */
export function parseCommandArgs(argv: readonly string[], spec: Record<string, OptionSpec>, usage: string): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple: true }> = {
    help: { type: 'boolean', short: 'h', multiple: true },
  };
  for (const [name, o] of Object.entries(spec)) options[name] = { type: o.type, multiple: true, ...(o.short ? { short: o.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const option = /'(-{1,2}[^' ]+)/.exec((error as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option}\n${usage}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = option.replace(/^-+/, '');
      const hint = spec[name]?.value;
      throw new UsageError(`${option} needs ${hint ?? 'a value'}\n${usage}`);
    }
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const name of Object.keys(spec)) {
    const given = (parsed.values as Record<string, (string | boolean)[] | undefined>)[name];
    if (given && given.length > 1 && spec[name]!.type === 'string') throw new UsageError(`--${name} may be given once\n${usage}`);
    values[name] = given?.[given.length - 1];
  }
  return { help: Boolean((parsed.values as Record<string, unknown[] | undefined>).help?.length), values, positionals: parsed.positionals };
}

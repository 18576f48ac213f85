import { EXIT, type CliIo } from '../io';

export async function run(_argv: string[], io: CliIo): Promise<number> {
  io.err('arw suggest: not available yet');
  return EXIT.usage;
}

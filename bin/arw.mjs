#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a dev dependency of this checkout).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

register();
const here = dirname(fileURLToPath(import.meta.url));
const { main } = await import(join(here, '..', 'electron', 'cli', 'arw.ts'));
const io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`), cwd: process.cwd() };
process.exitCode = await main(process.argv.slice(2), io);

#!/usr/bin/env node
// The `arw` launcher. In a checkout with its dev dependencies, the TypeScript sources run through tsx (so a change
// needs no rebuild); otherwise (`npm ci --omit=dev`, the packaged app) the self-contained bundle dist-cli/arw.mjs
// that `npm run build:cli` writes.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'electron', 'cli', 'arw.ts');
const bundle = join(root, 'dist-cli', 'arw.mjs');

async function load() {
  if (existsSync(sources) && process.env.ARW_CLI_BUNDLE !== '1') {
    try {
      const { register } = await import('tsx/esm/api');
      register();
      return await import(pathToFileURL(sources).href);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !existsSync(bundle)) throw error;
    }
  }
  if (!existsSync(bundle)) {
    process.stderr.write('arw: the CLI is not built: run `npm run build:cli` (or install the dev dependencies to run it from sources)\n');
    process.exit(3);
  }
  return import(pathToFileURL(bundle).href);
}

const { runAsProcess } = await load();
runAsProcess();

// The package is built and verified in a real browser worker: the worker entry is bundled by Vite (exceljs's
// package.json "browser" field gives its browser build) and run in Chromium with WebCrypto Ed25519 and native
// compression streams. Skipped where no Chromium is installed.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('certification package in a Vite-bundled browser worker', () => {
  it('builds, signs and verifies a package in Chromium', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'arw-package-worker-'));
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: {
          entry: resolve('test/fixtures/packages/browser-worker-entry.ts'),
          formats: ['iife'],
          name: 'packageWorker',
          fileName: () => 'worker.js',
        },
      },
    });
    const code = readFileSync(join(outDir, 'worker.js'), 'utf8');
    expect(code).toContain('ExcelJS');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      // localhost is a secure context, which WebCrypto needs; nothing is fetched from the network.
      await page.route('http://localhost/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>package worker</title>' }),
      );
      await page.goto('http://localhost/');
      const result = await page.evaluate(async (source) => {
        const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        return await new Promise<Record<string, unknown>>((done) => {
          worker.onmessage = (e) => done(e.data);
          worker.onerror = (e) => done({ ok: false, error: e.message });
          worker.postMessage(300);
        });
      }, code);
      expect(result).toMatchObject({ ok: true, verdict: 'valid', reasons: [], nativeStreams: true });
      expect(result.xlsxBytes).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

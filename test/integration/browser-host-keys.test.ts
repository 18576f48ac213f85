// The browser host's key store in real Chromium (IndexedDB, WebCrypto Ed25519): a profile's key under its
// passphrase and a non-extractable storage key; locked after a reload until its own passphrase opens it; two
// profiles cannot sign for each other; the passphrase can change and the key stays. Skipped without Chromium.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) console.warn(`browser-host-keys: skipped, no Chromium at ${CHROMIUM}`);

describe.skipIf(!existsSync(CHROMIUM))('browser host: passphrase-protected signing keys', () => {
  it('seals, locks, unlocks with the right passphrase only, changes it, and keeps no readable key', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'arw-browser-host-'));
    await build({
      configFile: false,
      logLevel: 'warn',
      define: { 'import.meta.env.VITE_APP_VERSION': '"test"' },
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: {
          entry: resolve('test/fixtures/hosts/browser-host-entry.ts'),
          formats: ['iife'],
          name: 'hostScenario',
          fileName: () => 'host.js',
        },
      },
    });
    const code = readFileSync(join(outDir, 'host.js'), 'utf8');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.route('http://localhost/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>host</title>' }),
      );
      await page.goto('http://localhost/');
      await page.addScriptTag({ content: code });
      const r = await page.evaluate(() => (window as unknown as { hostScenario: () => Promise<Record<string, unknown>> }).hostScenario());
      expect(r.failed).toBeUndefined();
      expect(r.weak).toMatch(/at least 12 characters/);
      expect(r.duplicate).toMatch(/exists already/);
      expect(r.signsAfterCreation).toBe(true);
      expect(r.statusAfterCreation).toEqual({ ok: true, value: { exists: true, passphrase: true, unlocked: true } });
      expect(r.lockedAfterReload).toBe(true);
      expect(r.wrongPassphrase).toMatch(/wrong passphrase/);
      expect(r.bobStillLocked).toBe(true);
      expect(r.unlock).toEqual({ ok: true, value: true });
      expect(r.signsAfterUnlock).toBe(true);
      expect(r.bobStillLockedAfterAlice).toBe(true);
      expect(r.lockedAfterLock).toBe(true);
      expect(r.changeWithWrongOld).toMatch(/wrong passphrase/);
      expect(r.change).toEqual({ ok: true, value: true });
      expect(r.oldAfterChange).toMatch(/wrong passphrase/);
      expect(r.newAfterChange).toEqual({ ok: true, value: true });
      expect(r.sameKeyAfterChange).toBe(true);
      expect(r.storageKeyExtractable).toBe(false);
      expect(r.storageKeyExport).toMatch(/not extractable/i);
      expect(r.aliceHasPrivateKey).toBe(false);
      expect(r.aliceFields).toEqual(['createdAt', 'keyId', 'publicKeyRaw', 'sealed']);
      expect(r.sealedMentionsFormat).toBe(false);
    } finally {
      await browser.close();
    }
  }, 180_000);
});

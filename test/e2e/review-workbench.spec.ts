// The reviewer's workbench as a person works it: keys only, an override with a rationale, step-up approval by a
// second profile (never by oneself), a reload mid-review that loses nothing, the drift guard, and bulk accept.
import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  addProfile,
  chooseReason,
  createCampaign,
  createFirstReviewer,
  goTo,
  importFiles,
  shot,
  switchReviewer,
  writeAnalystTeam,
} from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');

test('keys-only review, override, step-up approved by a second reviewer, reload loses nothing', async ({ page }) => {
  test.setTimeout(400_000); // a shared, busy machine: every key is sealed and opened with scrypt
  await page.goto('/');
  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');
  await addProfile(page, 'Mara Approver', 'mara@example.com');
  await importFiles(
    page,
    readdirSync(FIXTURE).map((f) => join(FIXTURE, f)),
  );
  await createCampaign(page, 'Billing');
  await expect(page.getByTestId('dashboard-totals')).toContainText('7 items · 0 decided');
  await page.getByTestId('open-campaign').first().click();
  const progress = page.getByTestId('campaign-progress');
  const pane = page.getByTestId('detail-pane');
  await expect(page.getByTestId('review-row')).toHaveCount(7);

  // Keys only, in engine order. 1: Mara Okoro's Billing-Read, keep → a.
  await expect(pane).toContainText('Mara Okoro — Billing-Read');
  await page.keyboard.press('a');
  await expect(progress).toContainText('1 of 7 decided');
  // 2: Mara Okoro's Billing-Approve: suggested revoke, high risk, step-up. Accept → pending approval.
  await expect(pane).toContainText('Mara Okoro — Billing-Approve');
  await expect(page.getByTestId('decision-class')).toHaveText('step-up');
  await page.keyboard.press('a');
  await expect(progress).toContainText('1 of 7 decided · 14% · 1 pending approval');
  // 3: Lena Fischer's Billing-Read: override keep → revoke with a rationale, keyboard only.
  await expect(pane).toContainText('Lena Fischer — Billing-Read');
  await page.keyboard.press('o');
  await page.keyboard.type('Lena moved to treasury in October; invoices are no longer part of her work.');
  await page.keyboard.press('Control+Enter');
  // A rationale goes with its reason category (from a short list).
  await expect(page.getByTestId('decision-error')).toContainText('reason category');
  await chooseReason(page, 'Leaver / mover');
  await page.keyboard.press('Control+Enter');
  await expect(progress).toContainText('2 of 7 decided');
  // In the table an override looks like an override, not like an accept.
  await expect(
    page.getByTestId('review-row').filter({ hasText: 'Lena Fischer' }).filter({ hasText: 'Billing-Read' }).getByTestId('row-status'),
  ).toHaveText('revoke ✎ override');
  // Back up with k and check the saved decision and its provenance.
  await page.keyboard.press('k');
  await expect(pane).toContainText('Lena Fischer — Billing-Read');
  await expect(page.getByTestId('decision')).toContainText('revoke (override)');
  await expect(page.getByTestId('decision')).toContainText('by Jun Tanaka');
  // The step-up item cannot be approved by the person who decided it.
  await page.keyboard.press('k');
  await expect(pane).toContainText('Mara Okoro — Billing-Approve');
  await expect(page.getByTestId('approve')).toHaveCount(0);
  await expect(page.getByTestId('decision')).toContainText('a second, different reviewer must approve');
  await page.keyboard.press('Shift+?');
  await expect(page.getByRole('dialog', { name: 'Keyboard' })).toContainText('accept the suggestion');
  // Keys never act behind the dialog: `a` and `j` here record nothing and move nothing.
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard' })).toBeHidden();
  await expect(progress).toContainText('2 of 7 decided · 28% · 1 pending approval');
  await expect(pane).toContainText('Mara Okoro — Billing-Approve');
  await shot(page, '09-review-step-up-pending');

  // Reload mid-review: every acknowledged decision is still there, on the screen and item left.
  await page.reload();
  await expect(page.getByTestId('campaign-progress')).toContainText('2 of 7 decided · 28% · 1 pending approval');
  await expect(pane).toContainText('Mara Okoro — Billing-Approve');

  // A second, different reviewer approves: switching is explicit.
  await switchReviewer(page, 'Mara Approver');
  await page.getByRole('combobox', { name: 'Status filter' }).click();
  await page.getByRole('option', { name: 'pending approval' }).click();
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await page.getByTestId('review-row').first().click();
  await page.getByTestId('approve').click();
  await expect(page.getByTestId('campaign-progress')).toContainText('3 of 7 decided · 42%');
  // Decided now, the item leaves the "pending approval" view; find it again.
  await page.getByRole('combobox', { name: 'Status filter' }).click();
  await page.getByRole('option', { name: 'pending approval' }).click();
  await page.getByLabel('Search').fill('Mara Okoro');
  await page.getByTestId('review-row').filter({ hasText: 'Billing-Approve' }).click();
  await expect(page.getByTestId('decision')).toContainText('approved by Mara Approver');
  await shot(page, '10-review-approved');

  await goTo(page, 'Campaigns');
  await expect(page.getByTestId('dashboard-totals')).toContainText('7 items · 3 decided · 0 pending approval · 0 escalated · 4 open');
  await shot(page, '11-dashboard');
});

test('drift guard after fast accepts, then bulk accept refuses high risk', async ({ page }) => {
  test.setTimeout(400_000);
  // A generated team: 30 analysts with the same low-risk wiki access, all used last week.
  const team = writeAnalystTeam('drift-data', 30, { prodAdmin: true });

  await page.goto('/');
  await createFirstReviewer(page, 'Quick Reviewer', 'quick@example.com');
  // "Fast" is 30 s here, not the default 3 s: on a shared, loaded machine the screen itself can take seconds.
  await goTo(page, 'Settings');
  const editor = page.getByTestId('policy-json');
  const policy = JSON.parse(await editor.inputValue());
  await editor.fill(JSON.stringify({ ...policy, drift: { ...policy.drift, fastAcceptSeconds: 30 } }, null, 2));
  await page.getByTestId('save-policy').click();
  await expect(page.getByTestId('policy-errors')).toHaveCount(0);
  await importFiles(page, team);
  await createCampaign(page, 'Wiki');
  await page.getByTestId('open-campaign').first().click();
  await page.getByRole('combobox', { name: 'Risk filter' }).click();
  await page.getByRole('option', { name: 'low' }).click();
  const progress = page.getByTestId('campaign-progress');
  for (let n = 1; n <= 20; n++) {
    await page.keyboard.press('a');
    await expect(progress).toContainText(`${n} of 31 decided`);
  }
  await expect(page.getByTestId('drift-warning')).toContainText('20 accepts in a row under 30 s');
  // The flow slows down: the next accept asks for confirmation.
  await page.keyboard.press('a');
  await expect(page.getByTestId('confirm-accept')).toBeVisible();
  await shot(page, '12-drift-warning');
  await page.getByTestId('confirm-accept').click();
  await expect(progress).toContainText('21 of 31 decided');
  await page.getByRole('button', { name: 'I am looking again' }).click();
  await expect(page.getByTestId('drift-warning')).toHaveCount(0);

  // Bulk accept over everything shown: the critical item is refused, the rest accepted.
  await page.getByRole('combobox', { name: 'Risk filter' }).click();
  await page.getByRole('option', { name: 'low' }).click(); // toggles the filter off
  await page.getByTestId('bulk-accept').click();
  await expect(page.getByTestId('bulk-dialog')).toContainText('9 of the 10 open items shown can be accepted in bulk: 9 low');
  await expect(page.getByTestId('bulk-dialog')).toContainText('never step-up or never-delegate');
  // The dialog lists the very items it will decide.
  await expect(page.getByTestId('bulk-item')).toHaveCount(9);
  await expect(page.getByTestId('bulk-items')).not.toContainText('Prod-Admin');
  await page.getByTestId('confirm-bulk').click();
  await expect(progress).toContainText('30 of 31 decided');
});

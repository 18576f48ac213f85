// Keyboard and screen-reader contracts of the review screen and the dialogs: the review grid's ARIA structure,
// the Settings switch for single-key shortcuts (WCAG 2.1.4), and focus in every dialog.
import { expect, test, type Page } from '@playwright/test';
import { checkDialogFocus, workbenchWithCampaign } from './a11y-helpers';
import { goTo, KEY_TIMEOUT, PASSPHRASE, shot, unlockKey } from './helpers';

// Each test starts from a fresh profile: scrypt, an import and a campaign take a while on a shared machine.
test.describe.configure({ timeout: 300_000 });

const selectedName = (page: Page) => page.getByTestId('detail-pane').locator('h1, h2, h3, h4, h5, h6').first().textContent();

test('the review list is an ARIA grid: header inside, cells, row indexes, the selection exposed and followed by focus', async ({
  page,
}) => {
  await workbenchWithCampaign(page);
  const grid = page.getByRole('grid', { name: 'Review items' });
  await expect(grid).toHaveAttribute('aria-rowcount', '7');
  await expect(grid.getByRole('columnheader')).toHaveText(['Identity', 'Entitlement', 'Application', 'Suggested', 'Risk', 'Decision']);
  const rows = grid.getByRole('row');
  await expect(rows).toHaveCount(7);
  expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-rowindex')))).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  // Every item row holds six gridcells (the selection marker is decoration, hidden from the tree).
  for (const n of await page.getByTestId('review-row').all()) await expect(n.getByRole('gridcell')).toHaveCount(6);
  const selected = grid.locator('[role="row"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toHaveAttribute('data-item-id', /prod-db-admin/);
  await expect(grid.locator('[role="row"][aria-selected="false"]')).toHaveCount(5);

  // The grid takes focus and names its selected row; the arrow keys move the selection and the descendant.
  await grid.focus();
  await expect(grid).toBeFocused();
  await expect(grid).toHaveAttribute('aria-activedescendant', (await selected.getAttribute('id'))!);
  await page.keyboard.press('ArrowDown');
  await expect(selected).toContainText('Prod-DB-Read');
  await expect(grid).toHaveAttribute('aria-activedescendant', (await selected.getAttribute('id'))!);
  await expect(grid).toBeFocused();
  // A decision keeps the keyboard in the list: focus is on the grid, its active row the next item.
  await page.keyboard.press('a');
  await expect(page.getByTestId('campaign-progress')).toContainText('1 of 6 decided');
  await expect(grid).toBeFocused();
  await expect(selected).toContainText('Jun Tanaka');
});

test('Settings turns single-key shortcuts off (kept after a reload); buttons, arrows and Ctrl+Enter still work', async ({ page }) => {
  await workbenchWithCampaign(page);
  const progress = page.getByTestId('campaign-progress');
  await goTo(page, 'Settings');
  const toggle = page.getByRole('switch', { name: /Single-key shortcuts/ });
  await expect(toggle).toBeChecked();
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  await shot(page, 'a11y-settings-keyboard');
  await page.reload();
  await goTo(page, 'Settings');
  await expect(page.getByRole('switch', { name: /Single-key shortcuts/ })).not.toBeChecked();

  await goTo(page, 'Review');
  await expect(page.getByTestId('detail-pane')).toContainText('Ravi Iyer — Prod-DB-Admin');
  await page.locator('body').click({ position: { x: 5, y: 895 } });
  for (const key of ['j', 'k', 'a', 'u', 'b', 'o', 'r', '/', '?']) await page.keyboard.press(key);
  // Nothing happened: same item, nothing decided, no dialog, nothing focused for typing.
  await expect(page.getByTestId('detail-pane')).toContainText('Ravi Iyer — Prod-DB-Admin');
  await expect(progress).toContainText('0 of 6 decided');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toMatch(/INPUT|TEXTAREA/);
  // The list's arrow keys (not character keys) and the modifier shortcut still act.
  await page.getByRole('grid', { name: 'Review items' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('detail-pane')).toContainText('Ravi Iyer — Prod-DB-Read');
  await page.keyboard.press('Control+Enter');
  // The reload locked the key: the decision's signature asks for the passphrase first.
  await unlockKey(page, 'Jun Tanaka');
  await expect(progress).toContainText('1 of 6 decided');
  // The key list says the single keys are off.
  await page.getByRole('button', { name: /keys/ }).click();
  await expect(page.getByTestId('single-keys-off')).toBeVisible();
  await page.keyboard.press('Escape');

  // Back on: the single keys act again.
  await goTo(page, 'Settings');
  await page.getByRole('switch', { name: /Single-key shortcuts/ }).click();
  await goTo(page, 'Review');
  const before = await selectedName(page);
  await page.getByRole('grid', { name: 'Review items' }).focus();
  await page.keyboard.press('k');
  await expect.poll(() => selectedName(page)).not.toBe(before);
});

test('dialog focus: the key list', async ({ page }) => {
  await workbenchWithCampaign(page);
  const trigger = page.getByRole('button', { name: /keys/ });
  await trigger.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Keyboard' });
  await checkDialogFocus(page, dialog, dialog.getByRole('button', { name: 'Close the key list' }), trigger);
});

test('dialog focus: bulk accept', async ({ page }) => {
  await workbenchWithCampaign(page);
  const trigger = page.getByRole('button', { name: /Bulk accept/ });
  await trigger.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Bulk accept' });
  await checkDialogFocus(page, dialog, dialog.getByTestId('confirm-bulk'), trigger);
});

test('dialog focus: the drift confirmation starts on "Back", so Enter does not accept', async ({ page }) => {
  // One fast accept (under 30 s on this busy machine) is a streak here: the next accept asks for confirmation.
  await workbenchWithCampaign(page, { fastAcceptStreak: 1, fastAcceptSeconds: 30 });
  const grid = page.getByRole('grid', { name: 'Review items' });
  const progress = page.getByTestId('campaign-progress');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('a');
  await expect(progress).toContainText('1 of 6 decided');
  await expect(grid).toBeFocused();
  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog', { name: 'Confirm this accept' });
  await checkDialogFocus(page, dialog, dialog.getByRole('button', { name: 'Back' }), grid);
  await expect(progress).toContainText('1 of 6 decided');
  // Enter on the initial control goes back without recording anything.
  await page.keyboard.press('a');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Back' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(progress).toContainText('1 of 6 decided');
});

test('dialog focus: new reviewer profile (Settings)', async ({ page }) => {
  await workbenchWithCampaign(page);
  await goTo(page, 'Settings');
  const trigger = page.getByRole('button', { name: 'Add profile' });
  await trigger.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New reviewer profile' });
  await checkDialogFocus(page, dialog, dialog.getByLabel('Full name'), trigger);
});

test('dialog focus: the identity browser (Import)', async ({ page }) => {
  await workbenchWithCampaign(page);
  await goTo(page, 'Import');
  const trigger = page.getByTestId('browse-identities').first();
  await trigger.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /Identities of/ });
  await checkDialogFocus(page, dialog, dialog.getByRole('textbox').first(), trigger);
});

test('dialog focus: the passphrase to sign an export', async ({ page }) => {
  await workbenchWithCampaign(page);
  // One decision, so the package has a signer; then a reload locks the key: exporting asks for the passphrase.
  await page.getByTestId('review-row').nth(1).click();
  await page.getByTestId('accept').click();
  await expect(page.getByTestId('campaign-progress')).toContainText('1 of 6 decided');
  await page.reload();
  await goTo(page, 'Export');
  const trigger = page.getByTestId('export-package');
  await expect(trigger).toBeEnabled();
  await trigger.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Passphrase needed to sign' });
  await checkDialogFocus(page, dialog, dialog.getByTestId('unlock-passphrase'), trigger);
  // And once more, signing for real: the passphrase opens the key and the dialog closes.
  await trigger.click();
  await dialog.getByTestId('unlock-passphrase').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden({ timeout: KEY_TIMEOUT });
});

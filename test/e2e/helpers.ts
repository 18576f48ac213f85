import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SCREENSHOTS = join('test-results', 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** The passphrase e2e profiles protect their keys with (each test's profiles live in their own browser context). */
export const PASSPHRASE = 'correct horse battery staple';

/** First run: create the reviewer profile the onboarding dialog asks for (its key under a passphrase). */
export async function createFirstReviewer(page: Page, name: string, email: string, passphrase = PASSPHRASE): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Who is reviewing on this machine?' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Full name').fill(name);
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel(/^Passphrase/).fill(passphrase);
  await dialog.getByLabel('Repeat the passphrase').fill(passphrase);
  await dialog.getByRole('button', { name: 'Create my reviewer profile' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('reviewer-switch')).toContainText(name);
}

export async function goTo(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab }).click();
}

/** A signature needs a locked key: the dialog names whose key, and its passphrase opens it for the session. */
export async function unlockKey(page: Page, who: string, passphrase = PASSPHRASE): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Passphrase needed to sign' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(who);
  await dialog.getByTestId('unlock-passphrase').fill(passphrase);
  await dialog.getByTestId('unlock-submit').click();
  await expect(dialog).toBeHidden();
}

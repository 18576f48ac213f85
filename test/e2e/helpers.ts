import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SCREENSHOTS = join('test-results', 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** First run: create the reviewer profile the onboarding dialog asks for. */
export async function createFirstReviewer(page: Page, name: string, email: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Who is reviewing on this machine?' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Full name').fill(name);
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByRole('button', { name: 'Create my reviewer profile' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('reviewer-switch')).toContainText(name);
}

export async function goTo(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab }).click();
}

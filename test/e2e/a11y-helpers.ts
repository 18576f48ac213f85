// Shared by the accessibility specs: a workbench with real content (a reviewer, the sample CSV import, a campaign)
// and an axe run that keeps only serious and critical violations, printed so a failure says what to fix.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFirstReviewer, goTo } from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** A reviewer, the sample CSV snapshot and a campaign over PostgreSQL (prod), opened on Review. */
export async function workbenchWithCampaign(page: Page, drift?: { fastAcceptStreak: number; fastAcceptSeconds: number }): Promise<void> {
  await page.goto('/');
  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');
  if (drift) {
    // Campaigns keep the policy they were built with: set the drift thresholds first.
    await goTo(page, 'Settings');
    const editor = page.getByTestId('policy-json');
    const policy = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(JSON.stringify({ ...policy, drift }, null, 2));
    await page.getByTestId('save-policy').click();
    await expect(page.getByTestId('policy-errors')).toHaveCount(0);
    await goTo(page, 'Import');
  }
  const files = readdirSync(FIXTURE).filter((f) => f.endsWith('.csv'));
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(files.map((f) => join(FIXTURE, f)));
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');
  await goTo(page, 'Campaigns');
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('scope-applications').click();
  await page.getByRole('option', { name: 'PostgreSQL (prod)' }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('create-campaign').click();
  await expect(page.getByTestId('campaign-list')).toContainText('0 / 6 decisions', { timeout: 60_000 });
  await page.getByTestId('open-campaign').first().click();
  await expect(page.getByTestId('review-row')).toHaveCount(6);
}

export interface Found {
  where: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Serious and critical violations of the WCAG 2.x A/AA rules on the page (or inside `include`). */
export async function seriousViolations(page: Page, where: string, include?: string): Promise<Found[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      where,
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map(
        (n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)})` : ''}`,
      ),
    }));
}

export function describeViolations(found: Found[]): string {
  return found.map((f) => `${f.where}: ${f.id} [${f.impact}] ${f.help}\n    ${f.targets.join('\n    ')}`).join('\n');
}

export async function setTheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  const html = page.locator('html');
  if ((await html.getAttribute('data-mantine-color-scheme')) !== scheme)
    await page.getByRole('button', { name: 'Toggle dark mode' }).click();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', scheme);
  // The pointer stays on the toggle after the click: move it off so no hover style is measured.
  await page.mouse.move(700, 500);
}

/** Is focus inside this element? */
export const holdsFocus = (el: Element) => el.contains(document.activeElement);

/**
 * A dialog's keyboard contract: focus starts on `initial`; Tab and Shift+Tab cycle among its controls and never
 * leave it (after as many Tabs as it has stops, focus is back where it started); Escape closes it and focus
 * returns to `trigger`.
 */
export async function checkDialogFocus(page: Page, dialog: Locator, initial: Locator, trigger: Locator): Promise<void> {
  // Some dialogs open after work (the signing one once the package is built): a slow, shared machine.
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await expect(initial).toBeFocused();
  const stops = await dialog.evaluate(
    (root) =>
      [...root.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]')].filter(
        (e) =>
          e.tabIndex >= 0 &&
          !(e as HTMLButtonElement).disabled &&
          e.getClientRects().length > 0 &&
          !(e instanceof HTMLInputElement && e.type === 'radio' && !e.checked),
      ).length,
  );
  expect(stops).toBeGreaterThan(0);
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate(holdsFocus), `Tab ${i + 1} of ${stops} left the dialog`).toBe(true);
  }
  await expect(initial).toBeFocused();
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await dialog.evaluate(holdsFocus), `Shift+Tab ${i + 1} of ${stops} left the dialog`).toBe(true);
  }
  await expect(initial).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(trigger).toBeFocused();
}

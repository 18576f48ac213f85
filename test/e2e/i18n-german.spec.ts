// The German UI (issue 22): a browser set to German opens the app in German, every screen shows German texts and
// no translation key, numbers and dates follow the German locale, no label is cut off at 1440×900, and the
// language chosen in Settings is kept across a reload. Screenshots: test-results/screenshots/de-*.png.
import { expect, test, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KEY_TIMEOUT, PASSPHRASE, shot } from './helpers';

test.use({ locale: 'de-DE' });

const FIXTURE = resolve('test/fixtures/workbench-csv');
const NAMESPACES = ['common', 'enums', 'shell', 'progress', 'settings', 'review', 'campaigns', 'import', 'export', 'verify', 'exchange'];
const KEY_PATTERN = new RegExp(`\\b(${NAMESPACES.join('|')})\\.[a-z][A-Za-z]+(\\.[A-Za-z-]+)*\\b`);

/** No raw translation key on screen (a missing key shows as its name), and no label clipped by its box. */
async function checkScreen(page: Page, name: string): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text, `a translation key leaks on ${name}`).not.toMatch(KEY_PATTERN);
  const clipped = await page.evaluate(() => {
    const selectors = [
      '.mantine-Button-label',
      '.mantine-Badge-label',
      '.mantine-Tabs-tabLabel',
      '.mantine-SegmentedControl-label',
      '.mantine-InputWrapper-label',
      '.mantine-Alert-title',
      'th',
    ];
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selectors.join(','))) {
      const r = el.getBoundingClientRect();
      if (!r.width || !el.offsetParent) continue;
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible') out.push(el.innerText.trim());
    }
    return out;
  });
  expect(clipped, `labels cut off on ${name}`).toEqual([]);
  await shot(page, `de-${name}`);
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();

test('the German UI: every screen in German, no key leaks, German number and date formats, nothing cut off; the choice persists', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  // First run, in German.
  const onboarding = page.getByRole('dialog', { name: 'Wer prüft auf diesem Rechner?' });
  await expect(onboarding).toBeVisible();
  await onboarding.getByLabel('Vollständiger Name').fill('Jana Krüger');
  await onboarding.getByLabel('E-Mail').fill('jana.krueger@example.com');
  await onboarding.getByRole('textbox', { name: 'Passphrase', exact: true }).fill(PASSPHRASE);
  await onboarding.getByLabel('Passphrase wiederholen').fill(PASSPHRASE);
  await checkScreen(page, 'onboarding');
  await onboarding.getByRole('button', { name: 'Mein Prüferprofil anlegen' }).click();
  await expect(onboarding).toBeHidden({ timeout: KEY_TIMEOUT });
  await expect(page.getByTestId('reviewer-switch')).toContainText('Prüfer:');

  // Import: German labels, a German report, dates as DD.MM.YYYY.
  await tab(page, 'Import');
  await expect(page.getByText('Identitätsdaten importieren')).toBeVisible();
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(readdirSync(FIXTURE).map((f) => join(FIXTURE, f)));
  await expect(page.getByTestId('start-import')).toHaveText(/^\d+ Dateien importieren$/);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('gespeichert');
  await expect(page.getByTestId('import-report')).toContainText('Importbericht');
  await expect(page.getByTestId('snapshot-list')).toContainText(/\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d UTC/);
  await expect(page.getByRole('contentinfo')).toContainText(/Snapshot: .* Quellen, .* Zuweisungen/);
  await checkScreen(page, 'import');

  // Campaigns: the form and the list in German.
  await tab(page, 'Kampagnen');
  await expect(page.getByText('Neue Kampagne')).toBeVisible();
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('create-campaign').click();
  await expect(page.getByTestId('campaign-list')).toContainText(/0 \/ \d+ Entscheidungen/, { timeout: 60_000 });
  await expect(page.getByTestId('dashboard')).toContainText('Einträge nach Risikostufe und vorgeschlagener Aktion');
  await checkScreen(page, 'campaigns');

  // Review: the list, the detail pane and the decision form in German; the key list too.
  await page.getByTestId('open-campaign').first().click();
  await expect(page.getByRole('tab', { name: 'Prüfung', selected: true })).toBeVisible();
  await expect(page.getByTestId('campaign-progress')).toContainText(/0 von \d+ entschieden · 0 %/);
  await expect(page.getByTestId('suggestion')).toContainText('Vorschlag der Engine (keine Entscheidung)');
  await expect(page.getByText('Berechtigung', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Begründung' })).toBeVisible();
  await checkScreen(page, 'review');
  await page.keyboard.press('Shift+?');
  const keys = page.getByRole('dialog', { name: 'Tastatur' });
  await expect(keys).toContainText('Vorschlag übernehmen');
  await checkScreen(page, 'review-keys');
  await page.keyboard.press('Escape');
  await expect(keys).toBeHidden();

  // An override with its reason, signed.
  await page.getByTestId('rationale').fill('Lesezugriff laut Abteilungsleitung weiterhin für die Monatsabschlüsse nötig.');
  await page.getByTestId('override-action').click();
  await page.getByRole('option').first().click();
  await page.getByRole('combobox', { name: 'Begründungskategorie' }).click();
  await page.getByRole('option', { name: 'Geschäftlicher Bedarf' }).click();
  await page.getByTestId('save-override').click();
  // The key opened at onboarding signs it; the saved decision reads German, its time in German order.
  await expect(page.getByTestId('campaign-progress')).toContainText(/(1 von \d+ entschieden|1 Freigabe ausstehend)/);
  await page.keyboard.press('k');
  const decision = page.getByTestId('decision');
  await expect(decision).toContainText('(abweichend)');
  await expect(decision).toContainText('von Jana Krüger');
  await expect(decision).toContainText(/\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d UTC/);
  await expect(page.getByTestId('saved-badge')).toContainText('gespeichert');
  await checkScreen(page, 'review-decided');

  // Export and Verify.
  await tab(page, 'Export');
  await expect(page.getByText('Signiertes Zertifizierungspaket')).toBeVisible();
  await expect(page.getByTestId('export-summary')).toContainText('Einträgen entschieden');
  await checkScreen(page, 'export');
  await tab(page, 'Verifizieren');
  await expect(page.getByText('Prüfung: Zertifizierungspaket verifizieren')).toBeVisible();
  await expect(page.getByTestId('trust-status')).toContainText('keine vertrauenswürdigen Schlüssel geladen');
  await checkScreen(page, 'verify');

  // Settings: German, the language picker; English on choice, and the choice outlives a reload.
  await tab(page, 'Einstellungen');
  await expect(page.getByText('Prüferprofile')).toBeVisible();
  await expect(page.getByText('Geltende Richtlinie')).toBeVisible();
  await checkScreen(page, 'settings');
  await page.getByTestId('language').getByText('English').click();
  await expect(page.getByRole('tab', { name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Settings' })).toBeVisible();
  await page.getByTestId('language').getByText('Deutsch').click();
  await expect(page.getByRole('tab', { name: 'Einstellungen' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Einstellungen' })).toBeVisible();
});

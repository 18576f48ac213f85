import { expect, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SCREENSHOTS = join('test-results', 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** The passphrase e2e profiles protect their keys with (each test's profiles live in their own browser context). */
export const PASSPHRASE = 'correct horse battery staple';

/** Sealing or opening a key runs scrypt, which takes seconds on a shared, busy machine. */
export const KEY_TIMEOUT = 60_000;

/** First run: create the reviewer profile the onboarding dialog asks for (its key under a passphrase). */
export async function createFirstReviewer(page: Page, name: string, email: string, passphrase = PASSPHRASE): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Who is reviewing on this machine?' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Full name').fill(name);
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel(/^Passphrase/).fill(passphrase);
  await dialog.getByLabel('Repeat the passphrase').fill(passphrase);
  await dialog.getByRole('button', { name: 'Create my reviewer profile' }).click();
  // The key is sealed under the passphrase with scrypt: slow on a busy machine.
  await expect(dialog).toBeHidden({ timeout: KEY_TIMEOUT });
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
  await expect(dialog).toBeHidden({ timeout: KEY_TIMEOUT });
}

/** Switching the active reviewer is explicit and asks for the new reviewer's passphrase (the previous key locks). */
export async function switchReviewer(page: Page, name: string, passphrase = PASSPHRASE): Promise<void> {
  await page.getByTestId('reviewer-switch').click();
  await page.getByRole('menuitem', { name }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch reviewer' });
  await expect(dialog).toContainText(name);
  await dialog.getByTestId('unlock-passphrase').fill(passphrase);
  await dialog.getByTestId('unlock-submit').click();
  await expect(dialog).toBeHidden({ timeout: KEY_TIMEOUT });
  await expect(page.getByTestId('reviewer-switch')).toContainText(name);
}

/** The reason category that goes with a rationale (a short list; the rationale's text says the specifics). */
export async function chooseReason(page: Page, label: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Reason category' }).click();
  await page.getByRole('option', { name: label }).click();
}

/** Picks an option of a Mantine select by its accessible name. */
export async function choose(page: Page, select: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: select }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

export async function importFiles(page: Page, paths: string[]): Promise<void> {
  await goTo(page, 'Import');
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(paths);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');
}

export async function createCampaign(page: Page, application: string): Promise<void> {
  await goTo(page, 'Campaigns');
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('scope-applications').click();
  await page.getByRole('option', { name: application }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('create-campaign').click();
  await expect(page.getByTestId('campaign-list')).toContainText(/0 \/ [\d,]+ decisions/, { timeout: 60_000 });
}

export async function addProfile(page: Page, name: string, email: string): Promise<void> {
  await goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Add profile' }).click();
  const dialog = page.getByRole('dialog', { name: 'New reviewer profile' });
  await dialog.getByLabel('Full name').fill(name);
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await dialog.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await dialog.getByRole('button', { name: 'Create profile' }).click();
  await expect(dialog).toBeHidden({ timeout: KEY_TIMEOUT });
}

/**
 * Decides the sample's six PostgreSQL (prod) items as the rules require: a rationale with a reason category for the
 * never-delegate item and the override, and a second person (Mara Approver, her own key and rationale) approving
 * the two critical revocations. Shared by the browser walking skeleton and the Electron spec.
 */
export async function decideProdDbCampaign(page: Page): Promise<void> {
  const rows = page.getByTestId('review-row');
  await expect(rows).toHaveCount(6);
  const progress = page.getByTestId('campaign-progress');
  // 1. R. Iyer — Prod-DB-Admin: the suggestion shows its real figures; critical access is never-delegate,
  //    so accepting without a rationale is refused.
  await expect(page.getByTestId('detail-pane')).toContainText('Ravi Iyer — Prod-DB-Admin');
  await expect(page.getByTestId('suggestion')).toContainText('last used 212 days ago');
  await expect(page.getByTestId('decision-class')).toHaveText('never-delegate');
  await page.keyboard.press('a');
  await expect(page.getByTestId('decision-error')).toContainText('never-delegate');
  await page.keyboard.press('Escape');
  await page.keyboard.press('r');
  await page.keyboard.type('Checked with J. Tanaka: superuser not needed since the April migration.');
  await chooseReason(page, 'Owner confirmed');
  await page.keyboard.press('Control+Enter');
  // Critical: decided, and waiting for a second person.
  await expect(progress).toContainText('0 of 6 decided · 0% · 1 pending approval');
  // 2. Accept with the mouse.
  await expect(page.getByTestId('detail-pane')).toContainText('Ravi Iyer — Prod-DB-Read');
  await page.getByTestId('accept').click();
  await expect(progress).toContainText('1 of 6 decided');
  // 3. Override: the suggestion says keep; the reviewer revokes, and must say why.
  await expect(page.getByTestId('detail-pane')).toContainText('Jun Tanaka — Prod-DB-Read');
  await page.keyboard.press('o');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('decision-error')).toContainText('override needs a rationale');
  await page.keyboard.type('Manager role only needs dashboards; direct production reads go through the analyst team.');
  await chooseReason(page, 'Business need');
  await page.keyboard.press('Control+Enter');
  await expect(progress).toContainText('2 of 6 decided');
  // 4-5. Keys only.
  await page.keyboard.press('a');
  await expect(progress).toContainText('3 of 6 decided');
  await page.keyboard.press('a');
  await expect(progress).toContainText('4 of 6 decided');
  await expect(page.getByTestId('detail-pane')).toContainText('Reporting service — Prod-DB-Admin');
  await page.keyboard.press('r');
  await page.keyboard.type('Reporting service needs read access only; admin grant left from the 2022 migration.');
  await chooseReason(page, 'Leaver / mover');
  await page.keyboard.press('Control+Enter');
  await expect(progress).toContainText('4 of 6 decided · 66% · 2 pending approval');
  await rows.nth(2).click();
  await expect(page.getByTestId('decision')).toContainText('revoke (override)');
  await expect(page.getByTestId('decision')).toContainText('by Jun Tanaka');
  await expect(page.getByTestId('saved-badge')).toHaveText('saved');
  await shot(page, '03-review');

  // The two critical decisions need a second person, with her own key and her own rationale.
  await addProfile(page, 'Mara Approver', 'mara@example.com');
  await switchReviewer(page, 'Mara Approver');
  await goTo(page, 'Review');
  for (const [who, why] of [
    ['Ravi Iyer', 'Confirmed in ticket DBA-2291 that the April migration moved all superuser tasks to the break-glass account.'],
    ['Reporting service', 'The reporting jobs only run SELECT queries per the service runbook RB-17; admin rights are leftover.'],
  ] as const) {
    await rows.filter({ hasText: who }).filter({ hasText: 'Prod-DB-Admin' }).click();
    await page.getByTestId('rationale').fill(why);
    await chooseReason(page, 'Compensating control');
    await page.getByTestId('approve').click();
    await expect(page.getByTestId('approval')).toContainText('approved by Mara Approver');
  }
  await expect(progress).toContainText('6 of 6 decided');
}

/** Imports the files, creates a campaign over everything as of 2026-11-22, and opens it in Review. */
export async function importAndReviewAll(page: Page, paths: string[]): Promise<void> {
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(paths);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');
  await page.getByTestId('to-campaigns').click();
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('create-campaign').click();
  await page.getByTestId('open-campaign').first().click();
}

/**
 * A generated team in workbench CSV: `count` analysts under one lead, all holding the same low-risk wiki access, used
 * last week; `prodAdmin` adds a critical entitlement held by the first analyst. Returns the three files' paths.
 */
export function writeAnalystTeam(folder: string, count: number, options: { prodAdmin?: boolean } = {}): string[] {
  const dir = join(resolve('test-results'), folder);
  mkdirSync(dir, { recursive: true });
  const width = String(count - 1).length;
  const ids = Array.from({ length: count }, (_, i) => `a${String(i).padStart(width, '0')}`);
  writeFileSync(
    join(dir, 'identities.csv'),
    [
      'id,displayName,email,type,status,department,title,managerId,ownerId,createdAt',
      'boss,Team Lead,boss@example.com,human,active,Analytics,Lead,,,2020-01-01',
      ...ids.map((id, i) => `${id},Analyst ${i},${id}@example.com,human,active,Analytics,Analyst,boss,,2022-01-01`),
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'entitlements.csv'),
    'id,name,application,privilege,description,ownerId\nwiki,Wiki-Edit,Wiki,low,Edit pages,boss\n' +
      (options.prodAdmin ? 'prod,Prod-Admin,Wiki,critical,Server admin,boss\n' : ''),
  );
  writeFileSync(
    join(dir, 'assignments.csv'),
    [
      'identityId,entitlementId,grantedAt,lastUsedAt,source',
      ...ids.map((id) => `${id},wiki,2023-01-01,2026-11-18,wiki-export`),
      ...(options.prodAdmin ? [`${ids[0]},prod,2023-01-01,2026-11-18,wiki-export`] : []),
    ].join('\n'),
  );
  return ['identities.csv', 'entitlements.csv', 'assignments.csv'].map((f) => join(dir, f));
}

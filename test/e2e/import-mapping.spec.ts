// An export the importer does not know (one row per membership: user, group, last login) goes through the
// column-mapping step once; the saved mapping is then offered again for a file with the same header.
import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFirstReviewer, shot } from './helpers';

test('map the columns of an unknown membership export, preview, save the preset, reuse it', async ({ page }) => {
  const dir = join(resolve('test-results'), 'mapping-data');
  mkdirSync(dir, { recursive: true });
  const header = 'User;Group;Last Login;Department';
  const rows = [
    'ann;Payroll-Approvers;2026-11-01;Finance',
    'bob;Payroll-Approvers;;Finance',
    'cy;Intranet-Editors;2026-10-12;Marketing',
    'ann;Intranet-Editors;2026-09-30;Finance',
  ];
  writeFileSync(join(dir, 'members-2026-11.csv'), [header, ...rows].join('\r\n'));
  writeFileSync(join(dir, 'members-2026-12.csv'), [header, ...rows.slice(0, 2)].join('\r\n'));

  await page.goto('/');
  await createFirstReviewer(page, 'Iris Lead', 'iris@example.com');
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(join(dir, 'members-2026-11.csv'));
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('refused');
  await page.getByTestId('map-refused').click();

  const step = page.getByRole('dialog', { name: 'Map the columns of members-2026-11.csv' });
  await expect(step).toContainText('4 columns separated by ";"');
  // The guess from the column names is shown; the reviewer completes it.
  await step.getByRole('combobox', { name: 'Identity id (account name, login or number)' }).click();
  await page.getByRole('option', { name: 'User', exact: true }).click();
  await step.getByRole('combobox', { name: 'Entitlement id (group, role, permission)' }).click();
  await page.getByRole('option', { name: 'Group', exact: true }).click();
  await step.getByRole('combobox', { name: 'Last used' }).click();
  await page.getByRole('option', { name: 'Last Login', exact: true }).click();
  await step.getByTestId('map-default-application').fill('Intranet');
  const preview = step.getByTestId('mapping-preview');
  await expect(preview.getByRole('row')).toHaveCount(5);
  await expect(preview).toContainText('Payroll-Approvers');
  await expect(preview).toContainText('Intranet');
  await step.getByTestId('mapping-name').fill('Intranet members');
  await shot(page, '13-mapping-step');
  await step.getByTestId('use-mapping').click();

  await expect(page.getByTestId('import-report')).toContainText('stored');
  await expect(page.getByTestId('import-files')).toContainText('mapped-table');
  await expect(page.getByTestId('import-report')).toContainText('3 identities · 2 entitlements · 4 assignments');

  // Same header next month: recognised by the saved mapping, no step needed.
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(join(dir, 'members-2026-12.csv'));
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');
  await page.getByTestId('import-files').getByText('mapped-table').hover();
  await expect(page.getByRole('tooltip')).toContainText('saved column mapping "Intranet members"');
});

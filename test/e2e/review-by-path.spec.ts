// Review by path: a nested LDIF (ann → ap-team → finance-all → erp-payments-approve, and a loop) is imported; the
// import report names the cycle; the table groups by granting group; revoking the inherited grant shows, before it
// is recorded, the blast radius of cutting ann's membership and of cutting the group link; the group link is
// recorded, and the exported package's remediation plan (read with the project's archive reader) names it.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readPackageArchive } from '../../shared/package';
import { describeViolations, seriousViolations } from './a11y-helpers';
import { choose, chooseReason, createFirstReviewer, goTo, KEY_TIMEOUT, PASSPHRASE, SCREENSHOTS, shot } from './helpers';

const NESTED = resolve('test/fixtures/nested/openldap-nested.ldif');
const OUT = resolve('test-results');

interface Plan {
  systems: {
    system: string;
    actions: {
      kind: string;
      itemId: string;
      link?: { kind: string; memberName?: string; groupName?: string; blastRadius: { identities: number; entitlements: number } };
    }[];
  }[];
}

/** Exports the signed package (unlocking the key if the session asks) and returns its entries by name. */
async function exportPackage(page: Page): Promise<Map<string, Uint8Array>> {
  await goTo(page, 'Export');
  const downloadPromise = page.waitForEvent('download', { timeout: KEY_TIMEOUT * 2 });
  await page.getByTestId('export-package').click();
  const dialog = page.getByRole('dialog', { name: 'Passphrase needed to sign' });
  const first = await Promise.race([
    downloadPromise.then(() => 'download' as const),
    dialog.waitFor({ state: 'visible', timeout: KEY_TIMEOUT }).then(() => 'dialog' as const),
  ]);
  if (first === 'dialog') {
    await dialog.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await dialog.getByTestId('unlock-submit').click();
  }
  const download = await downloadPromise;
  const path = join(OUT, 'e2e-review-by-path.arwpkg');
  await download.saveAs(path);
  await expect(page.getByTestId('export-result')).toContainText('signed');
  const { readFileSync } = await import('node:fs');
  const read = await readPackageArchive(new Uint8Array(readFileSync(path)));
  if (!read.ok) throw new Error(read.problems.join('; '));
  return new Map(read.entries.map((e) => [e.name, e.bytes]));
}

test('revoke an inherited grant at the group link: blast radius before recording, remediation in the package', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await createFirstReviewer(page, 'Nora Nest', 'nora@example.com');

  // Import: the loop between loop-a and loop-b is reported, not followed.
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles([NESTED]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');
  await expect(page.getByTestId('import-cycles')).toContainText('1 nesting cycle found');
  await expect(page.getByTestId('import-cycle')).toHaveText('cycle: loop-a → loop-b → loop-a, not followed');
  // Toasts come and go (import finished…): axe measures the page without them, as the accessibility spec does.
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 20_000 });
  const importIssues = await seriousViolations(page, 'Import report with a cycle');
  expect(importIssues, describeViolations(importIssues)).toEqual([]);

  await page.getByTestId('to-campaigns').click();
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('create-campaign').click();
  await page.getByTestId('open-campaign').first().click();

  // Group by granting group: direct grants apart, inherited ones under the group they come through.
  await choose(page, 'Group by', 'group: granting group');
  const groups = page.getByTestId('group-row');
  await expect(groups.filter({ hasText: 'direct grants' })).toHaveCount(1);
  await expect(groups.filter({ hasText: /^ap-team \(2\)$/ })).toHaveCount(1);
  await choose(page, 'Group by', 'no grouping');

  const inherited = page.getByTestId('review-row').filter({ hasText: 'Ann Payables' }).filter({ hasText: 'erp-payments-approve' });
  await inherited.click();
  await expect(page.getByTestId('grant-path')).toHaveText('via ap-team → finance-all');
  await choose(page, 'Override with', 'revoke');

  // Before anything is recorded: both links with who loses what.
  const remediation = page.getByTestId('remediation');
  await expect(remediation).toBeVisible();
  const membership = page.getByTestId('cut-membership');
  await expect(membership).toContainText('Remove Ann Payables from ap-team');
  await expect(membership.getByTestId('blast-radius')).toHaveText('— 1 identity, 3 entitlements lose access');
  await expect(membership).toContainText('Ann Payables loses erp-payments-approve, ap-team, finance-all');
  const groupLink = page.getByTestId('cut-group-link');
  await expect(groupLink).toContainText('Remove finance-all from erp-payments-approve (the group link)');
  await expect(groupLink.getByTestId('blast-radius')).toHaveText('— 2 identities, 1 entitlement lose access');
  await expect(groupLink).toContainText('Bob Finance loses erp-payments-approve');
  // The membership is the default cut.
  await expect(page.getByLabel(/Remove Ann Payables from ap-team/)).toBeChecked();
  await expect(page.getByTestId('campaign-progress')).toContainText('0 of');
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 20_000 });
  const reviewIssues = await seriousViolations(page, 'Review with the remediation choice');
  expect(reviewIssues, describeViolations(reviewIssues)).toEqual([]);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.getByTestId('decision-form').screenshot({ path: join(SCREENSHOTS, '41-blast-radius.png') });

  // Record the revoke at the group link.
  await page.getByLabel(/Remove finance-all from erp-payments-approve/).check();
  await page.getByTestId('rationale').fill('Only the AP team approves payments; finance-all should not carry ERP approval.');
  await chooseReason(page, 'Owner confirmed');
  await page.getByTestId('save-override').click();
  await expect(page.getByTestId('campaign-progress')).toContainText('1 of');
  await inherited.click();
  await expect(page.getByTestId('decision-cut')).toHaveText('to carry out: Remove finance-all from erp-payments-approve (the group link)');
  await shot(page, '42-revoked-at-group-link');

  const files = await exportPackage(page);
  const text = (name: string) => new TextDecoder().decode(files.get(name));
  const plan = JSON.parse(text('remediation.json')) as Plan;
  const actions = plan.systems.flatMap((s) => s.actions);
  expect(actions).toHaveLength(1);
  expect(actions[0]!.kind).toBe('revoke');
  expect(actions[0]!.link).toMatchObject({
    kind: 'group-link',
    memberName: 'finance-all',
    groupName: 'erp-payments-approve',
    blastRadius: { identities: 2, entitlements: 1 },
  });
  expect(text('remediation.csv')).toContain(
    'remove finance-all from erp-payments-approve (the group link; 2 identities, 1 entitlement lose access through it)',
  );
  expect(text('oscal/poam.json')).toContain('Carry it out at the link: remove finance-all from erp-payments-approve');
});

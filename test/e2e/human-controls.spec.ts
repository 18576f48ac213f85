// The human controls as people use them (issue 16): a critical item needs a second person with their own rationale,
// a reject goes back to the reviewer, switching the reviewer asks for the passphrase, a keys-only review of a
// filtered view visits every item, a reload restores the view and the draft, and the auditor sees INCOMPLETE with
// the undecided items named, loads a trust list in the app and sees how each reviewer decided.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import {
  addProfile,
  choose,
  chooseReason,
  createCampaign,
  createFirstReviewer,
  goTo,
  importFiles,
  KEY_TIMEOUT,
  PASSPHRASE,
  shot,
  switchReviewer,
  unlockKey,
} from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');
const OUT = resolve('test-results');
const fixtureFiles = () => readdirSync(FIXTURE).map((f) => join(FIXTURE, f));

async function openCampaign(page: Page, application: string): Promise<void> {
  await importFiles(page, fixtureFiles());
  await createCampaign(page, application);
  await page.getByTestId('open-campaign').first().click();
}

const row = (page: Page, who: string, what: string) => page.getByTestId('review-row').filter({ hasText: who }).filter({ hasText: what });

test('a critical item needs a second person with their own rationale; a reject goes back; switching asks for the passphrase', async ({
  page,
}) => {
  test.setTimeout(400_000);
  await page.goto('/');
  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');
  await addProfile(page, 'Mara Approver', 'mara@example.com');
  await openCampaign(page, 'PostgreSQL (prod)');
  const progress = page.getByTestId('campaign-progress');
  const pane = page.getByTestId('detail-pane');

  // Ravi Iyer's Prod-DB-Admin is critical: decided by Jun with a rationale, it then waits for a second person.
  await expect(pane).toContainText('Ravi Iyer — Prod-DB-Admin');
  await page.keyboard.press('r');
  await page.keyboard.type('Superuser on prod-db unused since the April migration; Ravi confirmed he only reads dashboards now.');
  await chooseReason(page, 'Owner confirmed');
  await page.keyboard.press('Control+Enter');
  await expect(progress).toContainText('0 of 6 decided · 0% · 1 pending approval');
  await expect(row(page, 'Ravi Iyer', 'Prod-DB-Admin').getByTestId('row-status')).toContainText('pending');
  // Jun cannot approve his own decision.
  await row(page, 'Ravi Iyer', 'Prod-DB-Admin').click();
  await expect(page.getByTestId('approval-form')).toHaveCount(0);
  await expect(page.getByTestId('decision')).toContainText('a second, different reviewer must approve');

  // Switching the reviewer asks for the new reviewer's passphrase; a wrong one is refused.
  await page.getByTestId('reviewer-switch').click();
  await page.getByRole('menuitem', { name: 'Mara Approver' }).click();
  const switchDialog = page.getByRole('dialog', { name: 'Switch reviewer' });
  await expect(switchDialog).toContainText('Mara Approver');
  await switchDialog.getByTestId('unlock-passphrase').fill('not her passphrase at all');
  await switchDialog.getByTestId('unlock-submit').click();
  await expect(switchDialog.getByTestId('unlock-error')).toBeVisible({ timeout: KEY_TIMEOUT });
  await expect(page.getByTestId('reviewer-switch')).toContainText('Jun Tanaka');
  await switchDialog.getByTestId('unlock-passphrase').fill(PASSPHRASE);
  await switchDialog.getByTestId('unlock-submit').click();
  await expect(switchDialog).toBeHidden({ timeout: KEY_TIMEOUT });
  await expect(page.getByTestId('reviewer-switch')).toContainText('Mara Approver');

  // Mara's approval needs her own rationale on a never-delegate item; she sends the decision back instead.
  await choose(page, 'Status filter', 'pending approval');
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await page.getByTestId('review-row').first().click();
  await expect(page.getByTestId('approval-form')).toContainText('Jun Tanaka decided revoke');
  await page.getByTestId('approve').click();
  await expect(page.getByTestId('decision-error')).toContainText('never-delegate');
  await expect(progress).toContainText('0 of 6 decided');
  await page
    .getByTestId('rationale')
    .fill('Ravi still runs the quarterly failover drill on prod-db; ask the DBA lead before removing superuser.');
  await chooseReason(page, 'Other');
  await shot(page, '20-approval-form');
  await page.getByTestId('reject').click();
  await expect(progress).toContainText('0 of 6 decided · 0%');
  await expect(progress).not.toContainText('pending approval');

  // Back with Jun: the item is open again, with Mara's reason.
  await switchReviewer(page, 'Jun Tanaka');
  await choose(page, 'Status filter', 'open');
  await expect(row(page, 'Ravi Iyer', 'Prod-DB-Admin').getByTestId('row-status')).toHaveText('open · sent back');
  await row(page, 'Ravi Iyer', 'Prod-DB-Admin').click();
  await expect(page.getByTestId('returned')).toContainText('Sent back by Mara Approver');
  await expect(page.getByTestId('returned')).toContainText('quarterly failover drill');
  await page
    .getByTestId('rationale')
    .fill('DBA lead confirmed on 3 Dec: failover drills now use the break-glass account, not the personal superuser grant.');
  await chooseReason(page, 'Owner confirmed');
  await page.getByTestId('accept').click();
  await expect(progress).toContainText('0 of 6 decided · 0% · 1 pending approval');

  // Mara approves with her own reason: now, and only now, the item is decided.
  await switchReviewer(page, 'Mara Approver');
  await choose(page, 'Status filter', 'pending approval');
  await page.getByTestId('review-row').first().click();
  await page
    .getByTestId('rationale')
    .fill('Checked ticket OPS-4411: the break-glass procedure covers the failover drill, removal is safe.');
  await chooseReason(page, 'Compensating control');
  await page.getByTestId('approve').click();
  await expect(progress).toContainText('1 of 6 decided');
  await choose(page, 'Status filter', 'decided');
  await page.getByTestId('review-row').first().click();
  await expect(page.getByTestId('approval')).toContainText('approved by Mara Approver');
  await expect(page.getByTestId('approval')).toContainText('OPS-4411');
  await shot(page, '21-review-approved-critical');

  // Only actions that apply: a grant can be kept, revoked, reduced or escalated, never "rotated".
  await choose(page, 'Status filter', 'open');
  await row(page, 'Ravi Iyer', 'Prod-DB-Read').click();
  await page.getByRole('combobox', { name: 'Override with' }).click();
  await expect(page.getByRole('option', { name: 'rotate' })).toHaveCount(0);
  await expect(page.getByRole('option', { name: 'disable-login' })).toHaveCount(0);
  // "Can't decide" goes to a named person (the campaign owner, Jun), stays open and shows as escalated.
  await page.getByRole('option', { name: "can't decide (escalate)" }).click();
  await expect(page.getByTestId('escalation-target')).toContainText('escalates to Jun Tanaka');
  await page
    .getByTestId('rationale')
    .fill('Cannot tell whether the nightly ETL still runs under this login; Jun owns the pipeline inventory.');
  await chooseReason(page, 'Other');
  await page.getByTestId('save-override').click();
  await expect(progress).toContainText('1 of 6 decided · 16% · 1 escalated');
  await choose(page, 'Status filter', 'escalated');
  await expect(page.getByTestId('review-row').getByTestId('row-status')).toHaveText('escalated → Jun Tanaka');
  await expect(page.getByTestId('row-status')).not.toContainText('✓');
});

test('a keys-only review of a filtered view visits every item; a reload restores the view and the draft', async ({ page }) => {
  test.setTimeout(400_000);
  await page.goto('/');
  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');
  await openCampaign(page, 'Billing');
  const pane = page.getByTestId('detail-pane');
  const title = pane.locator('h4');
  await expect(page.getByTestId('review-row')).toHaveCount(7);

  // A half-written override on a filtered, sorted view: then the window reloads (or crashes).
  await choose(page, 'Risk filter', 'low');
  await choose(page, 'Sort by', 'sort: identity');
  await row(page, 'Tom Becker', 'Billing-Read').click();
  await page.keyboard.press('o');
  // At 1440×900 the decision controls and their error messages stay in view (not below the detail pane's fold).
  await page.keyboard.type('looks good');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('decision-error')).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('save-override')).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('campaign-progress')).toContainText('0 of 7 decided');
  await page.getByTestId('rationale').fill('');
  await page.keyboard.type('Tom still reconciles the weekly AP close for Billing until his handover on 15 Jan.');
  await chooseReason(page, 'Business need');
  await expect(page.getByRole('combobox', { name: 'Override with' })).toHaveValue('keep');
  await page.reload();
  // The same screen, campaign, filters, selection and draft, nothing saved as a decision.
  await expect(page.getByRole('tab', { name: 'Review' })).toHaveAttribute('aria-selected', 'true');
  await expect(title).toHaveText('Tom Becker — Billing-Read');
  await expect(page.getByRole('combobox', { name: 'Risk filter' })).toHaveValue('low');
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('sort: identity');
  await expect(page.getByTestId('review-row')).toHaveCount(4);
  await expect(page.getByRole('combobox', { name: 'Override with' })).toHaveValue('keep');
  await expect(page.getByRole('combobox', { name: 'Reason category' })).toHaveValue('Business need');
  await expect(page.getByTestId('rationale')).toHaveValue(
    'Tom still reconciles the weekly AP close for Billing until his handover on 15 Jan.',
  );
  await expect(page.getByTestId('campaign-progress')).toContainText('0 of 7 decided');
  // The restored draft is saved as it was written; the reload locked the key, so its passphrase is asked once.
  await page.keyboard.press('Control+Enter');
  await unlockKey(page, 'Jun Tanaka');
  await expect(page.getByTestId('campaign-progress')).toContainText('1 of 7 decided');
  await expect(row(page, 'Tom Becker', 'Billing-Read').getByTestId('row-status')).toHaveText('keep ✎ override');

  // Keys only over "status: open" in engine order: every remaining item is visited once, none skipped.
  await choose(page, 'Risk filter', 'low'); // toggles the filter off
  await choose(page, 'Sort by', 'sort: engine order');
  await choose(page, 'Status filter', 'open');
  const rows = page.getByTestId('review-row');
  await expect(rows).toHaveCount(6);
  const visited: string[] = [];
  for (let left = 6; left > 0; left--) {
    await expect(rows).toHaveCount(left);
    visited.push((await title.textContent())!);
    await page.keyboard.press('a');
    await expect(rows).toHaveCount(left - 1);
  }
  expect(new Set(visited).size).toBe(6);
  expect(visited).not.toContain('Tom Becker — Billing-Read');
  await expect(page.getByText('No items match the filters.')).toBeVisible();
  await expect(page.getByTestId('campaign-progress')).toContainText('pending approval');
});

test('verify: INCOMPLETE names the undecided items, the trust list loads in the app, reviewer behaviour beside the verdict, INVALID when tampered', async ({
  page,
}) => {
  test.setTimeout(400_000);
  await page.goto('/');
  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');
  await openCampaign(page, 'Billing');
  const progress = page.getByTestId('campaign-progress');
  await expect(page.getByTestId('detail-pane')).toContainText('Mara Okoro — Billing-Read');
  await page.keyboard.press('a');
  await expect(progress).toContainText('1 of 7 decided');
  await page.keyboard.press('a'); // Billing-Approve, high: step-up, waits for a second person
  await expect(progress).toContainText('1 of 7 decided · 14% · 1 pending approval');

  // Export: the package and, for the auditor, one trust list with the campaign's keys.
  await goTo(page, 'Export');
  await expect(page.getByTestId('export-summary')).toContainText('1 of 7 items decided · 14% · 1 pending approval · 0 escalated · 5 open');
  const pkgPath = join(OUT, 'e2e-incomplete.arwpkg');
  const pkgDownload = page.waitForEvent('download');
  await page.getByTestId('export-package').click();
  await (await pkgDownload).saveAs(pkgPath);
  await expect(page.getByTestId('export-result')).toContainText('signed');
  const trustPath = join(OUT, 'e2e-trusted-keys.json');
  const trustDownload = page.waitForEvent('download');
  await page.getByTestId('export-trust-list').click();
  await (await trustDownload).saveAs(trustPath);
  expect(JSON.parse(readFileSync(trustPath, 'utf8')).keys.map((k: { name: string }) => k.name)).toEqual(['Jun Tanaka']);

  // The auditor: intact and signed, but incomplete: amber, each undecided item named (not "INVALID").
  await goTo(page, 'Verify');
  await page.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(pkgPath);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'incomplete');
  await expect(verdict).toContainText('INCOMPLETE — intact and signed, but 6 items have no final decision');
  await expect(verdict).not.toContainText('INVALID');
  const undecided = page.getByTestId('undecided-items');
  await expect(undecided.getByRole('listitem')).toHaveCount(6);
  await expect(undecided).toContainText('Mara Okoro — Billing-Approve');
  await expect(undecided).toContainText('awaiting the second person');
  await expect(undecided).toContainText('Billing sync job — Billing-Read');
  // Reviewer behaviour beside the verdict, with the policy's thresholds.
  const behaviour = page.getByTestId('reviewer-behaviour');
  await expect(behaviour.getByTestId('behaviour-row')).toContainText('Jun Tanaka');
  await expect(behaviour.getByTestId('behaviour-thresholds')).toContainText('fast accepts in a row');
  // Trusted keys loaded in the app (no command-line wording): the signer is pinned.
  await expect(page.getByTestId('trust-status')).toContainText('no trusted keys loaded');
  await expect(page.getByText('--trust')).toHaveCount(0);
  await expect(page.getByTestId('signers')).toContainText('not pinned');
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('load-trusted-keys').click();
  await (await chooser).setFiles(trustPath);
  await expect(page.getByTestId('trust-status')).toContainText('e2e-trusted-keys.json (1 key)');
  await expect(page.getByTestId('signers')).not.toContainText('not pinned');
  await expect(page.getByTestId('signers')).toContainText('pinned');
  await expect(verdict).toHaveAttribute('data-verdict', 'incomplete');
  await shot(page, '22-verify-incomplete');

  // One byte changed in decisions.json: red, INVALID, naming the file.
  const entries = unzipSync(readFileSync(pkgPath));
  const decisions = entries['decisions.json']!;
  const at = new TextDecoder().decode(decisions).indexOf('"keep"') + 2;
  decisions[at] = decisions[at]! ^ 0x01;
  const tamperedPath = join(OUT, 'e2e-incomplete-tampered.arwpkg');
  writeFileSync(tamperedPath, zipSync(entries));
  await page.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(tamperedPath);
  await expect(verdict).toHaveAttribute('data-verdict', 'invalid');
  await expect(verdict).toContainText('INVALID');
  await expect(verdict).toContainText('decisions.json');
  await shot(page, '23-verify-invalid');
});

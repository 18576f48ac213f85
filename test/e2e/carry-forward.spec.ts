// Re-review only what changed (#21): certify a campaign, change the import (one grant's usage changed, one new
// grant, one removed), start the next campaign from the signed package as its baseline, see the counts, confirm the
// carried decisions (one alone, one in bulk), decide the changed and new items afresh, export the second package.
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { main } from '../../electron/cli/arw';
import { describeViolations, seriousViolations, setTheme } from './a11y-helpers';
import { createCampaign, createFirstReviewer, goTo, importFiles, KEY_TIMEOUT, PASSPHRASE, shot } from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');
const OUT = resolve('test-results', 'carry-forward');

/**
 * The two certification packages this spec writes: the baseline and the next campaign's package that names it.
 * `arw verify NEW --baseline OLD` checks them at the end of the spec.
 */
export function carryForwardPackages(): { baseline: string; next: string } {
  return { baseline: join(OUT, 'baseline.arwpkg'), next: join(OUT, 'next.arwpkg') };
}

/** The identity of an assignment item id ("a:<identity>\u001f<entitlement>"). */
const who = (itemId: string | undefined) => (itemId ?? '').replace(/^a:/, '').split('\u001f')[0];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The fixture with Kate O'Brien's Jira grant unused since May, Mara Okoro newly granted Jira, the triage agent's grant gone. */
function changedImport(): string[] {
  const dir = join(OUT, 'changed-import');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(FIXTURE).filter((x) => x.endsWith('.csv'))) {
    let text = readFileSync(join(FIXTURE, f), 'utf8');
    if (f === 'assignments.csv') {
      const before = text;
      text = text
        .replace('u1006,jira-user,2024-04-01,2026-11-21,hr-directory', 'u1006,jira-user,2024-04-01,2026-05-02,hr-directory')
        .replace(/^agent-triage,jira-user,.*\n?/m, '');
      expect(text).not.toBe(before);
      text = `${text.trimEnd()}\nu1002,jira-user,2026-11-01,2026-11-20,erp-export\n`;
    }
    writeFileSync(join(dir, f), text);
  }
  return readdirSync(dir).map((f) => join(dir, f));
}

/** Exports the open campaign's signed package (the key may ask for its passphrase) and saves it at `path`. */
async function exportPackage(page: Page, path: string, decided: string): Promise<Uint8Array> {
  await goTo(page, 'Export');
  await expect(page.getByTestId('export-summary')).toContainText(decided);
  const download = page.waitForEvent('download', { timeout: KEY_TIMEOUT * 2 });
  await page.getByTestId('export-package').click();
  const dialog = page.getByRole('dialog', { name: 'Passphrase needed to sign' });
  const first = await Promise.race([
    download.then(() => 'download' as const),
    dialog.waitFor({ timeout: KEY_TIMEOUT }).then(() => 'dialog' as const),
  ]);
  if (first === 'dialog') {
    await dialog.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await dialog.getByTestId('unlock-submit').click();
  }
  await (await download).saveAs(path);
  await expect(page.getByTestId('export-result')).toContainText('signed');
  return new Uint8Array(readFileSync(path));
}

/** No serious or critical axe violation inside `include`, in the light and the dark theme. */
async function expectAccessible(page: Page, where: string, include: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    const found = await seriousViolations(page, `${where} (${theme})`, include);
    expect(found, describeViolations(found)).toEqual([]);
  }
  await setTheme(page, 'light');
}

async function pickBaseline(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('pick-baseline').click();
  await (await chooser).setFiles(path);
}

test('certify, change the import, next campaign from the baseline: carried decisions confirmed, changes reviewed, exported', async ({
  page,
}) => {
  test.setTimeout(600_000);
  mkdirSync(OUT, { recursive: true });
  const paths = carryForwardPackages();
  page.on('console', (m) => m.type() === 'error' && console.log(`[console] ${m.text()}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && console.log(`[worker ${w.url()}] ${m.text()}`)));
  await page.goto('/');
  await createFirstReviewer(page, 'Jun Tanaka', 'jun.tanaka@example.com');

  // The first certification: Jira's four grants, all accepted in bulk, exported signed.
  await importFiles(
    page,
    readdirSync(FIXTURE)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(FIXTURE, f)),
  );
  await createCampaign(page, 'Jira');
  await expect(page.getByTestId('campaign-list')).toContainText('0 / 4 decisions');
  await page.getByTestId('open-campaign').first().click();
  const progress = page.getByTestId('campaign-progress');
  await page.getByTestId('bulk-accept').click();
  await expect(page.getByTestId('bulk-item')).toHaveCount(4);
  await page.getByTestId('confirm-bulk').click();
  await expect(progress).toContainText('4 of 4 decided');
  const baseline = await exportPackage(page, paths.baseline, '4 of 4 items decided');
  const baselineDigest = `sha256:${sha256(baseline)}`;
  const statementDigest = `sha256:${sha256(unzipSync(baseline)['manifest.intoto.json']!)}`;

  // The next import: one grant changed, one new, one removed.
  await importFiles(page, changedImport());
  await goTo(page, 'Campaigns');
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('scope-applications').click();
  await page.getByRole('option', { name: 'Jira' }).click();
  await page.keyboard.press('Escape');

  // A package that does not verify cannot be a baseline: the form says why and nothing is created.
  const entries = unzipSync(baseline);
  const decisions = entries['decisions.json']!;
  const at = new TextDecoder().decode(decisions).indexOf('"keep"') + 2;
  decisions[at] = decisions[at]! ^ 0x01;
  const tampered = join(OUT, 'baseline-tampered.arwpkg');
  writeFileSync(tampered, zipSync(entries));
  await pickBaseline(page, tampered);
  await expect(page.getByTestId('baseline-error')).toContainText(
    'baseline-tampered.arwpkg cannot be a baseline: the package does not verify (INVALID)',
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('create-campaign')).toBeDisabled();
  await expect(page.getByTestId('baseline-preview')).toHaveCount(0);

  // The real baseline: verified, compared, counted before anything is created.
  await pickBaseline(page, paths.baseline);
  await expect(page.getByTestId('baseline-error')).toHaveCount(0);
  await expect(page.getByTestId('baseline-counts')).toHaveText('2 unchanged · 1 changed · 1 new · 1 removed', { timeout: 60_000 });
  await expect(page.getByTestId('baseline-load')).toContainText('2 of 4 items need a fresh look (50 %)');
  await expect(page.getByRole('radio', { name: 'Everything (4)' })).toBeChecked();
  await expect(
    page.getByRole('radio', { name: 'Changed or new since the baseline, plus every high and critical item (2)' }),
  ).not.toBeChecked();
  await expect(page.getByTestId('baseline-preview')).toContainText('Verified: Q4 recertification');
  await shot(page, '40-carry-forward-create');
  await expectAccessible(page, 'baseline picker', '[data-testid="baseline-picker"]');
  await page.getByTestId('create-campaign').click();
  const list = page.getByTestId('campaign-list');
  await expect(list.getByRole('row')).toHaveCount(3, { timeout: 60_000 });
  await expect(list.getByRole('row').nth(1)).toContainText('0 / 4 decisions');
  // The dashboard lists what the baseline held and is gone, for the record.
  await expect(page.getByTestId('baseline-card-counts')).toHaveText('2 unchanged · 1 changed · 1 new · 1 removed');
  await expect(page.getByTestId('baseline-removed-row')).toHaveCount(1);
  await expect(page.getByTestId('baseline-removed-row')).toContainText('Ticket triage agent');
  await expectAccessible(page, 'baseline dashboard', '[data-testid="baseline-card"]');

  // Review: an unchanged item shows the prior decision, carried from the baseline by digest.
  await list.getByRole('row').nth(1).getByTestId('open-campaign').click();
  const rows = page.getByTestId('review-row');
  await expect(rows).toHaveCount(4);
  await rows.filter({ hasText: 'Ravi Iyer' }).click();
  const panel = page.getByTestId('carried-panel');
  await expect(panel).toHaveAttribute('data-kind', 'unchanged');
  await expect(panel.getByTestId('carried-from')).toHaveText(`carried from the baseline sha256:${baselineDigest.slice(7, 19)}…`);
  await expect(panel.getByTestId('carried-prior')).toContainText('Prior decision: keep by Jun Tanaka');
  await expect(panel.getByTestId('carried-rationale')).toContainText('no rationale was given');
  await shot(page, '41-carry-forward-carried-item');
  await expectAccessible(page, 'carried item', '[data-testid="carried-panel"]');
  await panel.getByTestId('confirm-carried').click();
  await expect(progress).toContainText('1 of 4 decided');

  // Bulk: only the other unchanged item (the changed and new ones are never offered).
  await expect(page.getByTestId('carried-bulk')).toHaveText('Confirm 1 unchanged');
  await page.getByTestId('carried-bulk').click();
  await expect(page.getByTestId('carried-bulk-item')).toHaveCount(1);
  await expect(page.getByTestId('carried-bulk-dialog')).toContainText('Jun Tanaka');
  await page.getByTestId('confirm-carried-bulk').click();
  await expect(progress).toContainText('2 of 4 decided');
  await expect(page.getByTestId('carried-bulk')).toBeDisabled();

  // The changed item shows what moved, and is decided afresh; so is the new one.
  await rows.filter({ hasText: "O'Brien, Kate" }).click();
  await expect(panel).toHaveAttribute('data-kind', 'changed');
  await expect(panel.getByTestId('carried-changes')).toContainText('suggested action');
  await expect(panel.getByTestId('carried-changes')).toContainText('keep → revoke');
  await expect(panel.getByTestId('confirm-carried')).toHaveCount(0);
  await page.getByTestId('accept').click();
  await expect(progress).toContainText('3 of 4 decided');
  await rows.filter({ hasText: 'Mara Okoro' }).click();
  await expect(panel).toHaveAttribute('data-kind', 'new');
  await page.getByTestId('accept').click();
  await expect(progress).toContainText('4 of 4 decided');

  // The second package: its log records the link and which decisions were carried.
  const next = await exportPackage(page, paths.next, '4 of 4 items decided');
  const log = new TextDecoder()
    .decode(unzipSync(next)['audit-log.jsonl']!)
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          type: string;
          itemId?: string;
          action?: string;
          carried?: { packageDigest: string; action: string };
          details?: { baseline?: Record<string, string> };
        },
    );
  const created = log.find((e) => e.type === 'campaign-created')!;
  expect(created.details?.baseline).toMatchObject({
    packageDigest: baselineDigest,
    statementDigest,
    scope: 'all',
    campaignName: 'Q4 recertification',
  });
  const carried = log.filter((e) => e.type === 'decision' && e.carried);
  expect(carried.map((e) => who(e.itemId)).sort()).toEqual(['u1000', 'u1001']);
  for (const e of carried) expect(e.carried).toMatchObject({ packageDigest: baselineDigest, action: 'keep' });
  expect(
    log
      .filter((e) => e.type === 'decision' && !e.carried)
      .map((e) => `${who(e.itemId)} ${e.action}`)
      .sort(),
  ).toEqual(['u1002 keep', 'u1006 revoke']);

  // Verified in the app as any package is.
  await goTo(page, 'Verify');
  await page.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(paths.next);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'valid', { timeout: 60_000 });
  // The auditor sees what it follows and what changed since.
  await expect(page.getByTestId('verify-baseline')).toContainText('Follows “Q4 recertification”');
  await expect(page.getByTestId('verify-baseline-counts')).toHaveText('2 unchanged · 1 changed · 1 new · 1 removed since then');
  await expect(page.getByTestId('verify-baseline-decisions')).toContainText('2 decisions carried from it');

  // And offline with its baseline: the carried decisions are the baseline's own, the chain names the baseline.
  const linked = await arw('verify', paths.next, '--baseline', paths.baseline);
  expect(linked.stdout).toContain('Baseline      ✓ follows Q4 recertification');
  expect(linked.stdout).toContain(`  package     ${baselineDigest}`);
  expect(linked.stdout).toContain('  decisions   2 carried from the baseline');
  expect(linked.code).toBe(0);
  // A baseline that is not the one the link names is refused.
  const wrong = await arw('verify', paths.next, '--baseline', tampered);
  expect(wrong.code).not.toBe(0);
  expect(wrong.stdout + wrong.stderr).toMatch(/baseline/i);
});

/** The project's CLI, in process, as `arw ARGS…` would run it. */
async function arw(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: process.cwd() });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

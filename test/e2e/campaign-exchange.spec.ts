// Campaigns across laptops, end to end: four browser contexts stand for four laptops (each its own IndexedDB and
// its own non-extractable keys). The owner splits a campaign between two reviewers, each reviews offline and returns
// a signed decision set (one partial first, superseded later), the step-up decisions go to an approver, the owner
// merges and exports the certification package with the decision sets embedded. `arw verify` accepts it, and rejects
// it once a decision set inside it is altered; an altered decision set handed to the owner is rejected with its name.
import { expect, test, type Browser, type Download, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { chooseReason, createFirstReviewer, goTo, shot, unlockKey } from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');
const OUT = resolve('test-results/exchange');

function arwVerify(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), 'electron/cli/arw.ts', 'verify', ...args], {
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

interface Laptop {
  page: Page;
  name: string;
  keyFile: string;
  profileId: string;
}

async function laptop(browser: Browser, name: string, email: string): Promise<Laptop> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await createFirstReviewer(page, name, email);
  await goTo(page, 'Settings');
  const keyFile = join(OUT, `${email}.keys.json`);
  await save(page, () => page.getByRole('button', { name: 'Export my public key' }).click(), keyFile);
  const profileId = (JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: { arwProfileId: string }[] }).keys[0]!.arwProfileId;
  return { page, name, keyFile, profileId };
}

async function save(page: Page, click: () => Promise<void>, path: string): Promise<string> {
  const download = page.waitForEvent('download');
  await click();
  await (await download).saveAs(path);
  return path;
}

async function pin(page: Page, other: Laptop): Promise<void> {
  await goTo(page, 'Settings');
  await page.getByTestId('key-text').fill(readFileSync(other.keyFile, 'utf8'));
  await expect(page.getByTestId('key-candidate')).toContainText('SHA256:');
  await page.getByTestId('pin-key').click();
  await expect(page.getByTestId('pinned-keys')).toContainText(other.name);
}

async function pickFiles(page: Page, button: string, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(button).click();
  await (await chooser).setFiles(files);
}

/** Real, distinct reasons: a rationale reused across items (even with another number in it) is refused. */
const REASONS = [
  'Runs the monthly AP payment batch; confirmed with her manager on 2 Dec.',
  'Invoice disputes for the Nordic region go through this account until the March reorganisation.',
  'Service account of the nightly billing sync; owner Lee verified the job schedule in CHG-4102.',
  'Treasury hand-over finished in October, so the approve right is no longer part of the job.',
  'Quarter-end close needs read access for the controller team, checked against the close calendar.',
  'Vendor onboarding moved to the procurement desk; ERP create rights left over from the 2023 pilot.',
  'Jira access is for the incident rota this person joined in November, per the on-call roster.',
  'Production reads back the fraud dashboards; the data owner confirmed the scope in ticket DATA-881.',
  'Contractor whose engagement ends 31 Jan keeps access until then under the signed extension.',
  'Payroll reconciliation uses these exports weekly, confirmed with the payroll lead on Monday.',
  'Former team lead moved to sales engineering; the grant was never removed after the transfer.',
  'Audit liaison needs invoice views for the external auditors visiting in the second week of January.',
  'Triage agent posts into the support project only; its token scope was reviewed in SEC-310.',
];

/** Decides `count` items from the current one on, each with its own rationale (accepting the suggestion). */
async function decide(page: Page, count: number, total: number, already: number, who: string): Promise<void> {
  const progress = page.getByTestId('campaign-progress');
  // Items are decided in table order: start at the first one still open.
  await page.getByTestId('review-row').nth(already).click();
  for (let n = 1; n <= count; n++) {
    await page.keyboard.press('r');
    await page.keyboard.type(`${REASONS[(already + n - 1) % REASONS.length]} (${who})`);
    await chooseReason(page, 'Business need');
    await page.keyboard.press('Control+Enter');
    const confirm = page.getByTestId('confirm-accept');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    // Step-up decisions count as "pending approval" until a second person approves them.
    await expect
      .poll(async () => answered(await progress.textContent()), { message: `${who}: item ${already + n} saved` })
      .toBe(already + n);
    expect(await progress.textContent()).toContain(`of ${total} decided`);
  }
}

function answered(text: string | null): number {
  const decided = Number(/(\d+) of \d+ decided/.exec(text ?? '')?.[1] ?? -1);
  const pending = Number(/(\d+) pending approval/.exec(text ?? '')?.[1] ?? 0);
  return decided + pending;
}

function tamperInsideZip(bytes: Uint8Array, match: (name: string) => boolean, inner?: (name: string) => boolean): Uint8Array {
  const entries = unzipSync(bytes);
  const name = Object.keys(entries).find(match)!;
  if (inner) {
    entries[name] = new Uint8Array(tamperInsideZip(entries[name]!, inner));
  } else {
    const file = entries[name]!;
    const at = Math.floor(file.length / 2);
    file[at] = file[at]! ^ 0x01;
  }
  return zipSync(entries);
}

test('owner splits a campaign between two reviewers and an approver across laptops; merged package verifies, altered decision sets are rejected', async ({
  browser,
}) => {
  test.setTimeout(480_000);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(OUT, { recursive: true });

  const owner = await laptop(browser, 'Olivia Owner', 'olivia.owner@example.com');
  const jun = await laptop(browser, 'Jun Tanaka', 'jun.tanaka@example.com');
  const ana = await laptop(browser, 'Ana Silva', 'ana.silva@example.com');
  const carol = await laptop(browser, 'Carol Approver', 'carol.approver@example.com');

  // Keys: the owner pins the three colleagues; each of them pins the owner.
  for (const other of [jun, ana, carol]) await pin(owner.page, other);
  for (const l of [jun, ana, carol]) await pin(l.page, owner);
  await shot(owner.page, '20-exchange-pinned-keys');

  // The owner imports the data and creates a campaign assigned by manager (Jun: Data Engineering, Ana: Finance).
  const o = owner.page;
  await goTo(o, 'Import');
  await o.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(
    readdirSync(FIXTURE)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(FIXTURE, f)),
  );
  await o.getByTestId('start-import').click();
  await expect(o.getByTestId('import-report')).toContainText('stored');
  await o.getByTestId('to-campaigns').click();
  await o.getByTestId('as-of').fill('2026-11-22');
  await o.getByTestId('scope-applications').click();
  await o.getByRole('option', { name: 'PostgreSQL (prod)' }).click();
  await o.getByRole('option', { name: 'Billing' }).click();
  await o.keyboard.press('Escape');
  await o.getByTestId('assignment-rule').click();
  await o.getByRole('option', { name: "identity's manager" }).click();
  await o.getByTestId('fallback-reviewer').click();
  await o.getByRole('option', { name: 'Jun Tanaka' }).click();
  await o.getByTestId('create-campaign').click();
  await expect(o.getByTestId('campaign-list')).toContainText('0 / 13 decisions');
  await expect(o.getByTestId('campaign-list')).toContainText('Jun Tanaka: 0 decided · 7 assigned');
  await expect(o.getByTestId('campaign-list')).toContainText('Ana Silva: 0 decided · 6 assigned');

  // One signed work package per reviewer.
  const issued: Download[] = [];
  o.on('download', (d) => issued.push(d));
  await o.getByTestId('issue-work-packages').click();
  await expect.poll(() => issued.length, { timeout: 120_000 }).toBe(2);
  const wpFor = async (l: Laptop) => {
    const d = issued.find((x) => x.suggestedFilename().includes(l.profileId))!;
    const path = join(OUT, d.suggestedFilename());
    await d.saveAs(path);
    return path;
  };
  const junWp = await wpFor(jun);
  const anaWp = await wpFor(ana);
  o.removeAllListeners('download');
  expect(arwVerify(junWp, '--json').output).toContain('"kind": "work-package"');

  // A work package sent to the wrong person is refused, with the reason.
  await goTo(ana.page, 'Campaigns');
  await pickFiles(ana.page, 'open-work-package', [junWp]);
  await expect(ana.page.getByTestId('work-package-error')).toContainText('addressed to Jun Tanaka');

  // Jun reviews his 7 items offline and returns the whole set.
  const j = jun.page;
  await goTo(j, 'Campaigns');
  await pickFiles(j, 'open-work-package', [junWp]);
  await expect(j.getByTestId('campaign-list')).toContainText('from Olivia Owner');
  await j.getByTestId('open-campaign').first().click();
  await expect(j.getByTestId('review-row')).toHaveCount(7);
  await decide(j, 7, 7, 0, 'Jun');
  await shot(j, '21-exchange-reviewer-review');
  await goTo(j, 'Campaigns');
  await expect(j.getByTestId('return-progress')).toContainText('of 7 decided');
  const junSet = await save(j, () => j.getByTestId('export-decision-set').click(), join(OUT, 'jun.arwdec'));

  // Ana returns a partial set first (2 of 6), then the whole set later.
  const a = ana.page;
  await pickFiles(a, 'open-work-package', [anaWp]);
  await expect(a.getByTestId('campaign-list')).toContainText('from Olivia Owner');
  await a.getByTestId('open-campaign').first().click();
  await expect(a.getByTestId('review-row')).toHaveCount(6);
  await decide(a, 2, 6, 0, 'Ana');
  await goTo(a, 'Campaigns');
  await expect(a.getByTestId('export-decision-set')).toContainText('4 left');
  const anaPartial = await save(a, () => a.getByTestId('export-decision-set').click(), join(OUT, 'ana-partial.arwdec'));

  // The owner merges what came back so far: Ana's set says how much is left.
  await goTo(o, 'Campaigns');
  await pickFiles(o, 'pick-decision-sets', [junSet, anaPartial]);
  await expect(o.getByTestId('accepted-sets')).toContainText('Ana Silva');
  await expect(o.getByTestId('accepted-sets')).toContainText('4 left');
  await expect(o.getByTestId('merge-summary')).toContainText('4 not decided');

  await goTo(a, 'Review');
  await decide(a, 4, 6, 2, 'Ana');
  await goTo(a, 'Campaigns');
  const anaSet = await save(a, () => a.getByTestId('export-decision-set').click(), join(OUT, 'ana.arwdec'));

  // An altered decision set is rejected by name; Ana's newer set supersedes her partial one, visibly.
  const tampered = join(OUT, 'jun-altered.arwdec');
  writeFileSync(
    tampered,
    tamperInsideZip(readFileSync(junSet), (n) => n === 'events.jsonl'),
  );
  await pickFiles(o, 'pick-decision-sets', [anaSet, tampered]);
  await expect(o.getByTestId('rejected-sets')).toContainText('jun-altered.arwdec');
  await expect(o.getByTestId('superseded')).toContainText('Ana Silva');
  await expect(o.getByTestId('superseded')).toContainText('extends the older one');
  // Step-up (Billing-Approve) and, since issue 16, critical (Prod-DB-Admin) decisions wait for a second person.
  await expect(o.getByTestId('awaiting-approval')).toContainText('3 decided by Jun Tanaka, 2 decided by Ana Silva');

  // Step-up: the pending approvals go to Carol, a different person with a different key.
  await o.getByTestId('approver').click();
  await o.getByRole('option', { name: 'Carol Approver' }).click();
  const approvalWp = await save(o, () => o.getByTestId('issue-approval-package').click(), join(OUT, 'carol-approval.arwwork'));
  await shot(o, '22-exchange-owner-merge');

  const c = carol.page;
  await goTo(c, 'Campaigns');
  await pickFiles(c, 'open-work-package', [approvalWp]);
  // The three Billing-Approve grants (high privilege: step-up), decided by Jun (1) and Ana (2), and the two
  // Prod-DB-Admin grants (critical: never-delegate, Carol gives her own rationale), decided by Jun.
  const rows = c.getByTestId('approval-row');
  await expect(rows).toHaveCount(5);
  const pending = 5;
  const carolReasons = [
    'Payment approval matches the AP delegation matrix signed by the CFO in October.',
    'Superuser removal confirmed against the DBA on-call roster; break-glass covers failover.',
    'Finance director approval right is required for the quarter close, per the controller.',
    'Service account admin grant is leftover from the 2022 migration, reporting needs reads only.',
    'Terminated controller: revoking the approve right matches the HR leaver record of March.',
  ];
  for (let i = 0; i < pending; i++) {
    await c.getByTestId('approval-rationale').first().fill(carolReasons[i]!);
    await c.getByTestId('approve-item').first().click();
    await expect(c.getByTestId('approve-item')).toHaveCount(pending - i - 1);
  }
  await expect(c.getByTestId('approval-progress')).toHaveText(`${pending} / ${pending} approved`);
  await shot(c, '23-exchange-approver');
  const carolSet = await save(c, () => c.getByTestId('export-approvals').click(), join(OUT, 'carol.arwdec'));

  // The owner merges the approvals: everything decided and approved; the certification package is exported.
  await pickFiles(o, 'pick-decision-sets', [carolSet]);
  await expect(o.getByTestId('merge-status')).toHaveText('13 / 13 decided');
  await expect(o.getByTestId('awaiting-approval')).toHaveCount(0);
  // After a restart the owner's key is locked: a wrong passphrase opens nothing, hers signs.
  await o.reload();
  await goTo(o, 'Campaigns');
  await o.getByTestId('merge-now').click();
  await expect(o.getByTestId('merge-status')).toHaveText('13 / 13 decided');
  const download = o.waitForEvent('download');
  await o.getByTestId('export-merged-package').click();
  const unlock = o.getByRole('dialog', { name: 'Passphrase needed to sign' });
  await expect(unlock).toContainText('Olivia Owner');
  await unlock.getByTestId('unlock-passphrase').fill('not her passphrase at all');
  await unlock.getByTestId('unlock-submit').click();
  await expect(unlock.getByTestId('unlock-error')).toBeVisible();
  await shot(o, '25-exchange-unlock');
  await unlockKey(o, 'Olivia Owner');
  const pkg = join(OUT, 'merged.arwpkg');
  await (await download).saveAs(pkg);

  // arw verify: valid against the four pinned keys; invalid once a decision set inside it is altered.
  const trust = join(OUT, 'trusted-keys.json');
  writeFileSync(
    trust,
    JSON.stringify(
      { keys: [owner, jun, ana, carol].map((l) => (JSON.parse(readFileSync(l.keyFile, 'utf8')) as { keys: unknown[] }).keys[0]) },
      null,
      2,
    ),
  );
  const ok = arwVerify(pkg, '--trust', trust);
  expect(ok.output).toContain('VALID');
  expect(ok.output).toContain('3 embedded signed decision sets');
  expect(ok.status).toBe(0);
  const altered = join(OUT, 'merged-altered.arwpkg');
  writeFileSync(
    altered,
    tamperInsideZip(
      readFileSync(pkg),
      (n) => n.startsWith('decision-sets/'),
      (n) => n === 'events.jsonl',
    ),
  );
  const bad = arwVerify(altered, '--trust', trust);
  expect(bad.status).toBe(1);
  expect(bad.output).toMatch(/decision-sets\/[0-9a-f]{64}\.arwdec was changed/);

  // The auditor view in the app says the same.
  await goTo(o, 'Verify');
  await o.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(pkg);
  await expect(o.getByTestId('verdict')).toContainText('VALID');
  await expect(o.getByTestId('embedded-sets').getByRole('row')).toHaveCount(3);
  await expect(o.getByTestId('embedded-sets')).not.toContainText('INVALID');
  await shot(o, '24-exchange-verified');
});

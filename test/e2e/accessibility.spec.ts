// axe on every screen with real content, in the light and the dark theme: no serious or critical violation.
// Each screen is also photographed at 1440×900 (test-results/screenshots/a11y-<screen>-<theme>.png).
import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCertificationPackage } from '../../shared/package';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent, AuditEventBody } from '../../shared/review/types';
import { samplePackage } from '../fixtures/packages/package-kit';
import { signAuditEvents } from '../fixtures/packages/sample-campaign';
import { describeViolations, seriousViolations, setTheme, workbenchWithCampaign, type Found } from './a11y-helpers';
import { createFirstReviewer, goTo, shot } from './helpers';

const OUT = resolve('test-results');
const bodyOf = ({ seq: _s, prevHash: _p, hash: _h, ...body }: AuditEvent): AuditEventBody => body;

/** A valid package whose reviewer Alice accepted everything in one second each: the Verify screen warns about her. */
async function rubberStampPackage(): Promise<string> {
  const sample = await samplePackage();
  const bodies = sample.input.auditEvents
    .map(bodyOf)
    .map((b) => (b.type === 'decision' && b.actor.id === 'alice' ? { ...b, secondsOnScreen: 1, signature: undefined } : b));
  const events: AuditEvent[] = [];
  for (const b of bodies) events.push(chainEvent(events.at(-1) ?? null, JSON.parse(JSON.stringify(b)) as AuditEventBody));
  const signed = await signAuditEvents({ ...sample.input, auditEvents: events }, sample.signers);
  const built = await buildCertificationPackage(signed, sample.signers);
  const path = join(OUT, 'a11y-rubber-stamp.arwpkg');
  writeFileSync(path, built.bytes);
  return path;
}

let stamped = '';

const SCREENS: { tab: string; ready: (page: Page) => Promise<void> }[] = [
  { tab: 'Import', ready: async (page) => void (await expect(page.getByTestId('dropzone')).toBeVisible()) },
  { tab: 'Campaigns', ready: async (page) => void (await expect(page.getByTestId('campaign-list')).toContainText('decisions')) },
  { tab: 'Review', ready: async (page) => void (await expect(page.getByTestId('detail-pane')).toBeVisible()) },
  { tab: 'Export', ready: async (page) => void (await expect(page.getByRole('button', { name: /Export signed package/ })).toBeVisible()) },
  {
    tab: 'Verify',
    // The screen keeps no state when left: the package is opened on each visit.
    ready: async (page) => {
      await page.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(stamped);
      await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'valid');
    },
  },
  { tab: 'Settings', ready: async (page) => void (await expect(page.getByText('Reviewer profiles')).toBeVisible()) },
];

test('axe: Import, Campaigns, Review, Export, Verify and Settings, light and dark, have no serious or critical violation', async ({
  page,
}) => {
  test.setTimeout(400_000);
  await workbenchWithCampaign(page);
  // Review with a decided item and a selected one.
  await page.getByTestId('review-row').nth(1).click();
  await page.getByTestId('accept').click();
  await expect(page.getByTestId('campaign-progress')).toContainText('1 of 6 decided');
  // Verify shows a package one of whose reviewers draws a warning.
  stamped = await rubberStampPackage();
  // Toasts come and go (import finished, decision saved…): wait for them so every run measures the same page.
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 20_000 });

  const found: Found[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    for (const s of SCREENS) {
      await goTo(page, s.tab);
      await s.ready(page);
      await page.mouse.move(700, 500);
      found.push(...(await seriousViolations(page, `${s.tab} (${theme})`)));
      await shot(page, `a11y-${s.tab.toLowerCase()}-${theme}`);
    }
  }
  expect(found, describeViolations(found)).toEqual([]);
});

test('Verify: the reviewer warning badge is shown in full, not cut to "1 WAR…"', async ({ page }) => {
  await page.goto('/');
  await createFirstReviewer(page, 'Ada Auditor', 'ada@example.com');
  await goTo(page, 'Verify');
  await page.locator('[data-testid="verify-dropzone"] input[type="file"]').setInputFiles(await rubberStampPackage());
  const badge = page.getByTestId('behaviour-row').filter({ hasText: 'Alice' }).locator('.mantine-Badge-root');
  await expect(badge).toHaveText(/\d+ warnings?/);
  // Not truncated: the label's full width fits in the badge.
  const cut = await badge.evaluate((el) => {
    const label = el.querySelector('.mantine-Badge-label') ?? el;
    return label.scrollWidth > label.clientWidth + 1;
  });
  expect(cut).toBe(false);
  await badge.screenshot({ path: join(OUT, 'screenshots', 'a11y-verify-warning-badge.png') });
});

// A person resolves an ambiguous correlation match: two Okta users share the e-mail one SCIM user has, so the
// importer leaves all three apart. The person sees the candidates side by side with the reason, merges the two
// that are one person with a rationale, sees it recorded (who, when, which, why), reloads, and finds the merged
// identity once in the identity browser and in a campaign created afterwards.
import { expect, test } from '@playwright/test';
import { createFirstReviewer, goTo, shot } from './helpers';

// Generated here, not from the shared datasets: small on purpose, and ambiguous on purpose.
const OKTA = JSON.stringify([
  {
    id: '00u1ann',
    status: 'ACTIVE',
    lastLogin: '2026-11-20T08:00:00.000Z',
    profile: { login: 'ann.lee@example.com', email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee' },
  },
  {
    id: '00u2adm',
    status: 'ACTIVE',
    profile: { login: 'ann.lee-admin@example.com', email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee (admin)' },
  },
  {
    id: '00u3bo',
    status: 'ACTIVE',
    profile: { login: 'bo.chen@example.com', email: 'bo.chen@example.com', firstName: 'Bo', lastName: 'Chen' },
  },
]);
const SCIM = JSON.stringify({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  Resources: [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: 'scim-7',
      userName: 'alee',
      displayName: 'A. Lee',
      emails: [{ value: 'Ann.Lee@example.com', primary: true }],
      groups: [
        { value: 'g-fin', display: 'Finance-Approvers' },
        { value: 'g-wiki', display: 'Wiki-Editors' },
      ],
    },
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: 'scim-8',
      userName: 'bchen',
      displayName: 'Bo Chen',
      emails: [{ value: 'bo.chen@example.com', primary: true }],
      groups: [{ value: 'g-wiki', display: 'Wiki-Editors' }],
    },
  ],
});
const WHY = 'HR record 4411: alee is Ann Lee’s SCIM account; the admin login is her separate privileged account.';

test('resolve an ambiguous match by merging, with a rationale; it is recorded and survives a reload', async ({ page }) => {
  await page.goto('/');
  await createFirstReviewer(page, 'Iris Lead', 'iris@example.com');
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles([
    { name: 'okta-users.json', mimeType: 'application/json', buffer: Buffer.from(OKTA) },
    { name: 'scim-users.json', mimeType: 'application/json', buffer: Buffer.from(SCIM) },
  ]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored');
  await expect(page.getByTestId('correlation-summary')).toContainText('1 identities matched across sources');
  await expect(page.getByTestId('report-resolution-summary')).toHaveText('1 ambiguous, 0 resolved');
  await page.getByTestId('report-resolve-ambiguities').click();

  const resolver = page.getByRole('dialog', { name: /Ambiguous matches of/ });
  await expect(resolver.getByTestId('ambiguity-summary')).toHaveText('1 ambiguous, 0 resolved · 1 open');
  await expect(resolver.getByTestId('ambiguity-reason')).toContainText(
    '"A. Lee" (scim:scim-7, scim-users.json) matches 2 identities in okta-users.json',
  );
  // The candidates side by side: source, name, e-mail, login, class, assignments.
  const table = resolver.getByTestId('candidate-table');
  await expect(table.getByRole('row', { name: /^Source/ })).toContainText('okta-users.jsonokta-users.jsonscim-users.json');
  await expect(table.getByRole('row', { name: /^Name/ })).toContainText('Ann LeeAnn Lee (admin)A. Lee');
  await expect(table.getByRole('row', { name: /^Login/ })).toContainText('ann.lee@example.comann.lee-admin@example.comalee');
  await expect(table.getByRole('row', { name: /^Assignments/ })).toContainText('002');

  // Pick with the keyboard (1 and 3), then a placeholder rationale is refused.
  await resolver.getByTestId('ambiguity-reason').click();
  await page.keyboard.press('1');
  await page.keyboard.press('3');
  await expect(resolver.getByLabel('same person: Ann Lee', { exact: true })).toBeChecked();
  await expect(resolver.getByLabel('same person: A. Lee')).toBeChecked();
  await expect(resolver.getByLabel('same person: Ann Lee (admin)')).not.toBeChecked();
  await resolver.getByTestId('resolution-rationale').fill('ok');
  await expect(resolver).toContainText('"ok" says nothing specific');
  await expect(resolver.getByTestId('record-resolution')).toBeDisabled();
  await resolver.getByTestId('resolution-rationale').fill(WHY);
  await expect(resolver.getByTestId('record-resolution')).toHaveText('Record the merge of 2');
  await shot(page, '16-resolve-ambiguity');
  await resolver.getByTestId('record-resolution').click();

  // Recorded: who, when, which, why; no longer open.
  await expect(resolver.getByTestId('standing-resolution')).toContainText('Merged okta:00u1ann + scim:scim-7 by Iris Lead');
  await expect(resolver.getByTestId('standing-resolution')).toContainText(WHY);
  await expect(resolver.getByTestId('resolution-history')).toContainText(
    /#1 · \d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d UTC · Iris Lead · merge okta:00u1ann \+ scim:scim-7/,
  );
  await expect(resolver.getByTestId('ambiguity-summary')).toHaveText('1 ambiguous, 1 resolved');
  await expect(resolver.getByTestId('ambiguity-row')).toContainText('merged');
  await shot(page, '17-ambiguity-resolved');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('report-resolution-summary')).toHaveText('1 ambiguous, 1 resolved');

  // Survives a reload.
  await page.reload();
  await expect(page.getByTestId('resolve-ambiguities')).toHaveText('1 ambiguous, 1 resolved…');
  await expect(page.getByTestId('identities-after-merges')).toHaveText('3');
  await shot(page, '18-snapshot-list-resolved');
  await page.getByTestId('browse-identities').first().click();
  const browser = page.getByRole('dialog', { name: /Identities of/ });
  await expect(browser).toContainText('1 correlation resolutions recorded');
  await browser.getByLabel('Search identities').fill('ann.lee');
  const rows = browser.getByTestId('identity-table').getByRole('row');
  await expect(rows).toHaveCount(3); // header + Ann Lee (merged) + Ann Lee (admin)
  const ann = rows.filter({ hasText: 'okta:00u1ann' });
  await expect(ann).toHaveCount(1);
  await expect(ann.getByTestId('merge-reason')).toHaveText(`merged by Iris Lead: ${WHY} (okta-users.json, scim-users.json)`);
  await expect(browser.getByTestId('identity-table')).not.toContainText('scim:scim-7');
  await page.keyboard.press('Escape');
  await page.getByTestId('resolve-ambiguities').click();
  await expect(page.getByRole('dialog', { name: /Ambiguous matches of/ }).getByTestId('resolution-history')).toContainText(WHY);
  await page.keyboard.press('Escape');

  // A campaign created afterwards reviews the SCIM grants under the one merged identity.
  await goTo(page, 'Campaigns');
  await page.getByTestId('as-of').fill('2026-11-22');
  await page.getByTestId('create-campaign').click();
  await page.getByTestId('open-campaign').first().click();
  await page.getByLabel('Search').fill('Lee');
  // The SCIM grants (identity-level items, such as the two Okta accounts sharing one e-mail, are listed beside them).
  await expect(page.getByTestId('review-row').filter({ hasText: /Finance-Approvers|Wiki-Editors/ })).toHaveCount(2);
  await expect(page.getByTestId('review-row').filter({ hasText: 'Finance-Approvers' })).toContainText('Ann Lee');
  await expect(page.getByTestId('review-row').filter({ hasText: 'Wiki-Editors' })).toContainText('Ann Lee');
  await expect(page.getByTestId('review-row').filter({ hasText: 'A. Lee' })).toHaveCount(0);

  // Undo is one more recorded entry: the history keeps both, the match is open again, the snapshot has its four
  // identities again, and the campaign created before the undo keeps the view it was computed with.
  await goTo(page, 'Import');
  await page.getByTestId('resolve-ambiguities').click();
  const again = page.getByRole('dialog', { name: /Ambiguous matches of/ });
  await again.getByTestId('undo-resolution').click();
  await again.getByTestId('resolution-rationale').fill('Merged too early: HR corrected record 4411, alee belongs to another Ann Lee.');
  await again.getByTestId('record-resolution').click();
  await expect(again.getByTestId('ambiguity-summary')).toHaveText('1 ambiguous, 0 resolved · 1 open');
  const history = again.getByTestId('resolution-history');
  await expect(history).toContainText('#1');
  await expect(history).toContainText(WHY);
  await expect(history).toContainText(/#2 · .* · Iris Lead · undo #1 · Merged too early/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('resolve-ambiguities')).toHaveText('1 ambiguous, 0 resolved…');
  await expect(page.getByTestId('snapshot-list').getByRole('row').nth(1).getByRole('cell').nth(3)).toHaveText('4');
  await page.reload();
  await goTo(page, 'Campaigns');
  await page.getByTestId('open-campaign').first().click();
  await page.getByLabel('Search').fill('Finance-Approvers');
  await expect(page.getByTestId('review-row')).toHaveCount(1);
  await expect(page.getByTestId('review-row')).toContainText('Ann Lee');
  // The grant's detail comes from the snapshot as the campaign saw it (merged): the SCIM assignment under Ann Lee.
  await page.getByTestId('review-row').click();
  await expect(page.getByTestId('detail-pane')).toContainText('source: scim-users.json');
});

// Effective access in review: a nested LDIF directory (ann → ap-team → finance-all → erp-payments-approve) is
// imported, and the inherited grant's detail pane shows the path it comes through; a direct grant shows none.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { createFirstReviewer, importAndReviewAll, shot } from './helpers';

const NESTED = resolve('test/fixtures/nested/openldap-nested.ldif');

test('an inherited grant shows its path in the detail pane', async ({ page }) => {
  await page.goto('/');
  await createFirstReviewer(page, 'Nora Nest', 'nora@example.com');
  // 3 direct grants and 4 inherited ones: the campaign holds effective access.
  await importAndReviewAll(page, [NESTED]);

  const inherited = page.getByTestId('review-row').filter({ hasText: 'Ann Payables' }).filter({ hasText: 'erp-payments-approve' });
  await expect(inherited).toHaveCount(1);
  await inherited.click();
  await expect(page.getByTestId('grant-path')).toHaveText('via ap-team → finance-all');
  await shot(page, '40-grant-path');

  const direct = page.getByTestId('review-row').filter({ hasText: 'Ann Payables' }).filter({ hasText: 'ap-team' });
  await direct.first().click();
  await expect(page.getByTestId('detail-pane')).toContainText('ap-team');
  await expect(page.getByTestId('grant-path')).toHaveCount(0);
});

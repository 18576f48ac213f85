// A person drops real exports written by others (an Okta users list and an LDIF directory dump), sees
// progress, the detected formats with their reasons, the correlation summary, and the identities.
import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFirstReviewer, shot } from './helpers';

const DATASETS = resolve(process.env.ARW_DATASETS ?? '../shared/datasets');
const OKTA = join(DATASETS, 'okta', 'okta_api_v1_users_list.json');
const LDIF = join(DATASETS, 'ldif', 'openldap_tests_memberof.out.ldif');

test.skip(!existsSync(OKTA) || !existsSync(LDIF), `datasets folder not found at ${DATASETS} (set ARW_DATASETS)`);

test('Okta users JSON and an LDIF dump import into one snapshot', async ({ page }) => {
  // Independent counts from the raw files: the Okta API returns a JSON array of users; LDIF person entries.
  const oktaUsers = (JSON.parse(readFileSync(OKTA, 'utf8')) as unknown[]).length;
  await page.goto('/');
  await createFirstReviewer(page, 'Iris Lead', 'iris@example.com');
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles([OKTA, LDIF]);
  await page.getByTestId('start-import').click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  if (await page.getByTestId('accept-good-rows').isVisible()) await page.getByTestId('accept-good-rows').click();
  await expect(report).toContainText('stored');
  const files = page.getByTestId('import-files');
  await expect(files.getByRole('row', { name: /okta_api_v1_users_list\.json/ })).toContainText(/okta/i);
  await expect(files.getByRole('row', { name: /memberof\.out\.ldif/ })).toContainText(/ldif/i);
  await expect(page.getByTestId('correlation-summary')).toContainText('matched across sources');
  await expect(page.getByTestId('identity-preview')).toBeVisible();
  const counts = await page.getByTestId('snapshot-list').getByRole('row').nth(1).getByRole('cell').allTextContents();
  expect(Number(counts[3]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(oktaUsers);
  await shot(page, '08-import-okta-ldif');
});

const K8S = join(DATASETS, 'kubernetes-rbac', 'rbactool_multiple-role-bindings.yaml');
const GCP = join(DATASETS, 'gcp-iam', 'custodian_project_getIamPolicy.json');

test('Kubernetes RBAC YAML and a Google Cloud IAM policy import in the browser, service accounts as non-human', async ({ page }) => {
  test.skip(!existsSync(K8S) || !existsSync(GCP), `datasets folder not found at ${DATASETS} (set ARW_DATASETS)`);
  await page.goto('/');
  await createFirstReviewer(page, 'Iris Lead', 'iris@example.com');
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles([K8S, GCP]);
  await page.getByTestId('start-import').click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  if (await page.getByTestId('accept-good-rows').isVisible()) await page.getByTestId('accept-good-rows').click();
  await expect(report).toContainText('stored');
  await expect(page.getByTestId('import-files').getByRole('row', { name: /multiple-role-bindings\.yaml/ })).toContainText(/kubernetes/i);
  await expect(page.getByTestId('import-files').getByRole('row', { name: /getIamPolicy\.json/ })).toContainText(/gcp/i);
  await expect(page.getByTestId('class-counts')).toContainText(/\d+ (service|workload)/);
  await shot(page, '14-import-k8s-gcp');
});

// Bounded admission (#19): with the memory the app may count on lowered (the browser host's test setting), an import
// larger than it is refused at once, the message naming the estimate and the limit, and nothing is stored; without
// the lowered limit the same files import.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFirstReviewer, importFiles } from './helpers';

const FIXTURE = resolve('test/fixtures/workbench-csv');
/** renderer/host/memory.ts: IMPORT_MEMORY_LIMIT_KEY. */
const LIMIT_KEY = 'arw.debug.importMemoryLimitBytes';
const MIB = 1024 ** 2;

/** Record counts of every object store of the app's database, read in the page. */
function databaseCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const req = indexedDB.open('access-review-workbench');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names);
          const counts: Record<string, number> = {};
          for (const name of names) {
            const count = tx.objectStore(name).count();
            count.onsuccess = () => (counts[name] = count.result);
          }
          tx.oncomplete = () => (db.close(), resolve(counts));
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/** A workbench CSV set of about 3 MiB. */
function writeSet(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const ids = ['id,displayName,email,type,status,department,title,managerId,ownerId,createdAt'];
  for (let i = 0; i < 5000; i++) ids.push(`x${i},Person ${i},x${i}@example.com,human,active,Sales,,,,2024-01-01`);
  const ents = ['id,name,application,privilege,description,ownerId'];
  for (let k = 0; k < 12; k++) ents.push(`xe${k},Role ${k},Big App,${k ? 'low' : 'high'},,`);
  const asg = ['identityId,entitlementId,grantedAt,lastUsedAt,source'];
  for (let i = 0; i < 5000; i++)
    for (let k = 0; k < 12; k++) asg.push(`x${i},xe${k},2024-01-0${1 + (k % 9)},2026-01-15,export ${'padding '.repeat(4)}`);
  const files: [string, string][] = [
    ['identities.csv', ids.join('\n')],
    ['entitlements.csv', ents.join('\n')],
    ['assignments.csv', asg.join('\n')],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}

test('an import over the memory limit is refused before reading, naming the limit; the database is unchanged', async ({ page }, info) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await createFirstReviewer(page, 'Iris Lead', 'iris@example.com');
  // Something stored first: the refusal must leave it exactly as it is.
  await importFiles(
    page,
    readdirSync(FIXTURE)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(FIXTURE, f)),
  );
  const snapshots = page.getByTestId('snapshot-list').locator('tbody tr');
  await expect(snapshots).toHaveCount(1);
  const before = await databaseCounts(page);
  expect(before.snapshots).toBe(1);

  const paths = writeSet(info.outputPath('big'));
  const inputMiB = paths.reduce((s, p) => s + statSync(p).size, 0) / MIB;
  expect(inputMiB).toBeGreaterThan(2);
  // CSV counts 6 bytes per input byte plus 64 MiB: these files need at least 76 MiB; the app may count on 70 MiB.
  await page.evaluate(([key, bytes]) => localStorage.setItem(key, String(bytes)), [LIMIT_KEY, 70 * MIB] as const);
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(paths);
  await page.getByTestId('start-import').click();
  const error = page.getByTestId('import-error');
  await expect(error).toContainText(
    /This import needs about [\d.]+ MiB of memory; this machine can give the app about 70.0 MiB\. Nothing was read or stored\./,
  );
  const need = Number(/needs about ([\d.]+) MiB/.exec((await error.textContent()) ?? '')![1]);
  expect(need).toBeCloseTo(64 + 6 * inputMiB, 0);
  // Refused at once: no import started, no report, and every store of the database holds what it held.
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  await expect(page.getByTestId('import-report')).toHaveCount(0);
  expect(await databaseCounts(page)).toEqual(before);
  await page.reload();
  await expect(page.getByTestId('snapshot-list').locator('tbody tr')).toHaveCount(1);
  expect(await databaseCounts(page)).toEqual(before);

  // Without the lowered limit (the machine's own is far above 300 MiB) the same files import.
  await page.evaluate((key) => localStorage.removeItem(key), LIMIT_KEY);
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(paths);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-report')).toContainText('stored', { timeout: 120_000 });
  await expect(page.getByTestId('snapshot-list').locator('tbody tr')).toHaveCount(2);
  expect((await databaseCounts(page)).snapshots).toBe(2);
});

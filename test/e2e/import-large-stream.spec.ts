// A large workbench CSV export dropped in the browser is streamed from the File by the worker: progress in bytes
// and rows, the evidence digest of the whole file, and a cancel part-way through that stores nothing.
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFirstReviewer } from './helpers';

/** identities.csv, entitlements.csv and assignments.csv (several MiB, well past the 256 KiB head) in `dir`. */
function writeSet(dir: string, people: number, perPerson: number): { paths: string[]; assignments: number; sha256: string } {
  mkdirSync(dir, { recursive: true });
  const ids = ['id,displayName,email,type,status,department,title,managerId,ownerId,createdAt'];
  for (let i = 0; i < people; i++) ids.push(`u${i},"Person ${i}, Ünïcödé",p${i}@example.com,human,active,"Dept\r\n${i % 7}",,,,2024-01-01`);
  const ents = ['id,name,application,privilege,description,ownerId'];
  for (let e = 0; e < perPerson; e++) ents.push(`e${e},Role ${e},App,${e === 0 ? 'high' : 'low'},,`);
  const asg = ['identityId,entitlementId,grantedAt,lastUsedAt,source'];
  for (let i = 0; i < people; i++)
    for (let e = 0; e < perPerson; e++) asg.push(`u${i},e${e},2024-01-0${1 + (e % 9)},2026-0${1 + (i % 9)}-15,export é`);
  const files: [string, string][] = [
    ['identities.csv', ids.join('\r\n')],
    ['entitlements.csv', ents.join('\n')],
    ['assignments.csv', `${asg.join('\n')}\n`],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return {
    paths: files.map(([name]) => join(dir, name)),
    assignments: people * perPerson,
    sha256: createHash('sha256').update(files[2]![1]).digest('hex'),
  };
}

/** Snapshot chunks in the app's IndexedDB whose snapshot has no complete record. */
function chunksWithoutSnapshot(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('access-review-workbench');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['snapshots', 'snapshotChunks']);
          const records = tx.objectStore('snapshots').getAll();
          const chunkKeys = tx.objectStore('snapshotChunks').getAllKeys();
          tx.oncomplete = () => {
            const complete = new Set(
              (records.result as { id: string; status: string }[]).filter((r) => r.status === 'complete').map((r) => r.id),
            );
            open.result.close();
            resolve((chunkKeys.result as [string, string, number][]).filter(([id]) => !complete.has(id)).length);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

test('a large CSV set streams from the dropped files: stored with counts and digest; a cancel part-way stores nothing', async ({
  page,
}, info) => {
  const small = writeSet(info.outputPath('small'), 20_000, 10);
  await page.goto('/');
  await createFirstReviewer(page, 'Iris Lead', 'iris@example.com');
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(small.paths);
  await page.getByTestId('start-import').click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('stored', { timeout: 60_000 });
  const row = page.getByTestId('import-files').getByRole('row', { name: /assignments\.csv/ });
  await expect(row).toContainText('workbench-csv');
  await expect(row).toContainText((200_000).toLocaleString('en-US'));
  await expect(report).toContainText(`${(20_000).toLocaleString('en-US')} identities`);
  await expect(report).toContainText(`${small.assignments.toLocaleString('en-US')} assignments`);
  const snapshots = page.getByTestId('snapshot-list').locator('tbody tr');
  await expect(snapshots).toHaveCount(1);
  // The digest of the streamed file is the digest of its bytes.
  await expect(page.getByTestId('import-files')).toContainText(small.sha256.slice(0, 12));

  const large = writeSet(info.outputPath('large'), 100_000, 12);
  await page.locator('[data-testid="dropzone"] input[type="file"]').setInputFiles(large.paths);
  await page.getByTestId('start-import').click();
  const progress = page.getByTestId('import-progress');
  // Bytes and rows while the assignments file streams; then cancel, past the first chunks stored ahead (50,000 rows each).
  await expect(progress).toContainText(/Parsing assignments\.csv .* of .*· \d{3},\d{3} rows/, { timeout: 60_000 });
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('import-error')).toContainText('Import cancelled: nothing was stored', { timeout: 30_000 });
  await expect(snapshots).toHaveCount(1);
  // Nothing of the cancelled import is left in the database: no chunk without its snapshot's record.
  expect(await chunksWithoutSnapshot(page)).toBe(0);
  await page.reload();
  await expect(page.getByTestId('snapshot-list').locator('tbody tr')).toHaveCount(1);
});

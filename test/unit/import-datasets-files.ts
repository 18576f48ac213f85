// The dataset files the import-datasets-*.test.ts files read: where ../shared/datasets is (ARW_DATASETS), each file's
// raw bytes, text and JSON, importing one file (refused is a failure), and the counts compared with the raw file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { importFiles } from '../../shared/import';
import { countDirectAssignments, type SnapshotData } from '../../shared/model';

const repoRoot = resolve(__dirname, '../..');
const DATASETS = process.env.ARW_DATASETS ?? resolve(repoRoot, '../shared/datasets');
export const present = existsSync(DATASETS);
if (!present) console.warn(`import-datasets: skipped, dataset folder ${DATASETS} not found (set ARW_DATASETS)`);

export const raw = (rel: string) => readFileSync(join(DATASETS, rel));
export const text = (rel: string) => {
  const b = raw(rel);
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  return new TextDecoder().decode(b).replace(/^\uFEFF/, '');
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (rel: string): any => JSON.parse(text(rel));

export function load(rel: string) {
  const out = importFiles([{ name: rel, bytes: new Uint8Array(raw(rel)) }]);
  expect(out.refused, `${rel} refused: ${out.refused.map((r) => r.message).join('; ')}`).toEqual([]);
  expect(out.sources).toHaveLength(1);
  return out;
}
/** Assignments counted are the direct grants the file lists; inherited ones (with a path) are checked apart. */
export function counts(d: SnapshotData) {
  return {
    identities: d.identities.length,
    entitlements: d.entitlements.length,
    assignments: countDirectAssignments(d),
    credentials: d.credentials.length,
  };
}
export const byId = (d: SnapshotData, id: string) => d.identities.find((i) => i.id === id);
export const files = (dir: string, ext: string) =>
  present
    ? readdirSync(join(DATASETS, dir))
        .filter((f) => f.endsWith(ext))
        .map((f) => `${dir}/${f}`)
    : [];

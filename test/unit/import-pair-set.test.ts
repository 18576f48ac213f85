// The duplicate-grant check of workbench CSV assignments: a typed pair set that must agree with a plain Set, and
// the duplicate rows it finds reported by file, line and field (the first grant kept).
import { describe, expect, it } from 'vitest';
import { importFiles, type ImportFile } from '../../shared/import';
import { PairSet } from '../../shared/import/pair-set';
import { seededRandom } from '../bench/workbench-data';

const file = (name: string, text: string): ImportFile => ({ name, bytes: new TextEncoder().encode(text) });

describe('PairSet', () => {
  it('agrees with a Set of "a,b" keys over random pairs, through several growths', () => {
    const rnd = seededRandom(7);
    const pairs = new PairSet(4);
    const reference = new Set<string>();
    for (let n = 0; n < 50_000; n++) {
      // Small ranges make repeats common; a few large indexes test the hash's spread.
      const a = n % 97 === 0 ? 4_000_000_000 - n : Math.floor(rnd() * 3000);
      const b = Math.floor(rnd() * 40);
      expect(pairs.has(a, b)).toBe(reference.has(`${a},${b}`));
      pairs.add(a, b);
      reference.add(`${a},${b}`);
    }
    expect(pairs.size).toBe(reference.size);
    expect(pairs.has(0, 0)).toBe(reference.has('0,0'));
    expect(pairs.has(2999, 41)).toBe(false);
  });

  it('locate then addAt (one probe per row) agrees with has and add, through several growths', () => {
    const rnd = seededRandom(11);
    const pairs = new PairSet(4);
    const reference = new Set<string>();
    for (let n = 0; n < 50_000; n++) {
      const a = Math.floor(rnd() * 2000);
      const b = Math.floor(rnd() * 30);
      const at = pairs.locate(a, b);
      expect(at >= 0).toBe(reference.has(`${a},${b}`));
      if (at < 0) pairs.addAt(at, a, b);
      reference.add(`${a},${b}`);
      expect(pairs.has(a, b)).toBe(true);
    }
    expect(pairs.size).toBe(reference.size);
  });
});

describe('workbench CSV: duplicate grants', () => {
  it('rejects a repeated identity/entitlement pair naming file, line and field, and keeps the first', () => {
    const outcome = importFiles([
      file('identities.csv', 'id,displayName,type,status\nu1,Ann,human,active\nu2,Bob,human,active\n'),
      file('entitlements.csv', 'id,name,application,privilege\ne1,E1,App,low\ne2,E2,App,low\n'),
      file(
        'assignments.csv',
        'identityId,entitlementId,grantedAt,lastUsedAt,source\nu1,e1,2024-01-01,,\nu2,e1,,,\nu1,e2,,,\nu1,e1,2025-01-01,,\nu9,e1,bad,,\n',
      ),
    ]);
    const errors = outcome.files.find((f) => f.file === 'assignments.csv')!.errors;
    expect(errors).toContainEqual(
      expect.objectContaining({
        file: 'assignments.csv',
        line: 5,
        field: 'entitlementId',
        message: 'duplicate assignment of "e1" to "u1"',
      }),
    );
    // An unknown id does not hide the row's other bad fields.
    expect(errors.filter((e) => e.line === 6).map((e) => e.field)).toEqual(['identityId', 'grantedAt']);
    expect(outcome.data.assignments.map((a) => `${a.identityId}/${a.entitlementId}/${a.grantedAt ?? ''}`)).toEqual([
      'u1/e1/2024-01-01',
      'u2/e1/',
      'u1/e2/',
    ]);
  });
});

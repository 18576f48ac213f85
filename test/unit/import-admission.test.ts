// Bounded admission (#19): an import's memory is estimated from its files' sizes and refused before reading when
// it passes what the machine can give; the budget is the tightest limit the runtime tells.
import { describe, expect, it } from 'vitest';
import {
  admitImport,
  COMPRESSED_EXPANSION,
  CSV_BYTES_PER_INPUT_BYTE,
  estimateImportMemory,
  IMPORT_BASE_BYTES,
  IMPORT_BYTES_PER_INPUT_BYTE,
  importMemoryBudget,
} from '../../shared/import';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** The workbench CSV the bench generates: 52 MiB for 1,000,000 assignments, 156 MiB for 3,000,000. */
const csv = (mib: number) => [
  { name: 'identities.csv', bytes: mib * 0.1 * MIB },
  { name: 'entitlements.csv', bytes: 0.01 * MIB },
  { name: 'assignments.csv', bytes: mib * 0.9 * MIB },
];

describe('the estimate', () => {
  it('grows with the bytes of every file, at the measured factor, plus a base', () => {
    expect(estimateImportMemory([])).toBe(IMPORT_BASE_BYTES);
    expect(estimateImportMemory([{ name: 'a.csv', bytes: 10 * MIB }])).toBe(IMPORT_BASE_BYTES + 10 * MIB * CSV_BYTES_PER_INPUT_BYTE);
    expect(estimateImportMemory([{ name: 'dir.ldif', bytes: 10 * MIB }])).toBe(IMPORT_BASE_BYTES + 10 * MIB * IMPORT_BYTES_PER_INPUT_BYTE);
    expect(estimateImportMemory([{ name: 'users.json', bytes: 10 * MIB }])).toBe(
      IMPORT_BASE_BYTES + 10 * MIB * IMPORT_BYTES_PER_INPUT_BYTE,
    );
    const one = estimateImportMemory([
      { name: 'a.csv', bytes: 52 * MIB },
      { name: 'b.csv', bytes: MIB },
    ]);
    const three = estimateImportMemory([
      { name: 'a.csv', bytes: 156 * MIB },
      { name: 'b.csv', bytes: 3 * MIB },
    ]);
    expect(three - IMPORT_BASE_BYTES).toBe(3 * (one - IMPORT_BASE_BYTES));
  });

  it('counts compressed inputs (xlsx, c1z) as what they expand to', () => {
    const plain = estimateImportMemory([{ name: 'users.json', bytes: MIB }]) - IMPORT_BASE_BYTES;
    expect(estimateImportMemory([{ name: 'Sheet.XLSX', bytes: MIB }]) - IMPORT_BASE_BYTES).toBe(plain * COMPRESSED_EXPANSION);
    expect(estimateImportMemory([{ name: 'sync.c1z', bytes: MIB }]) - IMPORT_BASE_BYTES).toBe(plain * COMPRESSED_EXPANSION);
  });
});

describe('the budget', () => {
  it('is the tightest known limit: the heap limit, half the device memory, a lowered setting', () => {
    expect(importMemoryBudget({})).toBeNull();
    expect(importMemoryBudget({ jsHeapSizeLimit: 4 * GIB })).toBe(4 * GIB);
    expect(importMemoryBudget({ deviceMemoryGiB: 4 })).toBe(2 * GIB);
    expect(importMemoryBudget({ jsHeapSizeLimit: 4 * GIB, deviceMemoryGiB: 8 })).toBe(4 * GIB);
    expect(importMemoryBudget({ jsHeapSizeLimit: 4 * GIB, deviceMemoryGiB: 8, override: 100 * MIB })).toBe(100 * MIB);
  });

  it('ignores signals that are missing, zero, negative or not numbers', () => {
    expect(importMemoryBudget({ jsHeapSizeLimit: 0, deviceMemoryGiB: Number.NaN, override: -1 })).toBeNull();
    expect(importMemoryBudget({ jsHeapSizeLimit: Infinity, deviceMemoryGiB: 2 })).toBe(GIB);
  });
});

describe('admission', () => {
  it('on a 3.5 GiB worker heap: 3,000,000 and 10,000,000 assignments of workbench CSV are admitted, 20,000,000 refused', () => {
    const budget = importMemoryBudget({ jsHeapSizeLimit: 3.5 * GIB, deviceMemoryGiB: 8 });
    expect(admitImport(csv(52), budget).admitted).toBe(true);
    expect(admitImport(csv(156), budget).admitted).toBe(true);
    expect(admitImport(csv(521), budget).admitted).toBe(true);
    const refused = admitImport(csv(1042), budget);
    expect(refused).toEqual({ admitted: false, needBytes: estimateImportMemory(csv(1042)), budgetBytes: 3.5 * GIB });
    expect(refused.needBytes).toBeGreaterThan(6 * GIB);
    // The same bytes as JSON are counted at the older, larger factor.
    const json = csv(521).map((f) => ({ ...f, name: f.name.replace(/csv$/, 'json') }));
    expect(admitImport(json, budget).admitted).toBe(false);
  });

  it('admits right up to the budget and refuses one byte past it; with no known limit it admits', () => {
    const files = [{ name: 'a.csv', bytes: MIB }];
    const need = estimateImportMemory(files);
    expect(admitImport(files, need).admitted).toBe(true);
    expect(admitImport(files, need - 1).admitted).toBe(false);
    expect(admitImport(csv(10_000), null)).toMatchObject({ admitted: true, budgetBytes: null });
  });
});

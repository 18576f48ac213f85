// Bounded admission: before an import reads a byte, what it will need is estimated from the files' sizes and
// compared with what this machine can give the app; an import that would not fit is refused at once, naming both.

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/**
 * Heap an import takes per byte of input, at its peak, in the import worker (whose own heap limit is the budget).
 * Measured in Node on the bench's workbench CSV before the parser's records were made compact: 11.5× at its
 * peak. Kept for the formats read whole or through generic parsers (JSON, YAML, LDIF), not measured since.
 */
export const IMPORT_BYTES_PER_INPUT_BYTE = 12;
/**
 * The same for CSV. Measured in Node on the bench's workbench CSV at 3,000,000 assignments (156 MiB): the import
 * completes in a 450 MiB heap (2.9×; 338 MiB live once parsed); doubled for CSV formats with other parsers and for
 * the worker's reading buffers. At 10,000,000 assignments (521 MiB) that is 3.1 GiB, within a 3.5 GiB worker heap.
 */
export const CSV_BYTES_PER_INPUT_BYTE = 6;
/** Compressed inputs (.xlsx, Baton .c1z) expand before they are parsed: assumed eightfold (not measured). */
export const COMPRESSED_EXPANSION = 8;
/** What any import takes regardless of its size (worker, parser tables, the Dexie transaction). */
export const IMPORT_BASE_BYTES = 64 * MIB;
/** Share of the machine's memory the app may count on when only the machine's total is known. */
const SHARE_OF_DEVICE_MEMORY = 0.5;

export interface ImportInputSize {
  name: string;
  bytes: number;
}

/** Expected peak memory of importing these files together (one snapshot), in bytes. */
export function estimateImportMemory(files: readonly ImportInputSize[]): number {
  let total = IMPORT_BASE_BYTES;
  for (const f of files) total += f.bytes * bytesPerInputByte(f.name);
  return total;
}

function bytesPerInputByte(name: string): number {
  if (isCompressed(name)) return IMPORT_BYTES_PER_INPUT_BYTE * COMPRESSED_EXPANSION;
  return /\.csv$/i.test(name) ? CSV_BYTES_PER_INPUT_BYTE : IMPORT_BYTES_PER_INPUT_BYTE;
}

function isCompressed(name: string): boolean {
  return /\.(xlsx|c1z)$/i.test(name);
}

/** What the runtime tells about its memory; each may be missing (other browsers, workers). */
export interface MemorySignals {
  /** performance.memory.jsHeapSizeLimit (Chromium): the most one JavaScript heap (the import worker's) can hold. */
  jsHeapSizeLimit?: number;
  /** navigator.deviceMemory: the machine's memory in GiB, rounded down and capped (at 8 in Chromium). */
  deviceMemoryGiB?: number;
  /** A lower limit set for testing and support (the browser host's debug setting), in bytes. */
  override?: number;
}

/** The memory this machine can give an import, in bytes: the tightest known limit, or null when none is known. */
export function importMemoryBudget(signals: MemorySignals): number | null {
  const limits: number[] = [];
  if (isPositive(signals.jsHeapSizeLimit)) limits.push(signals.jsHeapSizeLimit);
  if (isPositive(signals.deviceMemoryGiB)) limits.push(signals.deviceMemoryGiB * GIB * SHARE_OF_DEVICE_MEMORY);
  if (isPositive(signals.override)) limits.push(signals.override);
  return limits.length ? Math.min(...limits) : null;
}

function isPositive(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}

export type Admission =
  { admitted: true; needBytes: number; budgetBytes: number | null } | { admitted: false; needBytes: number; budgetBytes: number };

/** Whether these files may be imported with `budgetBytes` (null: no limit known, admitted). */
export function admitImport(files: readonly ImportInputSize[], budgetBytes: number | null): Admission {
  const needBytes = estimateImportMemory(files);
  if (budgetBytes === null || needBytes <= budgetBytes) return { admitted: true, needBytes, budgetBytes };
  return { admitted: false, needBytes, budgetBytes };
}

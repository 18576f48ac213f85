// Reading an untrusted archive safely, in memory only (nothing is ever written to disk).
//
// The central directory is read and every entry checked before anything is inflated: names (absolute paths,
// ".." segments, backslashes, control characters, duplicates), count, declared sizes against the limits, and
// compression ratios typical of zip bombs. Each local header must agree with its central-directory entry, so no
// other ZIP tool can be shown a different file under the same name. Inflation then stops as soon as an entry
// yields more than it declared (rejected, never expanded), and each entry's CRC-32 is checked. The archive is read
// from a RandomAccessSource: only its headers are held, each entry's data read when it is needed.
import { crc32 } from './crc32';
import { inflateEntry, inflateEntryPieces, type InflateOutcome } from './deflate-codec';
import { bytesSource, isBytesSource, sourceSlices, type RandomAccessSource } from './random-access-source';
import type { ArchiveLimits, ArchiveReadResult } from './types';

const MiB = 1024 * 1024;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  // 12 files plus one embedded decision set per reviewer and approver of a large campaign.
  maxEntries: 10_000,
  // A package of 1,000,000 decisions holds a 1.2 GiB audit log and 4.1 GiB of files in all (the verifier on Node
  // reads the log and the files it only digests a piece at a time; the portable path inflates each whole): the
  // per-entry limit is what a ZIP without ZIP64 can state, the total what such a package needs.
  maxEntryBytes: 0xffffffff,
  maxTotalBytes: 6 * 1024 * MiB,
  maxCompressionRatio: 200,
  ratioFloorBytes: 1 * MiB,
};

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const END_RECORD_BYTES = 22;
const CENTRAL_HEADER_BYTES = 46;
const LOCAL_HEADER_BYTES = 30;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;

interface CentralEntry {
  name: string;
  crc32: number;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

interface LocatedEntry extends CentralEntry {
  dataStart: number;
}

/**
 * The parts of an archive read so far (its start, its end record and central directory, each local header), at
 * their offsets; a byte not read reads as 0, as a byte past the end of the archive does.
 */
export class ArchiveHeaders {
  private readonly parts: { at: number; bytes: Uint8Array }[] = [];
  /** Parts by where they start, and the part last read: a header is read from its start, byte after byte, so a
   * lookup is not a scan of every part (10,000 entries took 20 s to open from a file with the scan). */
  private readonly starts = new Map<number, { at: number; bytes: Uint8Array }>();
  private last: { at: number; bytes: Uint8Array } | undefined;
  constructor(readonly length: number) {}

  static of(bytes: Uint8Array): ArchiveHeaders {
    return new ArchiveHeaders(bytes.length).add(0, bytes);
  }

  add(at: number, bytes: Uint8Array): this {
    const part = { at, bytes };
    this.parts.push(part);
    if (!this.starts.has(at)) this.starts.set(at, part);
    this.last = part;
    return this;
  }

  /** A part read that holds byte `at` (all parts are reads of the same archive, so any one will do). */
  private partAt(at: number): { at: number; bytes: Uint8Array } | undefined {
    const holds = (p: { at: number; bytes: Uint8Array } | undefined) => p !== undefined && at >= p.at && at < p.at + p.bytes.length;
    if (holds(this.last)) return this.last;
    const start = this.starts.get(at);
    if (holds(start)) return (this.last = start);
    for (const p of this.parts) if (holds(p)) return (this.last = p);
    return undefined;
  }

  byte(at: number): number {
    const p = this.partAt(at);
    return p ? p.bytes[at - p.at]! : 0;
  }

  /** The bytes from `from` to `to`, as far as one part read holds them. */
  sub(from: number, to: number): Uint8Array {
    const p = this.partAt(from);
    return p ? p.bytes.subarray(from - p.at, Math.min(to, this.length) - p.at) : new Uint8Array(0);
  }
}

/** True when the bytes start like a ZIP archive (a local header, or the end record of an empty archive). */
export function looksLikeZip(bytes: Uint8Array | ArchiveHeaders): boolean {
  if (bytes.length < 4) return false;
  const sig = u32(bytes, 0);
  return sig === SIG_LOCAL || sig === SIG_END;
}

/** An entry whose inflation has started (or, for a deferred one, starts when `content` is first read): its bytes, or the problem that stopped it. */
export interface OpenedEntry {
  name: string;
  readonly content: Promise<Uint8Array | string>;
  /** The entry as stored, its headers checked (for a reader that inflates it elsewhere). */
  stored: StoredEntry;
  /**
   * The content handed to `piece` as it inflates, nothing kept (see inflateEntryPieces): null once all of it has been,
   * with its size and CRC-32 checked, else the problem (as `content` names it). For a deferred entry read only so.
   */
  pieces(piece: (bytes: Uint8Array) => void): Promise<string | null>;
}

/** An entry as the archive stores it: its data (deflated, or stored as is) and what the archive states of it. */
export interface StoredEntry {
  /** 0: stored, 8: deflated (the only methods the archive reader accepts). */
  method: number;
  /** The inflated size, which the archive states and the reader has checked against its limits. */
  size: number;
  crc32: number;
  compressedSize: number;
  /** The stored data, read whole (rejects when the archive ends first). */
  data(): Promise<Uint8Array>;
  /** The stored data a slice at a time, nothing kept (throws when the archive ends first). */
  slices(): AsyncIterable<Uint8Array>;
  /** Where the data lies in a file any thread of this process may read (see RandomAccessSource.fd). */
  file?: { fd: number; offset: number };
}

export type ArchiveOpenResult =
  { ok: true; entries: OpenedEntry[]; headers: ArchiveHeaders } | { ok: false; problems: string[]; isZip: boolean };

/** Which entries a caller needs first: they inflate alone, the others once they are done. */
export interface InflateOrder {
  first?: readonly string[];
  /** Entries inflated only when their content is first asked for (a caller that may read them elsewhere). */
  deferred?: readonly string[];
  /** Every entry inflated only when its content is first asked for (a caller that reads one or two). */
  lazy?: boolean;
}

/**
 * Checks the whole central directory and every local header first (nothing is inflated if any entry is unsafe),
 * then starts inflating every entry at once (or the `first` ones, then the rest), so a caller can work on the first
 * entries while later ones inflate.
 */
export function openPackageArchive(bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}, order: InflateOrder = {}): ArchiveOpenResult {
  const headers = ArchiveHeaders.of(bytes);
  const isZip = looksLikeZip(headers);
  if (!isZip) return { ok: false, isZip, problems: [NOT_ZIP] };
  const directory = readCentralDirectory(headers);
  if (!directory.ok) return { ok: false, isZip, problems: directory.problems };
  return openEntries(bytesSource(bytes), headers, directory.entries, limits, order);
}

const NOT_ZIP = 'not a ZIP archive (a certification package is a .arwpkg ZIP file)';

/**
 * openPackageArchive over a source read by offset: its start, its last 64 KiB (the end record), the central
 * directory and each local header are read first and checked the same way; entries are read when they inflate.
 */
export async function openArchiveSource(
  source: RandomAccessSource,
  limits: Partial<ArchiveLimits> = {},
  order: InflateOrder = {},
): Promise<ArchiveOpenResult> {
  if (isBytesSource(source)) return openPackageArchive(source.bytes, limits, order);
  const headers = new ArchiveHeaders(source.size);
  headers.add(0, await source.read(0, Math.min(4, source.size)));
  const isZip = looksLikeZip(headers);
  if (!isZip) return { ok: false, isZip, problems: [NOT_ZIP] };
  const tail = Math.max(0, source.size - END_RECORD_BYTES - 0xffff);
  headers.add(tail, await source.read(tail, source.size - tail));
  const end = findEndRecord(headers);
  // The directory as readCentralDirectory reads it: from its offset to the end record, once it lies inside them.
  if (end >= 0 && u32(headers, end + 16) + u32(headers, end + 12) <= end)
    headers.add(u32(headers, end + 16), await source.read(u32(headers, end + 16), end - u32(headers, end + 16)));
  const directory = readCentralDirectory(headers);
  if (!directory.ok) return { ok: false, isZip, problems: directory.problems };
  for (const e of directory.entries) {
    if (e.localOffset + LOCAL_HEADER_BYTES > source.size) continue;
    const head = await source.read(e.localOffset, LOCAL_HEADER_BYTES);
    headers.add(e.localOffset, head);
    headers.add(
      e.localOffset + LOCAL_HEADER_BYTES,
      await source.read(e.localOffset + LOCAL_HEADER_BYTES, u16(headers, e.localOffset + 26)),
    );
  }
  return openEntries(source, headers, directory.entries, limits, order);
}

function openEntries(
  source: RandomAccessSource,
  headers: ArchiveHeaders,
  entries: readonly CentralEntry[],
  limits: Partial<ArchiveLimits>,
  order: InflateOrder,
): ArchiveOpenResult {
  const l: ArchiveLimits = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const isZip = true;
  const problems = entryProblems(entries, l);
  const located: LocatedEntry[] = [];
  for (const entry of entries) {
    const local = locateData(headers, entry);
    if (typeof local === 'string') problems.push(local);
    else located.push(local);
  }
  if (!problems.length) problems.push(...overlapProblems(located));
  if (problems.length) return { ok: false, isZip, problems };
  // Entries inflate concurrently (on the thread pool where the runtime has native streams): the ones needed first
  // get the cores to themselves, then the others start.
  const first = new Set(order.first ?? []);
  const deferred = new Set(order.deferred ?? []);
  const early = new Map(
    located.filter((e) => !order.lazy && first.has(e.name) && !deferred.has(e.name)).map((e) => [e, entryContent(source, e)]),
  );
  const rest = Promise.allSettled(early.values());
  return {
    ok: true,
    headers,
    entries: located.map((entry) => {
      const stored: StoredEntry = {
        method: entry.method,
        size: entry.size,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        data: () => storedData(source, entry).then((d) => d ?? Promise.reject(new Error(truncated(entry)))),
        slices: () => sourceSlices(source, entry.dataStart, entry.compressedSize),
        ...(source.fd !== undefined ? { file: { fd: source.fd, offset: entry.dataStart } } : {}),
      };
      const pieces = (piece: (bytes: Uint8Array) => void) => entryPieces(source, entry, piece);
      if (!order.lazy && !deferred.has(entry.name))
        return { name: entry.name, stored, pieces, content: early.get(entry) ?? rest.then(() => entryContent(source, entry)) };
      let content: Promise<Uint8Array | string> | null = null;
      return {
        name: entry.name,
        stored,
        pieces,
        get content() {
          return (content ??= entryContent(source, entry));
        },
      };
    }),
  };
}

/** The entry's stored data, or null when the source ends before it does (a file that shrank since it was opened). */
async function storedData(source: RandomAccessSource, e: LocatedEntry): Promise<Uint8Array | null> {
  const data = await source.read(e.dataStart, e.compressedSize);
  return data.length === e.compressedSize ? data : null;
}

function truncated(e: CentralEntry): string {
  return `entry "${printable(e.name)}": its data runs past the end of the archive (truncated)`;
}

/** The whole archive, in memory, or every problem found: nothing is returned if any entry is unsafe or damaged. */
export async function readPackageArchive(bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}): Promise<ArchiveReadResult> {
  const opened = openPackageArchive(bytes, limits);
  if (!opened.ok) return opened;
  const contents = await Promise.all(opened.entries.map((e) => e.content));
  const problems = contents.filter((c): c is string => typeof c === 'string');
  if (problems.length) return { ok: false, isZip: true, problems };
  return { ok: true, entries: opened.entries.map((e, i) => ({ name: e.name, bytes: contents[i] as Uint8Array })) };
}

/** readPackageArchive over a source read by offset (openArchiveSource). */
export async function readArchiveSource(source: RandomAccessSource, limits: Partial<ArchiveLimits> = {}): Promise<ArchiveReadResult> {
  const opened = await openArchiveSource(source, limits);
  if (!opened.ok) return opened;
  const contents = await Promise.all(opened.entries.map((e) => e.content));
  const problems = contents.filter((c): c is string => typeof c === 'string');
  if (problems.length) return { ok: false, isZip: true, problems };
  return { ok: true, entries: opened.entries.map((e, i) => ({ name: e.name, bytes: contents[i] as Uint8Array })) };
}

type DirectoryRead = { ok: true; entries: CentralEntry[] } | { ok: false; problems: string[] };

function readCentralDirectory(bytes: ArchiveHeaders): DirectoryRead {
  const end = findEndRecord(bytes);
  if (end < 0) return { ok: false, problems: ['the archive is truncated or damaged: its end-of-central-directory record is missing'] };
  const diskEntries = u16(bytes, end + 8);
  const count = u16(bytes, end + 10);
  const directorySize = u32(bytes, end + 12);
  const directoryOffset = u32(bytes, end + 16);
  const commentLength = u16(bytes, end + 20);
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff)
    return { ok: false, problems: ['ZIP64 archives are not supported (a package is far smaller than 4 GiB)'] };
  if (u16(bytes, end + 4) !== 0 || u16(bytes, end + 6) !== 0 || diskEntries !== count)
    return { ok: false, problems: ['multi-part (spanned) archives are not supported'] };
  if (end + END_RECORD_BYTES + commentLength !== bytes.length)
    return { ok: false, problems: ['the archive has data after its end record (appended or truncated content)'] };
  if (directoryOffset + directorySize > end)
    return { ok: false, problems: ['the archive is truncated or damaged: its central directory lies outside the file'] };
  const entries: CentralEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_HEADER_BYTES > end || u32(bytes, at) !== SIG_CENTRAL)
      return { ok: false, problems: [`the archive is damaged: central-directory entry ${i + 1} of ${count} is unreadable`] };
    const nameLength = u16(bytes, at + 28);
    const next = at + CENTRAL_HEADER_BYTES + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
    if (next > end) return { ok: false, problems: [`the archive is damaged: central-directory entry ${i + 1} runs past the directory`] };
    const flags = u16(bytes, at + 8);
    const name = decodeName(bytes.sub(at + CENTRAL_HEADER_BYTES, at + CENTRAL_HEADER_BYTES + nameLength));
    if (name === null) return { ok: false, problems: [`central-directory entry ${i + 1}: its name is not valid UTF-8`] };
    entries.push({
      name,
      flags,
      crc32: u32(bytes, at + 16),
      method: u16(bytes, at + 10),
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      localOffset: u32(bytes, at + 42),
    });
    at = next;
  }
  if (at !== directoryOffset + directorySize)
    return { ok: false, problems: ['the archive is damaged: its central directory size does not match its entries'] };
  return { ok: true, entries };
}

function findEndRecord(bytes: ArchiveHeaders): number {
  const lowest = Math.max(0, bytes.length - END_RECORD_BYTES - 0xffff);
  for (let at = bytes.length - END_RECORD_BYTES; at >= lowest; at--) if (u32(bytes, at) === SIG_END) return at;
  return -1;
}

/** Names are read as UTF-8 (package names are ASCII); a name that is not valid UTF-8, CP437 included, is refused. */
function decodeName(raw: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return null;
  }
}

/** Names and sizes, checked before anything is inflated. */
function entryProblems(entries: readonly CentralEntry[], l: ArchiveLimits): string[] {
  const problems: string[] = [];
  if (entries.length > l.maxEntries) problems.push(`the archive has ${entries.length} entries; at most ${l.maxEntries} are accepted`);
  const seen = new Map<string, string>();
  let total = 0;
  for (const e of entries) {
    const nameProblem = unsafeNameReason(e.name);
    if (nameProblem) problems.push(`entry "${printable(e.name)}": ${nameProblem}`);
    const folded = e.name.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier === e.name) problems.push(`entry "${printable(e.name)}" appears more than once (duplicate name)`);
    else if (earlier !== undefined)
      problems.push(
        `entries "${printable(earlier)}" and "${printable(e.name)}" differ only by letter case (duplicate name on most file systems)`,
      );
    else seen.set(folded, e.name);
    if (e.flags & FLAG_ENCRYPTED) problems.push(`entry "${printable(e.name)}" is encrypted`);
    if (e.method !== 0 && e.method !== 8)
      problems.push(`entry "${printable(e.name)}" uses compression method ${e.method}; only stored (0) and deflate (8) are accepted`);
    if (e.method === 0 && e.size !== e.compressedSize) problems.push(`entry "${printable(e.name)}" is stored but declares different sizes`);
    if (e.size > l.maxEntryBytes)
      problems.push(`entry "${printable(e.name)}" declares ${formatBytes(e.size)}; the limit is ${formatBytes(l.maxEntryBytes)} per entry`);
    const ratio = e.size / Math.max(1, e.compressedSize);
    if (e.size > l.ratioFloorBytes && ratio > l.maxCompressionRatio) {
      problems.push(
        `entry "${printable(e.name)}" expands ${Math.round(ratio)}× (${formatBytes(e.compressedSize)} → ${formatBytes(e.size)}), typical of a zip bomb; the limit is ${l.maxCompressionRatio}×`,
      );
    }
    total += e.size;
  }
  if (total > l.maxTotalBytes)
    problems.push(`the entries declare ${formatBytes(total)} in all; the limit is ${formatBytes(l.maxTotalBytes)}`);
  return problems;
}

/** Why a name is unsafe to extract anywhere, or null. */
export function unsafeNameReason(name: string): string | null {
  if (name === '') return 'empty name';
  if (name.includes('\\')) return 'backslash in the name (a Windows path separator)';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute path';
  if (name.split('/').some((segment) => segment === '..')) return '".." path segment (it would escape the folder)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character in the name';
  return null;
}

function locateData(bytes: ArchiveHeaders, e: CentralEntry): LocatedEntry | string {
  const at = e.localOffset;
  if (at + LOCAL_HEADER_BYTES > bytes.length || u32(bytes, at) !== SIG_LOCAL)
    return `entry "${printable(e.name)}": its local header is missing (archive truncated or damaged)`;
  const nameLength = u16(bytes, at + 26);
  const dataStart = at + LOCAL_HEADER_BYTES + nameLength + u16(bytes, at + 28);
  const localName = decodeName(bytes.sub(at + LOCAL_HEADER_BYTES, at + LOCAL_HEADER_BYTES + nameLength));
  if (localName !== e.name)
    return `entry "${printable(e.name)}": its local header names "${printable(localName ?? '?')}" (the two names of one entry must agree)`;
  if (u16(bytes, at + 8) !== e.method)
    return `entry "${printable(e.name)}": its local header and central directory disagree on the compression method`;
  if (dataStart + e.compressedSize > bytes.length) return truncated(e);
  return { ...e, dataStart };
}

function overlapProblems(entries: readonly LocatedEntry[]): string[] {
  const sorted = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  const problems: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    if (before.dataStart + before.compressedSize > sorted[i]!.localOffset)
      problems.push(`entries "${printable(before.name)}" and "${printable(sorted[i]!.name)}" overlap in the archive`);
  }
  return problems;
}

async function entryContent(source: RandomAccessSource, e: LocatedEntry): Promise<Uint8Array | string> {
  const data = await storedData(source, e);
  if (!data) return truncated(e);
  if (e.method === 0)
    return crc32(data) === e.crc32 ? data.slice() : `entry "${printable(e.name)}" is damaged: its content does not match its CRC-32`;
  const out = await inflateEntry(data, e.size, e.crc32);
  return inflateProblem(e, out instanceof Uint8Array ? out.length : out) ?? (out as Uint8Array);
}

/** entryContent's checks, the content handed on a piece at a time (see OpenedEntry.pieces). */
async function entryPieces(source: RandomAccessSource, e: LocatedEntry, piece: (bytes: Uint8Array) => void): Promise<string | null> {
  if (e.method === 0) {
    const data = await storedData(source, e);
    if (!data) return truncated(e);
    if (crc32(data) !== e.crc32) return `entry "${printable(e.name)}" is damaged: its content does not match its CRC-32`;
    piece(data);
    return null;
  }
  if (isBytesSource(source)) {
    const data = await storedData(source, e);
    return data ? inflateProblem(e, await inflateEntryPieces(data, e.size, e.crc32, piece)) : truncated(e);
  }
  // From a file the data is read a slice at a time as it inflates, never held whole. A damaged entry is read again
  // whole, so its problem is named as from memory (zlib may stop at the trailer before the size limit bites).
  const problem = inflateProblem(e, await inflateEntryPieces(sourceSlices(source, e.dataStart, e.compressedSize), e.size, e.crc32, piece));
  if (problem === null) return null;
  const data = await storedData(source, e);
  return data ? inflateProblem(e, await inflateEntryPieces(data, e.size, e.crc32, () => {})) : truncated(e);
}

/** A stored entry over data in memory (an entry handed to an audit-log reader by hand, as tests do). */
export function storedEntryOf(method: number, data: Uint8Array, size: number, crc32: number): StoredEntry {
  return {
    method,
    size,
    crc32,
    compressedSize: data.length,
    data: () => Promise.resolve(data),
    slices: async function* () {
      yield data;
    },
  };
}

/** What is wrong with an entry that inflated to `out` bytes (or failed so), or null. */
function inflateProblem(e: LocatedEntry, out: number | Exclude<InflateOutcome, Uint8Array>): string | null {
  const name = printable(e.name);
  if (out === 'too-large') return `entry "${name}" inflates to more than the ${formatBytes(e.size)} it declares (rejected)`;
  if (out === 'crc-mismatch') return `entry "${name}" is damaged: its content does not match the CRC-32 and size the archive states`;
  if (typeof out !== 'number') return `entry "${name}" is damaged: its compressed data cannot be inflated (${out.damaged})`;
  if (out !== e.size) return `entry "${name}" inflates to ${formatBytes(out)}, not the ${formatBytes(e.size)} it declares (damaged)`;
  return null;
}

function u16(b: Uint8Array | ArchiveHeaders, at: number): number {
  if (b instanceof ArchiveHeaders) return b.byte(at) | (b.byte(at + 1) << 8);
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32(b: Uint8Array | ArchiveHeaders, at: number): number {
  if (b instanceof ArchiveHeaders) return (b.byte(at) | (b.byte(at + 1) << 8) | (b.byte(at + 2) << 16) | (b.byte(at + 3) << 24)) >>> 0;
  return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
}

function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < MiB) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * MiB) return `${(n / MiB).toFixed(1)} MiB`;
  return `${(n / 1024 / MiB).toFixed(2)} GiB`;
}

/**
 * How the archive's headers depart from the way arw writes a package (archive-writer.ts): versions 2.0, no flags
 * but UTF-8, entry time 1980-01-01 00:00, no extra fields, comments or attributes, local headers equal to the
 * central directory, entries back to back from offset 0, the central directory right after them. A package is a
 * sealed artifact: re-zipping it (even with the same files) is a change the verifier reports.
 */
export function archiveLayoutDeviations(archive: Uint8Array | ArchiveHeaders): string[] {
  const bytes = archive instanceof ArchiveHeaders ? archive : ArchiveHeaders.of(archive);
  const end = findEndRecord(bytes);
  if (end < 0) return ['the archive has no end record'];
  const count = u16(bytes, end + 10);
  const directoryOffset = u32(bytes, end + 16);
  const deviations: string[] = [];
  let central = directoryOffset;
  let expectedLocal = 0;
  for (let i = 0; i < count; i++) {
    const nameLength = u16(bytes, central + 28);
    const name = printable(decodeName(bytes.sub(central + CENTRAL_HEADER_BYTES, central + CENTRAL_HEADER_BYTES + nameLength)) ?? '?');
    const local = u32(bytes, central + 42);
    const fixed = [u16(bytes, central + 4), u16(bytes, central + 6), u16(bytes, local + 4)].every((v) => v === 20);
    const flags = u16(bytes, central + 8);
    const sameCommon = bytes.sub(central + 8, central + 28).every((b, k) => b === bytes.byte(local + 6 + k));
    const quiet =
      u16(bytes, central + 12) === 0 &&
      u16(bytes, central + 14) === 0x21 &&
      u16(bytes, central + 30) === 0 &&
      u16(bytes, central + 32) === 0;
    const noAttributes =
      u16(bytes, central + 34) === 0 && u16(bytes, central + 36) === 0 && u32(bytes, central + 38) === 0 && u16(bytes, local + 28) === 0;
    if (!fixed || (flags & ~FLAG_UTF8) !== 0 || !sameCommon || !quiet || !noAttributes)
      deviations.push(`entry "${name}": its ZIP headers are not as arw writes them (re-zipped or edited archive)`);
    if (local !== expectedLocal) deviations.push(`entry "${name}" does not follow the entry before it (data hidden between entries?)`);
    expectedLocal = local + LOCAL_HEADER_BYTES + nameLength + u32(bytes, central + 20);
    central += CENTRAL_HEADER_BYTES + nameLength;
  }
  if (expectedLocal !== directoryOffset) deviations.push('there is data between the last entry and the central directory');
  if (u16(bytes, end + 20) !== 0) deviations.push('the archive carries a comment');
  return deviations;
}

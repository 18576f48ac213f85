// ZIP archives written deterministically: entries in the order given, every entry time 1980-01-01 00:00 (DOS time
// has no zone, so this is the same in every time zone), no extra fields, no comments. Entries deflate in parallel
// (see deflate-codec.ts). Used for the .arwpkg package and for report.xlsx. A long entry may be written in slices
// (openZipEntry): where the host compresses streams, no slice outlives its compression, so the file never exists
// whole; the archive is then a list of parts (assembleZipParts), its compressed data never copied into one buffer.
import { inflateSync } from 'fflate';
import { deflateEntry, deflatedStream } from './deflate-codec';
import { crc32 } from './crc32';
import { fileSha256 } from './file-digest';
import { runtimePrimitives } from './runtime-primitives';
import { joinParts } from './join-parts';

export { joinParts } from './join-parts';

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
  /** Store entries that are already compressed (report.xlsx inside the package) instead of deflating them. */
  store?: boolean;
}

/** An entry whose compression has started; the archive is assembled once every entry is ready. */
export interface PendingZipEntry {
  name: string;
  prepared: Promise<PreparedEntry>;
}

/** Starts compressing an entry at once (on the thread pool where the runtime allows), so it overlaps other work. */
export function startZipEntry(entry: ZipEntry): PendingZipEntry {
  return { name: entry.name, prepared: prepare(entry) };
}

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const VERSION = 20; // 2.0: deflate, folders
const FLAG_UTF8 = 0x0800;
const encoder = new TextEncoder();

export interface PreparedEntry {
  name: Uint8Array;
  flags: number;
  method: 0 | 8;
  /** The entry's data (deflated or stored) in the pieces it was produced in; empty once spooled. */
  data: Uint8Array[];
  /** Where the data went instead of memory (spoolEntry), if it did. */
  spooled?: SpooledData;
  /** The data's length (the pieces' total). */
  dataSize: number;
  crc32: number;
  size: number;
}

/** An entry being written in slices (openZipEntry). */
export interface ZipEntryWriter {
  /** Adds the next slice, read or copied before the promise resolves: the caller may then write over it. */
  write(slice: Uint8Array): Promise<void>;
  /** The entry's end: it is then ready to assemble, with its file's SHA-256 (hex; empty if not asked for). */
  close(): { entry: PendingZipEntry; sha256: Promise<string> };
}

/**
 * An entry written in slices, deflated. Where the host compresses and hashes streams (Node), each slice is
 * compressed and hashed as it comes; elsewhere the slices are joined at close and the entry compressed whole.
 */
export function openZipEntry(name: string, options: { digest?: boolean } = {}): ZipEntryWriter {
  const digest = options.digest !== false;
  const { gzipStream, sha256Stream } = runtimePrimitives();
  if (!gzipStream || (digest && !sha256Stream)) {
    const slices: Uint8Array[] = [];
    return {
      write: (slice) => {
        slices.push(slice.slice());
        return Promise.resolve();
      },
      close() {
        const bytes = joinParts(slices);
        slices.length = 0;
        return { entry: startZipEntry({ name, bytes }), sha256: digest ? fileSha256(bytes) : Promise.resolve('') };
      },
    };
  }
  const stream = gzipStream();
  const hash = digest ? sha256Stream!() : null;
  let size = 0;
  return {
    write(slice) {
      size += slice.length;
      hash?.update(slice);
      return stream.write(slice);
    },
    close() {
      const sha256 = hash?.digestHex() ?? '';
      const prepared = stream.end().then((member) => {
        const { data, dataSize, crc32: crc } = deflatedStream(member, size);
        return { ...entryName(name), method: 8 as const, data, dataSize, crc32: crc, size };
      });
      return { entry: { name, prepared }, sha256: Promise.resolve(sha256) };
    },
  };
}

/** Where a spool holds an entry's data. */
export interface SpooledData {
  offset: number;
  size: number;
}

/**
 * Holds entries' data outside memory until the archive is written (on Node: a file beside the destination,
 * electron/cli/archive-file.ts), so a package of a million decisions does not keep its whole compressed data alive
 * while the rest is written. The archive's entry order (manifest first) is known only at the end, hence a spool.
 */
export interface EntrySpool {
  /** Stores an entry's data, in order; resolves once it is stored (the caller then drops it). */
  put(data: readonly Uint8Array[]): Promise<SpooledData>;
  /** The stored data back, piece by piece, in order; each piece valid until the next is asked for. */
  read(stored: SpooledData): AsyncIterable<Uint8Array>;
}

/** Where an archive is written as it is made: its bytes in order, and a spool for entries' data meanwhile. */
export interface ArchiveDestination {
  spool: EntrySpool;
  /** The archive's next bytes (valid until the promise resolves). */
  write(bytes: Uint8Array): Promise<void>;
}

/** The entry, its data moved to `spool` as soon as it is ready (the archive's bytes are the same). */
export function spoolEntry(entry: PendingZipEntry, spool: EntrySpool): PendingZipEntry {
  return {
    name: entry.name,
    prepared: entry.prepared.then(async (e) => {
      const spooled = await spool.put(e.data);
      return { ...e, data: [], spooled };
    }),
  };
}

/**
 * Writes the archive of `entries` to `write` piece by piece (headers, each entry's data from memory or its spool,
 * the central directory): the same bytes as assembleZipParts' parts. Each piece is valid until `write` resolves.
 */
export async function writeArchive(
  entries: readonly PendingZipEntry[],
  write: (bytes: Uint8Array) => Promise<void>,
  spool?: EntrySpool,
): Promise<{ size: number; prepared: PreparedEntry[] }> {
  const prepared = await preparedInOrder(entries);
  let size = 0;
  for (const piece of assemble(prepared)) {
    if (piece instanceof Uint8Array) {
      size += piece.length;
      await write(piece);
      continue;
    }
    if (!spool) throw new Error('an entry was spooled, but no spool was given to read it back');
    for await (const bytes of spool.read(piece)) {
      size += bytes.length;
      await write(bytes);
    }
  }
  return { size, prepared };
}

/** An entry's content back from its prepared form (stored, or inflated). */
export function preparedContent(e: PreparedEntry): Uint8Array {
  if (e.spooled) throw new Error('the entry was spooled: read it from the archive written');
  const data = joinParts(e.data);
  return e.method === 0 ? data : inflateSync(data, { out: new Uint8Array(e.size) });
}

export async function writeZip(entries: readonly ZipEntry[]): Promise<Uint8Array> {
  return assembleZip(entries.map(startZipEntry));
}

export async function assembleZip(entries: readonly PendingZipEntry[]): Promise<Uint8Array> {
  return joinParts((await assembleZipParts(entries)).parts);
}

/** The archive as the list of its parts, in order (headers, each entry's data as produced, the central directory). */
export async function assembleZipParts(
  entries: readonly PendingZipEntry[],
): Promise<{ parts: Uint8Array[]; size: number; prepared: PreparedEntry[] }> {
  const prepared = await preparedInOrder(entries);
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const p of assemble(prepared)) {
    if (!(p instanceof Uint8Array)) throw new Error('an entry was spooled: write the archive with writeArchive');
    parts.push(p);
    size += p.length;
  }
  return { parts, size, prepared };
}

async function preparedInOrder(entries: readonly PendingZipEntry[]): Promise<PreparedEntry[]> {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) throw new Error(`duplicate archive entry "${e.name}"`);
    seen.add(e.name);
  }
  return Promise.all(entries.map((e) => e.prepared));
}

function entryName(name: string): { name: Uint8Array; flags: number } {
  return { name: encoder.encode(name), flags: /^[\x20-\x7e]*$/.test(name) ? 0 : FLAG_UTF8 };
}

async function prepare(entry: ZipEntry): Promise<PreparedEntry> {
  const named = entryName(entry.name);
  if (entry.store || entry.bytes.length === 0)
    return { ...named, method: 0, data: [entry.bytes], dataSize: entry.bytes.length, crc32: crc32(entry.bytes), size: entry.bytes.length };
  const { deflated, crc32: crc } = await deflateEntry(entry.bytes);
  return { ...named, method: 8, data: [deflated], dataSize: deflated.length, crc32: crc, size: entry.bytes.length };
}

/** The archive's pieces in order: headers and in-memory data as bytes, spooled data as where it lies. */
function* assemble(entries: readonly PreparedEntry[]): Generator<Uint8Array | SpooledData> {
  let localBytes = 0;
  let centralBytes = 0;
  for (const e of entries) {
    localBytes += 30 + e.name.length + e.dataSize;
    centralBytes += 46 + e.name.length;
  }
  if (localBytes + centralBytes > 0xffffffff || entries.length > 0xfffe)
    throw new Error('the archive would need ZIP64 (over 4 GiB or 65,534 entries)');
  const offsets: number[] = [];
  let at = 0;
  for (const e of entries) {
    offsets.push(at);
    const header = new Uint8Array(30 + e.name.length);
    const view = new DataView(header.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(4, VERSION, true);
    writeCommon(view, 6, e);
    view.setUint16(26, e.name.length, true);
    view.setUint16(28, 0, true);
    header.set(e.name, 30);
    yield header;
    for (const d of e.data) if (d.length) yield d;
    if (e.spooled && e.spooled.size) yield e.spooled;
    at += header.length + e.dataSize;
  }
  const centralStart = at;
  const central = new Uint8Array(centralBytes + 22);
  const view = new DataView(central.buffer);
  let c = 0;
  entries.forEach((e, i) => {
    view.setUint32(c, 0x02014b50, true);
    view.setUint16(c + 4, VERSION, true);
    view.setUint16(c + 6, VERSION, true);
    writeCommon(view, c + 8, e);
    view.setUint16(c + 28, e.name.length, true);
    // extra length, comment length, disk, internal and external attributes: all zero
    view.setUint32(c + 42, offsets[i]!, true);
    central.set(e.name, c + 46);
    c += 46 + e.name.length;
  });
  view.setUint32(c, 0x06054b50, true);
  view.setUint16(c + 8, entries.length, true);
  view.setUint16(c + 10, entries.length, true);
  view.setUint32(c + 12, c, true);
  view.setUint32(c + 16, centralStart, true);
  yield central;
}

/** flags, method, time, date, CRC-32, compressed size, size: the same 22 bytes in local and central headers. */
function writeCommon(view: DataView, at: number, e: PreparedEntry): void {
  view.setUint16(at, e.flags, true);
  view.setUint16(at + 2, e.method, true);
  view.setUint16(at + 4, DOS_TIME, true);
  view.setUint16(at + 6, DOS_DATE, true);
  view.setUint32(at + 8, e.crc32, true);
  view.setUint32(at + 12, e.dataSize, true);
  view.setUint32(at + 16, e.size, true);
}

// ZIP archives written deterministically: entries in the order given, every entry time 1980-01-01 00:00 (DOS time
// has no zone, so this is the same in every time zone), no extra fields, no comments. Entries deflate in parallel
// (see deflate-codec.ts). Used for the .arwpkg package and for report.xlsx.
import { deflateEntry } from './deflate-codec';
import { crc32 } from './crc32';

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
  data: Uint8Array;
  crc32: number;
  size: number;
}

export async function writeZip(entries: readonly ZipEntry[]): Promise<Uint8Array> {
  return assembleZip(entries.map(startZipEntry));
}

export async function assembleZip(entries: readonly PendingZipEntry[]): Promise<Uint8Array> {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) throw new Error(`duplicate archive entry "${e.name}"`);
    seen.add(e.name);
  }
  return assemble(await Promise.all(entries.map((e) => e.prepared)));
}

async function prepare(entry: ZipEntry): Promise<PreparedEntry> {
  const name = encoder.encode(entry.name);
  const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : FLAG_UTF8;
  if (entry.store || entry.bytes.length === 0)
    return { name, flags, method: 0, data: entry.bytes, crc32: crc32(entry.bytes), size: entry.bytes.length };
  const { deflated, crc32: crc } = await deflateEntry(entry.bytes);
  return { name, flags, method: 8, data: deflated, crc32: crc, size: entry.bytes.length };
}

function assemble(entries: readonly PreparedEntry[]): Uint8Array {
  let localBytes = 0;
  let centralBytes = 0;
  for (const e of entries) {
    localBytes += 30 + e.name.length + e.data.length;
    centralBytes += 46 + e.name.length;
  }
  if (localBytes + centralBytes > 0xffffffff || entries.length > 0xfffe)
    throw new Error('the archive would need ZIP64 (over 4 GiB or 65,534 entries)');
  const out = new Uint8Array(localBytes + centralBytes + 22);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  let at = 0;
  for (const e of entries) {
    offsets.push(at);
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, VERSION, true);
    writeCommon(view, at + 6, e);
    view.setUint16(at + 26, e.name.length, true);
    view.setUint16(at + 28, 0, true);
    out.set(e.name, at + 30);
    out.set(e.data, at + 30 + e.name.length);
    at += 30 + e.name.length + e.data.length;
  }
  const centralStart = at;
  entries.forEach((e, i) => {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, VERSION, true);
    view.setUint16(at + 6, VERSION, true);
    writeCommon(view, at + 8, e);
    view.setUint16(at + 28, e.name.length, true);
    // extra length, comment length, disk, internal and external attributes: all zero
    view.setUint32(at + 42, offsets[i]!, true);
    out.set(e.name, at + 46);
    at += 46 + e.name.length;
  });
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, at - centralStart, true);
  view.setUint32(at + 16, centralStart, true);
  return out;
}

/** flags, method, time, date, CRC-32, compressed size, size: the same 22 bytes in local and central headers. */
function writeCommon(view: DataView, at: number, e: PreparedEntry): void {
  view.setUint16(at, e.flags, true);
  view.setUint16(at + 2, e.method, true);
  view.setUint16(at + 4, DOS_TIME, true);
  view.setUint16(at + 6, DOS_DATE, true);
  view.setUint32(at + 8, e.crc32, true);
  view.setUint32(at + 12, e.data.length, true);
  view.setUint32(at + 16, e.size, true);
}

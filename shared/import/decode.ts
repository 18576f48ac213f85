// Bytes to text: BOM sniffing (UTF-8, UTF-16 LE/BE), UTF-16 without BOM by NUL pattern, strict UTF-8 otherwise.
import { sha256Hex } from '../codec';
import type { DecodedFile, ImportFile } from './types';

export class DecodeError extends Error {}

export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeStrict('utf-8', bytes.subarray(3)), encoding: 'utf-8 (BOM)' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: decodeStrict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le (BOM)' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: decodeStrict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be (BOM)' };
  // UTF-16 without BOM: ASCII text shows a NUL in every other byte.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0)
    return { text: decodeStrict('utf-16le', bytes), encoding: 'utf-16le' };
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0)
    return { text: decodeStrict('utf-16be', bytes), encoding: 'utf-16be' };
  try {
    return { text: decodeStrict('utf-8', bytes), encoding: 'utf-8' };
  } catch {
    // Legacy exports (Windows-1252) still open; the evidence records the encoding used.
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

function decodeStrict(label: string, bytes: Uint8Array): string {
  return new TextDecoder(label, { fatal: true }).decode(bytes);
}

export function decodeFile(file: ImportFile): DecodedFile {
  const { text, encoding } = decodeText(file.bytes);
  return decodedFromText({ name: file.name, size: file.bytes.byteLength, sha256: file.sha256 ?? sha256Hex(file.bytes), encoding, text });
}

/** A decoded file from its text, with the JSON parsed up front when the text looks like JSON. */
export function decodedFromText(decoded: DecodedFile): DecodedFile {
  const trimmed = decoded.text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      decoded.json = JSON.parse(decoded.text);
    } catch {
      // Not JSON after all; formats that need JSON will not detect it.
    }
  }
  return decoded;
}

/** The last path segment of a name, lower-cased: formats match on file names. */
export function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return (parts[parts.length - 1] ?? name).toLowerCase();
}

// A large LDIF, pair-list or AWS credential-report file (over the 256 KiB head) with a Windows-1252 byte after its
// head: the streamed reading finds it only part-way and asks importSources to read the file again as Windows-1252.
// A format's own error handler must not swallow that request (it used to turn it into "cannot read this file").
// Read as the app's worker reads a dropped File: a Blob, slice by slice (renderer/workers/blob-source.ts).
import { describe, expect, it } from 'vitest';
import { HEAD_BYTES, importFiles, importSources, type ImportFile } from '../../shared/import';
import { blobSource } from '../../renderer/workers/blob-source';
import { CREDENTIAL_REPORT_COLUMNS } from '../../shared/import/formats/aws';
import { ldifDirectory } from '../bench/workbench-data';

const now = () => new Date('2026-11-22T00:00:00Z');
const latin1 = (text: string) => Uint8Array.from(text, (c) => (c === 'é' ? 0xe9 : c.charCodeAt(0)));

function ldif(): ImportFile {
  const text = `${ldifDirectory(2500, 5)}\ndn: uid=cafe,ou=People,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: cafe\ncn: Café Owner\nsn: Café\n`;
  return { name: 'directory.ldif', bytes: latin1(text) };
}

function pairs(): ImportFile {
  const lines: string[] = [];
  for (let i = 0, size = 0; size < HEAD_BYTES + 10_000; i++) {
    lines.push(`${i % 4000} ${i % 97}`);
    size += lines[lines.length - 1]!.length + 1;
  }
  // A line the parser rejects (as the whole-file reading does), in a byte that is not UTF-8.
  return { name: 'pairs.txt', bytes: latin1(`${lines.join('\n')}\n12 Café\n7 8\n`) };
}

function credentialReport(): ImportFile {
  const rows = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  const row = (name: string) =>
    [
      name,
      `arn:aws:iam::123456789012:user/${name}`,
      '2024-01-01T00:00:00+00:00',
      'true',
      '2026-11-01T00:00:00+00:00',
      '2024-01-01T00:00:00+00:00',
      'N/A',
      'true',
      'true',
      '2024-01-01T00:00:00+00:00',
      '2026-11-01T00:00:00+00:00',
      'us-east-1',
      'iam',
      'false',
      'N/A',
      'N/A',
      'N/A',
      'N/A',
      'false',
      'N/A',
      'false',
      'N/A',
    ].join(',');
  for (let i = 0; rows.length * 200 < HEAD_BYTES + 20_000; i++) rows.push(row(`user${i}`));
  rows.push(row('café'));
  return { name: 'credential-report.csv', bytes: latin1(`${rows.join('\n')}\n`) };
}

describe('a Windows-1252 byte after the first 256 KiB of a streamed format', () => {
  it.each([
    ['LDIF', ldif, 'ldif'],
    ['pair list', pairs, 'user-permission-pairs'],
    ['AWS credential report', credentialReport, 'aws-credential-report'],
  ])('%s: read again as Windows-1252, the same outcome as the whole-file reading', async (_, make, format) => {
    const file = make();
    expect(file.bytes.byteLength).toBeGreaterThan(HEAD_BYTES);
    expect(file.bytes.indexOf(0xe9)).toBeGreaterThan(HEAD_BYTES);
    const streamed = await importSources([blobSource(file.name, new Blob([file.bytes as Uint8Array<ArrayBuffer>]), 64 * 1024)], { now });
    expect(streamed.refused).toEqual([]);
    const source = streamed.sources.find((s) => s.file === file.name)!;
    expect(source.format).toBe(format);
    // The byte read as Windows-1252: "Café" in the data (or, for the pair list, in the rejected row's message).
    expect(JSON.stringify(streamed)).toMatch(/café/i);
    expect(streamed).toEqual(importFiles([file], { now }));
  });
});

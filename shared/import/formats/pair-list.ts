// User–permission pair lists: one "user permission" pair per line, whitespace-separated, no header — the form
// of the HP Labs role-mining benchmarks (americas_large, customer, firewall1, ...). Users become identities,
// permissions entitlements, each line an assignment. The list carries no names, classes or dates.
import { CancelledError } from '../../model';
import { baseName } from '../decode';
import { type ParseContext } from '../types';
import { defineFormat, type FileLog, type SnapshotBuilder } from './common';

export const pairList = defineFormat({
  id: 'user-permission-pairs',
  label: 'User–permission pair list',
  formatVersion: '1',
  parserVersion: '1.0.0',
  detect(file) {
    if (file.json !== undefined) return null;
    const lines = file.text
      .slice(0, 16384)
      .split('\n', 51)
      .slice(0, 50)
      .filter((l) => l.trim() !== '');
    if (lines.length < 2) return null;
    // Integer ids only: a looser rule would claim any two-column text.
    if (!lines.every((l) => /^\s*\d+\s+\d+\s*$/.test(l))) return null;
    return `text lines of two whitespace-separated integer ids ("${lines[0]!.trim()}"), no header: a user–permission assignment list (role-mining benchmark form)`;
  },
  parseFile(file, b, log, ctx) {
    const reader = pairReader(file.name, b, log, ctx);
    reader.push(file.text);
    reader.end();
  },
  async parseFileStream(file, b, log, ctx) {
    const reader = pairReader(file.name, b, log, ctx);
    for await (const chunk of file.chunks()) reader.push(chunk);
    reader.end();
  },
});

/** Lines pushed in chunks of any size; the part after the last line break waits for the next chunk. */
function pairReader(name: string, b: SnapshotBuilder, log: FileLog, ctx: ParseContext): { push(chunk: string): void; end(): void } {
  const stem = baseName(name).replace(/\.[^.]+$/, '');
  const source = baseName(name);
  const seenUsers = new Set<string>();
  const seenPerms = new Set<string>();
  let lineNo = 0;
  let carry = '';
  const take = (line: string) => {
    lineNo++;
    if ((lineNo & 0xffff) === 0 && ctx.isCancelled?.()) throw new CancelledError();
    if (line.trim() === '') return;
    log.row();
    const sp = line.trim().split(/\s+/);
    if (sp.length !== 2) {
      log.reject(lineNo, `expected two whitespace-separated ids (user permission), found ${sp.length} field(s): "${line.slice(0, 40)}"`);
      return;
    }
    const [u, p] = sp as [string, string];
    const iid = `${stem}:user:${u}`;
    const pid = `${stem}:permission:${p}`;
    if (!seenUsers.has(u)) {
      seenUsers.add(u);
      b.identity(
        {
          id: iid,
          displayName: `user ${u}`,
          type: 'human',
          typeReason: 'anonymised user id in a user–permission list (human by default)',
          status: 'active',
        },
        name,
      );
    }
    if (!seenPerms.has(p)) {
      seenPerms.add(p);
      b.entitlement(
        {
          id: pid,
          name: `permission ${p}`,
          application: stem,
          privilege: 'medium',
          privilegeReason: 'anonymised permission id; no privilege detail in the source (medium by default)',
        },
        name,
      );
    }
    b.assign({ identityId: iid, entitlementId: pid, source, usageKnown: false });
  };
  return {
    push(chunk) {
      const text = carry + chunk;
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        take(text.slice(start, end));
        start = end + 1;
      }
      carry = text.slice(start);
    },
    end() {
      // The text after the last line break is a line too (an empty one when the file ends with a line break).
      take(carry);
      carry = '';
    },
  };
}

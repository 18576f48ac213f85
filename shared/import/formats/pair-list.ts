// User–permission pair lists: one "user permission" pair per line, whitespace-separated, no header — the form
// of the HP Labs role-mining benchmarks (americas_large, customer, firewall1, ...). Users become identities,
// permissions entitlements, each line an assignment. The list carries no names, classes or dates.
import { baseName } from '../decode';
import { ImportCancelled } from '../types';
import { defineFormat } from './common';

export const pairList = defineFormat({
  id: 'user-permission-pairs',
  label: 'User–permission pair list',
  formatVersion: '1',
  parserVersion: '1.0.0',
  detect(file) {
    if (file.json !== undefined) return null;
    const lines = file.text.slice(0, 16384).split('\n', 51).slice(0, 50).filter((l) => l.trim() !== '');
    if (lines.length < 2) return null;
    // Integer ids only: a looser rule would claim any two-column text.
    if (!lines.every((l) => /^\s*\d+\s+\d+\s*$/.test(l))) return null;
    return `text lines of two whitespace-separated integer ids ("${lines[0]!.trim()}"), no header: a user–permission assignment list (role-mining benchmark form)`;
  },
  parseFile(file, b, log, ctx) {
    const stem = baseName(file.name).replace(/\.[^.]+$/, '');
    const source = baseName(file.name);
    const text = file.text;
    let start = 0;
    let lineNo = 0;
    const seenUsers = new Set<string>();
    const seenPerms = new Set<string>();
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      lineNo++;
      if ((lineNo & 0xffff) === 0 && ctx.isCancelled?.()) throw new ImportCancelled();
      const line = text.slice(start, end);
      start = end + 1;
      if (line.trim() === '') {
        if (end === text.length) break;
        continue;
      }
      log.row();
      const sp = line.trim().split(/\s+/);
      if (sp.length !== 2) {
        log.reject(lineNo, `expected two whitespace-separated ids (user permission), found ${sp.length} field(s): "${line.slice(0, 40)}"`);
        continue;
      }
      const [u, p] = sp as [string, string];
      const iid = `${stem}:user:${u}`;
      const pid = `${stem}:permission:${p}`;
      if (!seenUsers.has(u)) {
        seenUsers.add(u);
        b.identity({ id: iid, displayName: `user ${u}`, type: 'human', typeReason: 'anonymised user id in a user–permission list (human by default)', status: 'active' }, file.name);
      }
      if (!seenPerms.has(p)) {
        seenPerms.add(p);
        b.entitlement({ id: pid, name: `permission ${p}`, application: stem, privilege: 'medium', privilegeReason: 'anonymised permission id; no privilege detail in the source (medium by default)' }, file.name);
      }
      b.assign({ identityId: iid, entitlementId: pid, source, usageKnown: false });
      if (end === text.length) break;
    }
  },
});

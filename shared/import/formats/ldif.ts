// LDIF (RFC 2849) directory dumps: people and accounts become identities, groups and roles entitlements,
// membership (member, uniqueMember, memberUid, memberOf, nsRoleDN) assignments. Active Directory attributes
// are read where present (userAccountControl, lastLogonTimestamp, pwdLastSet, servicePrincipalName).
import { CancelledError } from '../../model';
import { base64 } from '@scure/base';
import type { Identity, IdentityStatus } from '../../model';
import { classifyLdapEntry, privilegeFromName } from '../classify';
import { baseName } from '../decode';
import { type ParseContext, type StreamedFile } from '../types';
import { defineFormat, fromFiletime, fromGeneralizedTime, type FileLog, type SnapshotBuilder } from './common';

/** Active Directory userAccountControl flags the review reads (MS-ADTS 2.2.16). */
const UAC = {
  ACCOUNTDISABLE: 0x2,
  LOCKOUT: 0x10,
  PASSWD_NOTREQD: 0x20,
  DONT_EXPIRE_PASSWORD: 0x10000,
  SMARTCARD_REQUIRED: 0x40000,
  PASSWORD_EXPIRED: 0x800000,
} as const;

/** Lifecycle from AD, OpenLDAP, 389 DS and eDirectory attributes; the directory's own words kept in sourceStatus. */
function ldapState(e: LdifEntry, uac: number): { status: IdentityStatus; sourceStatus?: string } {
  const words: string[] = [];
  let status: IdentityStatus = 'active';
  const worse = (s: IdentityStatus) => {
    if (status !== 'disabled') status = s;
  };
  if (Number.isFinite(uac) && first(e, 'useraccountcontrol') !== undefined) {
    const flags = (Object.keys(UAC) as (keyof typeof UAC)[]).filter((k) => uac & UAC[k]);
    words.push(`userAccountControl 0x${uac.toString(16)}${flags.length ? ` (${flags.join(', ')})` : ''}`);
    if (uac & UAC.ACCOUNTDISABLE) worse('disabled');
    else if (uac & UAC.LOCKOUT) worse('suspended');
  }
  // AD keeps the lockout in lockoutTime (the LOCKOUT bit is often not set in the stored value).
  const lockoutTime = first(e, 'lockouttime');
  if (lockoutTime && /^\d+$/.test(lockoutTime) && lockoutTime !== '0') {
    words.push(`lockoutTime ${lockoutTime}`);
    worse('suspended');
  }
  if ((first(e, 'nsaccountlock') ?? '').toLowerCase() === 'true') {
    words.push('nsAccountLock true');
    worse('disabled');
  }
  if ((first(e, 'logindisabled') ?? '').toLowerCase() === 'true') {
    words.push('loginDisabled true');
    worse('disabled');
  }
  const pwdLocked = first(e, 'pwdaccountlockedtime');
  if (pwdLocked !== undefined) {
    // OpenLDAP ppolicy: 000001010000Z locks for good (an administrator's act); any other time is a lockout.
    words.push(`pwdAccountLockedTime ${pwdLocked}`);
    worse(pwdLocked.startsWith('000001010000') ? 'disabled' : 'suspended');
  }
  return { status, sourceStatus: words.length ? words.join('; ') : undefined };
}

export interface LdifEntry {
  dn: string;
  /** Line on which the record starts. */
  line: number;
  /** Attribute name (lower case, options dropped) to values. */
  attrs: Map<string, string[]>;
  changetype?: string;
}

const utf8 = new TextDecoder('utf-8');

/** Normalised DN for look-ups: lower case, no spaces around separators. */
export function dnKey(dn: string): string {
  const s = dn.trim().toLowerCase();
  return s.includes(' ') ? s.replace(/\s*([,=+])\s*/g, '$1') : s;
}

/**
 * Read LDIF records. Calls `onEntry` for each content record (and each `changetype: add`), `onError` for
 * records it cannot take (line, message); never throws on bad input.
 */
export function readLdif(
  text: string,
  onEntry: (e: LdifEntry) => void,
  onError: (line: number, message: string, field?: string) => void,
  isCancelled?: () => boolean,
  onRecords?: (records: number) => void,
): { records: number } {
  const reader = ldifReader(onEntry, onError, isCancelled, onRecords);
  reader.push(text);
  return reader.end();
}

/** readLdif over text pushed in chunks of any size (a streamed file): the same records wherever the chunks end. */
export function ldifReader(
  onEntry: (e: LdifEntry) => void,
  onError: (line: number, message: string, field?: string) => void,
  isCancelled?: () => boolean,
  onRecords?: (records: number) => void,
): { push(chunk: string): void; end(): { records: number } } {
  let records = 0;
  let entry: LdifEntry | null = null;
  let bad = false;
  let logical: string | null = null;
  let logicalLine = 0;
  let inComment = false;
  const names = new Map<string, string>();

  const finishRecord = () => {
    if (entry) {
      records++;
      if (!bad) {
        if (entry.changetype && entry.changetype !== 'add')
          onError(
            entry.line,
            `change record (changetype: ${entry.changetype}) is not directory content; skipped — export the directory's content instead`,
            'changetype',
          );
        else onEntry(entry);
      }
    }
    entry = null;
    bad = false;
  };

  const takeLine = (l: string, lineNo: number) => {
    // "-" separates modifications inside a change record.
    if (entry && l.trim() === '-') return;
    const colon = l.indexOf(':');
    if (colon <= 0) {
      if (!entry) {
        records++;
        onError(lineNo, `expected "dn: ..." to start a record, found "${l.slice(0, 40)}"`);
        entry = { dn: '', line: lineNo, attrs: new Map() };
        bad = true;
        return;
      }
      if (!bad) onError(lineNo, `expected "attribute: value", found "${l.slice(0, 40)}"`);
      bad = true;
      return;
    }
    const rawName = l.slice(0, colon);
    let name = names.get(rawName);
    if (name === undefined) {
      const semi = rawName.indexOf(';');
      name = (semi >= 0 ? rawName.slice(0, semi) : rawName).trim().toLowerCase();
      if (names.size < 4096) names.set(rawName, name);
    }
    let value: string;
    const next = l.charCodeAt(colon + 1);
    if (next === 58 /* :: base64 */) {
      const raw = l.slice(colon + 2).trim();
      try {
        value = utf8.decode(base64.decode(raw));
      } catch {
        if (!entry) {
          records++;
          entry = { dn: '', line: lineNo, attrs: new Map() };
        }
        if (!bad) onError(lineNo, `attribute "${name}": value after "::" is not valid base64`, name);
        bad = true;
        return;
      }
    } else if (next === 60 /* :< URL */) {
      if (!entry) {
        records++;
        entry = { dn: '', line: lineNo, attrs: new Map() };
      }
      if (!bad) onError(lineNo, `attribute "${name}": values given by URL (":<") are not read; export the values inline`, name);
      bad = true;
      return;
    } else {
      value = l.slice(colon + 1).trim();
    }
    if (!entry) {
      if (name === 'version' && records === 0) return;
      if (name !== 'dn') {
        records++;
        onError(lineNo, `expected "dn:" at the start of a record, found attribute "${name}"`, name);
        entry = { dn: '', line: lineNo, attrs: new Map() };
        bad = true;
        return;
      }
      entry = { dn: value, line: lineNo, attrs: new Map() };
      if (!value) {
        onError(lineNo, 'empty dn', 'dn');
        bad = true;
      }
      return;
    }
    if (name === 'changetype') {
      entry.changetype = value.toLowerCase();
      return;
    }
    if (name === '-') return;
    const list = entry.attrs.get(name);
    if (list) list.push(value);
    else entry.attrs.set(name, [value]);
  };

  // Walk the text by index: no array of every line is kept alive (large dumps stay in the young generation).
  let i = 0;
  let carry = '';
  /** The lines of `text`; the part after its last line break waits for the next chunk unless `final`. */
  const lines = (text: string, final: boolean) => {
    let pos = 0;
    const n = text.length;
    for (;;) {
      let end = text.indexOf('\n', pos);
      if (end < 0) {
        if (!final) {
          carry = text.slice(pos);
          return;
        }
        end = n;
      }
      let stop = end;
      if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--;
      const start = pos;
      pos = end + 1;
      i++;
      if ((i & 0xffff) === 0) {
        if (isCancelled?.()) throw new CancelledError();
        onRecords?.(records);
      }
      const first = start < stop ? text.charCodeAt(start) : -1;
      if (first === 32 /* folded continuation */) {
        if (!inComment && logical !== null) logical += text.slice(start + 1, stop);
      } else {
        if (logical !== null) {
          takeLine(logical, logicalLine);
          logical = null;
        }
        inComment = false;
        if (first === -1 || isBlank(text, start, stop)) finishRecord();
        else if (first === 35 /* # */) inComment = true;
        else {
          logical = text.slice(start, stop);
          logicalLine = i;
        }
      }
      if (end === n) {
        if (!final) carry = '';
        return;
      }
    }
  };
  return {
    push(chunk) {
      const text = carry + chunk;
      carry = '';
      lines(text, false);
    },
    end() {
      const text = carry;
      carry = '';
      lines(text, true);
      if (logical !== null) takeLine(logical, logicalLine);
      finishRecord();
      return { records };
    },
  };
}

function isBlank(text: string, start: number, stop: number): boolean {
  for (let k = start; k < stop; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

const PERSON = new Set([
  'person',
  'organizationalperson',
  'inetorgperson',
  'openldapperson',
  'posixaccount',
  'account',
  'user',
  'computer',
  'shadowaccount',
  'inetuser',
  'msds-managedserviceaccount',
  'msds-groupmanagedserviceaccount',
  'msds-delegatedmanagedserviceaccount',
]);
const GROUP = new Set([
  'groupofnames',
  'groupofuniquenames',
  'posixgroup',
  'group',
  'groupofurls',
  'groupofentries',
  'nsroledefinition',
  'nsmanagedroledefinition',
  'nssimpleroledefinition',
  'nsfilteredroledefinition',
  'nscomplexroledefinition',
  'nsnestedroledefinition',
  'organizationalrole',
]);

function isGroupMemberAttr(name: string): boolean {
  return (
    name === 'member' ||
    name === 'uniquemember' ||
    (name.startsWith('member') && !name.startsWith('memberof') && name !== 'memberuid' && name !== 'memberurl')
  );
}

export function ldifKind(e: LdifEntry): 'identity' | 'group' | 'other' {
  const ocs = (e.attrs.get('objectclass') ?? []).map((c) => c.toLowerCase());
  if (ocs.some((c) => GROUP.has(c) || (c.includes('group') && !c.startsWith('groupmember') && !PERSON.has(c)))) return 'group';
  if (ocs.some((c) => PERSON.has(c))) return 'identity';
  for (const k of e.attrs.keys()) if (isGroupMemberAttr(k)) return 'group';
  return 'other';
}

function first(e: LdifEntry, name: string): string | undefined {
  const v = e.attrs.get(name)?.[0];
  return v === undefined || v === '' ? undefined : v;
}

function rdnValue(dn: string): string {
  const firstRdn = dn.split(',')[0] ?? dn;
  const eq = firstRdn.indexOf('=');
  return (eq >= 0 ? firstRdn.slice(eq + 1) : firstRdn).trim() || dn;
}

function directoryName(dn: string): string {
  const dcs = dn
    .split(',')
    .map((p) => p.trim())
    .filter((p) => /^dc=/i.test(p))
    .map((p) => p.slice(3));
  if (dcs.length) return `LDAP directory ${dcs.join('.')}`;
  const o = dn
    .split(',')
    .map((p) => p.trim())
    .find((p) => /^o=/i.test(p));
  return o ? `LDAP directory ${o.slice(2)}` : 'LDAP directory';
}

/** The records of one file, pushed whole or in chunks; `build` then turns them into the snapshot. */
function fileReader(
  file: { name: string },
  b: SnapshotBuilder,
  log: FileLog,
  ctx: ParseContext,
): { push(chunk: string): void; end(): void } {
  // Repeated DNs (concatenated search outputs) are the same entry seen again: the last one wins.
  const entries = new Map<string, LdifEntry>();
  const reader = ldifReader(
    (e) => entries.set(dnKey(e.dn), e),
    (line, message, field) => log.reject(line, message, field),
    ctx.isCancelled,
    (n) => ctx.onRows?.(file.name, n),
  );
  return {
    push: (chunk) => reader.push(chunk),
    end: () => build(file, entries, reader.end().records, b, log),
  };
}

function parseFile(file: { name: string; text: string }, b: SnapshotBuilder, log: FileLog, ctx: ParseContext): void {
  const reader = fileReader(file, b, log, ctx);
  reader.push(file.text);
  reader.end();
}

async function parseFileStream(file: StreamedFile, b: SnapshotBuilder, log: FileLog, ctx: ParseContext): Promise<void> {
  const reader = fileReader(file, b, log, ctx);
  for await (const chunk of file.chunks()) reader.push(chunk);
  reader.end();
}

function build(file: { name: string }, entries: Map<string, LdifEntry>, records: number, b: SnapshotBuilder, log: FileLog): void {
  log.outcome.rowsRead = records;
  if (records === 0) {
    log.fatal('no LDIF records found (expected "dn: ..." entries separated by blank lines)');
    return;
  }
  const source = baseName(file.name);
  const identityByKey = new Map<string, string>();
  const identityByUid = new Map<string, string>();
  const groupByKey = new Map<string, string>();
  const groups: LdifEntry[] = [];
  const people: LdifEntry[] = [];
  for (const [key, e] of entries) {
    const kind = ldifKind(e);
    if (kind === 'identity') {
      people.push(e);
      identityByKey.set(key, e.dn.trim());
      for (const uid of [...(e.attrs.get('uid') ?? []), ...(e.attrs.get('samaccountname') ?? [])])
        identityByUid.set(uid.toLowerCase(), e.dn.trim());
    } else if (kind === 'group') {
      groups.push(e);
      groupByKey.set(key, e.dn.trim());
    }
  }
  for (const e of groups) {
    const name = first(e, 'cn') ?? first(e, 'name') ?? rdnValue(e.dn);
    const admin = first(e, 'admincount') === '1';
    const rating = admin
      ? { privilege: 'high' as const, reason: 'Active Directory adminCount=1 (protected administrative group)' }
      : privilegeFromName(name);
    const named = privilegeFromName(name);
    const best = named.privilege === 'critical' ? named : rating;
    const owner = first(e, 'owner') ?? first(e, 'managedby');
    b.entitlement(
      {
        id: e.dn.trim(),
        name,
        application: directoryName(e.dn),
        privilege: best.privilege,
        privilegeReason: best.reason,
        description: first(e, 'description'),
        ownerId: owner ? (identityByKey.get(dnKey(owner)) ?? owner) : undefined,
      },
      file.name,
    );
  }
  const assign = (identityId: string, entitlementId: string) => b.assign({ identityId, entitlementId, source, usageKnown: false });
  /** The group a memberOf value names; a group not in the file becomes an entitlement known from that attribute only. */
  const groupOf = (g: string, attr: string): string => {
    const key = dnKey(g);
    let gid = groupByKey.get(key);
    if (!gid) {
      gid = g.trim();
      const name = rdnValue(g);
      const rating = privilegeFromName(name);
      b.entitlement(
        {
          id: gid,
          name,
          application: directoryName(g),
          privilege: rating.privilege,
          privilegeReason: rating.reason,
          description: `known from ${attr} only (the group entry is not in this file)`,
        },
        file.name,
      );
      groupByKey.set(key, gid);
    }
    return gid;
  };
  for (const e of people) {
    const ocs = e.attrs.get('objectclass') ?? [];
    const spn = e.attrs.has('serviceprincipalname');
    const uac = Number(first(e, 'useraccountcontrol') ?? '0');
    const login = first(e, 'userprincipalname') ?? first(e, 'uid') ?? first(e, 'samaccountname');
    const displayName = first(e, 'displayname') ?? first(e, 'cn') ?? login ?? rdnValue(e.dn);
    const cls = classifyLdapEntry({ objectClasses: ocs, spn, name: login ?? displayName });
    const state = ldapState(e, uac);
    const disabled = state.status === 'disabled';
    const pwdLastSet = fromFiletime(first(e, 'pwdlastset'));
    const manager = first(e, 'manager');
    const id = e.dn.trim();
    const identity: Identity = {
      id,
      displayName,
      email: first(e, 'mail'),
      type: cls.type,
      typeReason: cls.reason,
      status: state.status,
      sourceStatus: state.sourceStatus,
      department: first(e, 'department') ?? first(e, 'departmentnumber') ?? first(e, 'ou'),
      title: first(e, 'title'),
      managerId: manager ? (identityByKey.get(dnKey(manager)) ?? manager) : undefined,
      createdAt: fromGeneralizedTime(first(e, 'whencreated') ?? first(e, 'createtimestamp')),
      employeeId: first(e, 'employeeid') ?? first(e, 'employeenumber'),
      login,
      lastLoginAt:
        fromFiletime(first(e, 'lastlogontimestamp')) ??
        fromFiletime(first(e, 'lastlogon')) ??
        fromGeneralizedTime(first(e, 'authtimestamp')) ??
        fromGeneralizedTime(first(e, 'pwdlastsuccess')),
      passwordLogin: e.attrs.has('userpassword') || pwdLastSet !== undefined ? true : undefined,
      passwordNeverExpires: Number.isFinite(uac) && uac & UAC.DONT_EXPIRE_PASSWORD ? true : undefined,
      // A smart card required for interactive logon is a second factor; AD says nothing of MFA otherwise.
      mfa: Number.isFinite(uac) && uac & UAC.SMARTCARD_REQUIRED ? true : undefined,
    };
    b.identity(identity, file.name);
    if (pwdLastSet)
      b.credential({ identityId: id, credentialId: 'password', kind: 'password', lastRotatedAt: pwdLastSet, active: !disabled, source });
    for (const [attr, values] of e.attrs) {
      if (!attr.startsWith('memberof') && attr !== 'nsroledn') continue;
      for (const g of values) assign(id, groupOf(g, attr));
    }
  }
  // AD style: a group's own memberOf names the groups it is nested in.
  for (const g of groups) {
    for (const [attr, values] of g.attrs) {
      if (!attr.startsWith('memberof')) continue;
      for (const outer of values) b.link({ memberId: g.dn.trim(), groupId: groupOf(outer, attr), kind: 'group', source });
    }
  }
  const nested: string[] = [];
  let dangling = 0;
  for (const g of groups) {
    const gid = g.dn.trim();
    for (const [attr, values] of g.attrs) {
      if (attr === 'memberuid') {
        for (const uid of values) {
          const iid = identityByUid.get(uid.toLowerCase());
          if (iid) assign(iid, gid);
          else dangling++;
        }
      } else if (isGroupMemberAttr(attr)) {
        for (const raw of values) {
          // uniqueMember may carry an optional "#'0101'B" unique-id suffix.
          const hash = attr === 'uniquemember' ? raw.lastIndexOf('#') : -1;
          const key = dnKey(hash > 0 ? raw.slice(0, hash) : raw);
          const iid = identityByKey.get(key);
          if (iid) assign(iid, gid);
          else if (groupByKey.has(key)) {
            // OpenLDAP style: a group listed as a member of another; its members inherit this group.
            nested.push(rdnValue(groupByKey.get(key)!));
            b.link({ memberId: groupByKey.get(key)!, groupId: gid, kind: 'group', source });
          } else dangling++;
        }
      }
    }
    if (nested.length) {
      // Effective access is expanded after merge; the description names the nested groups for the reviewer too.
      const e = b.getEntitlement(gid);
      if (e)
        e.description = `${e.description ? `${e.description}; ` : ''}also grants to the members of nested group(s): ${nested.join(', ')}`;
      nested.length = 0;
    }
  }
  if (dangling)
    log.note(0, `${dangling} member value(s) name entries that are not in this file; those memberships are not stored`, 'member');
}

export const ldif = defineFormat({
  id: 'ldif',
  label: 'LDIF directory dump',
  formatVersion: 'RFC 2849',
  parserVersion: '1.0.0',
  detect(file) {
    const head = file.text.slice(0, 65536);
    for (const raw of head.split('\n', 200)) {
      const l = raw.replace(/\r$/, '');
      if (l === '' || l.startsWith('#') || l.startsWith(' ')) continue;
      if (/^version:\s*1\s*$/i.test(l)) continue;
      if (/^dn::? ?/i.test(l)) return 'text whose first record starts with "dn:" (RFC 2849 LDIF)';
      return null;
    }
    return null;
  },
  parseFile(file, b, log, ctx) {
    parseFile(file, b, log, ctx);
  },
  parseFileStream,
});

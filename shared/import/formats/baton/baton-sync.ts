// A Baton sync (the SQLite database inside a v1 .c1z) into the model. Users (resources of a type with the user
// trait, or carrying a UserTrait) are identities; every entitlement is an entitlement; a grant to a user that the
// connector listed (not one Baton's expansion derived) is a direct assignment; a grant carrying GrantExpandable is a
// nesting link (holders of the listed entitlements, e.g. group:G:member, inherit the granted one). Effective access
// is then expanded by the workbench itself, the same way for expanded and unexpanded syncs.
import type { SqliteDatabase } from '../../types';
import type protobuf from 'protobufjs';
import type { IdentityType, IdentityStatus, RowError } from '../../../model';
import { privilegeFromName } from '../../classify';
import type { FileLog, SnapshotBuilder } from '../common';
import { batonTypes } from './c1z';

/** The part of a SQLite engine (sql.js's Database) the reader uses. */
type Obj = Record<string, unknown>;
const TRAIT_USER = 'TRAIT_USER';

export class BatonRefusal extends Error {}

function rows(db: SqliteDatabase, sql: string, each: (row: unknown[]) => void): void {
  const st = db.prepare(sql);
  try {
    while (st.step()) each(st.get());
  } finally {
    st.free();
  }
}

function columns(db: SqliteDatabase, table: string): Set<string> {
  const r = db.exec(`PRAGMA table_info(${table})`);
  return new Set((r[0]?.values ?? []).map((v) => String(v[1])));
}

/** The sync to read: the latest that ended; else one stopped only before grant expansion (the workbench expands). */
export function chooseSync(db: SqliteDatabase): { syncId: string; note?: string } {
  const r = db.exec('SELECT sync_id, started_at, ended_at, sync_token FROM v1_sync_runs ORDER BY started_at DESC');
  const runs = (r[0]?.values ?? []).map((v) => ({ id: String(v[0]), startedAt: String(v[1]), ended: v[2] !== null && v[2] !== undefined && v[2] !== '', token: String(v[3] ?? '') }));
  if (!runs.length) throw new BatonRefusal('the file holds no sync run (v1_sync_runs is empty)');
  const done = runs.find((x) => x.ended);
  if (done) return { syncId: done.id };
  const last = runs[0]!;
  let token: Obj = {};
  try {
    token = JSON.parse(last.token) as Obj;
  } catch {
    // An unreadable token says nothing about the progress: treated as unfinished below.
  }
  const current = (token.current_action as Obj | undefined)?.operation;
  const pending = Array.isArray(token.actions) ? (token.actions as Obj[]).map((a) => String(a.operation)) : [];
  if (current === 'grant-expansion' && pending.every((p) => p === 'grant-expansion')) {
    return { syncId: last.id, note: `sync ${last.id} stopped before grant expansion (everything was listed); inherited access is expanded by the workbench` };
  }
  const at = current ? ` (it stopped at "${String(current)}"${pending.length ? `, with ${pending.join(', ')} still to do` : ''})` : '';
  throw new BatonRefusal(`sync ${last.id}, started ${last.startedAt}, never finished${at}: its data is incomplete; run the connector again until the sync ends`);
}

function decode(type: protobuf.Type, data: unknown): Obj {
  if (!(data instanceof Uint8Array)) throw new Error('data is not a blob');
  return type.toObject(type.decode(data), { enums: String, longs: Number, defaults: false }) as Obj;
}

/** Annotations (google.protobuf.Any) decoded where their type is known: short type name → message. */
function annotations(list: unknown): Map<string, Obj> {
  const out = new Map<string, Obj>();
  if (!Array.isArray(list)) return out;
  for (const a of list as Obj[]) {
    const url = String(a.type_url ?? a.typeUrl ?? '');
    const full = url.slice(url.lastIndexOf('/') + 1);
    const name = full.slice(full.lastIndexOf('.') + 1);
    const type = batonTypes().lookup(full);
    if (!type || !('decode' in type) || !(a.value instanceof Uint8Array)) {
      out.set(name, {});
      continue;
    }
    try {
      out.set(name, decode(type as protobuf.Type, a.value));
    } catch {
      // An annotation that does not decode is ignored like an unknown one; the record itself is still read.
      out.set(name, {});
    }
  }
  return out;
}

const rid = (id: unknown) => {
  const o = (id ?? {}) as Obj;
  return `${String(o.resourceType ?? '')}:${String(o.resource ?? '')}`;
};
const identityId = (resourceKey: string) => `baton:${resourceKey}`;
const entitlementId = (id: string) => `baton:${id}`;

function timestamp(t: unknown): string | undefined {
  if (!t || typeof t !== 'object') return undefined;
  const s = Number((t as Obj).seconds ?? 0);
  if (!Number.isFinite(s) || s <= 0) return undefined;
  return new Date(s * 1000).toISOString();
}

function userStatus(trait: Obj, resource: Obj): { status: IdentityStatus; sourceStatus?: string } {
  const s = String(((trait.status ?? {}) as Obj).status ?? resource.status ?? '');
  const details = ((trait.status ?? {}) as Obj).details;
  const word = details ? `${s} (${String(details)})` : s || undefined;
  if (s === 'STATUS_DISABLED' || s === 'RESOURCE_STATUS_DISABLED') return { status: 'disabled', sourceStatus: word };
  if (s === 'STATUS_DELETED') return { status: 'terminated', sourceStatus: word };
  return { status: 'active', sourceStatus: word };
}

function userType(trait: Obj, anns: Map<string, Obj>): { type: IdentityType; reason: string } {
  const nhi = anns.get('NonHumanIdentityTrait');
  if (nhi) return { type: 'service', reason: `Baton non-human identity${nhi.nhiType ? ` (${String(nhi.nhiType)})` : ''}` };
  if (anns.has('AgentTrait')) return { type: 'agent', reason: 'Baton agent trait' };
  switch (trait.accountType) {
    case 'ACCOUNT_TYPE_SERVICE':
      return { type: 'service', reason: 'Baton user trait account type SERVICE' };
    case 'ACCOUNT_TYPE_SYSTEM':
      return { type: 'system', reason: 'Baton user trait account type SYSTEM' };
    case 'ACCOUNT_TYPE_HUMAN':
      return { type: 'human', reason: 'Baton user trait account type HUMAN' };
    default:
      return { type: 'human', reason: 'Baton user without an account type (human by default)' };
  }
}

export interface BatonReadOutcome {
  rowsRead: number;
  notes: RowError[];
}

/** Read one sync of a Baton SQLite database into the builder. Rows that do not decode are rejected, naming table and row id. */
export function readBatonSync(db: SqliteDatabase, file: string, b: SnapshotBuilder, log: FileLog): string | undefined {
  const { syncId, note } = chooseSync(db);
  const T = batonTypes();
  const ResourceType = T.lookupType('c1.connector.v2.ResourceType');
  const Resource = T.lookupType('c1.connector.v2.Resource');
  const Entitlement = T.lookupType('c1.connector.v2.Entitlement');
  const Grant = T.lookupType('c1.connector.v2.Grant');
  const Expandable = T.lookupType('c1.connector.v2.GrantExpandable');
  const q = `'${syncId.replace(/'/g, "''")}'`;
  const source = file;
  const typeNames = new Map<string, string>();
  const userTypes = new Set<string>();
  let record = 0;
  const guarded = (table: string, id: unknown, f: () => void) => {
    record++;
    log.row();
    try {
      f();
    } catch (error) {
      log.reject(record, `${table} row ${String(id)}: not a readable Baton record (${error instanceof Error ? error.message : String(error)})`, 'data');
    }
  };
  rows(db, `SELECT id, data FROM v1_resource_types WHERE sync_id = ${q}`, ([id, data]) =>
    guarded('v1_resource_types', id, () => {
      const rt = decode(ResourceType, data);
      const key = String(rt.id ?? '');
      typeNames.set(key, String(rt.displayName ?? key));
      if (Array.isArray(rt.traits) && rt.traits.includes(TRAIT_USER)) userTypes.add(key);
    }),
  );
  const users = new Set<string>();
  const resourceNames = new Map<string, string>();
  rows(db, `SELECT id, data FROM v1_resources WHERE sync_id = ${q}`, ([id, data]) =>
    guarded('v1_resources', id, () => {
      const r = decode(Resource, data);
      const key = rid(r.id);
      const anns = annotations(r.annotations);
      resourceNames.set(key, String(r.displayName ?? key));
      const trait = anns.get('UserTrait');
      const rtype = String(((r.id ?? {}) as Obj).resourceType ?? '');
      if (!trait && !userTypes.has(rtype)) return;
      const t = trait ?? {};
      users.add(key);
      const emails = Array.isArray(t.emails) ? (t.emails as Obj[]) : [];
      const email = (emails.find((e) => e.isPrimary) ?? emails[0])?.address;
      const cls = userType(t, anns);
      const st = userStatus(t, r);
      const mfa = t.mfaStatus as Obj | undefined;
      b.identity(
        {
          id: identityId(key),
          displayName: String(r.displayName ?? t.login ?? key),
          email: email ? String(email) : undefined,
          login: t.login ? String(t.login) : undefined,
          employeeId: Array.isArray(t.employeeIds) && t.employeeIds.length ? String(t.employeeIds[0]) : undefined,
          type: cls.type,
          typeReason: cls.reason,
          status: st.status,
          sourceStatus: st.sourceStatus,
          lastLoginAt: timestamp(t.lastLogin),
          mfa: mfa ? mfa.mfaEnabled === true : undefined,
          createdAt: timestamp(r.createdAt) ?? timestamp(t.createdAt),
        },
        file,
      );
    }),
  );
  rows(db, `SELECT id, data FROM v1_entitlements WHERE sync_id = ${q}`, ([id, data]) =>
    guarded('v1_entitlements', id, () => {
      const e = decode(Entitlement, data);
      const eid = String(e.id ?? '');
      if (!eid) throw new Error('entitlement without id');
      const res = (e.resource ?? {}) as Obj;
      const rkey = rid(res.id);
      const rtype = String(((res.id ?? {}) as Obj).resourceType ?? '');
      const resName = String(res.displayName ?? resourceNames.get(rkey) ?? rkey);
      const slug = String(e.slug ?? e.displayName ?? eid);
      const name = `${resName}: ${slug}`;
      const rating = privilegeFromName(`${slug} ${resName}`);
      b.entitlement({ id: entitlementId(eid), name, application: `Baton ${typeNames.get(rtype) ?? rtype}`, privilege: rating.privilege, privilegeReason: rating.reason, description: e.description ? String(e.description) : undefined }, file);
    }),
  );
  const hasExpansionColumn = columns(db, 'v1_grants').has('expansion');
  let toOthers = 0;
  rows(db, `SELECT id, data${hasExpansionColumn ? ', expansion' : ''} FROM v1_grants WHERE sync_id = ${q}`, ([id, data, expansion]) =>
    guarded('v1_grants', id, () => {
      const g = decode(Grant, data);
      const ent = String(((g.entitlement ?? {}) as Obj).id ?? '');
      const principal = rid(((g.principal ?? {}) as Obj).id);
      if (!ent) throw new Error('grant without entitlement id');
      const anns = annotations(g.annotations);
      const expandable = expansion instanceof Uint8Array && expansion.length ? decode(Expandable, expansion) : anns.get('GrantExpandable');
      for (const from of (expandable?.entitlementIds as unknown[] | undefined) ?? []) b.link({ memberId: entitlementId(String(from)), groupId: entitlementId(ent), kind: 'group', source });
      // A grant Baton derived by expansion names its sources but not itself; the workbench derives it again.
      const sources = ((g.sources ?? {}) as Obj).sources as Obj | undefined;
      const direct = !sources || Object.keys(sources).length === 0 || ent in sources;
      if (!direct) return;
      if (users.has(principal)) b.assign({ identityId: identityId(principal), entitlementId: entitlementId(ent), source, usageKnown: false });
      else if (!expandable) toOthers++;
    }),
  );
  if (toOthers) log.note(0, `${toOthers} grant(s) to principals that are not users (and pass nothing on to members) are not stored`, 'principal');
  if (note) log.note(0, note, 'sync');
  return syncId;
}

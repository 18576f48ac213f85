// A Baton sync (the SQLite database inside a v1 .c1z): the sync to read, its rows decoded from protobuf and mapped
// by BatonMapper (baton-mapping.ts), which the baton CLI's JSON output goes through too.
import type { SqliteDatabase } from '../../types';
import type protobuf from 'protobufjs';
import type { FileLog, SnapshotBuilder } from '../common';
import { BatonMapper, type Obj } from './baton-mapping';
import { batonTypes } from './c1z';

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
  const runs = (r[0]?.values ?? []).map((v) => ({
    id: String(v[0]),
    startedAt: String(v[1]),
    ended: v[2] !== null && v[2] !== undefined && v[2] !== '',
    token: String(v[3] ?? ''),
  }));
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
    return {
      syncId: last.id,
      note: `sync ${last.id} stopped before grant expansion (everything was listed); inherited access is expanded by the workbench`,
    };
  }
  const at = current ? ` (it stopped at "${String(current)}"${pending.length ? `, with ${pending.join(', ')} still to do` : ''})` : '';
  throw new BatonRefusal(
    `sync ${last.id}, started ${last.startedAt}, never finished${at}: its data is incomplete; run the connector again until the sync ends`,
  );
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
  const map = new BatonMapper(b, file, file);
  let record = 0;
  const guarded = (table: string, id: unknown, f: () => void) => {
    record++;
    log.row();
    try {
      f();
    } catch (error) {
      log.reject(
        record,
        `${table} row ${String(id)}: not a readable Baton record (${error instanceof Error ? error.message : String(error)})`,
        'data',
      );
    }
  };
  rows(db, `SELECT id, data FROM v1_resource_types WHERE sync_id = ${q}`, ([id, data]) =>
    guarded('v1_resource_types', id, () => map.resourceType(decode(ResourceType, data))),
  );
  rows(db, `SELECT id, data FROM v1_resources WHERE sync_id = ${q}`, ([id, data]) =>
    guarded('v1_resources', id, () => {
      const r = decode(Resource, data);
      map.resource(r, annotations(r.annotations));
    }),
  );
  rows(db, `SELECT id, data FROM v1_entitlements WHERE sync_id = ${q}`, ([id, data]) =>
    guarded('v1_entitlements', id, () => map.entitlement(decode(Entitlement, data))),
  );
  const hasExpansionColumn = columns(db, 'v1_grants').has('expansion');
  rows(db, `SELECT id, data${hasExpansionColumn ? ', expansion' : ''} FROM v1_grants WHERE sync_id = ${q}`, ([id, data, expansion]) =>
    guarded('v1_grants', id, () => {
      const g = decode(Grant, data);
      map.grant(
        g,
        expansion instanceof Uint8Array && expansion.length
          ? decode(Expandable, expansion)
          : annotations(g.annotations).get('GrantExpandable'),
      );
    }),
  );
  map.finish(log, note);
  return syncId;
}

// The baton CLI's JSON output (`baton resource-types|resources|entitlements|grants -f sync.c1z -o json`): protojson
// of baton.v1 ResourceTypeListOutput {resourceTypes: [{resourceType}]}, ResourceListOutput {resources: [{resource,
// resourceType, parent}]}, EntitlementListOutput {entitlements: [{entitlement, resource, resourceType}]} and
// GrantListOutput {grants: [{grant, entitlement, resource, resourceType, principal}]}. The records go through the
// same BatonMapper as a .c1z's rows, so the JSON of a sync and its .c1z give the same snapshot. The files of one
// import are mapped together once all are read (a sync lists types, then resources, entitlements and grants).
import type { DecodedFile } from '../../types';
import { defineFormat, isObject, type FileLog, type SnapshotBuilder } from '../common';
import { BatonMapper, BatonRecordError, type Obj } from './baton-mapping';

const LISTS = { resourceTypes: 'resourceType', resources: 'resource', entitlements: 'entitlement', grants: 'grant' } as const;
type ListKey = keyof typeof LISTS;
const COMMANDS: Record<ListKey, string> = {
  resourceTypes: 'baton resource-types',
  resources: 'baton resources',
  entitlements: 'baton entitlements',
  grants: 'baton grants',
};
/** The start of the CLI's output, for a file whose JSON does not parse (so it can be refused with the position). */
const HEAD =
  /^\s*\{\s*"(resourceTypes|resources|entitlements|grants)"\s*:\s*\[\s*\{\s*"(resourceType|resource|entitlement|grant|parent|principal)"\s*:/;

/** The list a parsed file holds, when it is one of the CLI's outputs. */
function listOf(json: unknown): ListKey | null {
  if (!isObject(json)) return null;
  const keys = Object.keys(json);
  if (keys.length !== 1 || !(keys[0]! in LISTS)) return null;
  const key = keys[0] as ListKey;
  const items = json[key];
  if (!Array.isArray(items) || !items.length) return null;
  const first = items[0];
  return isObject(first) && isObject(first[LISTS[key]]) ? key : null;
}

interface Entry {
  list: ListKey;
  index: number;
  item: Obj;
  file: string;
  log: FileLog;
}
const READ = new WeakMap<SnapshotBuilder, Entry[]>();

function parseFile(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  if (file.json === undefined) {
    log.fatal(`not valid JSON: ${jsonErrorAt(file.text)}`, lineOf(file.text));
    return;
  }
  const list = listOf(file.json);
  if (!list) {
    log.fatal(
      "expected the baton CLI's JSON output: an object with one list, resourceTypes, resources, entitlements or grants, of records holding resourceType, resource, entitlement or grant",
    );
    return;
  }
  let entries = READ.get(b);
  if (!entries) READ.set(b, (entries = []));
  for (const [index, item] of ((file.json as Obj)[list] as unknown[]).entries()) {
    log.row();
    if (!isObject(item) || !isObject(item[LISTS[list]])) {
      log.reject(index + 1, `${list}[${index}]: expected an object holding ${LISTS[list]}`, `${list}[${index}].${LISTS[list]}`);
      continue;
    }
    entries.push({ list, index, item: item as Obj, file: file.name, log });
  }
}

/** Where JSON.parse stops: its position, or the end of the text when it ran out ("Unexpected end of JSON input"). */
function jsonFailure(text: string): { message: string; line: number; column: number } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\(line \d+ column \d+\)$/, '');
    const at = /position (\d+)/.exec(message);
    const pos = at ? Number(at[1]) : text.length;
    const before = text.slice(0, pos);
    return { message, line: before.split('\n').length, column: pos - before.lastIndexOf('\n') };
  }
}

/** The problem JSON.parse finds, with the line and column where it stops. */
function jsonErrorAt(text: string): string {
  const f = jsonFailure(text);
  return f ? `${f.message} (line ${f.line}, column ${f.column}); the file may be cut short` : 'unreadable';
}

function lineOf(text: string): number {
  return jsonFailure(text)?.line ?? 0;
}

/** google.protobuf.Any in protojson: {"@type": "type.googleapis.com/c1.connector.v2.UserTrait", ...fields}. */
function annotations(list: unknown): Map<string, Obj> {
  const out = new Map<string, Obj>();
  if (!Array.isArray(list)) return out;
  for (const a of list) {
    if (!isObject(a)) continue;
    const url = String(a['@type'] ?? a['type_url'] ?? '');
    const name = url.slice(url.lastIndexOf('.') + 1);
    if (!name) continue;
    const fields: Obj = { ...a };
    delete fields['@type'];
    out.set(name, fields);
  }
  return out;
}

const text = (v: unknown) => typeof v === 'string' && v !== '';
/** What protojson always writes for a grant the mapper reads: its entitlement and principal ids. */
function grantProblem(g: Obj): [string, string] | null {
  const ent = isObject(g['entitlement']) ? g['entitlement'] : undefined;
  if (!ent || !text(ent['id'])) return ['grant.entitlement.id', 'the grant names no entitlement id'];
  const principal = isObject(g['principal']) ? g['principal'] : undefined;
  const id = principal && isObject(principal['id']) ? principal['id'] : undefined;
  if (!id || !text(id['resourceType']) || !text(id['resource']))
    return ['grant.principal.id', 'the grant names no principal (resourceType and resource)'];
  return null;
}

function mapAll(b: SnapshotBuilder, logs: FileLog[]): void {
  const entries = READ.get(b);
  READ.delete(b);
  if (!entries?.length) return;
  const map = new BatonMapper(b, entries[0]!.file, entries[0]!.file);
  const listed = (list: ListKey) => entries.filter((e) => e.list === list);
  const take = (e: Entry, f: () => void) => {
    map.file = e.file;
    map.source = e.file;
    try {
      f();
    } catch (error) {
      const field = error instanceof BatonRecordError ? `${e.list}[${e.index}].${LISTS[e.list]}.${error.field}` : `${e.list}[${e.index}]`;
      e.log.reject(
        e.index + 1,
        `${e.list}[${e.index}]: not a readable Baton record (${error instanceof Error ? error.message : String(error)})`,
        field,
      );
    }
  };
  /** Records embedded beside a listed one (a grant's principal, an entitlement's resource): read after the listed ones, never counted or rejected. */
  const embedded = (pick: (e: Entry) => unknown, f: (o: Obj) => void) => {
    for (const e of entries) {
      const o = pick(e);
      if (!isObject(o)) continue;
      map.file = e.file;
      try {
        f(o as Obj);
      } catch {
        // The listed records are authoritative; a partial embedded copy adds nothing.
      }
    }
  };
  for (const e of listed('resourceTypes')) take(e, () => map.resourceType(e.item['resourceType'] as Obj));
  embedded(
    (e) => e.item['resourceType'],
    (o) => map.resourceType(o),
  );
  for (const e of listed('resources'))
    take(e, () => map.resource(e.item['resource'] as Obj, annotations((e.item['resource'] as Obj).annotations)));
  const inner = (e: Entry, ...keys: string[]) => keys.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), e.item);
  for (const pick of [
    (e: Entry) => e.item['parent'],
    (e: Entry) => e.item['principal'],
    (e: Entry) => e.item['resource'],
    (e: Entry) => inner(e, 'grant', 'principal'),
    (e: Entry) => inner(e, 'entitlement', 'resource'),
  ]) {
    embedded(pick, (o) => map.resource(o, annotations(o.annotations)));
  }
  for (const e of listed('entitlements')) take(e, () => map.entitlement(e.item['entitlement'] as Obj));
  embedded(
    (e) => e.item['entitlement'] ?? inner(e, 'grant', 'entitlement'),
    (o) => map.entitlement(o),
  );
  for (const e of listed('grants')) {
    const g = e.item['grant'] as Obj;
    const problem = grantProblem(g);
    if (problem) {
      e.log.reject(e.index + 1, `grants[${e.index}]: ${problem[1]}`, `grants[${e.index}].${problem[0]}`);
      continue;
    }
    take(e, () => map.grant(g, annotations(g.annotations).get('GrantExpandable')));
  }
  const grantsLog = logs.find((l) => entries.some((e) => e.list === 'grants' && e.log === l));
  map.finish(grantsLog ?? logs[0]!);
  if (!entries.some((e) => e.list === 'grants'))
    logs[0]?.note(0, 'no grants were imported: add the output of baton grants -o json for the access itself', 'grants');
}

export const batonJson = defineFormat({
  id: 'baton-json',
  label: 'Baton CLI JSON',
  formatVersion: 'baton CLI -o json (protojson of c1.connector.v2)',
  parserVersion: '1.0.0',
  detect(file) {
    if (file.json !== undefined) {
      const list = listOf(file.json);
      return list ? `JSON object {${list}: [{${LISTS[list]}, ...}]}: output of ${COMMANDS[list]} -o json (Baton CLI)` : null;
    }
    const head = HEAD.exec(file.text.slice(0, 4096));
    return head ? `starts like the output of ${COMMANDS[head[1] as ListKey]} -o json (Baton CLI), but is not valid JSON` : null;
  },
  parseFile: (file, b, log) => parseFile(file, b, log),
  finish: mapAll,
});

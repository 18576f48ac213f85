// Baton records (c1.connector.v2 ResourceType, Resource, Entitlement, Grant) into the model, the same way whatever
// they were read from: protobuf blobs of a .c1z (decoded with protobufjs) or the baton CLI's protojson output. Both
// give camelCase field names and enum names; timestamps arrive as {seconds} or as RFC 3339 text, annotations
// (google.protobuf.Any) already decoded into a map by short type name.
import type { IdentityStatus, IdentityType } from '../../../model';
import { privilegeFromName } from '../../classify';
import type { FileLog, SnapshotBuilder } from '../common';

export type Obj = Record<string, unknown>;

/** A record the mapper cannot take, naming the field (relative to the record) at fault. */
export class BatonRecordError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
const TRAIT_USER = 'TRAIT_USER';

export const rid = (id: unknown): string => {
  const o = (id ?? {}) as Obj;
  return `${String(o.resourceType ?? '')}:${String(o.resource ?? '')}`;
};
const identityId = (resourceKey: string) => `baton:${resourceKey}`;
const entitlementId = (id: string) => `baton:${id}`;

/** A google.protobuf.Timestamp as {seconds, nanos} (protobufjs) or RFC 3339 text (protojson), to whole seconds. */
export function timestamp(t: unknown): string | undefined {
  let s: number;
  if (typeof t === 'string') s = Math.floor(Date.parse(t) / 1000);
  else if (t && typeof t === 'object') s = Number((t as Obj).seconds ?? 0);
  else return undefined;
  if (!Number.isFinite(s) || s <= 0 || s > 8.64e12) return undefined;
  return new Date(s * 1000).toISOString();
}

function userStatus(trait: Obj, resource: Obj): { status: IdentityStatus; sourceStatus?: string } {
  const s = String(((trait.status ?? {}) as Obj).status ?? ((resource.status ?? {}) as Obj).status ?? '');
  const details = ((trait.status ?? {}) as Obj).details;
  const word = details ? `${s} (${String(details)})` : s || undefined;
  if (s === 'STATUS_DISABLED' || s === 'RESOURCE_STATUS_DISABLED') return { status: 'disabled', sourceStatus: word };
  if (s === 'STATUS_DELETED' || s === 'RESOURCE_STATUS_DELETED') return { status: 'terminated', sourceStatus: word };
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

/**
 * One sync's records into the builder, in the order a sync lists them: resource types, resources, entitlements,
 * grants. Users (resources of a type with the user trait, or carrying a UserTrait) are identities; every entitlement
 * is an entitlement; a grant to a user that the connector listed (not one Baton's expansion derived) is a direct
 * assignment; a grant carrying GrantExpandable is a nesting link (holders of the listed entitlements inherit the
 * granted one). Effective access is expanded by the workbench, the same way for expanded and unexpanded syncs.
 */
export class BatonMapper {
  private readonly typeNames = new Map<string, string>();
  private readonly userTypes = new Set<string>();
  private readonly users = new Set<string>();
  private readonly resourceNames = new Map<string, string>();
  /** Grants to principals that are not users and pass nothing on. */
  toOthers = 0;

  constructor(
    private readonly b: SnapshotBuilder,
    /** The file the next records come from (identities and entitlements name it among their sources). */
    public file: string,
    /** The assignments' and links' source (the file the grants came from). */
    public source: string,
  ) {}

  resourceType(rt: Obj): void {
    const key = String(rt.id ?? '');
    if (!key) throw new BatonRecordError('id', 'resource type without id');
    this.typeNames.set(key, String(rt.displayName ?? key));
    if (Array.isArray(rt.traits) && rt.traits.includes(TRAIT_USER)) this.userTypes.add(key);
  }

  resource(r: Obj, anns: Map<string, Obj>): void {
    const key = rid(r.id);
    if (key === ':') throw new BatonRecordError('id', 'resource without id');
    this.resourceNames.set(key, String(r.displayName ?? key));
    const trait = anns.get('UserTrait');
    const rtype = String(((r.id ?? {}) as Obj).resourceType ?? '');
    if (!trait && !this.userTypes.has(rtype)) return;
    const t = trait ?? {};
    this.users.add(key);
    const emails = Array.isArray(t.emails) ? (t.emails as Obj[]) : [];
    const email = (emails.find((e) => e.isPrimary) ?? emails[0])?.address;
    const cls = userType(t, anns);
    const st = userStatus(t, r);
    const mfa = t.mfaStatus as Obj | undefined;
    this.b.identity(
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
      this.file,
    );
  }

  entitlement(e: Obj): void {
    const eid = String(e.id ?? '');
    if (!eid) throw new BatonRecordError('id', 'entitlement without id');
    const res = (e.resource ?? {}) as Obj;
    const rkey = rid(res.id);
    const rtype = String(((res.id ?? {}) as Obj).resourceType ?? '');
    const resName = String(res.displayName ?? this.resourceNames.get(rkey) ?? rkey);
    const slug = String(e.slug ?? e.displayName ?? eid);
    const rating = privilegeFromName(`${slug} ${resName}`);
    this.b.entitlement(
      {
        id: entitlementId(eid),
        name: `${resName}: ${slug}`,
        application: `Baton ${this.typeNames.get(rtype) ?? rtype}`,
        privilege: rating.privilege,
        privilegeReason: rating.reason,
        description: e.description ? String(e.description) : undefined,
      },
      this.file,
    );
  }

  /** `expandable`: the GrantExpandable of the grant (its annotation, or the .c1z's expansion column). */
  grant(g: Obj, expandable: Obj | undefined): void {
    const ent = String(((g.entitlement ?? {}) as Obj).id ?? '');
    if (!ent) throw new BatonRecordError('entitlement.id', 'grant without entitlement id');
    const principal = rid(((g.principal ?? {}) as Obj).id);
    for (const from of (expandable?.entitlementIds as unknown[] | undefined) ?? [])
      this.b.link({ memberId: entitlementId(String(from)), groupId: entitlementId(ent), kind: 'group', source: this.source });
    // A grant Baton derived by expansion names its sources but not itself; the workbench derives it again. Each
    // source is an entitlement whose holders inherit this one: the link Baton followed (newer SDKs keep
    // GrantExpandable out of the grant record, so the sources may be all that shows it).
    const sources = ((g.sources ?? {}) as Obj).sources as Obj | undefined;
    for (const from of Object.keys(sources ?? {}))
      if (from !== ent) this.b.link({ memberId: entitlementId(from), groupId: entitlementId(ent), kind: 'group', source: this.source });
    const direct = !sources || Object.keys(sources).length === 0 || ent in sources;
    if (!direct) return;
    if (this.users.has(principal))
      this.b.assign({ identityId: identityId(principal), entitlementId: entitlementId(ent), source: this.source, usageKnown: false });
    else if (!expandable) this.toOthers++;
  }

  /** Notes for the whole file, once every record is read. */
  finish(log: FileLog, note?: string): void {
    if (this.toOthers)
      log.note(
        0,
        `${this.toOthers} grant(s) to principals that are not users (and pass nothing on to members) are not stored`,
        'principal',
      );
    if (note) log.note(0, note, 'sync');
  }
}

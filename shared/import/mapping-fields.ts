// The fields a column can be mapped to, the mapping and its saved presets, and the first guess from header names.
import type { IdentityType, Privilege } from '../model';
export const MAPPING_FIELDS = {
  identityId: 'Identity id (account name, login or number)',
  displayName: 'Display name',
  email: 'E-mail',
  login: 'Login / UPN',
  employeeId: 'Employee id',
  type: 'Identity class (human, service, workload, agent)',
  status: 'Status (active, disabled, terminated)',
  department: 'Department',
  title: 'Job title',
  managerId: 'Manager (identity id)',
  ownerId: 'Owner (for non-human identities)',
  createdAt: 'Account created',
  lastLoginAt: 'Last login',
  entitlementId: 'Entitlement id (group, role, permission)',
  entitlementName: 'Entitlement name',
  application: 'Application / system',
  privilege: 'Privilege (low, medium, high, critical)',
  entitlementDescription: 'Entitlement description',
  grantedAt: 'Granted at',
  lastUsedAt: 'Last used',
} as const;
export type MappingField = keyof typeof MAPPING_FIELDS;

export interface ColumnMapping {
  /** Header name of the column for each field (fields left out are not in the file). */
  columns: Partial<Record<MappingField, string>>;
  /** Used when the table has no column for it (e.g. the application every row belongs to). */
  defaults?: { application?: string; privilege?: Privilege; type?: IdentityType };
  /** How to read d/m/y dates written with slashes or dots; ISO 8601 is always understood. */
  dateOrder?: 'dmy' | 'mdy';
}

export interface MappingPreset {
  name: string;
  /** headerSignature(header) of the files the preset was made for. */
  headerSignature: string;
  mapping: ColumnMapping;
}

/** Same header (names, order-insensitive, case- and space-insensitive) gives the same signature. */
export function headerSignature(header: string[]): string {
  return header
    .map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[\s_-]+/g, ' '),
    )
    .filter(Boolean)
    .sort()
    .join('|');
}

export function presetFor(name: string, header: string[], mapping: ColumnMapping): MappingPreset {
  return { name, headerSignature: headerSignature(header), mapping };
}

export function findPreset(header: string[], presets: MappingPreset[]): MappingPreset | undefined {
  const sig = headerSignature(header);
  return presets.find((p) => p.headerSignature === sig);
}

const SYNONYMS: Record<MappingField, string[]> = {
  identityId: [
    'user id',
    'userid',
    'user',
    'username',
    'user name',
    'account',
    'account name',
    'accountname',
    'samaccountname',
    'identity',
    'identity id',
    'principal',
    'member',
    'uid',
    'id',
  ],
  displayName: ['display name', 'displayname', 'name', 'full name', 'fullname', 'user display name', 'cn'],
  email: ['email', 'e-mail', 'mail', 'email address', 'emailaddress', 'user email'],
  login: ['login', 'upn', 'userprincipalname', 'user principal name', 'logon name', 'sign-in name'],
  employeeId: ['employee id', 'employeeid', 'employee number', 'employeenumber', 'emp id', 'personnel number', 'staff id', 'worker id'],
  type: ['type', 'identity type', 'account type', 'user type', 'class', 'kind'],
  status: ['status', 'state', 'account status', 'enabled', 'active', 'account enabled'],
  department: ['department', 'dept', 'division', 'org unit', 'organization'],
  title: ['title', 'job title', 'jobtitle', 'position', 'role title'],
  managerId: ['manager', 'manager id', 'managerid', 'manager email', 'supervisor', 'reports to'],
  ownerId: ['owner', 'owner id', 'ownerid', 'responsible', 'accountable'],
  createdAt: ['created', 'created at', 'createdat', 'creation date', 'created date', 'whencreated', 'account created'],
  lastLoginAt: [
    'last login',
    'lastlogin',
    'last logon',
    'lastlogon',
    'last sign-in',
    'last sign in',
    'last signin',
    'last login date',
    'lastlogontimestamp',
    'last activity',
  ],
  entitlementId: ['group id', 'groupid', 'role id', 'roleid', 'permission id', 'entitlement id', 'entitlementid', 'access id'],
  entitlementName: [
    'group',
    'group name',
    'groupname',
    'role',
    'role name',
    'rolename',
    'permission',
    'entitlement',
    'entitlement name',
    'access',
    'access level',
    'profile',
    'membership',
    'memberof',
  ],
  application: ['application', 'app', 'app name', 'system', 'resource', 'target system', 'platform'],
  privilege: ['privilege', 'privilege level', 'risk', 'risk level', 'criticality', 'sensitivity'],
  entitlementDescription: ['description', 'group description', 'role description', 'entitlement description'],
  grantedAt: ['granted', 'granted at', 'grantedat', 'assigned', 'assigned at', 'assigned date', 'added', 'member since', 'start date'],
  lastUsedAt: ['last used', 'lastused', 'last used at', 'lastusedat', 'last access', 'last accessed', 'last use'],
};

function normHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[_.]+/g, ' ').replace(/\s+/g, ' ');
}

/** Guess each field's column from common header names; each column is used for one field at most. */
export function suggestMapping(header: string[]): ColumnMapping {
  const columns: ColumnMapping['columns'] = {};
  const used = new Set<string>();
  const normalized = header.map((h) => [h, normHeader(h)] as const);
  // Exact synonym matches first, in field order; then "contains" matches for what is left.
  for (const pass of ['exact', 'contains'] as const) {
    for (const field of Object.keys(SYNONYMS) as MappingField[]) {
      if (columns[field]) continue;
      for (const syn of SYNONYMS[field]) {
        const hit = normalized.find(
          ([orig, n]) =>
            !used.has(orig) &&
            (pass === 'exact' ? n === syn || n.replace(/ /g, '') === syn.replace(/ /g, '') : syn.length > 3 && n.includes(syn)),
        );
        if (hit) {
          columns[field] = hit[0];
          used.add(hit[0]);
          break;
        }
      }
    }
  }
  return { columns };
}

// Files that are recognisably not identity data — IAM policy documents, role catalogues, SCIM schemas and
// protocol messages, API error responses, account summaries — are refused with a message that says what
// they are, instead of the generic "unknown format".
import { defineFormat, isObject, unwrapResponse, type JsonObject } from './common';

function scimSchemas(j: JsonObject): string[] {
  return Array.isArray(j['schemas']) ? j['schemas'].filter((s): s is string => typeof s === 'string') : [];
}

/** What the file is, when it is a known kind of non-identity data; null otherwise. */
export function referenceKind(json: unknown): string | null {
  if (json === undefined) return null;
  const body = unwrapResponse(json);
  if (isObject(body)) {
    const err = body['Error'];
    if (isObject(err) && typeof err['Code'] === 'string')
      return `an AWS API error response (${err['Code']}${err['Code'] === 'ReportNotPresent' ? ': no credential report was generated yet; run aws iam generate-credential-report first' : ''}), which holds no identities`;
    if ('Statement' in body && ('Version' in body || 'Id' in body))
      return 'an AWS IAM policy document (permissions only, no identities) — reference data';
    if (isObject(body['document']) && Array.isArray(body['effective_actions']))
      return 'an AWS managed-policy catalogue record (iam-dataset) — reference data';
    if (isObject(body['SummaryMap'])) return 'an AWS IAM account summary (counts and quotas, no identities)';
    if (Array.isArray(body['ServicesLastAccessed']))
      return 'an AWS IAM Access Advisor report (service last-accessed times, no identities or grants)';
    if (typeof body['name'] === 'string' && body['name'].startsWith('roles/') && Array.isArray(body['includedPermissions']))
      return 'a Google Cloud role definition (permissions only) — reference data';
  }
  if (isObject(json)) {
    const s = scimSchemas(json).map((x) => x.toLowerCase());
    if (s.some((x) => x.endsWith(':schema')))
      return 'a SCIM schema definition (describes attributes, holds no identities) — reference data';
    if (s.some((x) => x.endsWith(':error')))
      return `a SCIM error response${typeof json['detail'] === 'string' ? ` ("${json['detail']}")` : ''}, which holds no identities`;
    if (s.some((x) => x.endsWith(':patchop'))) return 'a SCIM PatchOp request (a change to apply, not an export of the directory)';
    if (s.some((x) => x.endsWith(':bulkrequest') || x.endsWith(':bulkresponse')))
      return 'a SCIM bulk request/response (changes to apply, not an export of the directory)';
  }
  if (Array.isArray(json) && json.length && isObject(json[0])) {
    const f = json[0];
    if (typeof f['roleName'] === 'string' && Array.isArray(f['permissions']))
      return 'an Azure role-definition catalogue (az role definition list) — reference data';
    if (typeof f['name'] === 'string' && f['name'].startsWith('roles/') && typeof f['title'] === 'string')
      return 'a Google Cloud predefined-role catalogue — reference data';
  }
  return null;
}

export const referenceData = defineFormat({
  id: 'reference-data',
  label: 'Not identity data',
  formatVersion: '-',
  parserVersion: '1.0.0',
  detect(file) {
    const kind = referenceKind(file.json);
    return kind ? `recognised as ${kind}` : null;
  },
  parseFile(file, _b, log) {
    log.fatal(`not identity data: this file is ${referenceKind(file.json) ?? 'not an identity export'}; nothing was imported from it`);
  },
});

// The Entra ID / Graph format: what it recognises and how it is read.
import { defineFormat, isObject, type JsonObject } from '../common';
import { graphHar, graphObjects, isScuba } from './graph-objects';
import { parseFile } from './parse';

export const entra = defineFormat({
  id: 'entra-graph',
  label: 'Microsoft Entra ID (Graph)',
  formatVersion: 'Microsoft Graph v1.0',
  parserVersion: '1.0.0',
  detect(file) {
    const j = file.json;
    if (isScuba(j))
      return 'JSON object with privileged_users / privileged_service_principals / privileged_roles: Entra ID part of a ScubaGear ProviderSettingsExport';
    if (graphHar(j)) {
      const n = graphObjects(j)?.length ?? 0;
      return n ? `HAR recording of graph.microsoft.com requests (${n} directory objects): Microsoft Graph responses` : null;
    }
    if (isObject(j) && Array.isArray(j['mocks'])) {
      const n = graphObjects(j)?.length ?? 0;
      return n
        ? `JSON object with mocks[] of graph.microsoft.com responses (${n} directory objects): Microsoft Graph responses in a Dev Proxy mocks file`
        : null;
    }
    if (isObject(j) && typeof j['@odata.context'] === 'string' && j['@odata.context'].includes('graph.microsoft.com')) {
      const n = graphObjects(j)?.length ?? 0;
      return n ? `JSON object with @odata.context ${j['@odata.context'].split('#')[1] ?? ''}: Microsoft Graph response` : null;
    }
    if (Array.isArray(j) && j.length && j.every(isObject)) {
      const found = graphObjects(j);
      if (!found || found.length !== j.length) return null;
      const first = j[0] as JsonObject;
      const powershell = Object.keys(first).some((k) => /^[A-Z]/.test(k));
      // Arrays of bare objects are only taken when their keys are Graph's own.
      const graphish = [
        'Id',
        'AppId',
        'AppRoleId',
        'UserPrincipalName',
        'ServicePrincipalType',
        'RequiredResourceAccess',
        'id',
        'appId',
        'userPrincipalName',
      ].some((k) => k in first);
      if (!graphish) return null;
      const kinds = [...new Set(found.map((f) => f.kind))].join(', ');
      return `JSON array of ${powershell ? 'PowerShell (PascalCase) ' : ''}Microsoft Graph ${kinds} objects`;
    }
    return null;
  },
  parseFile: (file, b, log) => parseFile(file, b, log),
});

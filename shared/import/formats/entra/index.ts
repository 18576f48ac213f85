// Microsoft Entra ID / Microsoft Graph: users (with signInActivity), groups (with expanded members), service principals,
// applications, directory roles and role definitions, role assignments and app role assignments; Graph responses,
// PowerShell ConvertTo-Json dumps, Dev Proxy mocks, HAR recordings and the Entra part of a ScubaGear export.
export { entra } from './format';
export { graphObjects, objectKey, rateAppPermission, rateEntraRole } from './graph-objects';

// AWS IAM: the credential report, get-account-authorization-details, and the ListUsers / GetGroup / ListGroups API responses.
export { awsCredentialReport, CREDENTIAL_REPORT_COLUMNS } from './credential-report';
export { ratePolicyDocument } from './policy';
export { awsAuthorizationDetails } from './authorization-details';
export { awsIamApi } from './iam-api';

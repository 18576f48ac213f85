// Known formats, in detection order (the first that recognises a file wins). Specific shapes come before
// general ones; the reference-data recogniser is last so that it only names files no parser takes.
import { awsAuthorizationDetails, awsCredentialReport, awsIamApi } from './formats/aws';
import { batonJson } from './formats/baton/baton-json';
import { entra } from './formats/entra';
import { gcpIam } from './formats/gcp';
import { kubernetesRbac } from './formats/kubernetes';
import { ldif } from './formats/ldif';
import { okta } from './formats/okta';
import { pairList } from './formats/pair-list';
import { referenceData } from './formats/reference-data';
import { scim } from './formats/scim';
import { workbenchCsv } from './formats/workbench-csv';
import type { FormatParser } from './types';

export const FORMATS: FormatParser[] = [
  workbenchCsv,
  awsCredentialReport,
  awsAuthorizationDetails,
  awsIamApi,
  ldif,
  scim,
  okta,
  gcpIam,
  kubernetesRbac,
  entra,
  batonJson,
  pairList,
  referenceData,
];

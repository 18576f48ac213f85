// The OSCAL 1.0.6 documents of a certification package (oscal/assessment-results.json, oscal/poam.json), rendered
// from the manifest's predicate, decisions.json and the remediation plan. Pure: the builder writes them, the verifier
// renders them again and compares.
export {
  assessmentResultsBytes,
  isAssessmentResultsOf,
  writeAssessmentResults,
  writeAssessmentResultsInSlices,
} from './assessment-results';
export { poamBytes, isPoamOf, writePoam, writePoamInSlices, CAMPAIGN_ID_TYPE } from './poam';
export { OSCAL_VERSION, REVIEWED_CONTROL, type OscalInput } from './common';
export { OSCAL_UUID_NAMESPACE, oscalUuid, uuidMaker, type UuidKind } from './uuid';
export { oscalDateTime, oscalString, ARW_OSCAL_NS } from './text';
export { renderBytes, rendersTo, renderedSha256, type DocumentSteps, type TextSink } from './render';

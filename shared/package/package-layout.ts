// The fixed layout of a certification package: file names, their order in the archive, media types and URIs.
// The order is part of the format: the builder writes it and the verifier insists on it, so the same input always
// gives the same bytes and a reordered archive is noticed.

export const PACKAGE_EXTENSION = '.arwpkg';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://arw.dev/certification/v1';
export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const DECISIONS_SCHEMA = 'arw-certification-decisions/v1';
export const REMEDIATION_SCHEMA = 'arw-remediation/v1';

export const MANIFEST_FILE = 'manifest.intoto.json';
/** The OSCAL 1.0.6 documents (shared/package/oscal): the campaign as Assessment Results, the plan as a POA&M. */
export const OSCAL_ASSESSMENT_RESULTS_FILE = 'oscal/assessment-results.json';
export const OSCAL_POAM_FILE = 'oscal/poam.json';
export const ENVELOPE_FILE = 'manifest.dsse.json';

/** The files the manifest lists as subjects, in archive order. */
export const SUBJECT_FILES = [
  'decisions.json',
  'decisions.csv',
  'report.xlsx',
  'audit-log.jsonl',
  'policy.json',
  'sources.json',
  'remediation.json',
  'remediation.csv',
  OSCAL_ASSESSMENT_RESULTS_FILE,
  OSCAL_POAM_FILE,
] as const;
export type SubjectFile = (typeof SUBJECT_FILES)[number];

/** Every entry of the archive, in order: the manifest and its envelope first, so a reader finds them at once. */
export const PACKAGE_FILES = [MANIFEST_FILE, ENVELOPE_FILE, ...SUBJECT_FILES] as const;

/**
 * An optional entry after the fixed files, in a package whose campaign started from a baseline certification (the
 * statement's `baseline`): the comparison with it, one row per item, removed items included for the record.
 */
export const BASELINE_CHANGES_FILE = 'baseline-changes.json';
export const BASELINE_CHANGES_SCHEMA = 'arw-baseline-changes/v1';

/**
 * Optional entries after the fixed files (and baseline-changes.json): the signed decision sets the package's decisions came from (campaigns
 * across laptops, docs/campaign-exchange.md), one per set, named by the set's statement digest, in name order. Each
 * is a subject of the manifest like any other file, and proves its reviewer's decisions by that reviewer's own
 * signature, so the reviewer need not sign the package itself.
 */
export const EMBEDDED_SET_FOLDER = 'decision-sets/';
export const EMBEDDED_SET_NAME = /^decision-sets\/[0-9a-f]{64}\.arwdec$/;

/** `decision-sets/<hex>.arwdec` for a set whose statement digest is `sha256:<hex>`. */
export function embeddedSetFile(statementDigest: string): string {
  const hex = statementDigest.startsWith('sha256:') ? statementDigest.slice(7) : '';
  const name = `${EMBEDDED_SET_FOLDER}${hex}.arwdec`;
  if (!EMBEDDED_SET_NAME.test(name)) throw new Error(`not a decision set statement digest: ${statementDigest}`);
  return name;
}

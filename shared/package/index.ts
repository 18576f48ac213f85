// The certification package: build and sign it, read it safely, verify it. Format: docs/package-format.md.
export * from './types';
export { buildCertificationPackage, type BuildOptions } from './build-package';
export { certificationInput, reviewItems, type CertifiedCampaign, type CertifiedReviewer } from './certification-input';
export { ReportJobClient, reportJobHandlers, type ReportBuilder, type ReportHandlers, type ReportJob } from './report-job';
export { verifyPackage } from './verify-package';
export type { VerifyOptions } from './verify-options';
// The archive codec a package is read and written with, re-exported for callers that handle packages (owner: shared/codec).
export {
  readPackageArchive,
  openPackageArchive,
  DEFAULT_ARCHIVE_LIMITS,
  unsafeNameReason,
  formatBytes,
  writeZip,
  crc32,
  neutraliseFormula,
  type OpenedEntry,
  type ZipEntry,
} from '../codec';
export { preAuthEncoding, parseEnvelope, serializeEnvelope, signatureVerifies } from './dsse-envelope';
export { keyFingerprint, trustedKeyEntry, parseTrustedKeys, decodePublicKey, buildTrustList, trustListJson } from './signing-keys';
export { checkAuditChain, canonicalText } from './audit-chain-check';
export { countItems, completenessProblems, isDecided, isOverridden, isStepUpApproved } from './certification-rules';
export { reviewerMetrics } from './reviewer-metrics';
export * from './package-layout';
export * from './verify-findings';
export * from './audit-chain-check';
export * from './audit-log-analysis';
export * from './audit-log-requests';
export * from './audit-log-stream';
export * from './decision-chain-consistency';
export * from './decisions-file';
export * from './package-documents';
export * from './audit-log-reading';
export { signEnvelope } from './dsse-envelope';
export { baselineLinkOf, packageDigestOf, certificationStatementDigest, baselineChangesBytes, readBaselineChanges } from './baseline-link';
export { CHANGES_SHEET, type ReportDraft, type ReportFile } from './report-workbook';

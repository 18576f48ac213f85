// The certification package: build and sign it, read it safely, verify it. Format: docs/package-format.md.
export * from './types';
export { buildCertificationPackage, type BuildOptions } from './build-package';
export { ReportJobClient, serveReportJobs, type ReportBuilder, type ReportJob, type ReportReply, type ReportRequest } from './report-job';
export { verifyPackage } from './verify-package';
export { readPackageArchive, openPackageArchive, DEFAULT_ARCHIVE_LIMITS, unsafeNameReason, formatBytes, type OpenedEntry } from './archive-reader';
export { writeZip, crc32, type ZipEntry } from './archive-writer';
export { preAuthEncoding, parseEnvelope, serializeEnvelope, signatureVerifies } from './dsse-envelope';
export { keyFingerprint, trustedKeyEntry, parseTrustedKeys, decodePublicKey, buildTrustList, trustListJson } from './signing-keys';
export { neutraliseFormula } from './formula-safety';
export { checkAuditChain, canonicalText } from './audit-chain-check';
export { countItems, completenessProblems, isDecided, isOverridden, isStepUpApproved } from './certification-rules';
export { reviewerMetrics } from './reviewer-metrics';
export * from './package-layout';

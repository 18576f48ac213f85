// Campaigns across laptops: signed work packages out, signed decision sets back, verification and the owner's merge.
// Format and flow: docs/campaign-exchange.md.
export * from './types';
export * from './layout';
export { buildWorkPackage, verifyWorkPackage, snapshotDigest, policyDigestOf } from './work-package';
export { buildDecisionSet, verifyDecisionSet, driftMetrics, standingApprovals, approvalTarget } from './decision-set';
export { mergeDecisionSets, splitCampaign, approvalWorkItems } from './merge';
export { detectArchiveKind } from './archive-kind';
export {
  wrapPrivateKey,
  unwrapPrivateKey,
  rewrapPrivateKey,
  passphraseProblem,
  recordKeyChange,
  verifyKeyChange,
  DEFAULT_SCRYPT,
  type WrappedKey,
  type KeyChange,
  type KeyChangeReason,
} from './key-wrap';
export {
  certificationSignatureRequest,
  checkSignatureRequest,
  signCertificationRequest,
  assembleCertificationPackage,
  type RemoteSigner,
  type SignatureRequest,
  type SignatureCheck,
} from './certification-signing';
export { verifyEmbeddedDecisionSets, verifyCertificationPackage } from './embedded-sets';

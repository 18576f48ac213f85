// The suggestion policy: a versioned JSON document. Its SHA-256 (over canonical JSON) goes into every package.
import { canonicalJson, sha256Hex } from '../model/digest';
import type { DecisionClass, RiskTier } from './types';

export interface Policy {
  schema: 'arw-policy';
  version: number;
  name: string;
  unusedAccess: {
    /** Last use older than this many days → revoke. */
    windowDays: number;
    /** Never used and granted longer ago than this → revoke. */
    graceDays: number;
  };
  decisionClasses: Record<RiskTier, DecisionClass>;
}

export const DEFAULT_POLICY: Policy = {
  schema: 'arw-policy',
  version: 1,
  name: 'Default least-privilege policy',
  unusedAccess: { windowDays: 90, graceDays: 90 },
  decisionClasses: { low: 'suggest', medium: 'suggest', high: 'step-up', critical: 'never-delegate' },
};

export function policyDigest(policy: Policy): string {
  return `sha256:${sha256Hex(canonicalJson(policy))}`;
}

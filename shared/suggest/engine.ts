// The deterministic local suggestion engine. Same snapshot, policy and as-of date → the same suggestions.
import { assignmentItemId, type SnapshotData } from '../model';
import { DAY_MS, parseInstant } from '../model/time';
import { policyDigest, type Policy } from './policy';
import type { Signal, SuggestOptions, Suggestion } from './types';

export const ENGINE_VERSION = 'arw-engine/0.1.0';

export function suggest(data: SnapshotData, policy: Policy, options: SuggestOptions): Suggestion[] {
  const digest = policyDigest(policy);
  const entitlements = new Map(data.entitlements.map((e) => [e.id, e]));
  const out: Suggestion[] = [];
  const { windowDays, graceDays } = policy.unusedAccess;
  const total = data.assignments.length;
  for (let i = 0; i < total; i++) {
    if ((i & 0xffff) === 0) {
      if (options.isCancelled?.()) throw new Error('cancelled');
      options.onProgress?.(i, total);
    }
    const a = data.assignments[i]!;
    const privilege = entitlements.get(a.entitlementId)?.privilege ?? 'medium';
    const lastUsed = parseInstant(a.lastUsedAt);
    const granted = parseInstant(a.grantedAt);
    let signal: Signal;
    let action: Suggestion['action'];
    let confidence: number;
    if (!Number.isNaN(lastUsed)) {
      const days = Math.floor((options.asOf - lastUsed) / DAY_MS);
      const stale = days > windowDays;
      action = stale ? 'revoke' : 'keep';
      confidence = stale ? Math.min(0.99, 0.6 + (0.39 * (days - windowDays)) / windowDays) : Math.min(0.95, 0.6 + (0.35 * (windowDays - days)) / windowDays);
      signal = { id: 'unused-access', message: `last used ${days} days ago; policy window ${windowDays} days`, value: days, threshold: windowDays };
    } else if (!Number.isNaN(granted)) {
      const days = Math.floor((options.asOf - granted) / DAY_MS);
      const stale = days > graceDays;
      action = stale ? 'revoke' : 'keep';
      confidence = stale ? 0.8 : 0.5;
      signal = { id: 'unused-access', message: `never used; granted ${days} days ago; grace period ${graceDays} days`, value: days, threshold: graceDays };
    } else {
      action = 'keep';
      confidence = 0.3;
      signal = { id: 'unused-access', message: 'no usage data and no grant date: usage unknown', value: null, threshold: windowDays };
    }
    out.push({
      itemId: assignmentItemId(a.identityId, a.entitlementId),
      identityId: a.identityId,
      entitlementId: a.entitlementId,
      action,
      confidence: Math.round(confidence * 100) / 100,
      riskTier: privilege,
      decisionClass: policy.decisionClasses[privilege],
      signals: [signal],
      engine: ENGINE_VERSION,
      policyDigest: digest,
    });
  }
  options.onProgress?.(total, total);
  return out;
}

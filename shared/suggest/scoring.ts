// Scoring: from an item's signals to its action and confidence. A change needs a deciding signal; a keep needs
// positive evidence (recent use, peers holding it, an owner, a credential in use) and names it first; with
// neither, the answer is `none` — "no suggestion" with its reason — never a keep that reads as a recommendation.
import { decisionClassFor, policyDigest, type Policy } from './policy';
import { SIGNAL_IDS } from './signal-ids';
import type { DecisionClass, RiskTier, Signal, SuggestedAction, Suggestion } from './types';
import { flat, round } from './helpers';

export interface Risk {
  tier: RiskTier;
  reasons: string[];
}

export type Finish = (
  base: Pick<Suggestion, 'itemId' | 'identityId' | 'entitlementId' | 'credentialId'>,
  signals: Signal[],
  priority: readonly string[],
  risk: Risk,
  privileged: boolean,
) => Suggestion;

const PEER_IDS: ReadonlySet<string> = new Set([
  SIGNAL_IDS.peerDeptTitle,
  SIGNAL_IDS.peerManager,
  SIGNAL_IDS.peerDepartment,
  SIGNAL_IDS.peerKnn,
]);
const TIER_INDEX: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };
/** A keep resting on a specialist's recent use is left to the reviewer at low priority: its confidence stays low. */
const SPECIALIST_KEEP_CAP = 0.6;

function moveFirst(signals: Signal[], sig: Signal): void {
  let at = signals.indexOf(sig);
  for (; at > 0; at--) signals[at] = signals[at - 1]!;
  signals[0] = sig;
}

/** Why there is no suggestion: the signals that stated something without pointing anywhere. */
function noEvidenceReason(signals: Signal[]): string {
  const parts: string[] = [];
  for (const s of signals) if (s.verdict === undefined && parts.length < 2) parts.push(s.message);
  return parts.length
    ? `no suggestion: no evidence for keeping or changing it (${parts.join('; ')})`
    : 'no suggestion: no evidence for keeping or changing it';
}

export function buildScorer(policy: Policy, engine: string): Finish {
  const digest = policyDigest(policy);
  const privPolicy = policy.privileged;
  // The decision class depends only on the tier and whether the access is privileged: looked up once per pair.
  const classes: (DecisionClass | undefined)[] = [];
  return (base, signals, priority, risk, privileged) => {
    // The deciding signal: the first verdict other than keep, in the priority order.
    let decider: Signal | undefined;
    let best = Number.POSITIVE_INFINITY;
    let keepBest: Signal | undefined;
    let specialist = false;
    for (const sig of signals) {
      if (sig.id === SIGNAL_IDS.peerSpecialist) specialist = true;
      if (sig.verdict === undefined) continue;
      if (sig.verdict === 'keep') {
        if (!keepBest || (sig.confidence ?? 0.5) > (keepBest.confidence ?? 0.5)) keepBest = sig;
        continue;
      }
      const r = priority.indexOf(sig.id);
      if (r >= 0 && r < best) {
        best = r;
        decider = sig;
      }
    }
    const action: SuggestedAction = decider?.verdict ?? (keepBest ? 'keep' : 'none');
    let p = 1;
    let peerKeep = false;
    for (const sig of signals) {
      flat(sig.message);
      const v = sig.verdict;
      if (v === 'keep' && PEER_IDS.has(sig.id)) peerKeep = true;
      if (v === action || (action === 'reduce' && v === 'revoke')) p *= 1 - (sig.confidence ?? 0.5);
    }
    let confidence: number;
    if (action === 'none') {
      confidence = 0;
      signals.unshift({
        id: SIGNAL_IDS.noEvidence,
        message: flat(noEvidenceReason(signals)),
        value: null,
        threshold: null,
        verdict: 'none',
      });
    } else if (action === 'keep') {
      confidence = 1 - p;
      if (privileged) confidence = Math.min(confidence, privPolicy.keepConfidenceCap);
      if (specialist) confidence = Math.min(confidence, SPECIALIST_KEEP_CAP);
      moveFirst(signals, keepBest!);
    } else {
      confidence = 1 - p;
      if (peerKeep) confidence *= 0.85;
      moveFirst(signals, decider!);
    }
    const classKey = TIER_INDEX[risk.tier]! * 2 + (privileged ? 1 : 0);
    const decisionClass = (classes[classKey] ??= decisionClassFor(risk.tier, policy, privileged));
    const c = action === 'none' ? 0 : round(Math.min(0.99, Math.max(0.01, confidence)));
    // Fixed object shapes (one literal per item kind) keep the engine fast and the output's key order stable.
    flat(base.itemId);
    // The caller may reuse its list: the suggestion keeps an exactly sized copy.
    const exact = signals.slice();
    if (base.entitlementId !== undefined)
      return {
        itemId: base.itemId,
        identityId: base.identityId,
        entitlementId: base.entitlementId,
        action,
        confidence: c,
        riskTier: risk.tier,
        decisionClass,
        signals: exact,
        engine,
        policyDigest: digest,
        riskReasons: risk.reasons,
      };
    if (base.credentialId !== undefined)
      return {
        itemId: base.itemId,
        identityId: base.identityId,
        credentialId: base.credentialId,
        action,
        confidence: c,
        riskTier: risk.tier,
        decisionClass,
        signals: exact,
        engine,
        policyDigest: digest,
        riskReasons: risk.reasons,
      };
    return {
      itemId: base.itemId,
      identityId: base.identityId,
      action,
      confidence: c,
      riskTier: risk.tier,
      decisionClass,
      signals: exact,
      engine,
      policyDigest: digest,
      riskReasons: risk.reasons,
    };
  };
}

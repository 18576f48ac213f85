// oscal/assessment-results.json: the campaign as an OSCAL Assessment Results document. One result (the campaign);
// every recorded decision an observation (who decided what, when, against which suggestion); every remediation the
// plan calls for (revocations, reductions, rotations, disabled logins, owners to assign, time-bound exceptions) a
// finding on the reviewed control, tied to its observation. docs/package-format.md, "OSCAL documents".
import { utf8 } from '../../model/digest';
import { isFinal } from '../certification-rules';
import type { HumanDecision, PackageItem, RemediationAction } from '../types';
import { actionWords, decisionOrigins, jsonObject, label, metadata, reviewerNames, REVIEWED_CONTROL, uuids, type OscalInput, type Uuids } from './common';
import { markupLine, markupMultiline, oscalDateTime, prop, type OscalProp } from './text';
import { oscalUuid } from './uuid';

/** The bytes of oscal/assessment-results.json. */
export function assessmentResultsBytes(input: OscalInput): Uint8Array {
  return utf8(assessmentResultsJson(input));
}

export function assessmentResultsJson(input: OscalInput): string {
  const { predicate, items } = input;
  const campaignId = predicate.campaign.id;
  const ids = uuids(predicate);
  const name = reviewerNames(predicate);
  const policy = oscalUuid('resource', campaignId, 'policy.json');
  const remediationOf = new Map<string, { system: string; action: RemediationAction }>();
  for (const { system, actions } of input.plan.systems) for (const action of actions) remediationOf.set(action.itemId, { system, action });

  const observations: string[] = [];
  const findings: string[] = [];
  for (const item of items) {
    if (!item.decision) continue;
    observations.push(JSON.stringify(observation(item, item.decision, ids, name)));
    const remediation = remediationOf.get(item.itemId);
    if (remediation && isFinal(item)) findings.push(JSON.stringify(finding(item, remediation, ids)));
  }
  const c = predicate.counts;
  const result = jsonObject([
    ['uuid', oscalUuid('result', campaignId, campaignId)],
    ['title', markupLine(`Access review campaign ${predicate.campaign.name}`)],
    ['description', markupMultiline(`Scope: ${predicate.campaign.scope}`)],
    ['start', oscalDateTime(predicate.period.from)],
    ['end', oscalDateTime(predicate.period.to)],
    ['props', [prop('items', c.items), prop('decided', c.decided), prop('overridden', c.overridden), prop('step-up-approved', c.stepUpApproved), prop('open', c.open)]],
    ['reviewed-controls', { 'control-selections': [{ 'include-controls': [{ 'control-id': REVIEWED_CONTROL.controlId, 'statement-ids': [REVIEWED_CONTROL.statementId] }] }] }],
    ['observations', observations, 'lines'],
    ['findings', findings, 'lines'],
  ]);
  const document = jsonObject([
    ['uuid', oscalUuid('assessment-results', campaignId, predicate.auditChain.head)],
    ['metadata', metadata(input, `Access review: ${predicate.campaign.name}`)],
    ['import-ap', { href: `#${policy}`, remarks: 'The campaign has no separate OSCAL assessment plan: its scope (below) and the suggestion policy it was reviewed under (policy.json, in back-matter) stand for one.' }],
    ['results', `[\n${result}\n]`, 'raw'],
    ['back-matter', { resources: [policyResource(policy, predicate.policyDigest), ...sourceResources(input)] }],
  ]);
  return `{"assessment-results":${document}}\n`;
}

function observation(item: PackageItem, d: HumanDecision, ids: Uuids, name: (id: string) => string): Record<string, unknown> {
  const s = item.suggestion;
  const approval = d.approver ? ` Approved by ${name(d.approver.id)} at ${d.approver.at}.` : '';
  const against = s ? ` ${d.acceptedSuggestion ? 'Accepted' : 'Overrode'} the suggestion ${s.action} (${s.riskTier} risk).` : ' No suggestion.';
  const until = d.keepUntil !== undefined ? ` Kept as an exception until ${d.keepUntil}.` : '';
  const escalated = d.escalatedTo !== undefined ? ` Escalated to ${name(d.escalatedTo)}.` : '';
  const owner = d.ownerId !== undefined ? ` New owner: ${d.ownerId}.` : '';
  return {
    uuid: ids.of('observation', item.itemId),
    title: markupLine(`${actionWords(d.action)}: ${label(item)}`),
    description: markupMultiline(`Decided by ${name(d.reviewerId)}.${against}${until}${escalated}${owner}${approval}`),
    props: itemProps(item, [prop('decision', d.action), prop('accepted-suggestion', d.acceptedSuggestion), ...(d.keepUntil !== undefined ? [prop('keep-until', d.keepUntil)] : [])]),
    methods: ['EXAMINE'],
    origins: decisionOrigins(ids, d.reviewerId, d.approver?.id ?? null),
    collected: oscalDateTime(d.at),
    ...(d.rationale !== null ? { remarks: `Rationale: ${markupMultiline(d.rationale)}` } : {}),
  };
}

function finding(item: PackageItem, { system, action }: { system: string; action: RemediationAction }, ids: Uuids): Record<string, unknown> {
  const what = action.kind === 'exception' ? `Kept as a time-bound exception until ${action.until}` : `${actionWords(action.kind)} in ${system}`;
  return {
    uuid: ids.of('finding', item.itemId),
    title: markupLine(`${actionWords(action.kind)}: ${label(item)}`),
    // The decision, its people and its rationale are the related observation's; the plan's entry says what to do.
    description: markupMultiline(`${what}; listed in oscal/poam.json.`),
    props: [prop('remediation', action.kind), ...(action.until !== null ? [prop('until', action.until)] : [])],
    origins: decisionOrigins(ids, action.decidedBy, action.approvedBy),
    target: { type: 'statement-id', 'target-id': REVIEWED_CONTROL.statementId, status: { state: 'not-satisfied' } },
    'related-observations': [{ 'observation-uuid': ids.of('observation', item.itemId) }],
  };
}

/** Which identity and access an observation or finding is about. */
export function itemProps(item: Pick<PackageItem, 'identity' | 'target'>, more: OscalProp[]): OscalProp[] {
  return [prop('identity-id', item.identity.id), ...(item.target ? [prop('target-id', item.target.id)] : []), ...more];
}

function policyResource(uuid: string, digest: string): Record<string, unknown> {
  return {
    uuid,
    title: 'Suggestion policy the campaign was reviewed under',
    props: [prop('policy-digest', digest)],
    rlinks: [{ href: '../policy.json', 'media-type': 'application/json' }],
  };
}

function sourceResources({ predicate }: OscalInput): Record<string, unknown>[] {
  return predicate.importEvidence.map((s, i) => ({
    uuid: oscalUuid('resource', predicate.campaign.id, `source:${i}:${s.name}`),
    title: markupLine(`Imported source ${s.name}`),
    props: [prop('format', s.format), prop('rows', s.rows), prop('size', s.size), prop('sha256', s.sha256)],
  }));
}

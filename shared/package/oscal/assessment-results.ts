// oscal/assessment-results.json: the campaign as an OSCAL Assessment Results document. One result (the campaign);
// every recorded decision an observation (who decided what, when, against which suggestion); every remediation the
// plan calls for (revocations, reductions, rotations, disabled logins, owners to assign, time-bound exceptions) a
// finding on the reviewed control, tied to its observation. docs/package-format.md, "OSCAL documents".
import { countItems, isFinal } from '../certification-rules';
import type { HumanDecision, PackageItem, RemediationAction } from '../types';
import {
  actionWords,
  jsonMembers,
  label,
  metadata,
  originsJson,
  reviewerNames,
  REVIEWED_CONTROL,
  uuids,
  writeList,
  type OscalInput,
  type Uuids,
} from './common';
import { renderBytes, renderInSlices, rendersTo, type SliceWrite, type TextSink } from './render';
import type { Pacer } from '../../codec';
import { markupLine, markupMultiline, oscalDateTime, prop, propJson } from './text';
import { oscalUuid } from './uuid';

/** The bytes of oscal/assessment-results.json. */
export function assessmentResultsBytes(input: OscalInput): Uint8Array {
  return renderBytes((sink) => writeAssessmentResults(input, sink));
}

/** oscal/assessment-results.json in slices of about a megabyte (see renderInSlices). */
export function writeAssessmentResultsInSlices(input: OscalInput, write: SliceWrite, pacer: Pacer): Promise<void> {
  return renderInSlices((sink) => writeAssessmentResults(input, sink), write, pacer);
}

/** True when `bytes` are exactly the assessment results `input` gives. */
export function isAssessmentResultsOf(input: OscalInput, bytes: Uint8Array): boolean {
  return rendersTo((sink) => writeAssessmentResults(input, sink), bytes);
}

export function* writeAssessmentResults(input: OscalInput, sink: TextSink): Generator<void, void, void> {
  const { predicate, items } = input;
  const campaignId = predicate.campaign.id;
  const ids = uuids(predicate);
  const name = reviewerNames(predicate);
  const policy = oscalUuid('resource', campaignId, 'policy.json');
  const remediationOf = new Map<string, { system: string; action: RemediationAction }>();
  for (const { system, actions } of input.plan.systems) for (const action of actions) remediationOf.set(action.itemId, { system, action });
  // Counted from the items (a manifest whose counts disagree fails the counts check, not this one).
  const c = countItems(items);

  sink(
    `{"assessment-results":{${jsonMembers([
      ['uuid', oscalUuid('assessment-results', campaignId, predicate.auditChain.head)],
      ['metadata', metadata(input, `Access review: ${predicate.campaign.name}`)],
      [
        'import-ap',
        {
          href: `#${policy}`,
          remarks:
            'The campaign has no separate OSCAL assessment plan: its scope (below) and the suggestion policy it was reviewed under (policy.json, in back-matter) stand for one.',
        },
      ],
    ])},"results":[\n`,
  );
  sink(
    `{${jsonMembers([
      ['uuid', oscalUuid('result', campaignId, campaignId)],
      ['title', markupLine(`Access review campaign ${predicate.campaign.name}`)],
      ['description', markupMultiline(`Scope: ${predicate.campaign.scope}`)],
      ['start', oscalDateTime(predicate.period.from)],
      ['end', oscalDateTime(predicate.period.to)],
      [
        'props',
        [
          prop('items', c.items),
          prop('decided', c.decided),
          prop('overridden', c.overridden),
          prop('step-up-approved', c.stepUpApproved),
          prop('open', c.open),
        ],
      ],
      [
        'reviewed-controls',
        {
          'control-selections': [
            { 'include-controls': [{ 'control-id': REVIEWED_CONTROL.controlId, 'statement-ids': [REVIEWED_CONTROL.statementId] }] },
          ],
        },
      ],
    ])}`,
  );
  yield* writeList(sink, 'observations', items, (item) => (item.decision ? observation(item, item.decision, ids, name) : null), true);
  yield* writeList(
    sink,
    'findings',
    items,
    (item) => {
      const remediation = remediationOf.get(item.itemId);
      return remediation && isFinal(item) ? finding(item, remediation, ids) : null;
    },
    true,
  );
  sink(
    `}\n],${jsonMembers([['back-matter', { resources: [policyResource(policy, predicate.policyDigest), ...sourceResources(input)] }]])}}}\n`,
  );
}

function observation(item: PackageItem, d: HumanDecision, ids: Uuids, name: (id: string) => string): string {
  const s = item.suggestion;
  const approval = d.approver ? ` Approved by ${name(d.approver.id)} at ${d.approver.at}.` : '';
  const against = s
    ? ` ${d.acceptedSuggestion ? 'Accepted' : 'Overrode'} the suggestion ${s.action} (${s.riskTier} risk).`
    : ' No suggestion.';
  const until = d.keepUntil !== undefined ? ` Kept as an exception until ${d.keepUntil}.` : '';
  const escalated = d.escalatedTo !== undefined ? ` Escalated to ${name(d.escalatedTo)}.` : '';
  const owner = d.ownerId !== undefined ? ` New owner: ${d.ownerId}.` : '';
  const props = [
    ...itemProps(item),
    propJson('decision', d.action),
    ...(d.keepUntil !== undefined ? [propJson('keep-until', d.keepUntil)] : []),
  ];
  const remarks = d.rationale !== null ? `,"remarks":${JSON.stringify(`Rationale: ${markupMultiline(d.rationale)}`)}` : '';
  return (
    `{"uuid":"${ids.of('observation', item.itemId)}","title":${JSON.stringify(markupLine(`${actionWords(d.action)}: ${label(item)}`))},` +
    `"description":${JSON.stringify(markupMultiline(`Decided by ${name(d.reviewerId)}.${against}${until}${escalated}${owner}${approval}`))},` +
    `"props":[${props.join(',')}],"methods":["EXAMINE"],"origins":${originsJson(ids, d.reviewerId, d.approver?.id ?? null)},"collected":${JSON.stringify(oscalDateTime(d.at))}${remarks}}`
  );
}

function finding(item: PackageItem, { system, action }: { system: string; action: RemediationAction }, ids: Uuids): string {
  const what =
    action.kind === 'exception' ? `Kept as a time-bound exception until ${action.until}` : `${actionWords(action.kind)} in ${system}`;
  const props = [propJson('remediation', action.kind), ...(action.until !== null ? [propJson('until', action.until)] : [])];
  // The decision, its people and its rationale are the related observation's; the plan's entry says what to do.
  return (
    `{"uuid":"${ids.of('finding', item.itemId)}","title":${JSON.stringify(markupLine(`${actionWords(action.kind)}: ${label(item)}`))},` +
    `"description":${JSON.stringify(markupMultiline(`${what}; listed in oscal/poam.json.`))},"props":[${props.join(',')}],` +
    `"origins":${originsJson(ids, action.decidedBy, action.approvedBy)},` +
    `"target":{"type":"statement-id","target-id":"${REVIEWED_CONTROL.statementId}","status":{"state":"not-satisfied"}},` +
    `"related-observations":[{"observation-uuid":"${ids.of('observation', item.itemId)}"}]}`
  );
}

/** Which identity and access an observation is about. */
function itemProps(item: Pick<PackageItem, 'identity' | 'target'>): string[] {
  return item.target
    ? [propJson('identity-id', item.identity.id), propJson('target-id', item.target.id)]
    : [propJson('identity-id', item.identity.id)];
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

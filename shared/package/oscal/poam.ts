// oscal/poam.json: the remediation plan (remediation.json) as an OSCAL Plan of Action and Milestones: one POA&M item
// per action, in the plan's order (system, kind, item), naming the finding of oscal/assessment-results.json it
// answers. The campaign stands for the system (`system-id`). docs/package-format.md, "OSCAL documents".
import type { RemediationAction } from '../types';
import { remediationLinkWords } from '../remediation-plan';
import { actionWords, jsonMembers, metadata, originsJson, reviewerNames, uuids, writeList, type OscalInput, type Uuids } from './common';
import { renderBytes, renderInSlices, rendersTo, type SliceWrite, type TextSink } from './render';
import type { Pacer } from '../../codec';
import { markupLine, markupMultiline, oscalString, prop, propJson } from './text';
import { oscalUuid } from './uuid';

/** The identifier type of `system-id`: the workbench's campaign id. */
export const CAMPAIGN_ID_TYPE = 'https://arw.dev/ns/oscal/campaign-id';

/** The bytes of oscal/poam.json. */
export function poamBytes(input: OscalInput): Uint8Array {
  return renderBytes((sink) => writePoam(input, sink));
}

/** oscal/poam.json in slices of about a megabyte (see renderInSlices). */
export function writePoamInSlices(input: OscalInput, write: SliceWrite, pacer: Pacer): Promise<void> {
  return renderInSlices((sink) => writePoam(input, sink), write, pacer);
}

/** True when `bytes` are exactly the POA&M `input` gives. */
export function isPoamOf(input: OscalInput, bytes: Uint8Array): boolean {
  return rendersTo((sink) => writePoam(input, sink), bytes);
}

export function* writePoam(input: OscalInput, sink: TextSink): Generator<void, void, void> {
  const { predicate, plan } = input;
  const campaignId = predicate.campaign.id;
  const ids = uuids(predicate);
  const name = reviewerNames(predicate);
  sink(
    `{"plan-of-action-and-milestones":{${jsonMembers([
      ['uuid', oscalUuid('poam', campaignId, predicate.auditChain.head)],
      ['metadata', metadata(input, `Remediation plan: ${predicate.campaign.name}`)],
      ['system-id', { 'identifier-type': CAMPAIGN_ID_TYPE, id: oscalString(campaignId) }],
    ])}`,
  );
  const actions = function* () {
    for (const { system, actions } of plan.systems) for (const action of actions) yield { system, action };
  };
  // OSCAL wants at least one POA&M item: a campaign that calls for no remediation says so in one.
  if (!(yield* writeList(sink, 'poam-items', actions(), ({ system, action }) => poamItem(system, action, ids, name), true)))
    sink(`,"poam-items":[\n${nothingToDo(campaignId)}\n]`);
  sink('}}\n');
}

function poamItem(system: string, a: RemediationAction, ids: Uuids, name: (id: string) => string): string {
  const target = a.targetKind === 'identity' ? a.identityName : `${a.targetName} (${a.targetKind} ${a.targetId}) of ${a.identityName}`;
  let what: string;
  switch (a.kind) {
    case 'revoke':
      what = `Revoke ${target} in ${system}.`;
      break;
    case 'reduce':
      what = `Reduce ${target} in ${system} to the least privilege it needs.`;
      break;
    case 'rotate':
      what = `Rotate ${target} in ${system}.`;
      break;
    case 'disable-login':
      what = `Disable the interactive login of ${a.identityName} in ${system}.`;
      break;
    case 'assign-owner':
      what = `Assign ${a.ownerId ?? 'an owner'} as the owner of ${a.identityName} in ${system}.`;
      break;
    case 'exception':
      what = `Remove ${target} in ${system}, or review it again, when the exception ends on ${a.until}.`;
      break;
  }
  // Inherited access is removed at the link of its path the reviewer chose, named with its blast radius.
  if (a.link) what += ` Carry it out at the link: ${remediationLinkWords(a.link)}.`;
  const props = [
    propJson('remediation', a.kind),
    propJson('system', system),
    propJson('identity-id', a.identityId),
    propJson('target-id', a.targetId),
    ...(a.until !== null ? [propJson('until', a.until)] : []),
    ...(a.ownerId !== null ? [propJson('owner-id', a.ownerId)] : []),
    propJson('finding-uuid', ids.of('finding', a.itemId)),
    ...(a.link
      ? [propJson('remediation-link', a.link.kind), propJson('link-member', a.link.member), propJson('link-group', a.link.group)]
      : []),
  ];
  const remarks = a.rationale !== null ? `,"remarks":${JSON.stringify(`Rationale: ${markupMultiline(a.rationale)}`)}` : '';
  return (
    `{"uuid":"${ids.of('poam-item', a.itemId)}","title":${JSON.stringify(markupLine(`${actionWords(a.kind)}: ${a.identityName} — ${a.targetName} (${system})`))},` +
    `"description":${JSON.stringify(markupMultiline(`${what} Decided by ${name(a.decidedBy)} at ${a.decidedAt}${a.approvedBy !== null ? `, approved by ${name(a.approvedBy)}` : ''}.`))},` +
    `"props":[${props.join(',')}],"origins":${originsJson(ids, a.decidedBy, a.approvedBy)}${remarks}}`
  );
}

function nothingToDo(campaignId: string): string {
  return JSON.stringify({
    uuid: oscalUuid('poam-item', campaignId, '(none)'),
    title: 'No remediation called for',
    description: 'No final decision of the campaign calls for a change in a source system or a time-bound exception.',
    props: [prop('remediation', 'none')],
  });
}

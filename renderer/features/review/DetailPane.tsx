// The detail pane: everything the reviewer needs to decide one item, the machine's suggestion clearly
// apart from the human decision, and the decision controls. The row facts come from the compact table at once;
// the rest (signals, peers, identity, entitlement, credentials, evidence) from the campaign worker on demand.
// The decision controls are in DecisionForm, pinned below this scrolling part.
// Read-only parts are plain elements: Mantine's components cost more to render on every decision.
import { Alert, Badge, Button, Divider, Group, Tooltip } from '@mantine/core';
import { memo, type CSSProperties } from 'react';
import type { ItemState } from '../../../shared/review';
import { ActionText, RiskBadge, formatDate, formatDecimal, formatTime } from '../../components';
import { i18n, useTranslation } from '../../i18n';
import { actionOf, decisionClassOf, tierOf, type CampaignTable, type ItemDetail, type PeerRow } from '../../workers';
import { itemStatus } from './table-view';
import type { Identity } from '../../../shared/model';
import type { Signal } from '../../../shared/suggest';

interface Props {
  table: CampaignTable;
  index: number;
  /** Null while the worker fetches it. */
  detail: ItemDetail | null;
  state: ItemState | undefined;
  /** Changes whenever `state` (mutated in place by the log) changed. */
  stateKey: string;
  activeReviewerId: string | null;
  onUndo: () => void;
  reviewerNames: ReadonlyMap<string, string>;
}

const small: CSSProperties = { fontSize: 'var(--mantine-font-size-xs)' };
const dimmed: CSSProperties = { color: 'var(--mantine-color-dimmed)' };
const smallDim: CSSProperties = { ...small, ...dimmed };
const text: CSSProperties = { fontSize: 'var(--mantine-font-size-sm)', margin: 0 };
const label: CSSProperties = { ...smallDim, textTransform: 'uppercase', fontWeight: 600 };
const column: CSSProperties = { display: 'flex', flexDirection: 'column', gap: 2 };

/** Memoized: a decision saved on one item does not re-render the pane of the next (its props stay equal). */
export const DetailPane = memo(function DetailPane(p: Props) {
  const { table, index, detail, state } = p;
  const action = actionOf(table, index);
  const tier = tierOf(table, index);
  const decisionClass = decisionClassOf(table, index);
  const itemId = table.itemIds[index]!;
  const current = state?.current ?? null;
  const status = itemStatus(table, index, state);
  const ownDecision = current && current.reviewer.id === p.activeReviewerId;
  const { t } = useTranslation();
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 'var(--mantine-spacing-sm)' }} data-testid="detail-pane">
      <div>
        <h4 style={{ margin: 0, fontSize: 'var(--mantine-h4-font-size)', lineHeight: 'var(--mantine-h4-line-height)' }}>
          {table.strings[table.who[index]!]} — {table.strings[table.what[index]!]}
        </h4>
        <div style={{ ...text, ...dimmed }}>
          {table.strings[table.app[index]!]} · {t('review.detail.item')} <span className="mono">{itemId.replace('\u001f', ' / ')}</span>
        </div>
      </div>
      <div className="suggestion-box" data-testid="suggestion">
        <Group justify="space-between">
          <span style={{ ...small, fontWeight: 700, color: 'var(--mantine-color-indigo-text)', textTransform: 'uppercase' }}>
            {t('review.detail.engineSuggestion')}
          </span>
          <span style={smallDim}>{detail?.suggestion.engine ?? ''}</span>
        </Group>
        <Group gap="xs" mt={4}>
          <b>
            <ActionText action={action} />
          </b>
          {action !== 'none' && (
            <span style={text}>· {t('review.detail.confidence', { value: formatDecimal(table.confidence[index]!) })} ·</span>
          )}
          <RiskBadge tier={tier} />
          <Tooltip label={t('review.detail.decisionClassHint')}>
            <Badge variant="outline" size="sm" data-testid="decision-class">
              {t(`enums.decisionClass.${decisionClass}`)}
            </Badge>
          </Tooltip>
        </Group>
        {action === 'none' && (
          <div style={{ ...text, marginTop: 4 }} data-testid="no-suggestion">
            {detail?.suggestion.signals[0]?.message ?? t('review.detail.noEvidence')} {t('review.detail.yours')}
          </div>
        )}
        {detail ? <Signals detail={detail} /> : <div style={{ ...smallDim, marginTop: 6 }}>{t('review.detail.loadingSignals')}</div>}
      </div>
      {detail && <Facts detail={detail} reviewerNames={p.reviewerNames} />}
      <Divider label={t('review.detail.humanDecision')} labelPosition="left" />
      {current ? (
        <div className={`decision-box decision-${status.replace(' ', '-')}`} data-testid="decision">
          <Group justify="space-between">
            <b>
              {status === 'escalated'
                ? t('review.detail.escalatedTo', {
                    to: p.reviewerNames.get(current.escalatedTo ?? '') ?? current.escalatedTo ?? t('review.detail.campaignOwner'),
                  })
                : `${t(`enums.action.${current.action}`)} ${current.acceptedSuggestion ? t('review.detail.accepted') : t('review.detail.override')}`}
              {current.keepUntil ? ` ${t('review.detail.keepUntil', { date: formatDate(current.keepUntil) })}` : ''}
              {current.ownerId ? ` → ${t('review.detail.owner', { owner: current.ownerId })}` : ''}
            </b>
            <Badge color={status === 'decided' ? 'teal' : 'orange'} data-testid="saved-badge">
              {status === 'pending approval'
                ? t('review.detail.savedPending')
                : status === 'escalated'
                  ? t('review.detail.savedEscalated')
                  : t('review.detail.saved')}
            </Badge>
          </Group>
          <div style={text}>
            {t('review.detail.by', { name: current.reviewer.name })} · {formatTime(current.at)} ·{' '}
            {t('review.detail.event', { seq: current.seq })}
            {current.reasonCategory ? ` · ${t(`enums.reason.${current.reasonCategory}`)}` : ''}
          </div>
          {current.remediation && (
            <div style={text} data-testid="decision-cut">
              {t('review.cut.recorded', {
                where: t(`review.cut.${current.remediation.kind}`, {
                  member: current.remediation.memberName ?? current.remediation.member,
                  group: current.remediation.groupName ?? current.remediation.group,
                }),
              })}
            </div>
          )}
          {current.rationale && <div style={text}>{t('review.detail.rationale', { text: current.rationale })}</div>}
          {current.approval && (
            <div style={{ ...text, color: 'var(--mantine-color-teal-filled)' }} data-testid="approval">
              {t('review.detail.approvedBy', { name: current.approval.approver.name })} · {formatTime(current.approval.at)}
              {current.approval.rationale ? ` · “${current.approval.rationale}”` : ''}
            </div>
          )}
          <Group mt={6}>
            {ownDecision && (
              <Button size="compact-sm" variant="default" onClick={p.onUndo} data-testid="undo">
                {t('review.detail.undo')} <kbd>u</kbd>
              </Button>
            )}
            {status === 'pending approval' && ownDecision && <span style={smallDim}>{t('review.detail.stepUpHint')}</span>}
          </Group>
        </div>
      ) : (
        <div style={{ ...text, ...dimmed }}>{t('review.detail.noDecision')}</div>
      )}
      {state?.returned && !current && (
        <Alert
          color="red"
          py={6}
          data-testid="returned"
          title={t('review.detail.sentBack', { name: state.returned.by.name, at: formatTime(state.returned.at) })}
        >
          {t('review.detail.decidesAgain', {
            reason: state.returned.reason || t('review.detail.noReason'),
            name: p.reviewerNames.get(state.returned.reviewerId) ?? state.returned.reviewerId,
          })}
        </Alert>
      )}
      {state && state.history.length > 0 && (
        <details>
          <summary>
            <span style={smallDim}>{t('review.detail.history', { count: state.history.length })}</span>
          </summary>
          <div data-testid="history">
            {state.history.map((e) => (
              <div style={small} key={e.seq} className="mono">
                #{e.seq} {formatTime(e.at)} {t(`enums.event.${e.type}`)} {e.action ? t(`enums.action.${e.action}`) : ''}{' '}
                {e.refersTo ? `→ #${e.refersTo}` : ''} {t('review.detail.by', { name: e.actor.name })}
                {e.secondsOnScreen !== undefined ? ` · ${t('review.detail.secondsOnScreen', { seconds: e.secondsOnScreen })}` : ''}
              </div>
            ))}
          </div>
        </details>
      )}
    </div>
  );
});

/** The suggestion's signals with their values, and the peers behind a peer signal. Same item, same element. */
const Signals = memo(function Signals({ detail }: { detail: ItemDetail }) {
  const s = detail.suggestion;
  const { t } = useTranslation();
  return (
    <div style={{ ...column, marginTop: 6 }}>
      {s.signals.map((sig, k) => (
        <div key={sig.id + sig.message}>
          <div style={text} data-testid="signal">
            · {sig.message}{' '}
            <span style={smallDim}>
              ({sig.id}
              {sig.threshold !== null ? `; ${t('review.detail.threshold', { value: sig.threshold })}` : ''})
            </span>
          </div>
          {sig.peers && <PeerList signal={sig} rows={detail.peers[k] ?? []} />}
        </div>
      ))}
      {s.riskReasons && s.riskReasons.length > 0 && (
        <div style={{ ...smallDim, marginTop: 4 }}>
          {t('review.detail.risk', { tier: t(`enums.tier.${s.riskTier}`) })}: {s.riskReasons.join('; ')}
        </div>
      )}
    </div>
  );
});

/** Identity, entitlement, usage, credentials and evidence of the item. */
const Facts = memo(function Facts({ detail, reviewerNames }: { detail: ItemDetail; reviewerNames: ReadonlyMap<string, string> }) {
  const { identity, entitlement, assignment } = detail;
  const { t } = useTranslation();
  return (
    <>
      <Group gap="xl" align="start">
        <div style={column}>
          <span style={label}>{t('review.facts.identity')}</span>
          <span style={text}>
            {identity ? t(`enums.identityType.${identity.type}`) : '?'} ·{' '}
            <span data-testid="identity-status">{identity ? lifecycleText(identity) : '?'}</span>
            {identity?.specialAccount && (
              <Badge ml={6} size="xs" color="red" variant="light" data-testid="special-account">
                {identity.specialAccount === 'root' ? t('review.facts.root') : t('review.facts.breakGlass')}
              </Badge>
            )}
          </span>
          {identity?.typeReason && <span style={smallDim}>{t('review.facts.class', { reason: identity.typeReason })}</span>}
          {identity && <SignInFacts identity={identity} />}
          <span style={text}>{[identity?.department, identity?.title].filter(Boolean).join(' / ') || '—'}</span>
          <span style={smallDim}>
            {identity?.managerId
              ? t('review.facts.manager', { id: identity.managerId })
              : identity?.ownerId
                ? t('review.facts.owner', { id: identity.ownerId })
                : t('review.facts.noManager')}
          </span>
        </div>
        <div style={column}>
          <span style={label}>{t('review.facts.entitlement')}</span>
          <span style={text}>
            {entitlement?.name ?? '—'} ({entitlement?.privilege ? t(`enums.privilege.${entitlement.privilege}`) : '?'})
          </span>
          {detail.grantPath && (
            <span style={text} data-testid="grant-path">
              {t('review.detail.grantPath', { path: detail.grantPath.join(' → ') })}
            </span>
          )}
          <span style={smallDim}>{entitlement?.description ?? ''}</span>
          <span style={smallDim}>{t('review.facts.owner', { id: entitlement?.ownerId ?? '—' })}</span>
        </div>
        <div style={column}>
          <span style={label}>{t('review.facts.usage')}</span>
          <span style={text}>
            {t('review.facts.granted', { date: assignment?.grantedAt ? formatDate(assignment.grantedAt) : t('common.unknown') })}
          </span>
          <span style={text}>
            {t('review.facts.lastUsed', {
              date: assignment?.lastUsedAt ? formatDate(assignment.lastUsedAt) : t('review.facts.neverUnknown'),
            })}
          </span>
          <span style={smallDim}>{t('review.facts.source', { source: assignment?.source ?? '—' })}</span>
        </div>
      </Group>
      {identity && identity.type !== 'human' && (
        <div style={column}>
          <span style={label}>{t('review.facts.credentials', { name: identity.displayName })}</span>
          {detail.credentials.map((c) => (
            <span style={small} key={c.credentialId} className="mono">
              {c.kind} {c.credentialId} ·{' '}
              {t('review.facts.credentialLine', {
                created: c.createdAt ?? '?',
                rotated: c.lastRotatedAt ?? t('common.never'),
                used: c.lastUsedAt ?? t('common.never'),
              })}{' '}
              · {c.active ? t('review.facts.active') : t('review.facts.inactive')}
            </span>
          ))}
          {!detail.credentials.length && <span style={small}>{t('review.facts.noneOnRecord')}</span>}
        </div>
      )}
      <div style={smallDim}>
        {t('review.facts.evidence', { evidence: detail.evidence })}{' '}
        {detail.assignmentReason
          ? `· ${t('review.facts.reviewer', { name: reviewerNames.get(detail.assignedReviewerId ?? '') ?? detail.assignedReviewerId, reason: detail.assignmentReason })}`
          : ''}
      </div>
    </>
  );
});

/** Lifecycle state with the source's own word beside it when it says more ("suspended (LOCKED_OUT)"). */
export function lifecycleText(i: Pick<Identity, 'status' | 'sourceStatus'>): string {
  const status = i18n.t(`enums.identityStatus.${i.status}`);
  return i.sourceStatus && i.sourceStatus.toLowerCase() !== i.status ? `${status} (${i.sourceStatus})` : status;
}

const yesNo = (v: boolean | undefined, yes: string, no: string) => (v === undefined ? i18n.t('review.signIn.notInSource') : v ? yes : no);

/** Identity-level evidence: last sign-in, password sign-in, MFA, password expiry. "not in the source" when unknown. */
function SignInFacts({ identity: i }: { identity: Identity }) {
  const { t } = useTranslation();
  return (
    <span style={small} data-testid="sign-in-facts">
      <span style={{ display: 'block' }}>
        {t('review.signIn.last', { at: i.lastLoginAt ? formatTime(i.lastLoginAt) : t('review.signIn.notInSource') })}
      </span>
      {i.passwordLastUsedAt && i.passwordLastUsedAt !== i.lastLoginAt && (
        <span style={{ display: 'block' }}>{t('review.signIn.passwordLastUsed', { at: formatTime(i.passwordLastUsedAt) })}</span>
      )}
      {i.passwordLogin !== undefined && (
        <span style={{ display: 'block' }}>
          {t('review.signIn.passwordLogin', { value: i.passwordLogin ? t('common.yes') : t('common.no') })}
        </span>
      )}
      <span style={{ display: 'block', ...(i.mfa === false ? { color: 'var(--mantine-color-red-text)', fontWeight: 600 } : {}) }}>
        {t('review.signIn.mfa', { value: yesNo(i.mfa, t('review.signIn.on'), t('review.signIn.off')) })}
      </span>
      {i.passwordNeverExpires && (
        <span style={{ display: 'block', color: 'var(--mantine-color-orange-text)' }}>{t('review.signIn.neverExpires')}</span>
      )}
    </span>
  );
}

/** The peers behind a peer signal, and which of them hold the entitlement. */
function PeerList({ signal, rows }: { signal: Signal; rows: PeerRow[] }) {
  const peers = signal.peers!;
  const listed = (peers.members ?? peers.holders ?? []).length;
  const { t } = useTranslation();
  return (
    <details style={{ marginLeft: 12 }}>
      <summary>
        <span style={{ ...small, color: 'var(--mantine-color-indigo-text)' }}>
          {t('review.peers.show', { count: peers.size, group: peers.group })}
        </span>
      </summary>
      <div data-testid="peer-list">
        {rows.map((r) => (
          <div style={small} key={r.id}>
            {r.name} <span className="mono">({r.id})</span>{' '}
            {r.holds === undefined ? '' : r.holds ? `· ${t('review.peers.holds')}` : `· ${t('review.peers.doesNotHold')}`}
          </div>
        ))}
        {!listed && <div style={small}>{t('review.peers.notListed')}</div>}
        {listed > rows.length && <div style={small}>{t('review.peers.more', { n: listed - rows.length })}</div>}
      </div>
    </details>
  );
}

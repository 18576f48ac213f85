// The detail pane: everything the reviewer needs to decide one item, the machine's suggestion clearly
// apart from the human decision, and the decision controls. The row facts come from the compact table at once;
// the rest (signals, peers, identity, entitlement, credentials, evidence) from the campaign worker on demand.
// The decision controls are in DecisionForm, pinned below this scrolling part.
// Read-only parts are plain elements: Mantine's components cost more to render on every decision.
import { Alert, Badge, Button, Divider, Group, Tooltip } from '@mantine/core';
import { memo, type CSSProperties } from 'react';
import { REASON_CATEGORY_LABELS, type ItemState } from '../../../shared/review';
import { ActionText, RiskBadge, formatTime } from '../../components';
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
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 'var(--mantine-spacing-sm)' }} data-testid="detail-pane">
      <div>
        <h4 style={{ margin: 0, fontSize: 'var(--mantine-h4-font-size)', lineHeight: 'var(--mantine-h4-line-height)' }}>
          {table.strings[table.who[index]!]} — {table.strings[table.what[index]!]}
        </h4>
        <div style={{ ...text, ...dimmed }}>
          {table.strings[table.app[index]!]} · item <span className="mono">{itemId.replace('\u001f', ' / ')}</span>
        </div>
      </div>
      <div className="suggestion-box" data-testid="suggestion">
        <Group justify="space-between">
          <span style={{ ...small, fontWeight: 700, color: 'var(--mantine-color-indigo-filled)', textTransform: 'uppercase' }}>Engine suggestion (not a decision)</span>
          <span style={smallDim}>{detail?.suggestion.engine ?? ''}</span>
        </Group>
        <Group gap="xs" mt={4}>
          <b>
            <ActionText action={action} />
          </b>
          {action !== 'none' && <span style={text}>· confidence {table.confidence[index]!.toFixed(2)} ·</span>}
          <RiskBadge tier={tier} />
          <Tooltip label="What the policy lets the assistant do for this risk tier">
            <Badge variant="outline" size="sm" data-testid="decision-class">
              {decisionClass}
            </Badge>
          </Tooltip>
        </Group>
        {action === 'none' && (
          <div style={{ ...text, marginTop: 4 }} data-testid="no-suggestion">
            {detail?.suggestion.signals[0]?.message ?? 'No suggestion: no evidence either way.'} The decision is yours, with its reason.
          </div>
        )}
        {detail ? <Signals detail={detail} /> : <div style={{ ...smallDim, marginTop: 6 }}>loading the signals…</div>}
      </div>
      {detail && <Facts detail={detail} reviewerNames={p.reviewerNames} />}
      <Divider label="Human decision" labelPosition="left" />
      {current ? (
        <div className={`decision-box decision-${status.replace(' ', '-')}`} data-testid="decision">
          <Group justify="space-between">
            <b>
              {status === 'escalated'
                ? `can't decide — escalated to ${p.reviewerNames.get(current.escalatedTo ?? '') ?? current.escalatedTo ?? 'the campaign owner'}`
                : `${current.action} ${current.acceptedSuggestion ? '(accepted the suggestion)' : '(override)'}`}
              {current.keepUntil ? ` until ${current.keepUntil} (time-bound exception)` : ''}
              {current.ownerId ? ` → owner ${current.ownerId}` : ''}
            </b>
            <Badge color={status === 'decided' ? 'teal' : 'orange'} data-testid="saved-badge">
              {status === 'pending approval' ? 'saved · pending approval' : status === 'escalated' ? 'saved · escalated, open' : 'saved'}
            </Badge>
          </Group>
          <div style={text}>
            by {current.reviewer.name} · {formatTime(current.at)} · event #{current.seq}
            {current.reasonCategory ? ` · ${REASON_CATEGORY_LABELS[current.reasonCategory]}` : ''}
          </div>
          {current.rationale && <div style={text}>rationale: “{current.rationale}”</div>}
          {current.approval && (
            <div style={{ ...text, color: 'var(--mantine-color-teal-filled)' }} data-testid="approval">
              approved by {current.approval.approver.name} · {formatTime(current.approval.at)}
              {current.approval.rationale ? ` · “${current.approval.rationale}”` : ''}
            </div>
          )}
          <Group mt={6}>
            {ownDecision && (
              <Button size="compact-sm" variant="default" onClick={p.onUndo} data-testid="undo">
                Undo <kbd>u</kbd>
              </Button>
            )}
            {status === 'pending approval' && ownDecision && <span style={smallDim}>Step-up: a second, different reviewer must approve this decision.</span>}
          </Group>
        </div>
      ) : (
        <div style={{ ...text, ...dimmed }}>No decision yet.</div>
      )}
      {state?.returned && !current && (
        <Alert color="red" py={6} data-testid="returned" title={`Sent back by ${state.returned.by.name} · ${formatTime(state.returned.at)}`}>
          {state.returned.reason || 'no reason given'} — {p.reviewerNames.get(state.returned.reviewerId) ?? state.returned.reviewerId} decides again.
        </Alert>
      )}
      {state && state.history.length > 0 && (
        <details>
          <summary>
            <span style={smallDim}>history ({state.history.length} events)</span>
          </summary>
          <div data-testid="history">
            {state.history.map((e) => (
              <div style={small} key={e.seq} className="mono">
                #{e.seq} {formatTime(e.at)} {e.type} {e.action ?? ''} {e.refersTo ? `→ #${e.refersTo}` : ''} by {e.actor.name}
                {e.secondsOnScreen !== undefined ? ` · ${e.secondsOnScreen}s on screen` : ''}
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
  return (
    <div style={{ ...column, marginTop: 6 }}>
      {s.signals.map((sig, k) => (
        <div key={sig.id + sig.message}>
          <div style={text} data-testid="signal">
            · {sig.message}{' '}
            <span style={smallDim}>
              ({sig.id}
              {sig.threshold !== null ? `; threshold ${sig.threshold}` : ''})
            </span>
          </div>
          {sig.peers && <PeerList signal={sig} rows={detail.peers[k] ?? []} />}
        </div>
      ))}
      {s.riskReasons && s.riskReasons.length > 0 && (
        <div style={{ ...smallDim, marginTop: 4 }}>
          risk {s.riskTier}: {s.riskReasons.join('; ')}
        </div>
      )}
    </div>
  );
});

/** Identity, entitlement, usage, credentials and evidence of the item. */
const Facts = memo(function Facts({ detail, reviewerNames }: { detail: ItemDetail; reviewerNames: ReadonlyMap<string, string> }) {
  const { identity, entitlement, assignment } = detail;
  return (
    <>
      <Group gap="xl" align="start">
        <div style={column}>
          <span style={label}>Identity</span>
          <span style={text}>
            {identity?.type ?? '?'} · <span data-testid="identity-status">{identity ? lifecycleText(identity) : '?'}</span>
            {identity?.specialAccount && (
              <Badge ml={6} size="xs" color="red" variant="light" data-testid="special-account">
                {identity.specialAccount === 'root' ? 'root account' : 'break-glass account'}
              </Badge>
            )}
          </span>
          {identity?.typeReason && <span style={smallDim}>class: {identity.typeReason}</span>}
          {identity && <SignInFacts identity={identity} />}
          <span style={text}>{[identity?.department, identity?.title].filter(Boolean).join(' / ') || '—'}</span>
          <span style={smallDim}>{identity?.managerId ? `manager: ${identity.managerId}` : identity?.ownerId ? `owner: ${identity.ownerId}` : 'no manager or owner on record'}</span>
        </div>
        <div style={column}>
          <span style={label}>Entitlement</span>
          <span style={text}>
            {entitlement?.name ?? '—'} ({entitlement?.privilege ?? '?'})
          </span>
          <span style={smallDim}>{entitlement?.description ?? ''}</span>
          <span style={smallDim}>owner: {entitlement?.ownerId ?? '—'}</span>
        </div>
        <div style={column}>
          <span style={label}>Usage</span>
          <span style={text}>granted {assignment?.grantedAt ?? 'unknown'}</span>
          <span style={text}>last used {assignment?.lastUsedAt ?? 'never / unknown'}</span>
          <span style={smallDim}>source: {assignment?.source ?? '—'}</span>
        </div>
      </Group>
      {identity && identity.type !== 'human' && (
        <div style={column}>
          <span style={label}>Credentials of {identity.displayName}</span>
          {detail.credentials.map((c) => (
            <span style={small} key={c.credentialId} className="mono">
              {c.kind} {c.credentialId} · created {c.createdAt ?? '?'} · rotated {c.lastRotatedAt ?? 'never'} · last used {c.lastUsedAt ?? 'never'} · {c.active ? 'active' : 'inactive'}
            </span>
          ))}
          {!detail.credentials.length && <span style={small}>none on record</span>}
        </div>
      )}
      <div style={smallDim}>
        evidence: {detail.evidence} {detail.assignmentReason ? `· reviewer: ${reviewerNames.get(detail.assignedReviewerId ?? '') ?? detail.assignedReviewerId} (${detail.assignmentReason})` : ''}
      </div>
    </>
  );
});

/** Lifecycle state with the source's own word beside it when it says more ("suspended (LOCKED_OUT)"). */
export function lifecycleText(i: Pick<Identity, 'status' | 'sourceStatus'>): string {
  const status = i.status === 'never-activated' ? 'never activated' : i.status;
  return i.sourceStatus && i.sourceStatus.toLowerCase() !== i.status ? `${status} (${i.sourceStatus})` : status;
}

const yesNo = (v: boolean | undefined, yes: string, no: string) => (v === undefined ? 'not in the source' : v ? yes : no);

/** Identity-level evidence: last sign-in, password sign-in, MFA, password expiry. "not in the source" when unknown. */
function SignInFacts({ identity: i }: { identity: Identity }) {
  return (
    <span style={small} data-testid="sign-in-facts">
      <span style={{ display: 'block' }}>last sign-in: {i.lastLoginAt ? formatTime(i.lastLoginAt) : 'not in the source'}</span>
      {i.passwordLastUsedAt && i.passwordLastUsedAt !== i.lastLoginAt && <span style={{ display: 'block' }}>password last used: {formatTime(i.passwordLastUsedAt)}</span>}
      {i.passwordLogin !== undefined && <span style={{ display: 'block' }}>password / console login: {i.passwordLogin ? 'yes' : 'no'}</span>}
      <span style={{ display: 'block', ...(i.mfa === false ? { color: 'var(--mantine-color-red-7)', fontWeight: 600 } : {}) }}>MFA: {yesNo(i.mfa, 'on', 'off')}</span>
      {i.passwordNeverExpires && <span style={{ display: 'block', color: 'var(--mantine-color-orange-7)' }}>password never expires</span>}
    </span>
  );
}

/** The peers behind a peer signal, and which of them hold the entitlement. */
function PeerList({ signal, rows }: { signal: Signal; rows: PeerRow[] }) {
  const peers = signal.peers!;
  const listed = (peers.members ?? peers.holders ?? []).length;
  return (
    <details style={{ marginLeft: 12 }}>
      <summary>
        <span style={{ ...small, color: 'var(--mantine-color-indigo-filled)' }}>
          show the {peers.size} {peers.size === 1 ? 'peer' : 'peers'} ({peers.group})
        </span>
      </summary>
      <div data-testid="peer-list">
        {rows.map((r) => (
          <div style={small} key={r.id}>
            {r.name} <span className="mono">({r.id})</span> {r.holds === undefined ? '' : r.holds ? '· holds it' : '· does not hold it'}
          </div>
        ))}
        {!listed && <div style={small}>The engine did not list these peers (common entitlement).</div>}
        {listed > rows.length && <div style={small}>… {listed - rows.length} more</div>}
      </div>
    </details>
  );
}

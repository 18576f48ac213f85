// The detail pane: everything the reviewer needs to decide one item, the machine's suggestion clearly
// apart from the human decision, and the decision controls.
import { Alert, Badge, Button, Divider, Group, Select, Stack, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { forwardRef } from 'react';
import { DECISION_ACTIONS, type DecisionAction, type ItemState } from '../../../shared/review';
import { ActionText, RiskBadge, formatTime } from '../../components/format';
import { statusOf } from './ReviewTable';
import { itemTitle, type CampaignItems, type ReviewItem } from './use-campaign-items';
import type { Signal } from '../../../shared/suggest';

export interface DecisionDraft {
  mode: 'accept' | 'override';
  action: DecisionAction;
  rationale: string;
}

interface Props {
  item: ReviewItem;
  state: ItemState | undefined;
  draft: DecisionDraft;
  setDraft: (d: DecisionDraft) => void;
  error: string | null;
  saving: boolean;
  activeReviewerId: string | null;
  onAccept: () => void;
  onSaveOverride: () => void;
  onUndo: () => void;
  onApprove: () => void;
  overrideSelectRef: React.Ref<HTMLInputElement>;
  context: Pick<CampaignItems, 'identities' | 'holdings' | 'credentialsByIdentity' | 'sources'>;
  reviewerNames: ReadonlyMap<string, string>;
}

export const DetailPane = forwardRef<HTMLTextAreaElement, Props>(function DetailPane(p, rationaleRef) {
  const { item, state } = p;
  const s = item.suggestion;
  const t = itemTitle(item);
  const current = state?.current ?? null;
  const status = statusOf(item, state);
  const ownDecision = current && current.reviewer.id === p.activeReviewerId;
  return (
    <Stack gap="sm" data-testid="detail-pane">
      <div>
        <Title order={4}>
          {t.who} — {t.what}
        </Title>
        <Text size="sm" c="dimmed">
          {t.app} · item <span className="mono">{item.itemId.replace('\u001f', ' / ')}</span>
        </Text>
      </div>
      <div className="suggestion-box" data-testid="suggestion">
        <Group justify="space-between">
          <Text size="xs" fw={700} c="indigo" tt="uppercase">
            Engine suggestion (not a decision)
          </Text>
          <Text size="xs" c="dimmed">
            {s.engine}
          </Text>
        </Group>
        <Group gap="xs" mt={4}>
          <Text fw={700}>
            <ActionText action={s.action} />
          </Text>
          <Text size="sm">· confidence {s.confidence.toFixed(2)} ·</Text>
          <RiskBadge tier={s.riskTier} />
          <Tooltip label="What the policy lets the assistant do for this risk tier">
            <Badge variant="outline" size="sm" data-testid="decision-class">
              {s.decisionClass}
            </Badge>
          </Tooltip>
        </Group>
        <Stack gap={2} mt={6}>
          {s.signals.map((sig) => (
            <div key={sig.id + sig.message}>
              <Text size="sm" data-testid="signal">
                · {sig.message}{' '}
                <Text span size="xs" c="dimmed">
                  ({sig.id}
                  {sig.threshold !== null ? `; threshold ${sig.threshold}` : ''})
                </Text>
              </Text>
              {sig.peers && <PeerList signal={sig} item={item} context={p.context} />}
            </div>
          ))}
          {s.riskReasons && s.riskReasons.length > 0 && (
            <Text size="xs" c="dimmed" mt={4}>
              risk {s.riskTier}: {s.riskReasons.join('; ')}
            </Text>
          )}
        </Stack>
      </div>
      <Group gap="xl" align="start">
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Identity
          </Text>
          <Text size="sm">
            {item.identity?.type ?? '?'} · {item.identity?.status ?? '?'}
          </Text>
          {item.identity?.typeReason && (
            <Text size="xs" c="dimmed">
              class: {item.identity.typeReason}
            </Text>
          )}
          <Text size="sm">{[item.identity?.department, item.identity?.title].filter(Boolean).join(' / ') || '—'}</Text>
          <Text size="xs" c="dimmed">
            {item.identity?.managerId ? `manager: ${item.identity.managerId}` : item.identity?.ownerId ? `owner: ${item.identity.ownerId}` : 'no manager or owner on record'}
          </Text>
        </Stack>
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Entitlement
          </Text>
          <Text size="sm">
            {item.entitlement?.name ?? '—'} ({item.entitlement?.privilege ?? '?'})
          </Text>
          <Text size="xs" c="dimmed">
            {item.entitlement?.description ?? ''}
          </Text>
          <Text size="xs" c="dimmed">
            owner: {item.entitlement?.ownerId ?? '—'}
          </Text>
        </Stack>
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Usage
          </Text>
          <Text size="sm">granted {item.assignment?.grantedAt ?? 'unknown'}</Text>
          <Text size="sm">last used {item.assignment?.lastUsedAt ?? 'never / unknown'}</Text>
          <Text size="xs" c="dimmed">
            source: {item.assignment?.source ?? '—'}
          </Text>
        </Stack>
      </Group>
      {item.identity && item.identity.type !== 'human' && (
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Credentials of {item.identity.displayName}
          </Text>
          {(p.context.credentialsByIdentity.get(item.identity.id) ?? []).map((c) => (
            <Text size="xs" key={c.credentialId} className="mono">
              {c.kind} {c.credentialId} · created {c.createdAt ?? '?'} · rotated {c.lastRotatedAt ?? 'never'} · last used {c.lastUsedAt ?? 'never'} · {c.active ? 'active' : 'inactive'}
            </Text>
          ))}
          {!(p.context.credentialsByIdentity.get(item.identity.id) ?? []).length && <Text size="xs">none on record</Text>}
        </Stack>
      )}
      <Text size="xs" c="dimmed">
        evidence: {evidenceFor(item, p.context.sources)} {item.assignmentReason ? `· reviewer: ${p.reviewerNames.get(item.assignedReviewerId ?? '') ?? item.assignedReviewerId} (${item.assignmentReason})` : ''}
      </Text>
      <Divider label="Human decision" labelPosition="left" />
      {current ? (
        <div className="decision-box" data-testid="decision">
          <Group justify="space-between">
            <Text fw={700}>
              {current.action} {current.acceptedSuggestion ? '(accepted the suggestion)' : '(override)'}
            </Text>
            <Badge color={status === 'pending approval' ? 'orange' : 'teal'} data-testid="saved-badge">
              {status === 'pending approval' ? 'saved · pending approval' : 'saved'}
            </Badge>
          </Group>
          <Text size="sm">
            by {current.reviewer.name} · {formatTime(current.at)} · event #{current.seq}
          </Text>
          {current.rationale && <Text size="sm">rationale: “{current.rationale}”</Text>}
          {current.approval && (
            <Text size="sm" c="teal">
              approved by {current.approval.approver.name} · {formatTime(current.approval.at)}
            </Text>
          )}
          <Group mt={6}>
            {ownDecision && (
              <Button size="compact-sm" variant="default" onClick={p.onUndo} data-testid="undo">
                Undo <kbd>u</kbd>
              </Button>
            )}
            {status === 'pending approval' &&
              (ownDecision ? (
                <Text size="xs" c="dimmed">
                  Step-up: a second, different reviewer must approve this decision.
                </Text>
              ) : (
                <Button size="compact-sm" color="teal" onClick={p.onApprove} loading={p.saving} data-testid="approve">
                  Approve as second reviewer
                </Button>
              ))}
          </Group>
        </div>
      ) : (
        <Text size="sm" c="dimmed">
          No decision yet.
        </Text>
      )}
      {state && state.history.length > 0 && (
        <details>
          <summary>
            <Text span size="xs" c="dimmed">
              history ({state.history.length} events)
            </Text>
          </summary>
          <Stack gap={0} data-testid="history">
            {state.history.map((e) => (
              <Text size="xs" key={e.seq} className="mono">
                #{e.seq} {formatTime(e.at)} {e.type} {e.action ?? ''} {e.refersTo ? `→ #${e.refersTo}` : ''} by {e.actor.name}
                {e.secondsOnScreen !== undefined ? ` · ${e.secondsOnScreen}s on screen` : ''}
              </Text>
            ))}
          </Stack>
        </details>
      )}
      <Stack gap={6}>
        <Group>
          <Button onClick={p.onAccept} loading={p.saving && p.draft.mode === 'accept'} data-testid="accept">
            Accept {s.action} <kbd style={{ marginLeft: 6 }}>a</kbd>
          </Button>
          <Select
            ref={p.overrideSelectRef}
            aria-label="Override with"
            data-testid="override-action"
            w={170}
            data={DECISION_ACTIONS.filter((a) => a !== s.action).map((a) => ({ value: a, label: a === 'cant-decide' ? "can't decide (escalate)" : a }))}
            value={p.draft.mode === 'override' ? p.draft.action : null}
            placeholder="override with… (o)"
            onChange={(v) => v && p.setDraft({ ...p.draft, mode: 'override', action: v as DecisionAction })}
            comboboxProps={{ withinPortal: true }}
          />
          <Button variant="light" color="orange" onClick={p.onSaveOverride} disabled={p.draft.mode !== 'override'} loading={p.saving && p.draft.mode === 'override'} data-testid="save-override">
            Save override
          </Button>
        </Group>
        <Textarea
          ref={rationaleRef}
          data-testid="rationale"
          placeholder="Rationale (r) — required for an override and for never-delegate items. Ctrl+Enter saves."
          rows={3}
          value={p.draft.rationale}
          onChange={(e) => p.setDraft({ ...p.draft, rationale: e.currentTarget.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              if (p.draft.mode === 'override') p.onSaveOverride();
              else p.onAccept();
            }
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
        />
        {p.error && (
          <Alert color="red" py={6} data-testid="decision-error">
            {p.error}
          </Alert>
        )}
      </Stack>
    </Stack>
  );
});

export const ACTION_ORDER: readonly DecisionAction[] = DECISION_ACTIONS;

function evidenceFor(item: ReviewItem, sources: CampaignItems['sources']): string {
  const names = new Set([...(item.identity?.sources ?? []), ...(item.assignment ? [item.assignment.source] : [])]);
  const files = sources.filter((src) => names.has(src.file) || [...names].some((n) => src.file.toLowerCase().includes(n.toLowerCase())));
  if (!files.length) return [...names].join(', ') || 'source not recorded';
  return files.map((f) => `${f.file} (${f.format}, sha256 ${f.sha256.slice(0, 12)}…)`).join(', ');
}

/** The peers behind a peer signal, and which of them hold the entitlement. */
function PeerList({ signal, item, context }: { signal: Signal; item: ReviewItem; context: Props['context'] }) {
  const peers = signal.peers!;
  const listed = peers.members ?? peers.holders ?? [];
  const entitlementId = item.suggestion.entitlementId;
  return (
    <details style={{ marginLeft: 12 }}>
      <summary>
        <Text span size="xs" c="indigo">
          show the {peers.size} peers ({peers.group})
        </Text>
      </summary>
      <Stack gap={0} data-testid="peer-list">
        {listed.slice(0, 60).map((id) => {
          const holds = entitlementId ? context.holdings.get(id)?.has(entitlementId) : undefined;
          return (
            <Text size="xs" key={id}>
              {context.identities.get(id)?.displayName ?? id} <span className="mono">({id})</span> {holds === undefined ? '' : holds ? '· holds it' : '· does not hold it'}
            </Text>
          );
        })}
        {!listed.length && <Text size="xs">The engine did not list these peers (common entitlement).</Text>}
        {listed.length > 60 && <Text size="xs">… {listed.length - 60} more</Text>}
      </Stack>
    </details>
  );
}

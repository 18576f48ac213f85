import { Alert, Button, Card, Group, Kbd, Loader, Modal, Progress, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { checkRationale, deriveItemStates, isOverride, type AuditEventBody, type DecisionAction } from '../../../shared/review';
import { useWorkbench } from '../../app/workbench-context';
import { formatCount } from '../../components/format';
import { appendEvent, database, useCampaignEvents, useCampaigns } from '../../db';
import { DetailPane, type DecisionDraft } from './DetailPane';
import { ReviewTable, statusOf } from './ReviewTable';
import { itemTitle, useCampaignItems } from './use-campaign-items';

/** Default drift threshold (policy issue #4 makes it configurable): this many accepts in a row, each faster than FAST_SECONDS. */
const DRIFT_STREAK = 20;
const FAST_SECONDS = 3;

const KEYS: [string, string][] = [
  ['j / ↓', 'next item'],
  ['k / ↑', 'previous item'],
  ['a', 'accept the suggestion'],
  ['o', 'override: choose another action'],
  ['r', 'focus the rationale'],
  ['Ctrl+Enter', 'save (in the rationale)'],
  ['u', 'undo your decision on this item (a new event)'],
  ['/', 'search'],
  ['?', 'this list'],
  ['Alt+1…6', 'switch screens'],
];

export function ReviewScreen() {
  const wb = useWorkbench();
  const campaigns = useCampaigns();
  const { data, loading, error } = useCampaignItems(wb.campaignId);
  const events = useCampaignEvents(wb.campaignId);
  const states = useMemo(() => deriveItemStates(events ?? []), [events]);
  const [search, setSearch] = useState('');
  const [risk, setRisk] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [draft, setDraft] = useState<DecisionDraft>({ mode: 'accept', action: 'keep', rationale: '' });
  const [decisionError, setDecisionError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [help, setHelp] = useState(false);
  const [streak, setStreak] = useState(0);
  const [driftConfirm, setDriftConfirm] = useState(false);
  const shownAt = useRef(performance.now());
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const overrideRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const visible = useMemo(() => {
    if (!data) return [];
    const q = search.trim().toLowerCase();
    return data.items.filter((item) => {
      if (risk && item.suggestion.riskTier !== risk) return false;
      if (status && statusOf(item, states.get(item.itemId)) !== status) return false;
      if (q) {
        const t = itemTitle(item);
        if (!`${t.who} ${t.what} ${t.app} ${item.suggestion.identityId} ${item.suggestion.action}`.toLowerCase().includes(q)) return false;
      }
      return true;
    });
  }, [data, search, risk, status, states]);

  const item = visible[Math.min(selected, visible.length - 1)];
  useEffect(() => {
    shownAt.current = performance.now();
    setDecisionError(null);
    setDraft({ mode: 'accept', action: item?.suggestion.action ?? 'keep', rationale: '' });
  }, [item?.itemId]); // eslint-disable-line react-hooks/exhaustive-deps

  const decidedCount = useMemo(() => (data ? data.items.filter((i) => statusOf(i, states.get(i.itemId)) === 'decided').length : 0), [data, states]);
  const pendingCount = useMemo(() => (data ? data.items.filter((i) => statusOf(i, states.get(i.itemId)) === 'pending approval').length : 0), [data, states]);

  const move = (delta: number) => setSelected((s) => Math.max(0, Math.min(visible.length - 1, s + delta)));

  const record = async (action: DecisionAction, rationale: string, fromAccept: boolean) => {
    if (!item || !wb.reviewerRef || !data) return;
    const s = item.suggestion;
    const sameTextCount = rationale.trim() ? (events ?? []).filter((e) => e.type === 'decision' && e.actor.id === wb.reviewerRef!.id && e.rationale?.trim() === rationale.trim()).length : 0;
    const problem = checkRationale(rationale, { suggested: s.action, chosen: action, decisionClass: s.decisionClass, sameTextCount });
    if (problem) {
      setDecisionError(problem);
      rationaleRef.current?.focus();
      return;
    }
    const seconds = Math.round((performance.now() - shownAt.current) / 100) / 10;
    const body: AuditEventBody = {
      campaignId: data.campaign.id,
      type: 'decision',
      at: new Date().toISOString(),
      actor: wb.reviewerRef,
      itemId: item.itemId,
      action,
      acceptedSuggestion: !isOverride(s.action, action),
      ...(rationale.trim() ? { rationale: rationale.trim() } : {}),
      suggestion: { action: s.action, confidence: s.confidence, riskTier: s.riskTier, decisionClass: s.decisionClass, signals: s.signals, engine: s.engine, policyDigest: s.policyDigest },
      secondsOnScreen: seconds,
    };
    setSaving(true);
    setDecisionError(null);
    try {
      // The event is committed before the UI shows it as saved (the live query re-reads the log).
      await appendEvent(database(), body);
      setDraft({ mode: 'accept', action: s.action, rationale: '' });
      // Back to the list: the next keystroke is a command again, not text.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      const fast = fromAccept && seconds < FAST_SECONDS;
      setStreak((n) => (fast ? n + 1 : 0));
      move(1);
    } catch (e) {
      setDecisionError(`Not saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const accept = () => {
    if (!item) return;
    if (streak >= DRIFT_STREAK && !driftConfirm) {
      setDriftConfirm(true);
      return;
    }
    void record(item.suggestion.action, draft.rationale, true);
  };
  const saveOverride = () => {
    if (!item) return;
    if (draft.mode !== 'override') {
      setDecisionError('Choose the action you want instead of the suggestion (o).');
      return;
    }
    void record(draft.action, draft.rationale, false);
  };
  const undo = async () => {
    const current = item && states.get(item.itemId)?.current;
    if (!item || !current || !wb.reviewerRef || !data) return;
    if (current.reviewer.id !== wb.reviewerRef.id) {
      setDecisionError(`Only ${current.reviewer.name} can undo their own decision.`);
      return;
    }
    await appendEvent(database(), { campaignId: data.campaign.id, type: 'undo', at: new Date().toISOString(), actor: wb.reviewerRef, itemId: item.itemId, refersTo: current.seq });
  };
  const approve = async () => {
    const current = item && states.get(item.itemId)?.current;
    if (!item || !current || !wb.reviewerRef || !data) return;
    if (current.reviewer.id === wb.reviewerRef.id) {
      setDecisionError('Self-approval is not possible: a different reviewer must approve step-up items.');
      return;
    }
    setSaving(true);
    try {
      await appendEvent(database(), { campaignId: data.campaign.id, type: 'approval', at: new Date().toISOString(), actor: wb.reviewerRef, itemId: item.itemId, refersTo: current.seq });
    } finally {
      setSaving(false);
    }
  };

  useHotkeys([
    ['j', () => move(1)],
    ['ArrowDown', () => move(1)],
    ['k', () => move(-1)],
    ['ArrowUp', () => move(-1)],
    ['a', accept],
    ['o', () => {
      if (!item) return;
      setDraft({ ...draft, mode: 'override', action: item.suggestion.action === 'keep' ? 'revoke' : 'keep' });
      setTimeout(() => rationaleRef.current?.focus(), 0);
    }],
    ['r', () => setTimeout(() => rationaleRef.current?.focus(), 0)],
    ['u', () => void undo()],
    ['/', () => setTimeout(() => searchRef.current?.focus(), 0)],
    ['shift+/', () => setHelp(true)],
  ]);

  if (!wb.campaignId)
    return (
      <Card withBorder maw={700}>
        <Text>No campaign selected.</Text>
        <Button mt="sm" onClick={() => wb.setScreen('campaigns')}>
          Go to campaigns
        </Button>
      </Card>
    );
  if (loading || !data)
    return error ? (
      <Alert color="red">{error}</Alert>
    ) : (
      <Group>
        <Loader size="sm" /> <Text>Opening campaign…</Text>
      </Group>
    );
  const total = data.items.length;
  const pct = total ? Math.round((100 * decidedCount) / total) : 0;
  return (
    <Stack gap="xs" h="calc(100vh - 84px - 30px - 32px)">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Select size="xs" w={220} value={wb.campaignId} data={(campaigns ?? []).map((c) => ({ value: c.id, label: c.name }))} onChange={(v) => v && wb.setCampaignId(v)} allowDeselect={false} aria-label="Campaign" />
          <Text size="sm" data-testid="campaign-progress">
            {formatCount(decidedCount)} of {formatCount(total)} decided · {pct}%{pendingCount ? ` · ${pendingCount} pending approval` : ''}
            {data.campaign.dueDate ? ` · due ${data.campaign.dueDate}` : ''}
          </Text>
          <Progress value={pct} w={160} />
        </Group>
        <Button size="compact-sm" variant="subtle" onClick={() => setHelp(true)}>
          keys <Kbd ml={4}>?</Kbd>
        </Button>
      </Group>
      {streak >= DRIFT_STREAK && (
        <Alert color="orange" py={6} data-testid="drift-warning" title={`${streak} accepts in a row under ${FAST_SECONDS} s — take a closer look`}>
          <Group justify="space-between">
            <Text size="sm">Until you look again, each accept asks for confirmation. This warning is recorded in your reviewer metrics.</Text>
            <Button size="compact-sm" variant="white" color="orange" onClick={() => setStreak(0)}>
              I am looking again
            </Button>
          </Group>
        </Alert>
      )}
      <Group align="stretch" gap="md" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <Card withBorder p={0} style={{ flex: 1.4, display: 'flex', flexDirection: 'column', minHeight: 0 }}>
          <Group p="xs" gap="xs" wrap="nowrap">
            <TextInput ref={searchRef} size="xs" placeholder="search (/)" value={search} onChange={(e) => { setSearch(e.currentTarget.value); setSelected(0); }} onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()} style={{ flex: 1 }} aria-label="Search" />
            <Select size="xs" w={120} placeholder="risk: any" data={['low', 'medium', 'high', 'critical']} value={risk} onChange={(v) => { setRisk(v); setSelected(0); }} clearable aria-label="Risk filter" />
            <Select size="xs" w={160} placeholder="status: any" data={['open', 'decided', 'pending approval']} value={status} onChange={(v) => { setStatus(v); setSelected(0); }} clearable aria-label="Status filter" />
            <Text size="xs" c="dimmed" w={90} ta="right">
              {formatCount(visible.length)} shown
            </Text>
          </Group>
          <div style={{ flex: 1, minHeight: 0 }}>
            <ReviewTable items={visible} states={states} selected={Math.min(selected, visible.length - 1)} onSelect={setSelected} />
          </div>
        </Card>
        <Card withBorder style={{ flex: 1, overflow: 'auto' }}>
          {item ? (
            <DetailPane
              ref={rationaleRef}
              overrideSelectRef={overrideRef}
              item={item}
              state={states.get(item.itemId)}
              draft={draft}
              setDraft={setDraft}
              error={decisionError}
              saving={saving}
              activeReviewerId={wb.activeReviewer?.id ?? null}
              onAccept={accept}
              onSaveOverride={saveOverride}
              onUndo={() => void undo()}
              onApprove={() => void approve()}
            />
          ) : (
            <Text c="dimmed">No items match the filters.</Text>
          )}
        </Card>
      </Group>
      <Modal opened={help} onClose={() => setHelp(false)} title="Keyboard">
        <Table>
          <Table.Tbody>
            {KEYS.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Td>
                  <Kbd>{k}</Kbd>
                </Table.Td>
                <Table.Td>{v}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Modal>
      <Modal opened={driftConfirm} onClose={() => setDriftConfirm(false)} title="Confirm this accept">
        <Title order={6}>You have accepted {streak} suggestions in a row, each in under {FAST_SECONDS} seconds.</Title>
        <Text size="sm" mt="xs">
          Check the signals of this item before accepting.
        </Text>
        <Group mt="md">
          <Button
            onClick={() => {
              setDriftConfirm(false);
              if (item) void record(item.suggestion.action, draft.rationale, true);
            }}
            data-testid="confirm-accept"
          >
            I checked it — accept
          </Button>
          <Button variant="default" onClick={() => setDriftConfirm(false)}>
            Back
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

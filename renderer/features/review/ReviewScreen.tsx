import { Alert, Button, Card, Group, Kbd, Loader, Modal, Progress, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { checkRationale, isOverride, type AuditEventBody, type DecisionAction } from '../../../shared/review';
import { useWorkbench } from '../../app/workbench-context';
import { formatCount } from '../../components/format';
import { appendEvent, database, useCampaigns, useItemStateLog } from '../../db';
import { DetailPane, type DecisionDraft } from './DetailPane';
import { ReviewTable, statusOf, type TableRow } from './ReviewTable';
import { itemTitle, useCampaignItems, type ReviewItem } from './use-campaign-items';

type GroupBy = 'none' | 'identity' | 'entitlement' | 'application';
type SortBy = 'engine' | 'risk' | 'confidence' | 'identity';
const TIER_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;

const KEYS: [string, string][] = [
  ['j / ↓', 'next item'],
  ['k / ↑', 'previous item'],
  ['a', 'accept the suggestion'],
  ['o', 'override: choose another action'],
  ['r', 'focus the rationale'],
  ['Ctrl+Enter', 'save (in the rationale)'],
  ['u', 'undo your decision on this item (a new event)'],
  ['/', 'search'],
  ['b', 'bulk accept the eligible items shown (low and medium risk, "suggest" class only)'],
  ['?', 'this list'],
  ['Alt+1…6', 'switch screens'],
];

export function ReviewScreen() {
  const wb = useWorkbench();
  const campaigns = useCampaigns();
  const { data, loading, error } = useCampaignItems(wb.campaignId);
  const { log, events, version } = useItemStateLog(wb.campaignId);
  const states = log.states;
  const [search, setSearch] = useState('');
  const [risk, setRisk] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [identityClass, setIdentityClass] = useState<string | null>(null);
  const [mine, setMine] = useState<'mine' | 'all'>('all');
  const [groupBy, setGroupBy] = useState<GroupBy>('none');
  const [sortBy, setSortBy] = useState<SortBy>('engine');
  const [bulk, setBulk] = useState<ReviewItem[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [draft, setDraft] = useState<DecisionDraft>({ mode: 'accept', action: 'keep', rationale: '' });
  const [decisionError, setDecisionError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [help, setHelp] = useState(false);
  const [streak, setStreakState] = useState(0);
  // The streak is counted synchronously: keystrokes can arrive faster than React re-renders.
  const streakRef = useRef(0);
  const setStreak = (n: number) => {
    streakRef.current = n;
    setStreakState(n);
  };
  const [driftConfirm, setDriftConfirm] = useState(false);
  const shownAt = useRef(performance.now());
  const DRIFT_STREAK = wb.policy.drift.fastAcceptStreak;
  const FAST_SECONDS = wb.policy.drift.fastAcceptSeconds;
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const overrideRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const me = wb.activeReviewer?.id ?? null;
  const visible = useMemo(() => {
    if (!data) return [];
    const q = search.trim().toLowerCase();
    const list = data.items.filter((item) => {
      if (risk && item.suggestion.riskTier !== risk) return false;
      if (action && item.suggestion.action !== action) return false;
      if (identityClass && item.identity?.type !== identityClass) return false;
      if (mine === 'mine' && item.assignedReviewerId && item.assignedReviewerId !== me) return false;
      if (status && statusOf(item, states.get(item.itemId)) !== status) return false;
      if (q) {
        const t = itemTitle(item);
        if (!`${t.who} ${t.what} ${t.app} ${item.suggestion.identityId} ${item.suggestion.action}`.toLowerCase().includes(q)) return false;
      }
      return true;
    });
    const key = (i: ReviewItem): string => (groupBy === 'identity' ? itemTitle(i).who : groupBy === 'entitlement' ? itemTitle(i).what : groupBy === 'application' ? itemTitle(i).app : '');
    const order = (a: ReviewItem, b: ReviewItem): number => {
      if (sortBy === 'risk') return TIER_RANK[a.suggestion.riskTier] - TIER_RANK[b.suggestion.riskTier];
      if (sortBy === 'confidence') return b.suggestion.confidence - a.suggestion.confidence;
      if (sortBy === 'identity') return itemTitle(a).who.localeCompare(itemTitle(b).who);
      return 0;
    };
    if (groupBy === 'none' && sortBy === 'engine') return list;
    return list.map((item, i) => ({ item, i })).sort((x, y) => key(x.item).localeCompare(key(y.item)) || order(x.item, y.item) || x.i - y.i).map((x) => x.item);
    // The decision status changes with every decision: only a status filter needs to re-run on it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, search, risk, action, identityClass, mine, me, status, status ? version : 0, groupBy, sortBy]);

  const rows = useMemo<TableRow[]>(() => {
    if (groupBy === 'none') return visible.map((_, index) => ({ kind: 'item', index }));
    const out: TableRow[] = [];
    let current: string | null = null;
    let header: { kind: 'group'; label: string; count: number } | null = null;
    visible.forEach((item, index) => {
      const t = itemTitle(item);
      const label = groupBy === 'identity' ? t.who : groupBy === 'entitlement' ? t.what : t.app;
      if (label !== current) {
        current = label;
        header = { kind: 'group', label, count: 0 };
        out.push(header);
      }
      header!.count++;
      out.push({ kind: 'item', index });
    });
    return out;
  }, [visible, groupBy]);
  const reviewerNames = useMemo(() => new Map((wb.reviewers ?? []).map((r) => [r.id, r.name])), [wb.reviewers]);

  /** Items a bulk accept may take: open, suggest class, low or medium risk. High and critical are never bulk-accepted. */
  const bulkEligible = (list: ReviewItem[]) => list.filter((i) => !states.get(i.itemId)?.current && i.suggestion.decisionClass === 'suggest' && (i.suggestion.riskTier === 'low' || i.suggestion.riskTier === 'medium'));
  const runBulk = async (list: ReviewItem[]) => {
    if (!data || !wb.reviewerRef) return;
    setSaving(true);
    try {
      for (const i of list) {
        const s = i.suggestion;
        // Each bulk accept is its own event, marked as bulk, so the record shows how it was decided.
        await appendEvent(database(), {
          campaignId: data.campaign.id,
          type: 'decision',
          at: new Date().toISOString(),
          actor: wb.reviewerRef,
          itemId: i.itemId,
          action: s.action,
          acceptedSuggestion: true,
          suggestion: { action: s.action, confidence: s.confidence, riskTier: s.riskTier, decisionClass: s.decisionClass, signals: s.signals, engine: s.engine, policyDigest: s.policyDigest },
          secondsOnScreen: 0,
          details: { bulk: true, bulkSize: list.length },
        });
      }
    } finally {
      setSaving(false);
      setBulk(null);
    }
  };

  const item = visible[Math.min(selected, visible.length - 1)];
  useEffect(() => {
    shownAt.current = performance.now();
    setDecisionError(null);
    setDraft({ mode: 'accept', action: item?.suggestion.action ?? 'keep', rationale: '' });
  }, [item?.itemId]); // eslint-disable-line react-hooks/exhaustive-deps

  const byId = useMemo(() => new Map((data?.items ?? []).map((i) => [i.itemId, i])), [data]);
  const { decidedCount, pendingCount } = useMemo(() => {
    // Only items with a decision are visited, not the whole campaign.
    let decided = 0;
    let pending = 0;
    for (const [itemId, state] of states) {
      const item = byId.get(itemId);
      if (!item || !state.current) continue;
      if (statusOf(item, state) === 'pending approval') pending++;
      else decided++;
    }
    return { decidedCount: decided, pendingCount: pending };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [byId, states, version]);

  /** After a filter or grouping changes, keys are commands again (not typed into the select). */
  const resetSelection = () => {
    setSelected(0);
    setTimeout(() => {
      if (document.activeElement instanceof HTMLElement && document.activeElement.tagName === 'INPUT' && document.activeElement.getAttribute('aria-label') !== 'Search') document.activeElement.blur();
    }, 0);
  };
  const move = (delta: number) => setSelected((s) => Math.max(0, Math.min(visible.length - 1, s + delta)));

  const record = async (action: DecisionAction, rationale: string, fromAccept: boolean) => {
    if (!item || !wb.reviewerRef || !data) return;
    const s = item.suggestion;
    const sameTextCount = rationale.trim() ? events.filter((e) => e.type === 'decision' && e.actor.id === wb.reviewerRef!.id && e.rationale?.trim() === rationale.trim()).length : 0;
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
      const committed = await appendEvent(database(), body);
      // Committed: measurable by the benchmark (keystroke → commit latency).
      performance.mark('arw:decision-committed', { detail: { seq: committed.seq } });
      setDraft({ mode: 'accept', action: s.action, rationale: '' });
      // Back to the list: the next keystroke is a command again, not text.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      const fast = fromAccept && seconds < FAST_SECONDS;
      const next = fast ? streakRef.current + 1 : 0;
      setStreak(next);
      if (next === DRIFT_STREAK) {
        // The warning is part of the record: the package reports drift warnings per reviewer.
        await appendEvent(database(), { campaignId: data.campaign.id, type: 'note', at: new Date().toISOString(), actor: wb.reviewerRef, details: { drift: 'fast-accept-streak', streak: next, fastAcceptSeconds: FAST_SECONDS } });
      }
      move(1);
    } catch (e) {
      setDecisionError(`Not saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const accept = () => {
    if (!item) return;
    if (streakRef.current >= DRIFT_STREAK && !driftConfirm) {
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
    ['b', () => setBulk(visible)],
    ['shift+/', () => setHelp(true)],
    ['shift+?', () => setHelp(true)],
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
            <Select size="xs" w={120} placeholder="risk: any" data={['low', 'medium', 'high', 'critical']} value={risk} onChange={(v) => { setRisk(v); resetSelection(); }} clearable aria-label="Risk filter" />
            <Select size="xs" w={150} placeholder="status: any" data={['open', 'decided', 'pending approval']} value={status} onChange={(v) => { setStatus(v); resetSelection(); }} clearable aria-label="Status filter" />
            <Select size="xs" w={130} placeholder="action: any" data={['keep', 'revoke', 'rotate', 'disable-login', 'assign-owner', 'reduce']} value={action} onChange={(v) => { setAction(v); resetSelection(); }} clearable aria-label="Action filter" />
            <Select size="xs" w={120} placeholder="class: any" data={['human', 'service', 'workload', 'agent']} value={identityClass} onChange={(v) => { setIdentityClass(v); resetSelection(); }} clearable aria-label="Identity class filter" />
          </Group>
          <Group px="xs" pb="xs" gap="xs" wrap="nowrap">
            <SegmentedControl size="xs" value={mine} onChange={(v) => { setMine(v as 'mine' | 'all'); resetSelection(); }} data={[{ value: 'all', label: 'everyone’s' }, { value: 'mine', label: 'assigned to me' }]} aria-label="Reviewer filter" />
            <Select size="xs" w={150} value={groupBy} onChange={(v) => { setGroupBy((v ?? 'none') as GroupBy); resetSelection(); }} data={[{ value: 'none', label: 'no grouping' }, { value: 'identity', label: 'group: identity' }, { value: 'entitlement', label: 'group: entitlement' }, { value: 'application', label: 'group: application' }]} allowDeselect={false} aria-label="Group by" />
            <Select size="xs" w={150} value={sortBy} onChange={(v) => { setSortBy((v ?? 'engine') as SortBy); resetSelection(); }} data={[{ value: 'engine', label: 'sort: engine order' }, { value: 'risk', label: 'sort: risk' }, { value: 'confidence', label: 'sort: confidence' }, { value: 'identity', label: 'sort: identity' }]} allowDeselect={false} aria-label="Sort by" />
            <Button size="compact-xs" variant="light" onClick={() => setBulk(visible)} data-testid="bulk-accept">
              Bulk accept… <Kbd ml={4}>b</Kbd>
            </Button>
            <Text size="xs" c="dimmed" style={{ flex: 1 }} ta="right">
              {formatCount(visible.length)} shown
            </Text>
          </Group>
          <div style={{ flex: 1, minHeight: 0 }}>
            <ReviewTable items={visible} rows={rows} states={states} version={version} selected={Math.min(selected, visible.length - 1)} onSelect={setSelected} />
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
              context={data}
              reviewerNames={reviewerNames}
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
      <Modal opened={bulk !== null} onClose={() => setBulk(null)} title="Bulk accept">
        {bulk && (() => {
          const eligible = bulkEligible(bulk);
          const open = bulk.filter((i) => !states.get(i.itemId)?.current);
          const tiers = new Map<string, number>();
          for (const i of eligible) tiers.set(i.suggestion.riskTier, (tiers.get(i.suggestion.riskTier) ?? 0) + 1);
          const refused = open.length - eligible.length;
          return (
            <Stack gap="xs" data-testid="bulk-dialog">
              <Text size="sm">
                {formatCount(eligible.length)} of the {formatCount(open.length)} open items shown can be accepted in bulk: {[...tiers.entries()].map(([t, n]) => `${n} ${t}`).join(', ') || 'none'}.
              </Text>
              {refused > 0 && (
                <Alert color="orange" py={6}>
                  {formatCount(refused)} items are left for one-by-one review: the policy never lets high or critical risk, step-up or never-delegate items be accepted in bulk.
                </Alert>
              )}
              <Group>
                <Button onClick={() => void runBulk(eligible)} disabled={!eligible.length} loading={saving} data-testid="confirm-bulk">
                  Accept {formatCount(eligible.length)} suggestions
                </Button>
                <Button variant="default" onClick={() => setBulk(null)}>
                  Cancel
                </Button>
              </Group>
            </Stack>
          );
        })()}
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

import { Alert, Button, Card, Group, Kbd, Loader, Modal, Progress, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { checkRationale, isOverride, type AuditEventBody, type DecisionAction } from '../../../shared/review';
import { IDENTITY_TYPES } from '../../../shared/model';
import { SUGGESTED_ACTIONS } from '../../../shared/suggest/types';
import { useWorkbench } from '../../app/workbench-context';
import { actionLabel, formatCount } from '../../components/format';
import { appendEvent, database, useCampaigns, useItemStateLog } from '../../db';
import { actionOf, decisionClassOf, indexOfItem, tierOf, type ItemDetail } from '../../workers/campaign-table';
import { DetailPane, type DecisionDraft } from './DetailPane';
import { ReviewTable } from './ReviewTable';
import { itemStatus, tableView, type GroupBy, type SortBy } from './table-view';
import { useCampaignTable } from './use-campaign-table';

/** Formats like formatCount, without building a number format on every decision. */
const COUNT = new Intl.NumberFormat('en-US');

const KEYS: [string, string][] = [
  ['j / ↓', 'next item'],
  ['k / ↑', 'previous item'],
  ['a', 'accept the suggestion'],
  ['o', 'override: choose another action'],
  ['r', 'focus the rationale'],
  ['Ctrl+Enter', 'save the decision (override or accept)'],
  ['u', 'undo your decision on this item (a new event)'],
  ['/', 'search'],
  ['b', 'bulk accept the eligible items shown (low and medium risk, "suggest" class only)'],
  ['?', 'this list'],
  ['Alt+1…6', 'switch screens'],
];

export function ReviewScreen() {
  const wb = useWorkbench();
  const { data, loading, error } = useCampaignTable(wb.campaignId);
  const { log, events, version } = useItemStateLog(wb.campaignId);
  const states = log.states;
  const table = data?.table ?? null;
  const client = data?.client ?? null;
  const [search, setSearch] = useState('');
  const [risk, setRisk] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [identityClass, setIdentityClass] = useState<string | null>(null);
  const [mine, setMine] = useState<'mine' | 'all'>('all');
  const [groupBy, setGroupBy] = useState<GroupBy>('none');
  const [sortBy, setSortBy] = useState<SortBy>('engine');
  /** Table indexes offered to a bulk accept (the items shown when it was asked for). */
  const [bulk, setBulk] = useState<Uint32Array | null>(null);
  const [selected, setSelected] = useState(0);
  // The draft belongs to one item: moving on starts from "accept", with no extra render to reset it.
  const [draftState, setDraftState] = useState<{ index: number; draft: DecisionDraft } | null>(null);
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
  const view = useMemo(() => {
    if (!table) return null;
    return tableView(table, { search, risk, action, identityClass, status, mine: mine === 'mine' ? me : null, groupBy, sortBy }, states);
    // The decision status changes with every decision: only a status filter needs to re-run on it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, search, risk, action, identityClass, mine, me, status, status ? version : 0, groupBy, sortBy]);
  const shown = view?.items.length ?? 0;
  const reviewerNames = useMemo(() => new Map((wb.reviewers ?? []).map((r) => [r.id, r.name])), [wb.reviewers]);

  /** Items a bulk accept may take: open, suggest class, low or medium risk. High and critical are never bulk-accepted. */
  const bulkEligible = (list: Uint32Array): number[] => {
    if (!table) return [];
    const out: number[] = [];
    for (const i of list) {
      const tier = tierOf(table, i);
      // An item with no suggestion has nothing to accept: a person decides it one by one.
      if (!states.get(table.itemIds[i]!)?.current && actionOf(table, i) !== 'none' && decisionClassOf(table, i) === 'suggest' && (tier === 'low' || tier === 'medium')) out.push(i);
    }
    return out;
  };
  const runBulk = async (list: number[]) => {
    if (!data || !client || !wb.reviewerRef) return;
    setSaving(true);
    try {
      const snapshots = await client.snapshots(list);
      for (let k = 0; k < list.length; k++) {
        const s = snapshots[k]!;
        if (s.action === 'none') continue;
        // Each bulk accept is its own event, marked as bulk, so the record shows how it was decided.
        await appendEvent(database(), {
          campaignId: data.campaign.id,
          type: 'decision',
          at: new Date().toISOString(),
          actor: wb.reviewerRef,
          itemId: data.table.itemIds[list[k]!]!,
          action: s.action,
          acceptedSuggestion: true,
          suggestion: s,
          secondsOnScreen: 0,
          details: { bulk: true, bulkSize: list.length },
        });
      }
    } finally {
      setSaving(false);
      setBulk(null);
    }
  };

  const position = Math.min(selected, shown - 1);
  const index = view && position >= 0 ? view.items[position]! : -1;
  const itemId = table && index >= 0 ? table.itemIds[index]! : null;
  const suggestedAction = table && index >= 0 ? actionOf(table, index) : 'keep';
  // With no suggestion the draft's action is only a placeholder: accept is refused and the reviewer picks one.
  const defaultAction: DecisionAction = suggestedAction === 'none' ? 'keep' : suggestedAction;
  const draft = useMemo<DecisionDraft>(() => (draftState && draftState.index === index ? draftState.draft : { mode: 'accept', action: defaultAction, rationale: '' }), [draftState, index, defaultAction]);
  const setDraft = useCallback((d: DecisionDraft) => setDraftState({ index, draft: d }), [index]);
  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const nextIndex = view && position + 1 < view.items.length ? view.items[position + 1]! : -1;
  useEffect(() => {
    shownAt.current = performance.now();
    setDecisionError(null);
    if (!client || index < 0) return;
    // The next item's detail is fetched ahead: after a decision it is shown in the same render as the move.
    if (nextIndex >= 0) client.detail(nextIndex).catch(() => {});
    if (client.peek(index)) return;
    let live = true;
    client.detail(index).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setDecisionError(`Could not load the item: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      live = false;
    };
  }, [client, index]); // eslint-disable-line react-hooks/exhaustive-deps
  const ready = client && index >= 0 ? client.peek(index) : undefined;
  const shownDetail = ready ?? (detail && detail.index === index && detail.itemId === itemId ? detail : null);

  const { decidedCount, pendingCount } = useMemo(() => {
    // Only items with a decision are visited, not the whole campaign.
    let decided = 0;
    let pending = 0;
    if (table)
      for (const [id, state] of states) {
        if (!state.current) continue;
        const i = indexOfItem(table, id);
        if (i < 0) continue;
        if (itemStatus(table, i, state) === 'pending approval') pending++;
        else decided++;
      }
    return { decidedCount: decided, pendingCount: pending };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, states, version]);

  /** After a filter or grouping changes, keys are commands again (not typed into the select). */
  const resetSelection = useCallback(() => {
    setSelected(0);
    setTimeout(() => {
      if (document.activeElement instanceof HTMLElement && document.activeElement.tagName === 'INPUT' && document.activeElement.getAttribute('aria-label') !== 'Search') document.activeElement.blur();
    }, 0);
  }, []);
  const viewItems = view?.items;
  const onBulk = useCallback(() => viewItems && setBulk(viewItems), [viewItems]);
  const move = (delta: number) => setSelected((s) => Math.max(0, Math.min(shown - 1, s + delta)));

  const record = async (chosen: DecisionAction, rationale: string, fromAccept: boolean) => {
    if (!table || !client || index < 0 || !wb.reviewerRef || !data) return;
    const suggested = actionOf(table, index);
    const decisionClass = decisionClassOf(table, index);
    const sameTextCount = rationale.trim() ? events.filter((e) => e.type === 'decision' && e.actor.id === wb.reviewerRef!.id && e.rationale?.trim() === rationale.trim()).length : 0;
    const problem = checkRationale(rationale, { suggested, chosen, decisionClass, sameTextCount });
    if (problem) {
      setDecisionError(problem);
      rationaleRef.current?.focus();
      return;
    }
    const seconds = Math.round((performance.now() - shownAt.current) / 100) / 10;
    // "Saving" is shown only when the commit is slow: a render here would delay the commit it announces.
    const slow = setTimeout(() => setSaving(true), 150);
    setDecisionError(null);
    try {
      // The suggestion as the reviewer saw it (usually already here: fetched when the item was selected).
      const s = (await client.detail(index)).suggestion;
      const body: AuditEventBody = {
        campaignId: data.campaign.id,
        type: 'decision',
        at: new Date().toISOString(),
        actor: wb.reviewerRef,
        itemId: table.itemIds[index]!,
        action: chosen,
        acceptedSuggestion: !isOverride(s.action, chosen),
        ...(rationale.trim() ? { rationale: rationale.trim() } : {}),
        suggestion: { action: s.action, confidence: s.confidence, riskTier: s.riskTier, decisionClass: s.decisionClass, signals: s.signals, engine: s.engine, policyDigest: s.policyDigest },
        secondsOnScreen: seconds,
      };
      // The event is committed before the UI shows it as saved (the live query re-reads the log).
      const committed = await appendEvent(database(), body);
      // Committed: measurable by the benchmark (keystroke → commit latency).
      performance.mark('arw:decision-committed', { detail: { seq: committed.seq } });
      setDraftState(null);
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
      clearTimeout(slow);
      setSaving(false);
    }
  };

  const accept = () => {
    if (!table || index < 0) return;
    const suggested = actionOf(table, index);
    if (suggested === 'none') {
      setDecisionError('No suggestion to accept: the engine found no evidence either way. Choose a decision (o) and say why.');
      return;
    }
    if (streakRef.current >= DRIFT_STREAK && !driftConfirm) {
      setDriftConfirm(true);
      return;
    }
    void record(suggested, draft.rationale, true);
  };
  const saveOverride = () => {
    if (index < 0) return;
    if (draft.mode !== 'override') {
      setDecisionError('Choose the action you want instead of the suggestion (o).');
      return;
    }
    void record(draft.action, draft.rationale, false);
  };
  const undo = async () => {
    const current = itemId ? states.get(itemId)?.current : undefined;
    if (!itemId || !current || !wb.reviewerRef || !data) return;
    if (current.reviewer.id !== wb.reviewerRef.id) {
      setDecisionError(`Only ${current.reviewer.name} can undo their own decision.`);
      return;
    }
    await appendEvent(database(), { campaignId: data.campaign.id, type: 'undo', at: new Date().toISOString(), actor: wb.reviewerRef, itemId, refersTo: current.seq });
  };
  const approve = async () => {
    const current = itemId ? states.get(itemId)?.current : undefined;
    if (!itemId || !current || !wb.reviewerRef || !data) return;
    if (current.reviewer.id === wb.reviewerRef.id) {
      setDecisionError('Self-approval is not possible: a different reviewer must approve step-up items.');
      return;
    }
    setSaving(true);
    try {
      await appendEvent(database(), { campaignId: data.campaign.id, type: 'approval', at: new Date().toISOString(), actor: wb.reviewerRef, itemId, refersTo: current.seq });
    } finally {
      setSaving(false);
    }
  };

  // Stable callbacks for the memoized detail pane: they call the latest closures.
  const latest = useRef({ accept, saveOverride, undo, approve });
  latest.current = { accept, saveOverride, undo, approve };
  const onAccept = useCallback(() => latest.current.accept(), []);
  const onSaveOverride = useCallback(() => latest.current.saveOverride(), []);
  const onUndo = useCallback(() => void latest.current.undo(), []);
  const onApprove = useCallback(() => void latest.current.approve(), []);
  const itemState = itemId ? states.get(itemId) : undefined;
  const stateKey = itemState ? `${itemState.history.length}:${itemState.current?.seq ?? 0}:${itemState.current?.approval?.seq ?? 0}` : '';

  useHotkeys([
    ['j', () => move(1)],
    ['ArrowDown', () => move(1)],
    ['k', () => move(-1)],
    ['ArrowUp', () => move(-1)],
    ['a', accept],
    // Focus moves inside the key handler (the key itself is not typed): the next keystroke, however fast,
    // already lands in the rationale.
    ['o', (event) => {
      if (!table || index < 0) return;
      event.preventDefault();
      if (actionOf(table, index) === 'none') {
        // Nothing to override: the reviewer picks the decision rather than taking one preselected.
        overrideRef.current?.focus();
        return;
      }
      setDraft({ ...draft, mode: 'override', action: actionOf(table, index) === 'keep' ? 'revoke' : 'keep' });
      rationaleRef.current?.focus();
    }],
    ['r', (event) => {
      event.preventDefault();
      rationaleRef.current?.focus();
    }],
    // Ctrl+Enter saves from anywhere on the screen, not only from inside the rationale.
    ['mod+Enter', () => (draft.mode === 'override' ? saveOverride() : accept())],
    ['u', () => void undo()],
    ['/', () => setTimeout(() => searchRef.current?.focus(), 0)],
    ['b', () => view && setBulk(view.items)],
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
  if (loading || !data || !table || !view)
    return error ? (
      <Alert color="red">{error}</Alert>
    ) : (
      <Group>
        <Loader size="sm" /> <Text>Opening campaign…</Text>
      </Group>
    );
  const total = table.count;
  const pct = total ? Math.round((100 * decidedCount) / total) : 0;
  const bulkDialog = bulk
    ? (() => {
        const eligible = bulkEligible(bulk);
        let open = 0;
        for (const i of bulk) if (!states.get(table.itemIds[i]!)?.current) open++;
        const tiers = new Map<string, number>();
        for (const i of eligible) tiers.set(tierOf(table, i), (tiers.get(tierOf(table, i)) ?? 0) + 1);
        return { eligible, open, tiers, refused: open - eligible.length };
      })()
    : null;
  return (
    <Stack gap="xs" h="calc(100vh - 84px - 30px - 32px)">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <CampaignSelect campaignId={wb.campaignId} onChange={wb.setCampaignId} />
          <Text size="sm" data-testid="campaign-progress">
            {COUNT.format(decidedCount)} of {COUNT.format(total)} decided · {pct}%{pendingCount ? ` · ${pendingCount} pending approval` : ''}
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
          <FilterBar
            searchRef={searchRef}
            search={search}
            setSearch={setSearch}
            risk={risk}
            setRisk={setRisk}
            status={status}
            setStatus={setStatus}
            action={action}
            setAction={setAction}
            identityClass={identityClass}
            setIdentityClass={setIdentityClass}
            mine={mine}
            setMine={setMine}
            groupBy={groupBy}
            setGroupBy={setGroupBy}
            sortBy={sortBy}
            setSortBy={setSortBy}
            setSelected={setSelected}
            resetSelection={resetSelection}
            onBulk={onBulk}
            shown={shown}
          />
          <div style={{ flex: 1, minHeight: 0 }}>
            <ReviewTable table={table} view={view} states={states} version={version} selected={position} onSelect={setSelected} />
          </div>
        </Card>
        <Card withBorder style={{ flex: 1, overflow: 'auto' }}>
          {index >= 0 ? (
            <DetailPane
              ref={rationaleRef}
              overrideSelectRef={overrideRef}
              table={table}
              index={index}
              detail={shownDetail}
              state={itemState}
              stateKey={stateKey}
              draft={draft}
              setDraft={setDraft}
              error={decisionError}
              saving={saving}
              activeReviewerId={wb.activeReviewer?.id ?? null}
              onAccept={onAccept}
              onSaveOverride={onSaveOverride}
              onUndo={onUndo}
              onApprove={onApprove}
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
        {bulkDialog && (
          <Stack gap="xs" data-testid="bulk-dialog">
            <Text size="sm">
              {formatCount(bulkDialog.eligible.length)} of the {formatCount(bulkDialog.open)} open items shown can be accepted in bulk: {[...bulkDialog.tiers.entries()].map(([t, n]) => `${n} ${t}`).join(', ') || 'none'}.
            </Text>
            {bulkDialog.refused > 0 && (
              <Alert color="orange" py={6}>
                {formatCount(bulkDialog.refused)} items are left for one-by-one review: the policy never lets high or critical risk, step-up or never-delegate items be accepted in bulk.
              </Alert>
            )}
            <Group>
              <Button onClick={() => void runBulk(bulkDialog.eligible)} disabled={!bulkDialog.eligible.length} loading={saving} data-testid="confirm-bulk">
                Accept {formatCount(bulkDialog.eligible.length)} suggestions
              </Button>
              <Button variant="default" onClick={() => setBulk(null)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        )}
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
              const suggested = index >= 0 ? actionOf(table, index) : 'none';
              if (suggested !== 'none') void record(suggested, draft.rationale, true);
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

/** The campaign picker; memoized so a decision does not re-render it. */
const CampaignSelect = memo(function CampaignSelect({ campaignId, onChange }: { campaignId: string; onChange: (id: string) => void }) {
  const campaigns = useCampaigns();
  return <Select size="xs" w={220} value={campaignId} data={(campaigns ?? []).map((c) => ({ value: c.id, label: c.name }))} onChange={(v) => v && onChange(v)} allowDeselect={false} aria-label="Campaign" />;
});

type Setter<T> = (v: T) => void;

/** Search, filters, grouping, sort and bulk accept. Memoized: its props do not change when a decision is saved. */
const FilterBar = memo(function FilterBar(p: {
  searchRef: React.Ref<HTMLInputElement>;
  search: string;
  setSearch: Setter<string>;
  risk: string | null;
  setRisk: Setter<string | null>;
  status: string | null;
  setStatus: Setter<string | null>;
  action: string | null;
  setAction: Setter<string | null>;
  identityClass: string | null;
  setIdentityClass: Setter<string | null>;
  mine: 'mine' | 'all';
  setMine: Setter<'mine' | 'all'>;
  groupBy: GroupBy;
  setGroupBy: Setter<GroupBy>;
  sortBy: SortBy;
  setSortBy: Setter<SortBy>;
  setSelected: Setter<number>;
  resetSelection: () => void;
  onBulk: () => void;
  shown: number;
}) {
  const { resetSelection } = p;
  return (
    <>
      <Group p="xs" gap="xs" wrap="nowrap">
        <TextInput ref={p.searchRef} size="xs" placeholder="search (/)" value={p.search} onChange={(e) => { p.setSearch(e.currentTarget.value); p.setSelected(0); }} onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()} style={{ flex: 1 }} aria-label="Search" />
        <Select size="xs" w={120} placeholder="risk: any" data={['low', 'medium', 'high', 'critical']} value={p.risk} onChange={(v) => { p.setRisk(v); resetSelection(); }} clearable aria-label="Risk filter" />
        <Select size="xs" w={150} placeholder="status: any" data={['open', 'decided', 'pending approval']} value={p.status} onChange={(v) => { p.setStatus(v); resetSelection(); }} clearable aria-label="Status filter" />
        <Select size="xs" w={130} placeholder="action: any" data={SUGGESTED_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))} value={p.action} onChange={(v) => { p.setAction(v); resetSelection(); }} clearable aria-label="Action filter" />
        <Select size="xs" w={120} placeholder="class: any" data={[...IDENTITY_TYPES]} value={p.identityClass} onChange={(v) => { p.setIdentityClass(v); resetSelection(); }} clearable aria-label="Identity class filter" />
      </Group>
      <Group px="xs" pb="xs" gap="xs" wrap="nowrap">
        <SegmentedControl size="xs" value={p.mine} onChange={(v) => { p.setMine(v as 'mine' | 'all'); resetSelection(); }} data={[{ value: 'all', label: 'everyone’s' }, { value: 'mine', label: 'assigned to me' }]} aria-label="Reviewer filter" />
        <Select size="xs" w={150} value={p.groupBy} onChange={(v) => { p.setGroupBy((v ?? 'none') as GroupBy); resetSelection(); }} data={[{ value: 'none', label: 'no grouping' }, { value: 'identity', label: 'group: identity' }, { value: 'entitlement', label: 'group: entitlement' }, { value: 'application', label: 'group: application' }]} allowDeselect={false} aria-label="Group by" />
        <Select size="xs" w={150} value={p.sortBy} onChange={(v) => { p.setSortBy((v ?? 'engine') as SortBy); resetSelection(); }} data={[{ value: 'engine', label: 'sort: engine order' }, { value: 'risk', label: 'sort: risk' }, { value: 'confidence', label: 'sort: confidence' }, { value: 'identity', label: 'sort: identity' }]} allowDeselect={false} aria-label="Sort by" />
        <Button size="compact-xs" variant="light" onClick={p.onBulk} data-testid="bulk-accept">
          Bulk accept… <Kbd ml={4}>b</Kbd>
        </Button>
        <Text size="xs" c="dimmed" style={{ flex: 1 }} ta="right">
          {formatCount(p.shown)} shown
        </Text>
      </Group>
    </>
  );
});

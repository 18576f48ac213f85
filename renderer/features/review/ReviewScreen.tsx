import { Alert, Button, Card, Group, Kbd, Loader, Progress, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  applicableActions,
  bulkEligible,
  campaignCounts,
  nextUndecided,
  standingInputOf,
  type DecisionAction,
  type ItemState,
} from '../../../shared/review';
import { useWorkbench } from '../../session';
import { useItemStateLog } from '../../backend';
import { actionOf, decisionClassOf, indexOfItem, tierOf, type CampaignTable, type ItemDetail } from '../../workers';
import { DecisionForm } from './DecisionForm';
import { DetailPane } from './DetailPane';
import { CampaignSelect, FilterBar } from './FilterBar';
import { BulkDialog, DriftDialog, KeysDialog, type BulkItem } from './ReviewDialogs';
import { ReviewTable, decisionCell } from './ReviewTable';
import { emptyDraft, normalizeDraft, type DecisionDraft } from './decision-draft';
import { loadReviewView, saveReviewView, type PersistedReview, type ReviewFilters } from './persisted-view';
import { inTableOrder, itemStatus, openingView, resolvePosition, tableView, type Cursor, type TableView } from './table-view';
import { useCampaignTable } from './use-campaign-table';
import { CarriedBulkDialog, CarriedPanel, bulkConfirmable, useReviewBaseline } from './carried';
import { today, useDecisionActions } from './use-decision-actions';
import { useReviewKeys } from './use-review-keys';
import { formatCount, formatDate } from '../../components';
import { i18n, useTranslation } from '../../i18n';

/** The current decision in one line, next to the controls (the full record is in the pane above). */
function standingLine(
  status: ReturnType<typeof itemStatus>,
  state: ItemState | undefined,
  names: ReadonlyMap<string, string>,
): { text: string; tone: 'decided' | 'pending' } | null {
  const d = state?.current;
  if (!d) return null;
  const cell = decisionCell(status, state, names);
  if (status === 'pending approval') return { text: i18n.t('review.standing.pending', { cell, name: d.reviewer.name }), tone: 'pending' };
  if (status === 'escalated') return { text: i18n.t('review.standing.escalated', { cell, name: d.reviewer.name }), tone: 'pending' };
  return {
    text: d.approval
      ? i18n.t('review.standing.approved', { cell, name: d.reviewer.name, approver: d.approval.approver.name })
      : i18n.t('review.standing.decided', { cell, name: d.reviewer.name }),
    tone: 'decided',
  };
}

export function ReviewScreen() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  if (!wb.campaignId)
    return (
      <Card withBorder maw={700}>
        <Text>{t('review.noCampaign')}</Text>
        <Button mt="sm" onClick={() => wb.setScreen('campaigns')}>
          {t('review.goToCampaigns')}
        </Button>
      </Card>
    );
  // One campaign's working state (filters, selection, draft) is restored when it opens.
  return <ReviewCampaign key={wb.campaignId} campaignId={wb.campaignId} />;
}

function ReviewCampaign({ campaignId }: { campaignId: string }) {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const [restored] = useState<PersistedReview>(() => loadReviewView(campaignId));
  const [filters, setFiltersState] = useState<ReviewFilters>(restored.filters);
  const [cursor, setCursor] = useState<Cursor>({ pos: 0, id: restored.selectedItemId });
  const me = wb.activeReviewer?.id ?? null;
  // The view the table opens on, made when the table arrives so the first item's detail is asked before the screen
  // renders; kept for the first render (no decision status filter: the decisions may still be loading).
  const opening = useRef<{ table: CampaignTable; key: string; view: TableView } | null>(null);
  const viewFilters = { ...filters, mine: filters.mine === 'mine' ? me : null };
  const firstIndex = (t: CampaignTable) => {
    const made = openingView(t, viewFilters, cursor);
    if (made) opening.current = { table: t, key: JSON.stringify(viewFilters), view: made.view };
    return made?.index ?? -1;
  };
  const { data, loading, error } = useCampaignTable(campaignId, firstIndex, inTableOrder(viewFilters) ? cursor : undefined);
  const { log, events, version } = useItemStateLog(campaignId);
  const states = log.states;
  const table = data?.table ?? null;
  const client = data?.client ?? null;
  const [draftState, setDraftState] = useState<PersistedReview['draft']>(
    restored.draft ? { ...restored.draft, draft: normalizeDraft(restored.draft.draft) } : null,
  );
  /** Table indexes offered to a bulk accept (the items shown when it was asked for). */
  const [bulk, setBulk] = useState<Uint32Array | null>(null);
  /** Started from the last certification: the prior decisions to confirm, what changed (#21). */
  const baseline = useReviewBaseline(campaignId);
  const [carryBulk, setCarryBulk] = useState(false);
  const [decisionError, setDecisionError] = useState<string | null>(null);
  const [decisionNotice, setDecisionNotice] = useState<string | null>(null);
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
  const drift = wb.policy.drift;
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const overrideRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const view = useMemo(() => {
    if (!table) return null;
    const f = { ...filters, mine: filters.mine === 'mine' ? me : null };
    const made = opening.current;
    opening.current = null;
    if (made && made.table === table && !f.status && made.key === JSON.stringify(f)) return made.view;
    return tableView(table, f, states);
    // The decision status changes with every decision: only a status filter needs to re-run on it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, filters, me, filters.status ? version : 0]);
  const shown = view?.items.length ?? 0;
  const reviewerNames = useMemo(() => new Map((wb.reviewers ?? []).map((r) => [r.id, r.name])), [wb.reviewers]);

  const setFilters = useCallback((change: Partial<ReviewFilters>) => {
    setFiltersState((f) => ({ ...f, ...change }));
    setCursor({ pos: 0, id: null });
    if ('search' in change) return;
    // After a filter or grouping changes, keys are commands again (not typed into the select).
    setTimeout(() => {
      if (
        document.activeElement instanceof HTMLElement &&
        document.activeElement.tagName === 'INPUT' &&
        document.activeElement.getAttribute('aria-label') !== i18n.t('review.filter.search')
      )
        document.activeElement.blur();
    }, 0);
  }, []);

  const position = view && table ? resolvePosition(view, table, cursor) : -1;
  const index = view && position >= 0 ? view.items[position]! : -1;
  const itemId = table && index >= 0 ? table.itemIds[index]! : null;
  const suggestedAction = table && index >= 0 ? actionOf(table, index) : 'keep';
  // With no suggestion the draft's action is only a placeholder: accept is refused and the reviewer picks one.
  const defaultAction: DecisionAction = suggestedAction === 'none' ? 'keep' : suggestedAction;
  const draft = useMemo<DecisionDraft>(
    () => (draftState && draftState.itemId === itemId && draftState.reviewerId === me ? draftState.draft : emptyDraft(defaultAction)),
    [draftState, itemId, me, defaultAction],
  );
  const setDraft = useCallback((d: DecisionDraft) => itemId && setDraftState({ itemId, reviewerId: me, draft: d }), [itemId, me]);

  // Kept across a reload or a crash: written as soon as it changes (once the campaign is open, not while it loads).
  useEffect(() => {
    if (!view) return;
    saveReviewView(campaignId, { filters, selectedItemId: itemId, draft: draftState });
  }, [campaignId, view, filters, itemId, draftState]);

  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const nextIndex = view && position + 1 < view.items.length ? view.items[position + 1]! : -1;
  useEffect(() => {
    shownAt.current = performance.now();
    setDecisionError(null);
    setDecisionNotice(null);
    if (!client || index < 0) return;
    let live = true;
    // This item's detail first (answered in the order asked), then the next one's ahead: after a decision it is
    // shown in the same render as the move.
    if (!client.peek(index))
      client.detail(index).then(
        (d) => live && setDetail(d),
        (e: unknown) => live && setDecisionError(t('review.error.load', { message: e instanceof Error ? e.message : String(e) })),
      );
    if (nextIndex >= 0) client.detail(nextIndex).catch(() => {});
    return () => {
      live = false;
    };
  }, [client, index]); // eslint-disable-line react-hooks/exhaustive-deps
  const ready = client && index >= 0 ? client.peek(index) : undefined;
  const shownDetail = ready ?? (detail && detail.index === index && detail.itemId === itemId ? detail : null);

  // The one counts function (shared/review): the same numbers as Export, the dashboard and the package.
  const counts = useMemo(() => {
    if (!table) return null;
    const decided: number[] = [];
    for (const [id, state] of states) {
      if (!state.current) continue;
      const i = indexOfItem(table, id);
      if (i >= 0) decided.push(i);
    }
    const rest = table.count - decided.length;
    function* items() {
      yield* decided;
      for (let k = 0; k < rest; k++) yield -1;
    }
    return campaignCounts(
      items(),
      (i) => (i < 0 ? null : decisionClassOf(table, i)),
      (i) => (i < 0 ? null : standingInputOf(states.get(table.itemIds[i]!)?.current)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, states, version]);

  // The latest view, for key handlers that run before React re-renders.
  const latest = useRef({ view, table, states });
  latest.current = { view, table, states };
  const move = useCallback((delta: number) => {
    setCursor((c) => {
      const { view: v, table: t } = latest.current;
      if (!v || !t || !v.items.length) return c;
      const p = Math.max(0, Math.min(v.items.length - 1, resolvePosition(v, t, c) + delta));
      return { pos: p, id: t.itemIds[v.items[p]!]! };
    });
  }, []);
  /** After a decision on `decidedId`: the next item without a decision in the view's own order (shared/review). */
  const moveToNextUndecided = (decidedId: string) => {
    const { view: v, table: t, states: s } = latest.current;
    if (!v || !t) return;
    const items = v.items;
    const from = resolvePosition(v, t, { pos: position, id: decidedId });
    const ids: ArrayLike<string> = new Proxy({ length: items.length } as ArrayLike<string>, {
      get: (o, k) => (k === 'length' ? items.length : typeof k === 'string' ? t.itemIds[items[Number(k)]!] : undefined),
    });
    const p = nextUndecided(ids, (id) => id === decidedId || Boolean(s.get(id)?.current), from);
    if (p >= 0) setCursor({ pos: p, id: t.itemIds[items[p]!]! });
  };

  const {
    itemContext,
    escalateTo,
    record,
    accept,
    confirmCarried,
    saveOverride,
    undo,
    approve,
    reject,
    runBulk,
    bulkProgress,
    stopBulk,
    runCarriedBulk,
  } = useDecisionActions({
    data,
    table,
    client,
    index,
    itemId,
    states,
    events,
    draft,
    setDraftState,
    baseline,
    rationaleRef,
    shownAt,
    streakRef,
    setStreak,
    driftConfirm,
    setDriftConfirm,
    setDecisionError,
    setDecisionNotice,
    setSaving,
    setBulk,
    setCarryBulk,
    moveToNextUndecided,
  });
  const carryContext = (i: number) => ({ item: itemContext(i), actor: wb.reviewerRef!, current: null, today: today() });
  const carryEligible = useMemo(
    () => (baseline && table && view && wb.reviewerRef ? bulkConfirmable(view.items, table, baseline, states, carryContext) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [baseline, table, view, states, version, wb.reviewerRef],
  );
  const bulkItems = useMemo(() => {
    if (!bulk || !table) return null;
    const eligible: BulkItem[] = [];
    const indexes: number[] = [];
    let open = 0;
    for (const i of bulk) {
      const decided = Boolean(states.get(table.itemIds[i]!)?.current);
      if (!decided) open++;
      // The policy decides (shared/review): only its "suggest" class, never high or critical by default.
      if (bulkEligible({ decisionClass: decisionClassOf(table, i), suggested: actionOf(table, i), decided })) {
        indexes.push(i);
        eligible.push({
          itemId: table.itemIds[i]!,
          who: table.strings[table.who[i]!]!,
          what: table.strings[table.what[i]!]!,
          action: actionOf(table, i),
          tier: tierOf(table, i),
        });
      }
    }
    return { eligible, indexes, open };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bulk, table, states, version]);

  // Stable callbacks for the memoized panes: they call the latest closures.
  const handlers = useRef({ accept, saveOverride, undo, approve, reject });
  handlers.current = { accept, saveOverride, undo, approve, reject };
  const onAccept = useCallback(() => handlers.current.accept(), []);
  const onSaveOverride = useCallback(() => handlers.current.saveOverride(), []);
  const onUndo = useCallback(() => void handlers.current.undo(), []);
  const onApprove = useCallback(() => void handlers.current.approve(), []);
  const onReject = useCallback(() => void handlers.current.reject(), []);
  const viewItems = view?.items;
  const onBulk = useCallback(() => viewItems && setBulk(viewItems), [viewItems]);
  const itemState: ItemState | undefined = itemId ? states.get(itemId) : undefined;
  const stateKey = itemState ? `${itemState.history.length}:${itemState.current?.seq ?? 0}:${itemState.current?.approval?.seq ?? 0}` : '';
  const status = table && index >= 0 ? itemStatus(table, index, itemState) : 'open';
  const current = itemState?.current ?? null;
  const approving = status === 'pending approval' && current && me && current.reviewer.id !== me ? current : null;

  useReviewKeys({
    table,
    view,
    index,
    draft,
    setDraft,
    approving,
    rationaleRef,
    searchRef,
    move,
    itemContext,
    accept,
    saveOverride,
    undo,
    approve,
    setBulk,
    setHelp,
  });

  if (loading || !data || !table || !view || !counts)
    return error ? (
      <Alert color="red">{error}</Alert>
    ) : (
      <Group>
        <Loader size="sm" /> <Text>{t('review.opening')}</Text>
      </Group>
    );
  const overrideActions =
    index >= 0
      ? applicableActions({ ...itemContext(index), suggested: actionOf(table, index) }).filter((a) => a !== actionOf(table, index))
      : [];
  const ownerCandidates = shownDetail
    ? [
        ...new Set(
          [shownDetail.identity?.ownerId, shownDetail.identity?.managerId, shownDetail.entitlement?.ownerId].filter((x): x is string =>
            Boolean(x),
          ),
        ),
      ].map((v) => ({ value: v, label: v }))
    : [];
  const escalation = me ? escalateTo(me) : null;
  return (
    <Stack gap="xs" h="calc(100vh - 84px - 30px - 32px)">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <CampaignSelect campaignId={campaignId} onChange={wb.setCampaignId} />
          <Text size="sm" data-testid="campaign-progress">
            {t('review.progress.decided', {
              decided: formatCount(counts.decided),
              items: formatCount(counts.items),
              percent: counts.percentDecided,
            })}
            {counts.awaitingApproval ? ` · ${t('review.progress.pending', { count: counts.awaitingApproval })}` : ''}
            {counts.escalated ? ` · ${t('review.progress.escalated', { count: counts.escalated })}` : ''}
            {data.campaign.dueDate ? ` · ${t('review.progress.due', { date: formatDate(data.campaign.dueDate) })}` : ''}
          </Text>
          <Progress value={counts.percentDecided} w={160} aria-label={t('review.progress.label')} />
        </Group>
        {baseline && carryEligible && (
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => setCarryBulk(true)}
            disabled={!carryEligible.eligible.length}
            data-testid="carried-bulk"
          >
            {t('review.carried.bulkButton', { n: formatCount(carryEligible.eligible.length) })}
          </Button>
        )}
        <Button size="compact-sm" variant="subtle" onClick={() => setHelp(true)}>
          {t('review.keysButton')} <Kbd ml={4}>?</Kbd>
        </Button>
      </Group>
      {streak >= drift.fastAcceptStreak && (
        <Alert
          color="orange"
          py={6}
          data-testid="drift-warning"
          title={t('review.drift.title', { count: streak, seconds: drift.fastAcceptSeconds })}
        >
          <Group justify="space-between">
            <Text size="sm">{t('review.drift.body')}</Text>
            <Button size="compact-sm" variant="white" color="orange" onClick={() => setStreak(0)}>
              {t('review.drift.lookAgain')}
            </Button>
          </Group>
        </Alert>
      )}
      <Group align="stretch" gap="md" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <Card withBorder p={0} style={{ flex: 1.4, display: 'flex', flexDirection: 'column', minHeight: 0 }}>
          <FilterBar searchRef={searchRef} filters={filters} setFilters={setFilters} onBulk={onBulk} shown={shown} />
          <div style={{ flex: 1, minHeight: 0 }}>
            <ReviewTable
              table={table}
              view={view}
              states={states}
              version={version}
              selected={position}
              onSelect={(p) => setCursor({ pos: p, id: table.itemIds[view.items[p]!]! })}
              reviewerNames={reviewerNames}
            />
          </div>
        </Card>
        <Card withBorder p={0} className="detail-card" style={{ flex: 1 }}>
          {index >= 0 ? (
            <>
              <div className="detail-scroll">
                {baseline && itemId && baseline.byItem.get(itemId) && (
                  <CarriedPanel
                    link={baseline.link}
                    entry={baseline.byItem.get(itemId)!}
                    reviewerNames={reviewerNames}
                    saving={saving}
                    onConfirm={confirmCarried}
                  />
                )}
                <DetailPane
                  table={table}
                  index={index}
                  detail={shownDetail}
                  state={itemState}
                  stateKey={stateKey}
                  activeReviewerId={me}
                  onUndo={onUndo}
                  reviewerNames={reviewerNames}
                />
              </div>
              <DecisionForm
                ref={rationaleRef}
                overrideSelectRef={overrideRef}
                suggested={actionOf(table, index)}
                overrideActions={overrideActions}
                draft={draft}
                setDraft={setDraft}
                error={decisionError}
                notice={decisionNotice}
                saving={saving}
                approving={approving}
                approverRationaleRequired={decisionClassOf(table, index) === 'never-delegate'}
                ownerCandidates={ownerCandidates}
                escalationName={escalation ? (reviewerNames.get(escalation) ?? escalation) : null}
                onAccept={onAccept}
                onSaveOverride={onSaveOverride}
                onApprove={onApprove}
                onReject={onReject}
                standing={standingLine(status, itemState, reviewerNames)}
                remediation={shownDetail?.remediation}
              />
            </>
          ) : (
            <Text c="dimmed" p="md">
              {t('review.noMatch')}
            </Text>
          )}
        </Card>
      </Group>
      <KeysDialog opened={help} onClose={() => setHelp(false)} singleKeys={wb.singleKeyShortcuts} />
      <BulkDialog
        opened={bulk !== null}
        eligible={bulkItems?.eligible ?? []}
        open={bulkItems?.open ?? 0}
        saving={saving}
        progress={bulkProgress}
        onConfirm={() => bulkItems && void runBulk(bulkItems.indexes)}
        onStop={stopBulk}
        onClose={() => (bulkProgress ? stopBulk() : setBulk(null))}
      />
      {baseline && carryEligible && (
        <CarriedBulkDialog
          opened={carryBulk}
          link={baseline.link}
          eligible={carryEligible.eligible.map((i) => ({
            itemId: table.itemIds[i]!,
            who: table.strings[table.who[i]!]!,
            what: table.strings[table.what[i]!]!,
          }))}
          unchanged={carryEligible.unchanged}
          saving={saving}
          onConfirm={() => void runCarriedBulk(carryEligible.eligible)}
          onClose={() => setCarryBulk(false)}
        />
      )}
      <DriftDialog
        opened={driftConfirm}
        streak={streak}
        fastSeconds={drift.fastAcceptSeconds}
        onClose={() => setDriftConfirm(false)}
        onConfirm={() => {
          setDriftConfirm(false);
          const suggested = index >= 0 ? actionOf(table, index) : 'none';
          if (suggested !== 'none') void record(suggested, true);
        }}
      />
    </Stack>
  );
}

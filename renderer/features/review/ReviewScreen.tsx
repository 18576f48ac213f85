import { Alert, Button, Card, Group, Kbd, Loader, Progress, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  applicableActions,
  approvalProblem,
  bulkAcceptEvent,
  bulkEligible,
  campaignCounts,
  decisionEvent,
  decisionProblem,
  driftNote,
  escalationTarget,
  followUpEvent,
  isFastAccept,
  nextFastStreak,
  nextUndecided,
  rejectProblem,
  standingInputOf,
  undoProblem,
  type AuditEventBody,
  type CarriedDecision,
  type DecisionAction,
  type ItemState,
} from '../../../shared/review';
import { useWorkbench } from '../../session';
import { useShortcuts } from '../../session';
import { command, useItemStateLog } from '../../backend';
import { actionOf, decisionClassOf, identityClassOf, indexOfItem, tierOf, type CampaignTable, type ItemDetail } from '../../workers';
import { DecisionForm } from './DecisionForm';
import { DetailPane } from './DetailPane';
import { CampaignSelect, FilterBar } from './FilterBar';
import { BulkDialog, DriftDialog, KeysDialog, type BulkItem } from './ReviewDialogs';
import { ReviewTable, decisionCell } from './ReviewTable';
import { chosenCut, emptyDraft, normalizeDraft, recordedCut, type DecisionDraft } from './decision-draft';
import { loadReviewView, saveReviewView, type PersistedReview, type ReviewFilters } from './persisted-view';
import { signEvent } from './sign-event';
import { itemStatus, tableView, type TableView } from './table-view';
import { useCampaignTable } from './use-campaign-table';
import { CarriedBulkDialog, CarriedPanel, bulkConfirmable, carriedDecision, confirmCarriedInBulk, useReviewBaseline } from './carried';
import { formatCount, formatDate } from '../../components';
import { i18n, useTranslation } from '../../i18n';

/** The selection: a position in the view and the item there (the item wins when the view changes under it). */
interface Cursor {
  pos: number;
  id: string | null;
}

function resolvePosition(view: TableView, table: CampaignTable, c: Cursor): number {
  const n = view.items.length;
  if (!n) return -1;
  if (c.id !== null) {
    if (c.pos < n && table.itemIds[view.items[c.pos]!] === c.id) return c.pos;
    const i = indexOfItem(table, c.id);
    const p = i >= 0 ? view.items.indexOf(i) : -1;
    if (p >= 0) return p;
  }
  return Math.max(0, Math.min(c.pos, n - 1));
}

/** The current decision in one line, next to the controls (the full record is in the pane above). */
function standingLine(status: ReturnType<typeof itemStatus>, state: ItemState | undefined, names: ReadonlyMap<string, string>): { text: string; tone: 'decided' | 'pending' } | null {
  const d = state?.current;
  if (!d) return null;
  const cell = decisionCell(status, state, names);
  if (status === 'pending approval') return { text: i18n.t('review.standing.pending', { cell, name: d.reviewer.name }), tone: 'pending' };
  if (status === 'escalated') return { text: i18n.t('review.standing.escalated', { cell, name: d.reviewer.name }), tone: 'pending' };
  return { text: d.approval ? i18n.t('review.standing.approved', { cell, name: d.reviewer.name, approver: d.approval.approver.name }) : i18n.t('review.standing.decided', { cell, name: d.reviewer.name }), tone: 'decided' };
}

const today = () => new Date().toISOString().slice(0, 10);

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
  const { data, loading, error } = useCampaignTable(campaignId);
  const { log, events, version } = useItemStateLog(campaignId);
  const states = log.states;
  const table = data?.table ?? null;
  const client = data?.client ?? null;
  const [restored] = useState<PersistedReview>(() => loadReviewView(campaignId));
  const [filters, setFiltersState] = useState<ReviewFilters>(restored.filters);
  const [cursor, setCursor] = useState<Cursor>({ pos: 0, id: restored.selectedItemId });
  const [draftState, setDraftState] = useState<PersistedReview['draft']>(restored.draft ? { ...restored.draft, draft: normalizeDraft(restored.draft.draft) } : null);
  /** Table indexes offered to a bulk accept (the items shown when it was asked for). */
  const [bulk, setBulk] = useState<Uint32Array | null>(null);
  /** Started from the last certification: the prior decisions to confirm, what changed (#21). */
  const baseline = useReviewBaseline(campaignId);
  const [carryBulk, setCarryBulk] = useState(false);
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
  const drift = wb.policy.drift;
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const overrideRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const me = wb.activeReviewer?.id ?? null;
  const view = useMemo(() => {
    if (!table) return null;
    return tableView(table, { ...filters, mine: filters.mine === 'mine' ? me : null }, states);
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
      if (document.activeElement instanceof HTMLElement && document.activeElement.tagName === 'INPUT' && document.activeElement.getAttribute('aria-label') !== i18n.t('review.filter.search')) document.activeElement.blur();
    }, 0);
  }, []);

  const position = view && table ? resolvePosition(view, table, cursor) : -1;
  const index = view && position >= 0 ? view.items[position]! : -1;
  const itemId = table && index >= 0 ? table.itemIds[index]! : null;
  const suggestedAction = table && index >= 0 ? actionOf(table, index) : 'keep';
  // With no suggestion the draft's action is only a placeholder: accept is refused and the reviewer picks one.
  const defaultAction: DecisionAction = suggestedAction === 'none' ? 'keep' : suggestedAction;
  const draft = useMemo<DecisionDraft>(() => (draftState && draftState.itemId === itemId && draftState.reviewerId === me ? draftState.draft : emptyDraft(defaultAction)), [draftState, itemId, me, defaultAction]);
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
    if (!client || index < 0) return;
    // The next item's detail is fetched ahead: after a decision it is shown in the same render as the move.
    if (nextIndex >= 0) client.detail(nextIndex).catch(() => {});
    if (client.peek(index)) return;
    let live = true;
    client.detail(index).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setDecisionError(t('review.error.load', { message: e instanceof Error ? e.message : String(e) })),
    );
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
    const ids: ArrayLike<string> = new Proxy({ length: items.length } as ArrayLike<string>, { get: (o, k) => (k === 'length' ? items.length : typeof k === 'string' ? t.itemIds[items[Number(k)]!] : undefined) });
    const p = nextUndecided(ids, (id) => id === decidedId || Boolean(s.get(id)?.current), from);
    if (p >= 0) setCursor({ pos: p, id: t.itemIds[items[p]!]! });
  };

  const itemContext = (i: number) => {
    const t = table!;
    const identityType = identityClassOf(t, i);
    return { itemId: t.itemIds[i]!, ...(identityType ? { identityType } : {}), identityName: t.strings[t.who[i]!]!, targetName: t.strings[t.what[i]!]!, application: t.strings[t.app[i]!]! };
  };
  /** The reviewer's rationales on other items, most recent first (a reason pasted across items is refused). */
  const recentRationales = (reviewerId: string, exceptItem: string | null): string[] => {
    const out: string[] = [];
    for (let k = events.length - 1; k >= 0 && out.length < 50; k--) {
      const e = events[k]!;
      if (e.actor.id === reviewerId && e.rationale && e.itemId !== exceptItem && (e.type === 'decision' || e.type === 'approval')) out.push(e.rationale);
    }
    return out;
  };
  const escalateTo = (reviewerId: string) => (data ? escalationTarget(reviewerId, { ownerId: data.campaign.createdBy, fallbackReviewerId: data.campaign.assignment.fallbackReviewerId }) : null);

  /** Signs the event with the active reviewer's key (asking for the passphrase once per session) and commits it. */
  const commit = async (body: AuditEventBody) => {
    const keyId = wb.activeReviewer?.keyId;
    if (!keyId) throw new Error(t('review.error.noReviewer'));
    return command('appendEvent', { body: await signEvent(keyId, body) });
  };

  /** `carried`: the reviewer confirms the baseline's decision; every rule of a fresh decision still applies. */
  const record = async (chosen: DecisionAction, fromAccept: boolean, carried?: CarriedDecision) => {
    if (!table || !client || index < 0 || !wb.reviewerRef || !data || !itemId) return;
    const actor = wb.reviewerRef;
    const suggested = actionOf(table, index);
    const decisionClass = decisionClassOf(table, index);
    const current = states.get(itemId)?.current ?? null;
    const escalatedTo = chosen === 'cant-decide' ? (escalateTo(actor.id) ?? undefined) : undefined;
    const keepUntil = carried ? carried.keepUntil : chosen === 'keep' && draft.keepUntil ? draft.keepUntil : undefined;
    const ownerId = chosen === 'assign-owner' ? draft.ownerId.trim() : undefined;
    const reasonCategory = draft.reasonCategory ?? undefined;
    const rationale = draft.rationale.trim();
    const problem = decisionProblem(
      { action: chosen, rationale, reasonCategory, ownerId, keepUntil, escalatedTo },
      { item: itemContext(index), suggested, decisionClass, actor, current, recentRationales: recentRationales(actor.id, itemId), today: today() },
    );
    if (problem) {
      setDecisionError(problem);
      if (/rationale|reason|say /i.test(problem)) rationaleRef.current?.focus();
      return;
    }
    const seconds = Math.round((performance.now() - shownAt.current) / 100) / 10;
    // "Saving" is shown only when the commit is slow: a render here would delay the commit it announces.
    const slow = setTimeout(() => setSaving(true), 150);
    setDecisionError(null);
    try {
      // The suggestion as the reviewer saw it (usually already here: fetched when the item was selected).
      const shown = await client.detail(index);
      const s = shown.suggestion;
      // A revoke of inherited access records the link it cuts, as the reviewer saw it with its blast radius.
      const cut = chosenCut(shown.remediation, chosen, draft.cut);
      const body = decisionEvent({ campaignId: data.campaign.id, actor, itemId, action: chosen, suggestion: s, rationale, reasonCategory, ownerId, keepUntil, escalatedTo, secondsOnScreen: seconds, ...(cut ? { remediation: recordedCut(cut) } : {}), ...(carried ? { carried } : {}) });
      // Signed, then committed before the UI shows it as saved (the live query re-reads the log).
      const committed = await commit(body);
      // Committed: measurable by the benchmark (keystroke → commit latency).
      performance.mark('arw:decision-committed', { detail: { seq: committed.seq } });
      setDraftState((d) => (d && d.itemId === itemId ? null : d));
      // Back to the list (the grid, whose active row is the next item): the next keystroke is a command again.
      const grid = document.querySelector<HTMLElement>('[data-testid="review-grid"]');
      if (grid) grid.focus({ preventScroll: true });
      else if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      const next = nextFastStreak(streakRef.current, isFastAccept(fromAccept, seconds, drift), drift);
      setStreak(next.streak);
      if (next.warn) {
        await command('appendEvent', { body: driftNote({ campaignId: data.campaign.id, actor, streak: next.streak, fastAcceptSeconds: drift.fastAcceptSeconds }) });
      }
      moveToNextUndecided(itemId);
    } catch (e) {
      setDecisionError(t('review.error.notSaved', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      clearTimeout(slow);
      setSaving(false);
    }
  };

  const accept = () => {
    if (!table || index < 0) return;
    const suggested = actionOf(table, index);
    if (suggested === 'none') {
      setDecisionError(t('review.error.noSuggestion'));
      return;
    }
    if (streakRef.current >= drift.fastAcceptStreak && !driftConfirm) {
      setDriftConfirm(true);
      return;
    }
    void record(suggested, true);
  };
  const confirmCarried = () => {
    const entry = baseline && itemId ? baseline.byItem.get(itemId) : undefined;
    const carried = baseline && entry ? carriedDecision(baseline.link, entry) : null;
    if (carried) void record(carried.action, true, carried);
  };
  const saveOverride = () => {
    if (index < 0) return;
    if (draft.mode !== 'override') {
      setDecisionError(t('review.error.chooseAction'));
      return;
    }
    void record(draft.action, false);
  };
  /** Runs one signed event about the current item, showing its error instead of a save. */
  const act = async (make: () => string | AuditEventBody) => {
    const body = make();
    if (typeof body === 'string') {
      setDecisionError(body);
      return;
    }
    setSaving(true);
    try {
      await commit(body);
      setDraftState((d) => (d && d.itemId === itemId ? null : d));
      setDecisionError(null);
    } catch (e) {
      setDecisionError(t('review.error.notSaved', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setSaving(false);
    }
  };
  const followUp = (type: 'undo' | 'approval' | 'reject', refersTo: number, rationale?: string) =>
    followUpEvent({ campaignId: data!.campaign.id, type, actor: wb.reviewerRef!, itemId: itemId!, refersTo, rationale, reasonCategory: draft.reasonCategory ?? undefined });
  const undo = () =>
    act(() => {
      const current = itemId ? states.get(itemId)?.current : undefined;
      if (!itemId || !wb.reviewerRef || !data) return t('review.error.noItem');
      return undoProblem(current, wb.reviewerRef) ?? followUp('undo', current!.seq);
    });
  const approve = () =>
    act(() => {
      const current = itemId ? states.get(itemId)?.current : undefined;
      if (!itemId || !current || !wb.reviewerRef || !data || !table) return t('review.error.noDecisionToApprove');
      const rationale = draft.rationale.trim();
      const problem = approvalProblem({ decision: current, approver: wb.reviewerRef, decisionClass: decisionClassOf(table, index), rationale, ...(draft.reasonCategory ? { reasonCategory: draft.reasonCategory } : {}), recentRationales: recentRationales(wb.reviewerRef.id, itemId), item: itemContext(index) });
      return problem ?? followUp('approval', current.seq, rationale);
    });
  const reject = () =>
    act(() => {
      const current = itemId ? states.get(itemId)?.current : undefined;
      if (!itemId || !current || !wb.reviewerRef || !data) return t('review.error.noDecisionToReject');
      const reason = draft.rationale.trim();
      return rejectProblem({ decision: current, approver: wb.reviewerRef, reason }) ?? followUp('reject', current.seq, reason);
    });

  const runBulk = async (list: number[]) => {
    if (!data || !client || !wb.reviewerRef) return;
    setSaving(true);
    try {
      const snapshots = await client.snapshots(list);
      for (let k = 0; k < list.length; k++) {
        const s = snapshots[k]!;
        if (s.action === 'none') continue;
        await commit(bulkAcceptEvent({ campaignId: data.campaign.id, actor: wb.reviewerRef, itemId: data.table.itemIds[list[k]!]!, suggestion: s, bulkSize: list.length }));
      }
    } catch (e) {
      setDecisionError(t('review.error.bulkStopped', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setSaving(false);
      setBulk(null);
    }
  };
  const carryContext = (i: number) => ({ item: itemContext(i), actor: wb.reviewerRef!, current: null, today: today() });
  const carryEligible = useMemo(() => (baseline && table && view && wb.reviewerRef ? bulkConfirmable(view.items, table, baseline, states, carryContext) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [baseline, table, view, states, version, wb.reviewerRef]);
  const runCarriedBulk = async (list: number[]) => {
    if (!data || !client || !wb.reviewerRef || !baseline) return;
    setSaving(true);
    try {
      await confirmCarriedInBulk(list, { itemIds: data.table.itemIds, baseline, snapshots: await client.snapshots(list), campaignId: data.campaign.id, actor: wb.reviewerRef, commit });
    } catch (e) {
      setDecisionError(t('review.error.bulkStopped', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setSaving(false);
      setCarryBulk(false);
    }
  };
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
        eligible.push({ itemId: table.itemIds[i]!, who: table.strings[table.who[i]!]!, what: table.strings[table.what[i]!]!, action: actionOf(table, i), tier: tierOf(table, i) });
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

  // Through the app's one shortcut hook: never behind an open dialog (the `?` list, bulk accept, a confirmation),
  // and the single keys only while the Settings switch leaves them on (WCAG 2.1.4).
  useShortcuts([
    ['j', () => move(1)],
    ['ArrowDown', () => move(1)],
    ['k', () => move(-1)],
    ['ArrowUp', () => move(-1)],
    ['a', () => !approving && accept()],
    // Focus moves inside the key handler (the key itself is not typed): the next keystroke, however fast,
    // already lands in the rationale.
    [
      'o',
      (event) => {
        if (!table || index < 0 || approving) return;
        event.preventDefault();
        const options = applicableActions({ ...itemContext(index), suggested: actionOf(table, index) }).filter((a) => a !== actionOf(table, index));
        setDraft({ ...draft, mode: 'override', action: draft.mode === 'override' ? draft.action : (options[0] ?? 'keep') });
        rationaleRef.current?.focus();
      },
    ],
    [
      'r',
      (event) => {
        event.preventDefault();
        rationaleRef.current?.focus();
      },
    ],
    ['u', () => void undo()],
    ['/', () => setTimeout(() => searchRef.current?.focus(), 0)],
    ['b', () => view && setBulk(view.items)],
    ['shift+/', () => setHelp(true)],
    ['shift+?', () => setHelp(true)],
  ]);

  // Ctrl+Enter saves from anywhere on the screen, inside the selects too (the rationale handles its own).
  useShortcuts([['mod+Enter', () => (approving ? void approve() : draft.mode === 'override' ? saveOverride() : accept())]], { ignoreIn: ['TEXTAREA'] });

  if (loading || !data || !table || !view || !counts)
    return error ? (
      <Alert color="red">{error}</Alert>
    ) : (
      <Group>
        <Loader size="sm" /> <Text>{t('review.opening')}</Text>
      </Group>
    );
  const overrideActions = index >= 0 ? applicableActions({ ...itemContext(index), suggested: actionOf(table, index) }).filter((a) => a !== actionOf(table, index)) : [];
  const ownerCandidates = shownDetail ? [...new Set([shownDetail.identity?.ownerId, shownDetail.identity?.managerId, shownDetail.entitlement?.ownerId].filter((x): x is string => Boolean(x)))].map((v) => ({ value: v, label: v })) : [];
  const escalation = me ? escalateTo(me) : null;
  return (
    <Stack gap="xs" h="calc(100vh - 84px - 30px - 32px)">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <CampaignSelect campaignId={campaignId} onChange={wb.setCampaignId} />
          <Text size="sm" data-testid="campaign-progress">
            {t('review.progress.decided', { decided: formatCount(counts.decided), items: formatCount(counts.items), percent: counts.percentDecided })}{counts.awaitingApproval ? ` · ${t('review.progress.pending', { count: counts.awaitingApproval })}` : ''}
            {counts.escalated ? ` · ${t('review.progress.escalated', { count: counts.escalated })}` : ''}
            {data.campaign.dueDate ? ` · ${t('review.progress.due', { date: formatDate(data.campaign.dueDate) })}` : ''}
          </Text>
          <Progress value={counts.percentDecided} w={160} aria-label={t('review.progress.label')} />
        </Group>
        {baseline && carryEligible && (
          <Button size="compact-sm" variant="light" onClick={() => setCarryBulk(true)} disabled={!carryEligible.eligible.length} data-testid="carried-bulk">
            {t('review.carried.bulkButton', { n: formatCount(carryEligible.eligible.length) })}
          </Button>
        )}
        <Button size="compact-sm" variant="subtle" onClick={() => setHelp(true)}>
          {t('review.keysButton')} <Kbd ml={4}>?</Kbd>
        </Button>
      </Group>
      {streak >= drift.fastAcceptStreak && (
        <Alert color="orange" py={6} data-testid="drift-warning" title={t('review.drift.title', { count: streak, seconds: drift.fastAcceptSeconds })}>
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
            <ReviewTable table={table} view={view} states={states} version={version} selected={position} onSelect={(p) => setCursor({ pos: p, id: table.itemIds[view.items[p]!]! })} reviewerNames={reviewerNames} />
          </div>
        </Card>
        <Card withBorder p={0} className="detail-card" style={{ flex: 1 }}>
          {index >= 0 ? (
            <>
              <div className="detail-scroll">
                {baseline && itemId && baseline.byItem.get(itemId) && <CarriedPanel link={baseline.link} entry={baseline.byItem.get(itemId)!} reviewerNames={reviewerNames} saving={saving} onConfirm={confirmCarried} />}
                <DetailPane table={table} index={index} detail={shownDetail} state={itemState} stateKey={stateKey} activeReviewerId={me} onUndo={onUndo} reviewerNames={reviewerNames} />
              </div>
              <DecisionForm
                ref={rationaleRef}
                overrideSelectRef={overrideRef}
                suggested={actionOf(table, index)}
                overrideActions={overrideActions}
                draft={draft}
                setDraft={setDraft}
                error={decisionError}
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
      <BulkDialog opened={bulk !== null} eligible={bulkItems?.eligible ?? []} open={bulkItems?.open ?? 0} saving={saving} onConfirm={() => bulkItems && void runBulk(bulkItems.indexes)} onClose={() => setBulk(null)} />
      {baseline && carryEligible && (
        <CarriedBulkDialog
          opened={carryBulk}
          link={baseline.link}
          eligible={carryEligible.eligible.map((i) => ({ itemId: table.itemIds[i]!, who: table.strings[table.who[i]!]!, what: table.strings[table.what[i]!]! }))}
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

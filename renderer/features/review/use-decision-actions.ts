// The decision handlers of the review screen: record, accept, override, undo, approve, reject and the bulk runs.
import { useRef, useState, type Dispatch, type RefObject, type SetStateAction } from 'react';
import {
  approvalProblem,
  bulkAcceptEvent,
  decisionEvent,
  decisionProblem,
  driftNote,
  escalationTarget,
  followUpEvent,
  isFastAccept,
  nextFastStreak,
  rejectProblem,
  undoProblem,
  type AuditEventBody,
  type CarriedDecision,
  type DecisionAction,
  type ItemState,
} from '../../../shared/review';
import { useWorkbench } from '../../session';
import { formatCount } from '../../components';
import type { useItemStateLog } from '../../backend';
import { command } from '../../backend';
import { actionOf, decisionClassOf, identityClassOf, type CampaignTable } from '../../workers';
import { chosenCut, recordedCut, type DecisionDraft } from './decision-draft';
import type { PersistedReview } from './persisted-view';
import { signEvent } from './sign-event';
import { runInOrder, type BulkProgress } from './bulk-run';
import type { CampaignTableState } from './use-campaign-table';
import { carriedDecision, confirmCarriedInBulk, type ReviewBaseline } from './carried';
import { useTranslation } from '../../i18n';

export const today = () => new Date().toISOString().slice(0, 10);

export interface DecisionActionsInput {
  data: CampaignTableState['data'];
  table: CampaignTable | null;
  client: NonNullable<CampaignTableState['data']>['client'] | null;
  index: number;
  itemId: string | null;
  states: ReadonlyMap<string, ItemState>;
  events: ReturnType<typeof useItemStateLog>['events'];
  draft: DecisionDraft;
  setDraftState: Dispatch<SetStateAction<PersistedReview['draft']>>;
  baseline: ReviewBaseline | null;
  rationaleRef: RefObject<HTMLTextAreaElement | null>;
  /** When the current item was shown (seconds on screen are recorded with a decision). */
  shownAt: RefObject<number>;
  streakRef: RefObject<number>;
  setStreak: (n: number) => void;
  driftConfirm: boolean;
  setDriftConfirm: (open: boolean) => void;
  setDecisionError: (message: string | null) => void;
  /** A neutral line under the form (not an error): e.g. a bulk accept stopped by the reviewer. */
  setDecisionNotice: (message: string | null) => void;
  setSaving: (saving: boolean) => void;
  setBulk: (items: Uint32Array | null) => void;
  setCarryBulk: (open: boolean) => void;
  moveToNextUndecided: (decidedId: string) => void;
}

export function useDecisionActions(input: DecisionActionsInput) {
  const wb = useWorkbench();
  const { t } = useTranslation();
  const {
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
  } = input;
  const { driftConfirm, setDriftConfirm, setDecisionError, setDecisionNotice, setSaving, setBulk, setCarryBulk, moveToNextUndecided } =
    input;
  const drift = wb.policy.drift;
  const itemContext = (i: number) => {
    const t = table!;
    const identityType = identityClassOf(t, i);
    return {
      itemId: t.itemIds[i]!,
      ...(identityType ? { identityType } : {}),
      identityName: t.strings[t.who[i]!]!,
      targetName: t.strings[t.what[i]!]!,
      application: t.strings[t.app[i]!]!,
    };
  };
  /** The reviewer's rationales on other items, most recent first (a reason pasted across items is refused). */
  const recentRationales = (reviewerId: string, exceptItem: string | null): string[] => {
    const out: string[] = [];
    for (let k = events.length - 1; k >= 0 && out.length < 50; k--) {
      const e = events[k]!;
      if (e.actor.id === reviewerId && e.rationale && e.itemId !== exceptItem && (e.type === 'decision' || e.type === 'approval'))
        out.push(e.rationale);
    }
    return out;
  };
  const escalateTo = (reviewerId: string) =>
    data
      ? escalationTarget(reviewerId, { ownerId: data.campaign.createdBy, fallbackReviewerId: data.campaign.assignment.fallbackReviewerId })
      : null;

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
      {
        item: itemContext(index),
        suggested,
        decisionClass,
        actor,
        current,
        recentRationales: recentRationales(actor.id, itemId),
        today: today(),
      },
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
      const body = decisionEvent({
        campaignId: data.campaign.id,
        actor,
        itemId,
        action: chosen,
        suggestion: s,
        rationale,
        reasonCategory,
        ownerId,
        keepUntil,
        escalatedTo,
        secondsOnScreen: seconds,
        ...(cut ? { remediation: recordedCut(cut) } : {}),
        ...(carried ? { carried } : {}),
      });
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
        await command('appendEvent', {
          body: driftNote({ campaignId: data.campaign.id, actor, streak: next.streak, fastAcceptSeconds: drift.fastAcceptSeconds }),
        });
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
    followUpEvent({
      campaignId: data!.campaign.id,
      type,
      actor: wb.reviewerRef!,
      itemId: itemId!,
      refersTo,
      rationale,
      reasonCategory: draft.reasonCategory ?? undefined,
    });
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
      const problem = approvalProblem({
        decision: current,
        approver: wb.reviewerRef,
        decisionClass: decisionClassOf(table, index),
        rationale,
        ...(draft.reasonCategory ? { reasonCategory: draft.reasonCategory } : {}),
        recentRationales: recentRationales(wb.reviewerRef.id, itemId),
        item: itemContext(index),
      });
      return problem ?? followUp('approval', current.seq, rationale);
    });
  const reject = () =>
    act(() => {
      const current = itemId ? states.get(itemId)?.current : undefined;
      if (!itemId || !current || !wb.reviewerRef || !data) return t('review.error.noDecisionToReject');
      const reason = draft.rationale.trim();
      return rejectProblem({ decision: current, approver: wb.reviewerRef, reason }) ?? followUp('reject', current.seq, reason);
    });

  const [bulkProgress, setBulkProgress] = useState<BulkProgress | null>(null);
  const bulkStop = useRef(false);
  const runBulk = async (list: number[]) => {
    if (!data || !client || !wb.reviewerRef) return;
    const actor = wb.reviewerRef;
    setSaving(true);
    bulkStop.current = false;
    setBulkProgress({ done: 0, total: list.length, loading: true });
    try {
      const snapshots = await client.snapshots(list);
      const outcome = await runInOrder(
        list.length,
        async (k) => {
          const s = snapshots[k]!;
          if (s.action === 'none') return;
          await commit(
            bulkAcceptEvent({
              campaignId: data.campaign.id,
              actor,
              itemId: data.table.itemIds[list[k]!]!,
              suggestion: s,
              bulkSize: list.length,
            }),
          );
        },
        {
          stopped: () => bulkStop.current,
          progress: (done) => setBulkProgress({ done, total: list.length, loading: false }),
        },
      );
      if (outcome.stopped)
        setDecisionNotice(t('review.bulk.stopped', { done: formatCount(outcome.done), total: formatCount(list.length) }));
    } catch (e) {
      setDecisionError(t('review.error.bulkStopped', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBulkProgress(null);
      setSaving(false);
      setBulk(null);
    }
  };
  const stopBulk = () => {
    bulkStop.current = true;
  };
  const runCarriedBulk = async (list: number[]) => {
    if (!data || !client || !wb.reviewerRef || !baseline) return;
    setSaving(true);
    try {
      await confirmCarriedInBulk(list, {
        itemIds: data.table.itemIds,
        baseline,
        snapshots: await client.snapshots(list),
        campaignId: data.campaign.id,
        actor: wb.reviewerRef,
        commit,
      });
    } catch (e) {
      setDecisionError(t('review.error.bulkStopped', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setSaving(false);
      setCarryBulk(false);
    }
  };
  return {
    itemContext,
    recentRationales,
    escalateTo,
    commit,
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
  };
}

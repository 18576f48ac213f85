// The review screen's keyboard: moving, deciding, focusing the rationale or the search, the dialogs.
import type { RefObject } from 'react';
import { applicableActions, type ItemState } from '../../../shared/review';
import { useShortcuts } from '../../session';
import { actionOf, type CampaignTable } from '../../workers';
import type { DecisionDraft } from './decision-draft';
import type { TableView } from './table-view';
import type { useDecisionActions } from './use-decision-actions';

export interface ReviewKeysInput {
  table: CampaignTable | null;
  view: TableView | null;
  index: number;
  draft: DecisionDraft;
  setDraft: (d: DecisionDraft) => void;
  approving: ItemState['current'];
  rationaleRef: RefObject<HTMLTextAreaElement | null>;
  searchRef: RefObject<HTMLInputElement | null>;
  move: (delta: number) => void;
  itemContext: ReturnType<typeof useDecisionActions>['itemContext'];
  accept: () => void;
  saveOverride: () => void;
  undo: () => Promise<void>;
  approve: () => Promise<void>;
  setBulk: (items: Uint32Array) => void;
  setHelp: (open: boolean) => void;
}

export function useReviewKeys(input: ReviewKeysInput): void {
  const {
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
  } = input;
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
        const options = applicableActions({ ...itemContext(index), suggested: actionOf(table, index) }).filter(
          (a) => a !== actionOf(table, index),
        );
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
  useShortcuts([['mod+Enter', () => (approving ? void approve() : draft.mode === 'override' ? saveOverride() : accept())]], {
    ignoreIn: ['TEXTAREA'],
  });
}

// The review table: virtualized (fixed 32 px rows, well under Chromium's element-height cap even at 1,000,000
// rows), with optional group header rows. Rows are drawn from the compact campaign table: plain elements, no
// per-item objects.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { ItemState } from '../../../shared/review';
import { ActionText, formatDate, formatDecimal } from '../../components';
import { i18n, useTranslation } from '../../i18n';
import { actionOf, tierOf, type CampaignTable } from '../../workers';
import { itemStatus, type ItemStatus, type TableView } from './table-view';

export const ROW_HEIGHT = 32;
/** Strict containment: a row's or the list's layout never spills into the rest of the page while scrolling. */
const SCROLLER = { flex: 1, overflow: 'auto', minHeight: 0, contain: 'strict' } as const;

const STATUS_COLOR = {
  open: 'var(--mantine-color-dimmed)',
  'pending approval': 'var(--mantine-color-orange-text)',
  escalated: 'var(--mantine-color-orange-text)',
  decided: 'var(--mantine-color-teal-text)',
} as const;

/** The Decision column: an accept, an override, a pending step-up and an escalation never look alike. */
export function decisionCell(status: ItemStatus, state: ItemState | undefined, reviewerNames: ReadonlyMap<string, string>): string {
  const d = state?.current;
  const t = i18n.t;
  if (status === 'open' || !d) return state?.returned ? t('review.cell.sentBack') : t('enums.status.open');
  if (status === 'escalated')
    return t('review.cell.escalated', { to: reviewerNames.get(d.escalatedTo ?? '') ?? d.escalatedTo ?? t('review.cell.owner') });
  const action = t(`enums.action.${d.action}`);
  const what = d.keepUntil ? t('review.cell.until', { action, date: formatDate(d.keepUntil) }) : action;
  const how = d.acceptedSuggestion ? '✓' : t('review.cell.override');
  return status === 'pending approval' ? t('review.cell.pending', { what, how }) : `${what} ${how}`;
}

const COLUMNS = ['identity', 'entitlement', 'application', 'suggested', 'risk', 'decision'] as const;

/** The id of a rendered item row: the grid's aria-activedescendant names the selected one. */
export const rowId = (position: number) => `review-item-${position}`;

/**
 * An ARIA grid (header row and item rows inside it, gridcells, aria-rowindex over the virtual rows, aria-selected).
 * The grid itself takes focus and points at the selected row with aria-activedescendant: the screen's keys (arrows,
 * j/k) move the selection, as everywhere else on this keyboard-first screen.
 */
export const ReviewTable = memo(function ReviewTable({
  table,
  view,
  states,
  selected,
  onSelect,
  reviewerNames,
}: {
  table: CampaignTable;
  view: TableView;
  states: ReadonlyMap<string, ItemState>;
  /** Changes when `states` (mutated in place) changed. */ version: number;
  selected: number;
  onSelect: (position: number) => void;
  reviewerNames: ReadonlyMap<string, string>;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  const { items, rows, groups } = view;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const selectedRow = selected >= 0 && selected < items.length ? view.rowOf[selected]! : -1;
  useEffect(() => {
    if (selectedRow >= 0) virtualizer.scrollToIndex(selectedRow, { align: 'auto' });
  }, [selectedRow, virtualizer]);
  const rendered = virtualizer.getVirtualItems();
  const activeShown = selectedRow >= 0 && rendered.some((v) => v.index === selectedRow);
  return (
    <div
      role="grid"
      aria-label={t('review.table.gridLabel')}
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={activeShown ? rowId(selected) : undefined}
      tabIndex={0}
      className="review-grid"
      data-testid="review-grid"
      style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}
    >
      <div role="rowgroup">
        <div className="review-row review-head" role="row" aria-rowindex={1}>
          <span aria-hidden="true" />
          {COLUMNS.map((c) => (
            <span key={c} role="columnheader">
              {t(`review.table.${c}`)}
            </span>
          ))}
        </div>
      </div>
      <div ref={parent} style={SCROLLER} data-testid="review-table" role="rowgroup">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rendered.map((v, slot) => {
            const row = rows[v.index]!;
            const style = {
              position: 'absolute' as const,
              top: 0,
              left: 0,
              right: 0,
              contain: 'strict',
              transform: `translateY(${v.start}px)`,
            };
            if (row < 0) {
              const g = groups[-row - 1]!;
              return (
                <div
                  key={`slot-${slot}`}
                  className="review-row review-group"
                  style={style}
                  role="row"
                  aria-rowindex={v.index + 2}
                  data-testid="group-row"
                >
                  <span aria-hidden="true" />
                  <span role="gridcell" aria-colspan={COLUMNS.length} style={{ gridColumn: 'span 6' }}>
                    {g.direct ? t('review.filter.directGrants') : g.label} <small>({g.count})</small>
                  </span>
                </div>
              );
            }
            const i = items[row]!;
            const itemId = table.itemIds[i]!;
            const state = states.get(itemId);
            const status = itemStatus(table, i, state);
            const tier = tierOf(table, i);
            const isSelected = row === selected;
            return (
              // Keyed by slot, not by item: while scrolling, React updates the same row elements instead of
              // removing and creating them.
              <div
                key={`slot-${slot}`}
                id={rowId(row)}
                className="review-row"
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSelected}
                data-selected={isSelected}
                data-testid="review-row"
                data-item-id={itemId}
                style={style}
                onClick={() => onSelect(row)}
              >
                <span aria-hidden="true">{isSelected ? '●' : ''}</span>
                <span role="gridcell" title={table.strings[table.identityId[i]!]}>
                  {table.strings[table.who[i]!]}
                </span>
                <span role="gridcell">{table.strings[table.what[i]!]}</span>
                <span role="gridcell">{table.strings[table.app[i]!]}</span>
                <span role="gridcell">
                  <ActionText action={actionOf(table, i)} />{' '}
                  {actionOf(table, i) !== 'none' && (
                    <small style={{ color: 'var(--mantine-color-dimmed)' }}>{formatDecimal(table.confidence[i]!)}</small>
                  )}
                </span>
                <span role="gridcell">
                  <span className={`tier-pill tier-${tier}`}>{t(`enums.tier.${tier}`)}</span>
                </span>
                <span
                  role="gridcell"
                  data-testid="row-status"
                  title={`${t(`enums.status.${status}`)}: ${decisionCell(status, state, reviewerNames)}`}
                  data-status={status}
                  data-override={state?.current && !state.current.acceptedSuggestion ? 'true' : undefined}
                  style={{
                    color:
                      status === 'decided' && state?.current && !state.current.acceptedSuggestion
                        ? 'var(--mantine-color-grape-text)'
                        : STATUS_COLOR[status],
                  }}
                >
                  {decisionCell(status, state, reviewerNames)}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});

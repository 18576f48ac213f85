// The review table: virtualized (fixed 32 px rows, well under Chromium's element-height cap even at 1,000,000
// rows), with optional group header rows. Rows are drawn from the compact campaign table: plain elements, no
// per-item objects.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { ItemState } from '../../../shared/review';
import { ActionText } from '../../components';
import { actionOf, tierOf, type CampaignTable } from '../../workers';
import { itemStatus, type ItemStatus, type TableView } from './table-view';

export const ROW_HEIGHT = 32;
/** Strict containment: a row's or the list's layout never spills into the rest of the page while scrolling. */
const SCROLLER = { flex: 1, overflow: 'auto', minHeight: 0, contain: 'strict' } as const;

const STATUS_COLOR = { open: 'var(--mantine-color-dimmed)', 'pending approval': 'var(--mantine-color-orange-7)', escalated: 'var(--mantine-color-orange-7)', decided: 'var(--mantine-color-teal-7)' } as const;

/** The Decision column: an accept, an override, a pending step-up and an escalation never look alike. */
export function decisionCell(status: ItemStatus, state: ItemState | undefined, reviewerNames: ReadonlyMap<string, string>): string {
  const d = state?.current;
  if (status === 'open' || !d) return state?.returned ? 'open · sent back' : 'open';
  if (status === 'escalated') return `escalated → ${reviewerNames.get(d.escalatedTo ?? '') ?? d.escalatedTo ?? 'owner'}`;
  const what = `${d.action}${d.keepUntil ? ` until ${d.keepUntil}` : ''}`;
  const how = d.acceptedSuggestion ? '✓' : '✎ override';
  return status === 'pending approval' ? `${what} ${how} · pending` : `${what} ${how}`;
}

export const ReviewTable = memo(function ReviewTable({ table, view, states, selected, onSelect, reviewerNames }: { table: CampaignTable; view: TableView; states: ReadonlyMap<string, ItemState>; /** Changes when `states` (mutated in place) changed. */ version: number; selected: number; onSelect: (position: number) => void; reviewerNames: ReadonlyMap<string, string> }) {
  const parent = useRef<HTMLDivElement>(null);
  const { items, rows, groups } = view;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });
  const selectedRow = selected >= 0 && selected < items.length ? view.rowOf[selected]! : -1;
  useEffect(() => {
    if (selectedRow >= 0) virtualizer.scrollToIndex(selectedRow, { align: 'auto' });
  }, [selectedRow, virtualizer]);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <div className="review-row review-head" role="row">
        <span />
        <span>Identity</span>
        <span>Entitlement</span>
        <span>Application</span>
        <span>Suggested</span>
        <span>Risk</span>
        <span>Decision</span>
      </div>
      <div ref={parent} style={SCROLLER} data-testid="review-table" role="grid" aria-rowcount={items.length}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v, slot) => {
            const row = rows[v.index]!;
            const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, contain: 'strict', transform: `translateY(${v.start}px)` };
            if (row < 0) {
              const g = groups[-row - 1]!;
              return (
                <div key={`slot-${slot}`} className="review-row review-group" style={style} role="row" data-testid="group-row">
                  <span />
                  <span style={{ gridColumn: 'span 6' }}>
                    {g.label} <small>({g.count})</small>
                  </span>
                </div>
              );
            }
            const i = items[row]!;
            const itemId = table.itemIds[i]!;
            const state = states.get(itemId);
            const status = itemStatus(table, i, state);
            const tier = tierOf(table, i);
            return (
              // Keyed by slot, not by item: while scrolling, React updates the same row elements instead of
              // removing and creating them.
              <div key={`slot-${slot}`} className="review-row" role="row" data-selected={row === selected} data-testid="review-row" data-item-id={itemId} style={style} onClick={() => onSelect(row)}>
                <span>{row === selected ? '●' : ''}</span>
                <span title={table.strings[table.identityId[i]!]}>{table.strings[table.who[i]!]}</span>
                <span>{table.strings[table.what[i]!]}</span>
                <span>{table.strings[table.app[i]!]}</span>
                <span>
                  <ActionText action={actionOf(table, i)} /> {actionOf(table, i) !== 'none' && <small style={{ color: 'var(--mantine-color-dimmed)' }}>{table.confidence[i]!.toFixed(2)}</small>}
                </span>
                <span>
                  <span className={`tier-pill tier-${tier}`}>{tier}</span>
                </span>
                <span data-testid="row-status" title={status} data-status={status} data-override={state?.current && !state.current.acceptedSuggestion ? 'true' : undefined} style={{ color: status === 'decided' && state?.current && !state.current.acceptedSuggestion ? 'var(--mantine-color-grape-7)' : STATUS_COLOR[status] }}>
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

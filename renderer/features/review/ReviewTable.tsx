// The review table: virtualized (fixed 32 px rows, well under Chromium's element-height cap even at 1,000,000
// rows), with optional group header rows.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { ItemState } from '../../../shared/review';
import { ActionText } from '../../components/format';
import { itemTitle, type ReviewItem } from './use-campaign-items';

export const ROW_HEIGHT = 32;

export type ItemStatus = 'open' | 'decided' | 'pending approval';

export function statusOf(item: ReviewItem, state: ItemState | undefined): ItemStatus {
  const d = state?.current;
  if (!d) return 'open';
  if (item.suggestion.decisionClass === 'step-up' && !d.approval) return 'pending approval';
  return 'decided';
}

/** A row of the table: a group header, or the item at `index` of the visible items. */
export type TableRow = { kind: 'group'; label: string; count: number } | { kind: 'item'; index: number };

export const ReviewTable = memo(function ReviewTable({ items, rows, states, selected, onSelect }: { items: ReviewItem[]; rows: TableRow[]; states: Map<string, ItemState>; /** Changes when `states` (mutated in place) changed. */ version: number; selected: number; onSelect: (index: number) => void }) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 16 });
  const selectedRow = rows.findIndex((r) => r.kind === 'item' && r.index === selected);
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
      <div ref={parent} style={{ flex: 1, overflow: 'auto', minHeight: 0 }} data-testid="review-table" role="grid" aria-rowcount={items.length}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v, slot) => {
            const row = rows[v.index]!;
            const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` };
            if (row.kind === 'group')
              return (
                <div key={`slot-${slot}`} className="review-row review-group" style={style} role="row" data-testid="group-row">
                  <span />
                  <span style={{ gridColumn: 'span 6' }}>
                    {row.label} <small>({row.count})</small>
                  </span>
                </div>
              );
            const item = items[row.index]!;
            const state = states.get(item.itemId);
            const status = statusOf(item, state);
            const t = itemTitle(item);
            return (
              // Keyed by slot, not by item: while scrolling, React updates the same row elements instead of
              // removing and creating them.
              <div key={`slot-${slot}`} className="review-row" role="row" data-selected={row.index === selected} data-testid="review-row" data-item-id={item.itemId} style={style} onClick={() => onSelect(row.index)}>
                <span>{row.index === selected ? '●' : ''}</span>
                <span title={item.suggestion.identityId}>{t.who}</span>
                <span>{t.what}</span>
                <span>{t.app}</span>
                <span>
                  <ActionText action={item.suggestion.action} /> <small style={{ color: 'var(--mantine-color-dimmed)' }}>{item.suggestion.confidence.toFixed(2)}</small>
                </span>
                <span>
                  <span className={`tier-pill tier-${item.suggestion.riskTier}`}>{item.suggestion.riskTier}</span>
                </span>
                <span data-testid="row-status" style={{ color: status === 'open' ? 'var(--mantine-color-dimmed)' : status === 'pending approval' ? 'var(--mantine-color-orange-7)' : 'var(--mantine-color-teal-7)' }}>
                  {status === 'open' ? 'open' : `${state!.current!.action}${status === 'pending approval' ? ' (pending)' : ' ✓'}`}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});

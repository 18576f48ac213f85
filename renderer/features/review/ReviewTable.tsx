// The review table: virtualized, so it stays smooth with hundreds of thousands of items.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { ItemState } from '../../../shared/review';
import { ActionText, RiskBadge } from '../../components/format';
import { itemTitle, type ReviewItem } from './use-campaign-items';

export const ROW_HEIGHT = 32;

export function statusOf(item: ReviewItem, state: ItemState | undefined): 'open' | 'decided' | 'pending approval' {
  const d = state?.current;
  if (!d) return 'open';
  if (item.suggestion.decisionClass === 'step-up' && !d.approval) return 'pending approval';
  return 'decided';
}

export function ReviewTable({ items, states, selected, onSelect }: { items: ReviewItem[]; states: Map<string, ItemState>; selected: number; onSelect: (index: number) => void }) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  useEffect(() => {
    if (selected >= 0) virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [selected, virtualizer]);
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
          {virtualizer.getVirtualItems().map((v) => {
            const item = items[v.index]!;
            const state = states.get(item.itemId);
            const status = statusOf(item, state);
            const t = itemTitle(item);
            return (
              <div
                key={item.itemId}
                className="review-row"
                role="row"
                data-selected={v.index === selected}
                data-testid="review-row"
                data-item-id={item.itemId}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
                onClick={() => onSelect(v.index)}
              >
                <span>{v.index === selected ? '●' : ''}</span>
                <span title={item.suggestion.identityId}>{t.who}</span>
                <span>{t.what}</span>
                <span>{t.app}</span>
                <span>
                  <ActionText action={item.suggestion.action} /> <small style={{ color: 'var(--mantine-color-dimmed)' }}>{item.suggestion.confidence.toFixed(2)}</small>
                </span>
                <span>
                  <RiskBadge tier={item.suggestion.riskTier} />
                </span>
                <span data-testid="row-status" style={{ color: status === 'open' ? 'var(--mantine-color-dimmed)' : status === 'pending approval' ? 'var(--mantine-color-orange-7)' : 'var(--mantine-color-teal-7)' }}>
                  {status === 'decided' || status === 'pending approval' ? `${state!.current!.action}${status === 'pending approval' ? ' (pending)' : ' ✓'}` : 'open'}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

// The review screen's filter bar and campaign picker (memoized: a saved decision does not re-render them).
import { Button, Group, Kbd, SegmentedControl, Select, Text, TextInput } from '@mantine/core';
import { memo } from 'react';
import { formatCount } from '../../components';
import { useCampaigns } from '../../db';
import type { ReviewFilters } from './persisted-view';
import type { GroupBy, SortBy } from './table-view';

/** The campaign picker; memoized so a decision does not re-render it. */
export const CampaignSelect = memo(function CampaignSelect({ campaignId, onChange }: { campaignId: string; onChange: (id: string) => void }) {
  const campaigns = useCampaigns();
  return <Select size="xs" w={220} value={campaignId} data={(campaigns ?? []).map((c) => ({ value: c.id, label: c.name }))} onChange={(v) => v && onChange(v)} allowDeselect={false} aria-label="Campaign" />;
});

/** Search, filters, grouping, sort and bulk accept. Its props do not change when a decision is saved. */
export const FilterBar = memo(function FilterBar(p: {
  searchRef: React.Ref<HTMLInputElement>;
  filters: ReviewFilters;
  /** A filter change; `reset` moves the selection to the first item shown. */
  setFilters: (change: Partial<ReviewFilters>) => void;
  onBulk: () => void;
  shown: number;
}) {
  const f = p.filters;
  const set = p.setFilters;
  return (
    <>
      <Group p="xs" gap="xs" wrap="nowrap">
        <TextInput ref={p.searchRef} size="xs" placeholder="search (/)" value={f.search} onChange={(e) => set({ search: e.currentTarget.value })} onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()} style={{ flex: 1 }} aria-label="Search" />
        <Select size="xs" w={120} placeholder="risk: any" data={['low', 'medium', 'high', 'critical']} value={f.risk} onChange={(v) => set({ risk: v })} clearable aria-label="Risk filter" />
        <Select size="xs" w={150} placeholder="status: any" data={['open', 'escalated', 'pending approval', 'decided']} value={f.status} onChange={(v) => set({ status: v })} clearable aria-label="Status filter" />
        <Select size="xs" w={130} placeholder="action: any" data={['keep', 'revoke', 'rotate', 'disable-login', 'assign-owner', 'reduce']} value={f.action} onChange={(v) => set({ action: v })} clearable aria-label="Action filter" />
        <Select size="xs" w={120} placeholder="class: any" data={['human', 'service', 'workload', 'agent']} value={f.identityClass} onChange={(v) => set({ identityClass: v })} clearable aria-label="Identity class filter" />
      </Group>
      <Group px="xs" pb="xs" gap="xs" wrap="nowrap">
        <SegmentedControl size="xs" value={f.mine} onChange={(v) => set({ mine: v as 'mine' | 'all' })} data={[{ value: 'all', label: 'everyone’s' }, { value: 'mine', label: 'assigned to me' }]} aria-label="Reviewer filter" />
        <Select size="xs" w={150} value={f.groupBy} onChange={(v) => set({ groupBy: (v ?? 'none') as GroupBy })} data={[{ value: 'none', label: 'no grouping' }, { value: 'identity', label: 'group: identity' }, { value: 'entitlement', label: 'group: entitlement' }, { value: 'application', label: 'group: application' }]} allowDeselect={false} aria-label="Group by" />
        <Select size="xs" w={150} value={f.sortBy} onChange={(v) => set({ sortBy: (v ?? 'engine') as SortBy })} data={[{ value: 'engine', label: 'sort: engine order' }, { value: 'risk', label: 'sort: risk' }, { value: 'confidence', label: 'sort: confidence' }, { value: 'identity', label: 'sort: identity' }]} allowDeselect={false} aria-label="Sort by" />
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

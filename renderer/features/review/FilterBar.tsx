// The review screen's filter bar and campaign picker (memoized: a saved decision does not re-render them).
import { Button, Group, Kbd, SegmentedControl, Select, Text, TextInput } from '@mantine/core';
import { memo } from 'react';
import { formatCount } from '../../components';
import { useCampaigns } from '../../backend';
import type { ReviewFilters } from './persisted-view';
import type { GroupBy, SortBy } from './table-view';
import { useTranslation } from '../../i18n';
import { IDENTITY_TYPES } from '../../../shared/model';

/** The campaign picker; memoized so a decision does not re-render it. */
export const CampaignSelect = memo(function CampaignSelect({
  campaignId,
  onChange,
}: {
  campaignId: string;
  onChange: (id: string) => void;
}) {
  const campaigns = useCampaigns();
  const { t } = useTranslation();
  return (
    <Select
      size="xs"
      w={220}
      value={campaignId}
      data={(campaigns ?? []).map((c) => ({ value: c.id, label: c.name }))}
      onChange={(v) => v && onChange(v)}
      allowDeselect={false}
      aria-label={t('review.filter.campaign')}
    />
  );
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
  const { t } = useTranslation();
  return (
    <>
      <Group p="xs" gap="xs" wrap="nowrap">
        <TextInput
          ref={p.searchRef}
          size="xs"
          placeholder={t('review.filter.searchPlaceholder')}
          value={f.search}
          onChange={(e) => set({ search: e.currentTarget.value })}
          onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
          style={{ flex: 1 }}
          aria-label={t('review.filter.search')}
        />
        <Select
          size="xs"
          w={120}
          placeholder={t('review.filter.riskAny')}
          data={(['low', 'medium', 'high', 'critical'] as const).map((v) => ({ value: v, label: t(`enums.tier.${v}`) }))}
          value={f.risk}
          onChange={(v) => set({ risk: v })}
          clearable
          aria-label={t('review.filter.risk')}
        />
        <Select
          size="xs"
          w={150}
          placeholder={t('review.filter.statusAny')}
          data={(['open', 'escalated', 'pending approval', 'decided'] as const).map((v) => ({ value: v, label: t(`enums.status.${v}`) }))}
          value={f.status}
          onChange={(v) => set({ status: v })}
          clearable
          aria-label={t('review.filter.status')}
        />
        <Select
          size="xs"
          w={130}
          placeholder={t('review.filter.actionAny')}
          data={(['keep', 'revoke', 'rotate', 'disable-login', 'assign-owner', 'reduce'] as const).map((v) => ({
            value: v,
            label: t(`enums.action.${v}`),
          }))}
          value={f.action}
          onChange={(v) => set({ action: v })}
          clearable
          aria-label={t('review.filter.action')}
        />
        <Select
          size="xs"
          w={120}
          placeholder={t('review.filter.classAny')}
          data={IDENTITY_TYPES.filter((v) => v !== 'system').map((v) => ({ value: v, label: t(`enums.identityType.${v}`) }))}
          value={f.identityClass}
          onChange={(v) => set({ identityClass: v })}
          clearable
          aria-label={t('review.filter.identityClass')}
        />
      </Group>
      <Group px="xs" pb="xs" gap="xs" wrap="nowrap">
        <SegmentedControl
          size="xs"
          value={f.mine}
          onChange={(v) => set({ mine: v as 'mine' | 'all' })}
          data={[
            { value: 'all', label: t('review.filter.everyone') },
            { value: 'mine', label: t('review.filter.mine') },
          ]}
          aria-label={t('review.filter.reviewer')}
        />
        <Select
          size="xs"
          w={150}
          value={f.groupBy}
          onChange={(v) => set({ groupBy: (v ?? 'none') as GroupBy })}
          data={[
            { value: 'none', label: t('review.filter.noGrouping') },
            { value: 'identity', label: t('review.filter.groupIdentity') },
            { value: 'entitlement', label: t('review.filter.groupEntitlement') },
            { value: 'application', label: t('review.filter.groupApplication') },
            { value: 'via', label: t('review.filter.groupVia') },
          ]}
          allowDeselect={false}
          aria-label={t('review.filter.groupBy')}
        />
        <Select
          size="xs"
          w={150}
          value={f.sortBy}
          onChange={(v) => set({ sortBy: (v ?? 'engine') as SortBy })}
          data={[
            { value: 'engine', label: t('review.filter.sortEngine') },
            { value: 'risk', label: t('review.filter.sortRisk') },
            { value: 'confidence', label: t('review.filter.sortConfidence') },
            { value: 'identity', label: t('review.filter.sortIdentity') },
          ]}
          allowDeselect={false}
          aria-label={t('review.filter.sortBy')}
        />
        <Button size="compact-xs" variant="light" onClick={p.onBulk} data-testid="bulk-accept">
          {t('review.filter.bulk')} <Kbd ml={4}>b</Kbd>
        </Button>
        <Text size="xs" c="dimmed" style={{ flex: 1 }} ta="right">
          {t('review.filter.shown', { count: p.shown, n: formatCount(p.shown) })}
        </Text>
      </Group>
    </>
  );
});

// Charts of one campaign: items by risk tier and suggested action, decisions over time, acceptance vs override
// and remaining work per reviewer. The figures come from campaignDashboard() over the audit log.
import { BarChart, LineChart } from '@mantine/charts';
import { Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { campaignDashboard, deriveItemStates } from '../../../shared/review';
import { SUGGESTED_ACTIONS } from '../../../shared/suggest';
import { useWorkbench } from '../../session';
import { actionLabel, formatCount } from '../../components';
import { useCampaignEvents } from '../../backend';
import { actionOf, decisionClassOf, reviewerOf, tierOf } from '../../workers';
import { useCampaignTable } from '../review';
import { formatLocale, useTranslation } from '../../i18n';

const ACTION_COLORS: Record<string, string> = {
  keep: 'gray.5',
  revoke: 'red.6',
  rotate: 'orange.6',
  'disable-login': 'grape.6',
  'assign-owner': 'blue.6',
  reduce: 'yellow.6',
  none: 'gray.3',
};

export function CampaignDashboard({ campaignId }: { campaignId: string }) {
  const wb = useWorkbench();
  const { data } = useCampaignTable(campaignId);
  const events = useCampaignEvents(campaignId);
  const { t: tr } = useTranslation();
  const dashboard = useMemo(() => {
    if (!data || !events) return null;
    const names = new Map((wb.reviewers ?? []).map((r) => [r.id, r.name]));
    return campaignDashboard(
      data.table.itemIds.map((itemId, i) => {
        const reviewer = reviewerOf(data.table, i);
        return {
          itemId,
          riskTier: tierOf(data.table, i),
          action: actionOf(data.table, i),
          decisionClass: decisionClassOf(data.table, i),
          ...(reviewer ? { assignedReviewerId: reviewer } : {}),
        };
      }),
      deriveItemStates(events),
      events,
      names,
    );
  }, [data, events, wb.reviewers]);
  if (!dashboard || !data) return null;
  const t = dashboard.totals;
  // Chart axes and tooltips format their numbers in the UI's locale too.
  const numbers = new Intl.NumberFormat(formatLocale());
  const valueFormatter = (v: number) => numbers.format(v);
  const byTier = dashboard.byTierAndAction.map((row) => ({ ...row, tier: tr(`enums.tier.${row.tier as 'low'}`) }));
  return (
    <Card withBorder data-testid="dashboard">
      <Group justify="space-between" mb="sm">
        <Title order={5}>{tr('campaigns.dashboard.title', { name: data.campaign.name })}</Title>
        <Text size="sm" data-testid="dashboard-totals">
          {tr('campaigns.dashboard.totals', {
            items: formatCount(t.items),
            decided: formatCount(t.decided),
            pending: formatCount(t.pendingApproval),
            escalated: formatCount(t.escalated),
            open: formatCount(t.open),
          })}{' '}
          · <span data-testid="dashboard-no-suggestion">{tr('campaigns.dashboard.noSuggestion', { n: formatCount(t.noSuggestion) })}</span>
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <div>
          <Text size="sm" fw={600} mb={4}>
            {tr('campaigns.dashboard.byTier')}
          </Text>
          <BarChart
            h={200}
            data={byTier}
            dataKey="tier"
            type="stacked"
            valueFormatter={valueFormatter}
            series={SUGGESTED_ACTIONS.map((a) => ({ name: a, label: actionLabel(a), color: ACTION_COLORS[a] ?? 'gray.5' }))}
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
          />
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            {tr('campaigns.dashboard.perDay')}
          </Text>
          {dashboard.decisionsPerDay.length ? (
            <LineChart
              h={200}
              data={dashboard.decisionsPerDay}
              dataKey="day"
              series={[{ name: 'decisions', label: tr('campaigns.dashboard.decisions'), color: 'indigo.6' }]}
              curveType="linear"
              valueFormatter={valueFormatter}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {tr('campaigns.dashboard.noDecisions')}
            </Text>
          )}
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            {tr('campaigns.dashboard.acceptance')}
          </Text>
          <BarChart
            h={180}
            data={dashboard.perReviewer}
            dataKey="name"
            series={[
              { name: 'accepted', label: tr('campaigns.dashboard.accepted'), color: 'teal.6' },
              { name: 'overridden', label: tr('campaigns.dashboard.overridden'), color: 'orange.6' },
            ]}
            valueFormatter={valueFormatter}
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
          />
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            {tr('campaigns.dashboard.remainingTitle')}
          </Text>
          <BarChart
            h={180}
            data={dashboard.perReviewer}
            dataKey="name"
            series={[{ name: 'remaining', label: tr('campaigns.dashboard.remaining'), color: 'gray.6' }]}
            valueFormatter={valueFormatter}
          />
        </div>
      </SimpleGrid>
    </Card>
  );
}

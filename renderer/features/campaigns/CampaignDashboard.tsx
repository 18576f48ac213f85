// Charts of one campaign: items by risk tier and suggested action, decisions over time, acceptance vs override
// and remaining work per reviewer. The figures come from campaignDashboard() over the audit log.
import { BarChart, LineChart } from '@mantine/charts';
import { Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { campaignDashboard, deriveItemStates } from '../../../shared/review';
import { SUGGESTED_ACTIONS } from '../../../shared/suggest';
import { useWorkbench } from '../../session';
import { actionLabel, formatCount } from '../../components';
import { useCampaignEvents } from '../../db';
import { actionOf, decisionClassOf, reviewerOf, tierOf } from '../../workers';
import { useCampaignTable } from '../review';

const ACTION_COLORS: Record<string, string> = { keep: 'gray.5', revoke: 'red.6', rotate: 'orange.6', 'disable-login': 'grape.6', 'assign-owner': 'blue.6', reduce: 'yellow.6', none: 'gray.3' };

export function CampaignDashboard({ campaignId }: { campaignId: string }) {
  const wb = useWorkbench();
  const { data } = useCampaignTable(campaignId);
  const events = useCampaignEvents(campaignId);
  const dashboard = useMemo(() => {
    if (!data || !events) return null;
    const names = new Map((wb.reviewers ?? []).map((r) => [r.id, r.name]));
    return campaignDashboard(
      data.table.itemIds.map((itemId, i) => {
        const reviewer = reviewerOf(data.table, i);
        return { itemId, riskTier: tierOf(data.table, i), action: actionOf(data.table, i), decisionClass: decisionClassOf(data.table, i), ...(reviewer ? { assignedReviewerId: reviewer } : {}) };
      }),
      deriveItemStates(events),
      events,
      names,
    );
  }, [data, events, wb.reviewers]);
  if (!dashboard || !data) return null;
  const t = dashboard.totals;
  return (
    <Card withBorder data-testid="dashboard">
      <Group justify="space-between" mb="sm">
        <Title order={5}>Dashboard · {data.campaign.name}</Title>
        <Text size="sm" data-testid="dashboard-totals">
          {formatCount(t.items)} items · {formatCount(t.decided)} decided · {formatCount(t.pendingApproval)} pending approval · {formatCount(t.escalated)} escalated · {formatCount(t.open)} open · <span data-testid="dashboard-no-suggestion">{formatCount(t.noSuggestion)} with no suggestion</span>
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <div>
          <Text size="sm" fw={600} mb={4}>
            Items by risk tier and suggested action
          </Text>
          <BarChart h={200} data={dashboard.byTierAndAction} dataKey="tier" type="stacked" series={SUGGESTED_ACTIONS.map((a) => ({ name: a, label: actionLabel(a), color: ACTION_COLORS[a] ?? 'gray.5' }))} withLegend legendProps={{ verticalAlign: 'bottom' }} />
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Decisions per day
          </Text>
          {dashboard.decisionsPerDay.length ? <LineChart h={200} data={dashboard.decisionsPerDay} dataKey="day" series={[{ name: 'decisions', color: 'indigo.6' }]} curveType="linear" /> : <Text size="sm" c="dimmed">No decisions yet.</Text>}
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Acceptance vs override, per reviewer
          </Text>
          <BarChart h={180} data={dashboard.perReviewer} dataKey="name" series={[{ name: 'accepted', color: 'teal.6' }, { name: 'overridden', color: 'orange.6' }]} withLegend legendProps={{ verticalAlign: 'bottom' }} />
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Remaining work, per assigned reviewer
          </Text>
          <BarChart h={180} data={dashboard.perReviewer} dataKey="name" series={[{ name: 'remaining', color: 'gray.6' }]} />
        </div>
      </SimpleGrid>
    </Card>
  );
}

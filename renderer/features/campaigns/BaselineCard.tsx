// The dashboard's "since the last certification" part: the baseline by digest, the counts, and the grants the
// baseline held that are gone now (for the record: nothing to review).
import { Card, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Digest, formatCount, formatDate } from '../../components';
import { command, type CampaignBaseline } from '../../backend';
import { useTranslation } from '../../i18n';

const LISTED = 200;

export function BaselineCard({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const [baseline, setBaseline] = useState<CampaignBaseline | null>(null);
  useEffect(() => {
    let live = true;
    setBaseline(null);
    command('campaignBaseline', { campaignId }).then(
      (b) => live && setBaseline(b),
      (e: unknown) => console.warn('baseline not loaded', e),
    );
    return () => {
      live = false;
    };
  }, [campaignId]);
  if (!baseline) return null;
  const { link, changes } = baseline;
  const c = changes.counts;
  const removed = changes.rows.filter((r) => r.kind === 'removed');
  return (
    <Card withBorder data-testid="baseline-card">
      <Title order={5} mb={4}>
        {t('campaigns.baseline.dashboardTitle')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('campaigns.baseline.dashboardLink', {
          name: link.campaignName,
          date: formatDate(link.certifiedAt.slice(0, 10)),
          scope: t(link.scope === 'all' ? 'campaigns.baseline.scopeAllShort' : 'campaigns.baseline.scopeChangedShort'),
        })}{' '}
        <Digest value={link.packageDigest} /> <Digest value={link.statementDigest} />
      </Text>
      <Text size="sm" fw={600} mt={4} data-testid="baseline-card-counts">
        {t('campaigns.baseline.counts', {
          unchanged: formatCount(c.unchanged),
          changed: formatCount(c.changed),
          added: formatCount(c.new),
          removed: formatCount(c.removed),
        })}
      </Text>
      <Title order={6} mt="sm">
        {t('campaigns.baseline.removedTitle', { n: formatCount(removed.length) })}
      </Title>
      {removed.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('campaigns.baseline.removedNone')}
        </Text>
      ) : (
        <Table fz="xs" verticalSpacing={2} data-testid="baseline-removed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.baseline.col.who')}</Table.Th>
              <Table.Th>{t('campaigns.baseline.col.what')}</Table.Th>
              <Table.Th>{t('campaigns.baseline.col.app')}</Table.Th>
              <Table.Th>{t('campaigns.baseline.col.prior')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {removed.slice(0, LISTED).map((r) => (
              <Table.Tr key={r.itemId} data-testid="baseline-removed-row">
                <Table.Td>{r.identityName}</Table.Td>
                <Table.Td>{r.targetName}</Table.Td>
                <Table.Td>{r.application}</Table.Td>
                <Table.Td>
                  {r.prior
                    ? `${t(`enums.action.${r.prior.action}`)} · ${r.prior.reviewerId} · ${formatDate(r.prior.at.slice(0, 10))}`
                    : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

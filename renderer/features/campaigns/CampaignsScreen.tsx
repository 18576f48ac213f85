import { Alert, Badge, Button, Card, Group, MultiSelect, Progress, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { describeScope, type CampaignScope } from '../../../shared/review';
import type { AssignmentRule } from '../../../shared/review';
import { IDENTITY_TYPES, PRIVILEGES, type IdentityType, type Privilege } from '../../../shared/model';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useWorkbench } from '../../session';
import { ListCard, formatCount, formatDate, formatTime } from '../../components';
import { useCampaigns, useCampaignProgress, useSnapshots } from '../../backend';
import { runTask } from '../../backend';
import { CancelledError } from '../../../shared/model';
import { CampaignDashboard } from './CampaignDashboard';
import { BaselineCard } from './BaselineCard';
import { BaselinePicker, type BaselineFile, type BaselineScope } from './BaselinePicker';
import { CampaignExchangeCard, ReceivedWorkCard } from '../exchange';
import { i18n, useTranslation } from '../../i18n';

export function CampaignsScreen() {
  const wb = useWorkbench();
  const snapshots = useSnapshots();
  const campaigns = useCampaigns();
  const progress = useCampaignProgress();
  const { t } = useTranslation();
  const [name, setName] = useState(() => i18n.t('campaigns.defaultName'));
  const [snapshotId, setSnapshotId] = useState<string | null>(null);
  const [due, setDue] = useState(() => new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10));
  const [asOf, setAsOf] = useState(() => new Date().toISOString().slice(0, 10));
  const [applications, setApplications] = useState<string[]>([]);
  const [identityTypes, setIdentityTypes] = useState<string[]>([]);
  const [privileges, setPrivileges] = useState<string[]>([]);
  const [rule, setRule] = useState<AssignmentRule>('named');
  const [fallback, setFallback] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [baseline, setBaseline] = useState<BaselineFile | null>(null);
  const [baselineScope, setBaselineScope] = useState<BaselineScope>('all');
  const [baselineReady, setBaselineReady] = useState(true);
  const chosen = snapshotId ?? snapshots?.[0]?.id ?? null;

  const create = async () => {
    if (!chosen || !wb.reviewerRef || !wb.policyReady) return;
    setBusy(true);
    setError(null);
    const scope: CampaignScope = { applications, identityTypes: identityTypes as IdentityType[], privileges: privileges as Privilege[] };
    const id = `camp-${crypto.randomUUID()}`;
    const assignment = { rule, fallbackReviewerId: fallback ?? wb.reviewerRef.id };
    const profiles = (wb.reviewers ?? []).map((r) => ({ id: r.id, name: r.name, ...(r.email ? { email: r.email } : {}) }));
    // The baseline is verified again in the creating task: what the form showed is not taken on trust.
    const from = baseline ? { baseline: { bytes: baseline.bytes.slice(), scope: baselineScope } } : {};
    const h = runTask(
      'createCampaign',
      { id, name, snapshotId: chosen, policy: wb.policy, asOf, dueDate: due, scope, assignment, profiles, actor: wb.reviewerRef, ...from },
      { onProgress: (p) => wb.setTask({ id: 'suggest', progress: p, cancel: () => h.cancel() }) },
    );
    try {
      const s = await h.result;
      wb.setCampaignId(id);
      setBaseline(null);
      notifications.show({
        color: 'teal',
        title: t('campaigns.created'),
        message: t('campaigns.createdBody', { n: formatCount(s.inScope), engine: s.engine }),
      });
    } catch (e) {
      setError(
        e instanceof CancelledError
          ? t('campaigns.cancelled')
          : t('campaigns.failed', { message: e instanceof Error ? e.message : String(e) }),
      );
    } finally {
      wb.setTask(null);
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={1200}>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t('campaigns.new')}
        </Title>
        {!snapshots?.length ? (
          <Text c="dimmed" size="sm">
            {t('campaigns.importFirst')}
          </Text>
        ) : (
          <Group align="end" wrap="wrap">
            <TextInput label={t('campaigns.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} w={260} />
            <Select
              label={t('campaigns.snapshot')}
              data={snapshots.map((s) => ({
                value: s.id,
                label: t('campaigns.snapshotOption', { name: s.name, n: formatCount(s.counts.assignments) }),
              }))}
              value={chosen}
              onChange={setSnapshotId}
              w={320}
              allowDeselect={false}
            />
            <TextInput label={t('campaigns.dueDate')} type="date" value={due} onChange={(e) => setDue(e.currentTarget.value)} w={160} />
            <TextInput
              label={t('campaigns.asOf')}
              type="date"
              value={asOf}
              onChange={(e) => setAsOf(e.currentTarget.value)}
              w={160}
              data-testid="as-of"
            />
            <MultiSelect
              label={t('campaigns.applications')}
              placeholder={t('campaigns.all')}
              data={[...(snapshots.find((x) => x.id === chosen)?.applications ?? []), 'credentials', 'identity hygiene']}
              value={applications}
              onChange={setApplications}
              w={260}
              clearable
              searchable
              data-testid="scope-applications"
            />
            <MultiSelect
              label={t('campaigns.identityClasses')}
              placeholder={t('campaigns.all')}
              data={IDENTITY_TYPES.map((v) => ({ value: v, label: t(`enums.identityType.${v}`) }))}
              value={identityTypes}
              onChange={setIdentityTypes}
              w={200}
              clearable
            />
            <MultiSelect
              label={t('campaigns.privilege')}
              placeholder={t('campaigns.all')}
              data={PRIVILEGES.map((v) => ({ value: v, label: t(`enums.privilege.${v}`) }))}
              value={privileges}
              onChange={setPrivileges}
              w={180}
              clearable
            />
            <Select
              label={t('campaigns.assignment')}
              w={230}
              value={rule}
              onChange={(v) => v && setRule(v as AssignmentRule)}
              allowDeselect={false}
              data={[
                { value: 'named', label: t('campaigns.rule.named') },
                { value: 'manager', label: t('campaigns.rule.manager') },
                { value: 'entitlement-owner', label: t('campaigns.rule.entitlementOwner') },
                { value: 'identity-owner', label: t('campaigns.rule.identityOwner') },
              ]}
              data-testid="assignment-rule"
            />
            <Select
              label={rule === 'named' ? t('campaigns.reviewer') : t('campaigns.fallbackReviewer')}
              w={200}
              value={fallback ?? wb.activeReviewer?.id ?? null}
              onChange={setFallback}
              allowDeselect={false}
              data={(wb.reviewers ?? []).map((r) => ({ value: r.id, label: r.name }))}
              data-testid="fallback-reviewer"
            />
            <Button
              onClick={() => void create()}
              loading={busy}
              disabled={!name.trim() || !chosen || !wb.reviewerRef || !baselineReady || !wb.policyReady}
              data-testid="create-campaign"
            >
              {t('campaigns.create')}
            </Button>
          </Group>
        )}
        {!!snapshots?.length && (
          <BaselinePicker
            file={baseline}
            setFile={setBaseline}
            scope={baselineScope}
            setScope={setBaselineScope}
            onReady={setBaselineReady}
            form={{
              snapshotId: chosen,
              policy: wb.policy,
              asOf,
              scope: { applications, identityTypes: identityTypes as IdentityType[], privileges: privileges as Privilege[] },
            }}
          />
        )}
        <Text size="xs" c="dimmed" mt="xs">
          {t(rule === 'named' ? 'campaigns.scopeNamed' : 'campaigns.scopeFallback', {
            scope: describeScope({ applications, identityTypes: identityTypes as IdentityType[], privileges: privileges as Privilege[] }),
            version: wb.policy.version,
          })}
        </Text>
        {error && (
          <Alert color="red" mt="sm">
            {error}
          </Alert>
        )}
      </Card>
      <ListCard title={t('campaigns.list')} empty={!campaigns?.length}>
        <Table highlightOnHover data-testid="campaign-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.col.name')}</Table.Th>
              <Table.Th>{t('campaigns.col.created')}</Table.Th>
              <Table.Th>{t('campaigns.col.due')}</Table.Th>
              <Table.Th w={260}>{t('campaigns.col.progress')}</Table.Th>
              <Table.Th>{t('campaigns.col.status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(campaigns ?? []).map((c) => {
              const p = progress?.get(c.id);
              const n = Math.min(p?.decided ?? 0, c.itemCount);
              const names = new Map((wb.reviewers ?? []).map((r) => [r.id, r.name]));
              return (
                <Table.Tr key={c.id} bg={c.id === wb.campaignId ? 'var(--mantine-color-indigo-light)' : undefined}>
                  <Table.Td>
                    <Text size="sm">
                      {c.name}
                      {c.received && (
                        <Badge ml={6} size="xs" variant="light" color="grape">
                          {t('campaigns.from', { name: c.received.owner.name })}
                        </Badge>
                      )}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {c.scope}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatTime(c.createdAt)}</Table.Td>
                  <Table.Td>{c.dueDate ? formatDate(c.dueDate) : '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Progress value={c.itemCount ? (100 * n) / c.itemCount : 0} w={140} aria-label={t('campaigns.col.progress')} />
                      <Text size="xs">{t('campaigns.decisions', { n: formatCount(n), total: formatCount(c.itemCount) })}</Text>
                    </Group>
                    {Object.entries(c.reviewerLoad ?? {}).map(([rid, load]) => (
                      <Text size="xs" c="dimmed" key={rid}>
                        {t('campaigns.load', {
                          name: names.get(rid) ?? rid,
                          decided: formatCount(p?.byReviewer.get(rid) ?? 0),
                          assigned: formatCount(load),
                        })}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    <CampaignStatus decided={n} total={c.itemCount} due={c.dueDate} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="default" onClick={() => wb.setCampaignId(c.id)} data-testid="select-campaign">
                        {t('campaigns.select')}
                      </Button>
                      <Button
                        size="compact-xs"
                        onClick={() => {
                          wb.setCampaignId(c.id);
                          wb.setScreen('review');
                        }}
                        data-testid="open-campaign"
                      >
                        {t('campaigns.review')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ListCard>
      {wb.campaignId && <CampaignExchangeCard campaignId={wb.campaignId} />}
      <ReceivedWorkCard />
      {wb.campaignId && <BaselineCard campaignId={wb.campaignId} />}
      {wb.campaignId && <CampaignDashboard campaignId={wb.campaignId} />}
    </Stack>
  );
}

function CampaignStatus({ decided, total, due }: { decided: number; total: number; due?: string }) {
  const { t } = useTranslation();
  if (total > 0 && decided >= total) return <Badge color="teal">{t('campaigns.status.complete')}</Badge>;
  if (due && due < new Date().toISOString().slice(0, 10)) return <Badge color="red">{t('campaigns.status.overdue')}</Badge>;
  return <Badge variant="light">{t('campaigns.status.open')}</Badge>;
}

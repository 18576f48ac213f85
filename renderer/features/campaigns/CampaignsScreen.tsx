import { Alert, Badge, Button, Card, Group, MultiSelect, Progress, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { describeScope, type CampaignScope } from '../../../shared/review';
import type { AssignmentRule } from '../../../shared/review';
import { IDENTITY_TYPES, PRIVILEGES, type IdentityType, type Privilege } from '../../../shared/model';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useWorkbench } from '../../session';
import { ListCard } from '../../components';
import { formatCount, formatTime } from '../../components';
import { useCampaigns, useCampaignProgress, useSnapshots } from '../../db';
import { runTask, TaskCancelled } from '../../workers';
import { CampaignDashboard } from './CampaignDashboard';
import { CampaignExchangeCard, ReceivedWorkCard } from '../exchange';

export function CampaignsScreen() {
  const wb = useWorkbench();
  const snapshots = useSnapshots();
  const campaigns = useCampaigns();
  const progress = useCampaignProgress();
  const [name, setName] = useState('Q4 recertification');
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
  const chosen = snapshotId ?? snapshots?.[0]?.id ?? null;

  const create = async () => {
    if (!chosen || !wb.reviewerRef) return;
    setBusy(true);
    setError(null);
    const scope: CampaignScope = { applications, identityTypes: identityTypes as IdentityType[], privileges: privileges as Privilege[] };
    const id = `camp-${crypto.randomUUID()}`;
    const assignment = { rule, fallbackReviewerId: fallback ?? wb.reviewerRef.id };
    const profiles = (wb.reviewers ?? []).map((r) => ({ id: r.id, name: r.name, ...(r.email ? { email: r.email } : {}) }));
    const h = runTask('createCampaign', { id, name, snapshotId: chosen, policy: wb.policy, asOf, dueDate: due, scope, assignment, profiles, actor: wb.reviewerRef }, { onProgress: (p) => wb.setTask({ id: 'suggest', progress: p, cancel: () => h.cancel() }) });
    try {
      const s = await h.result;
      wb.setCampaignId(id);
      notifications.show({ color: 'teal', title: 'Campaign created', message: `${formatCount(s.inScope)} review items in scope, with suggestions (${s.engine})` });
    } catch (e) {
      setError(e instanceof TaskCancelled ? 'Cancelled: no campaign was created.' : `Could not create the campaign: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      wb.setTask(null);
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={1200}>
      <Card withBorder>
        <Title order={4} mb="sm">
          New campaign
        </Title>
        {!snapshots?.length ? (
          <Text c="dimmed" size="sm">
            Import a snapshot first.
          </Text>
        ) : (
          <Group align="end" wrap="wrap">
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} w={260} />
            <Select label="Snapshot" data={snapshots.map((s) => ({ value: s.id, label: `${s.name} (${formatCount(s.counts.assignments)} assignments)` }))} value={chosen} onChange={setSnapshotId} w={320} allowDeselect={false} />
            <TextInput label="Due date" type="date" value={due} onChange={(e) => setDue(e.currentTarget.value)} w={160} />
            <TextInput label="Suggestions as of" type="date" value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} w={160} data-testid="as-of" />
            <MultiSelect label="Applications" placeholder="all" data={[...(snapshots.find((x) => x.id === chosen)?.applications ?? []), 'credentials', 'identity hygiene']} value={applications} onChange={setApplications} w={260} clearable searchable data-testid="scope-applications" />
            <MultiSelect label="Identity classes" placeholder="all" data={[...IDENTITY_TYPES]} value={identityTypes} onChange={setIdentityTypes} w={200} clearable />
            <MultiSelect label="Privilege" placeholder="all" data={[...PRIVILEGES]} value={privileges} onChange={setPrivileges} w={180} clearable />
            <Select label="Reviewer assignment" w={230} value={rule} onChange={(v) => v && setRule(v as AssignmentRule)} allowDeselect={false} data={[{ value: 'named', label: 'one named reviewer' }, { value: 'manager', label: "identity's manager" }, { value: 'entitlement-owner', label: 'entitlement owner' }, { value: 'identity-owner', label: "non-human identity's owner" }]} data-testid="assignment-rule" />
            <Select label={rule === 'named' ? 'Reviewer' : 'Fallback reviewer'} w={200} value={fallback ?? wb.activeReviewer?.id ?? null} onChange={setFallback} allowDeselect={false} data={(wb.reviewers ?? []).map((r) => ({ value: r.id, label: r.name }))} data-testid="fallback-reviewer" />
            <Button onClick={() => void create()} loading={busy} disabled={!name.trim() || !chosen || !wb.reviewerRef} data-testid="create-campaign">
              Create campaign
            </Button>
          </Group>
        )}
        <Text size="xs" c="dimmed" mt="xs">
          Scope: {describeScope({ applications, identityTypes: identityTypes as IdentityType[], privileges: privileges as Privilege[] })}. Reviewers are matched to profiles on this machine by id or email; items the rule cannot place go to the {rule === 'named' ? 'named' : 'fallback'} reviewer. Suggestions are computed locally in a background worker with policy v{wb.policy.version}.
        </Text>
        {error && (
          <Alert color="red" mt="sm">
            {error}
          </Alert>
        )}
      </Card>
      <ListCard title="Campaigns" empty={!campaigns?.length}>
          <Table highlightOnHover data-testid="campaign-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th w={260}>Progress</Table.Th>
                <Table.Th>Status</Table.Th>
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
                            from {c.received.owner.name}
                          </Badge>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {c.scope}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatTime(c.createdAt)}</Table.Td>
                    <Table.Td>{c.dueDate ?? '—'}</Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Progress value={c.itemCount ? (100 * n) / c.itemCount : 0} w={140} />
                        <Text size="xs">
                          {formatCount(n)} / {formatCount(c.itemCount)} decisions
                        </Text>
                      </Group>
                      {Object.entries(c.reviewerLoad ?? {}).map(([rid, load]) => (
                        <Text size="xs" c="dimmed" key={rid}>
                          {names.get(rid) ?? rid}: {formatCount(p?.byReviewer.get(rid) ?? 0)} decided · {formatCount(load)} assigned
                        </Text>
                      ))}
                    </Table.Td>
                    <Table.Td>
                      <CampaignStatus decided={n} total={c.itemCount} due={c.dueDate} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" variant="default" onClick={() => wb.setCampaignId(c.id)} data-testid="select-campaign">
                          Select
                        </Button>
                        <Button size="compact-xs" onClick={() => { wb.setCampaignId(c.id); wb.setScreen('review'); }} data-testid="open-campaign">
                          Review
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
      {wb.campaignId && <CampaignDashboard campaignId={wb.campaignId} />}
    </Stack>
  );
}

function CampaignStatus({ decided, total, due }: { decided: number; total: number; due?: string }) {
  if (total > 0 && decided >= total) return <Badge color="teal">complete</Badge>;
  if (due && due < new Date().toISOString().slice(0, 10)) return <Badge color="red">overdue</Badge>;
  return <Badge variant="light">open</Badge>;
}

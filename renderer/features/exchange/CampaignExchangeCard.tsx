// One campaign across laptops. The owner's side: hand out a signed work package per reviewer, take decision sets
// back (any order, any number of times: the merge is recomputed from every set received), see what was superseded,
// what conflicts, which approvals were refused and what is still open, send pending step-up approvals to a second
// person, and export the certification package with the decision sets embedded. The reviewer's side (a campaign
// received as a work package): return the signed decision set, partial or whole.
import { Alert, Badge, Button, Card, Group, List, Select, Stack, Table, Text, Title } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import { useWorkbench } from '../../session';
import { formatCount, formatTime } from '../../components';
import { database, storeReceivedDecisionSets, useCampaign, useCampaignEvents, type CampaignRecord } from '../../db';
import { getHost } from '../../host';
import { TaskCancelled } from '../../workers';
import type { MergeSummary } from '../../workers';
import { deriveItemStates } from '../../../shared/review';
import { errorText, runSigningTask, saveBytes, shortDigest } from './exchange-actions';

const OPEN_REASON: Record<string, string> = {
  'no-decision-set': 'no decision set yet',
  'not-decided': 'not decided',
  'cant-decide': "can't decide",
  conflict: 'conflicting decisions',
  'awaiting-approval': 'awaiting step-up approval',
};

export function CampaignExchangeCard({ campaignId }: { campaignId: string }) {
  const campaign = useCampaign(campaignId);
  if (!campaign) return null;
  return campaign.received ? <ReturnDecisions campaign={campaign} /> : <OwnerExchange campaign={campaign} />;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function OwnerExchange({ campaign }: { campaign: CampaignRecord }) {
  const wb = useWorkbench();
  const [summary, setSummary] = useState<MergeSummary | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [approver, setApprover] = useState<string | null>(null);
  const owner = wb.activeReviewer;

  const merge = useCallback(async () => {
    if (!owner) return;
    try {
      setSummary(await runSigningTask('mergeDecisionSets', { campaignId: campaign.id, ownerId: owner.id }, wb.setTask).result);
    } catch (e) {
      if (!(e instanceof TaskCancelled)) setError(errorText(e));
    }
  }, [campaign.id, owner, wb.setTask]);

  useEffect(() => {
    setSummary(null);
    setError(null);
  }, [campaign.id]);

  const run = async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    try {
      await work();
    } catch (e) {
      if (!(e instanceof TaskCancelled)) setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const issue = () =>
    run('issue', async () => {
      const files = await runSigningTask('issueWorkPackages', { campaignId: campaign.id, ownerId: owner!.id }, wb.setTask).result;
      for (const f of files) await saveBytes(f.fileName, f.bytes);
      notifications.show({ color: 'teal', title: `${files.length} work package${files.length === 1 ? '' : 's'} signed and saved`, message: files.map((f) => `${f.reviewerName}: ${formatCount(f.items)} items`).join(' · ') });
      await merge();
    });

  const receive = (files: { name: string; bytes: Uint8Array }[]) =>
    run('receive', async () => {
      const now = new Date().toISOString();
      const sets = await Promise.all(files.map(async (f) => ({ campaignId: campaign.id, sha256: await sha256Hex(f.bytes), fileName: f.name, receivedAt: now, bytes: f.bytes })));
      const added = await storeReceivedDecisionSets(database(), sets);
      notifications.show({ title: 'Decision sets received', message: `${added} new file${added === 1 ? '' : 's'}${files.length - added ? `, ${files.length - added} already received` : ''}; verifying and merging…` });
      await merge();
    });

  const pickSets = async () => {
    const r = await getHost().openFiles({ title: 'Decision sets', extensions: ['arwdec'], multiple: true });
    if (!r.ok) return setError(r.error);
    if (r.value.length) await receive(r.value);
  };

  const sendApprovals = () =>
    run('approval', async () => {
      const f = await runSigningTask('issueApprovalPackage', { campaignId: campaign.id, ownerId: owner!.id, approverId: approver! }, wb.setTask).result;
      await saveBytes(f.fileName, f.bytes);
      notifications.show({ color: 'teal', title: 'Approval package signed and saved', message: `${formatCount(f.items)} decisions for ${f.reviewerName} to approve` });
      await merge();
    });

  const certify = () =>
    run('certify', async () => {
      const built = await runSigningTask('buildMergedPackage', { campaignId: campaign.id, ownerId: owner!.id }, wb.setTask).result;
      await saveBytes(built.fileName, built.bytes, 'application/zip');
      notifications.show({ color: built.open ? 'orange' : 'teal', title: 'Certification package exported', message: `${built.embeddedSets} signed decision sets embedded, countersigned by you${built.open ? `; ${formatCount(built.open)} items still open (listed in the package)` : ''}` });
    });

  const others = (wb.reviewers ?? []).filter((r) => r.id !== owner?.id);
  return (
    <Card withBorder data-testid="exchange-owner">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Across laptops · {campaign.name}</Title>
        <Group gap="xs">
          <Button size="xs" onClick={() => void issue()} loading={busy === 'issue'} disabled={!owner || busy !== null} data-testid="issue-work-packages">
            Export work packages
          </Button>
          <Button size="xs" variant="default" onClick={() => void pickSets()} loading={busy === 'receive'} disabled={!owner || busy !== null} data-testid="pick-decision-sets">
            Import decision sets…
          </Button>
          <Button size="xs" variant="default" onClick={() => void run('merge', merge)} loading={busy === 'merge'} disabled={!owner || busy !== null} data-testid="merge-now">
            Merge again
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        Each reviewer gets only their items, signed with the key of the campaign’s owner ({(wb.reviewers ?? []).find((r) => r.id === campaign.createdBy)?.name ?? owner?.name ?? '—'}). Their signed decision sets come back in any order; each is verified against the work package it answers and the reviewer’s pinned key. A newer set from the same reviewer supersedes the older one, and the page says so.
      </Text>
      <Dropzone onDrop={(files) => void Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))).then(receive)} multiple activateOnClick={false} p="xs" mb="xs" data-testid="decision-set-drop">
        <Text size="sm" c="dimmed" ta="center">
          Drop decision sets (.arwdec) here
        </Text>
      </Dropzone>
      {error && (
        <Alert color="red" mb="xs" data-testid="exchange-error" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {summary && <MergeView summary={summary} names={new Map((wb.reviewers ?? []).map((r) => [r.id, r.name]))} />}
      {summary && (
        <Group mt="sm" align="end">
          {summary.awaitingApproval.length > 0 && (
            <>
              <Select label="Send pending approvals to" placeholder="approver" w={240} value={approver} onChange={setApprover} data={others.map((r) => ({ value: r.id, label: `${r.name}${r.remote ? '' : ' (this machine)'}` }))} data-testid="approver" />
              <Button size="xs" onClick={() => void sendApprovals()} disabled={!approver || busy !== null} loading={busy === 'approval'} data-testid="issue-approval-package">
                Export approval package
              </Button>
            </>
          )}
          <Button size="xs" color={summary.open.length ? 'orange' : 'teal'} onClick={() => void certify()} disabled={busy !== null || !summary.accepted.length} loading={busy === 'certify'} data-testid="export-merged-package">
            {summary.open.length ? 'Export certification package (with open items)' : 'Export certification package'}
          </Button>
        </Group>
      )}
    </Card>
  );
}

function MergeView({ summary, names }: { summary: MergeSummary; names: Map<string, string> }) {
  const who = (id: string | null) => (id ? (names.get(id) ?? id) : 'unknown');
  const open = summary.open.reduce((n, o) => n + o.count, 0);
  return (
    <Stack gap="xs" data-testid="merge-summary">
      <Group gap="xs">
        <Badge color={open ? 'orange' : 'teal'} size="lg" data-testid="merge-status">
          {formatCount(summary.decided)} / {formatCount(summary.items)} decided
        </Badge>
        {summary.open.map((o) => (
          <Badge key={o.reason} variant="light" color="orange">
            {formatCount(o.count)} {OPEN_REASON[o.reason] ?? o.reason}
          </Badge>
        ))}
        <Text size="xs" c="dimmed">
          {summary.issued.length} work packages issued · {summary.received} decision sets received{summary.duplicates ? ` (${summary.duplicates} duplicates ignored)` : ''}
        </Text>
      </Group>
      {summary.accepted.length > 0 && (
        <Table withTableBorder data-testid="accepted-sets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Reviewer</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Signed</Table.Th>
              <Table.Th>Events</Table.Th>
              <Table.Th>Left</Table.Th>
              <Table.Th>Decision set</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.accepted.map((a) => (
              <Table.Tr key={a.statementDigest}>
                <Table.Td>{who(a.reviewerId)}</Table.Td>
                <Table.Td>{a.kind}</Table.Td>
                <Table.Td>{formatTime(a.createdAt)}</Table.Td>
                <Table.Td>{formatCount(a.events)}</Table.Td>
                <Table.Td>{a.itemsLeft ? <Badge color="orange">{formatCount(a.itemsLeft)} left</Badge> : <Badge color="teal">complete</Badge>}</Table.Td>
                <Table.Td ff="monospace" fz="xs">
                  {shortDigest(a.statementDigest)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {summary.superseded.length > 0 && (
        <Alert color="blue" title="Superseded by a newer set from the same reviewer" data-testid="superseded">
          <List size="sm">
            {summary.superseded.map((s) => (
              <List.Item key={s.superseded}>
                {who(s.reviewerId)}: set {shortDigest(s.superseded)} replaced by {shortDigest(s.by)} ({s.extendsOlder ? 'the newer chain extends the older one' : 'the newer chain does NOT extend the older one'}
                {s.itemsDroppedByNewer ? `; ${s.itemsDroppedByNewer} decisions of the older set are no longer in the newer` : ''})
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.conflicts.length > 0 && (
        <Alert color="red" title={`${summary.conflicts.length} conflicts: two decisions for one item (not guessed: re-issue the work)`} data-testid="conflicts">
          <List size="sm">
            {summary.conflicts.slice(0, 20).map((c) => (
              <List.Item key={`${c.itemId}-${c.kind}`}>
                {c.itemId.replace('\u001f', ' / ')} ({c.kind}): {c.sides.join(' vs ')}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.refusedApprovals.length > 0 && (
        <Alert color="red" title="Refused approvals" data-testid="refused-approvals">
          <List size="sm">
            {summary.refusedApprovals.slice(0, 20).map((r) => (
              <List.Item key={`${r.itemId}-${r.approverId}`}>
                {r.itemId.replace('\u001f', ' / ')} by {who(r.approverId)}: {r.reason}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.rejected.length > 0 && (
        <Alert color="red" title={`${summary.rejected.length} file(s) rejected`} data-testid="rejected-sets">
          <List size="sm">
            {summary.rejected.map((r, i) => (
              <List.Item key={i}>
                <b>{r.fileName}</b> ({r.what}{r.reviewerId ? `, ${who(r.reviewerId)}` : ''}): {r.reasons.slice(0, 4).join('; ')}
                {r.reasons.length > 4 ? ` … and ${r.reasons.length - 4} more` : ''}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.awaitingApproval.length > 0 && (
        <Text size="sm" data-testid="awaiting-approval">
          Awaiting step-up approval: {summary.awaitingApproval.map((a) => `${formatCount(a.count)} decided by ${who(a.deciderId)}`).join(', ')}. Send them to a second person (never the one who decided).
        </Text>
      )}
    </Stack>
  );
}

function ReturnDecisions({ campaign }: { campaign: CampaignRecord }) {
  const wb = useWorkbench();
  const events = useCampaignEvents(campaign.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const received = campaign.received!;
  const decided = events ? [...deriveItemStates(events).values()].filter((s) => s.current && s.current.action !== 'cant-decide').length : 0;
  const left = campaign.itemCount - decided;
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const f = await runSigningTask('buildReturnSet', { statementDigest: received.statementDigest }, wb.setTask).result;
      await saveBytes(f.fileName, f.bytes);
      notifications.show({ color: 'teal', title: 'Decision set signed and saved', message: `${formatCount(f.decided)} decided, ${formatCount(f.left)} left — send ${f.fileName} to ${received.owner.name}` });
    } catch (e) {
      if (!(e instanceof TaskCancelled)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder data-testid="exchange-reviewer">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Work package from {received.owner.name}</Title>
        <Button size="xs" onClick={() => void send()} loading={busy} disabled={!events?.length} data-testid="export-decision-set">
          Export decision set{left > 0 ? ` (${formatCount(left)} left)` : ''}
        </Button>
      </Group>
      <Text size="sm">
        {received.fileName} · received {formatTime(received.receivedAt)} · signed by {received.owner.name} <span style={{ fontFamily: 'monospace', fontSize: 11 }}>{received.owner.fingerprint.slice(0, 23)}…</span> (pinned)
      </Text>
      <Text size="sm" data-testid="return-progress">
        {formatCount(decided)} of {formatCount(campaign.itemCount)} decided{left > 0 ? ` — a partial set is fine: it says ${formatCount(left)} are left` : ' — complete'}
      </Text>
      {error && (
        <Alert color="red" mt="xs" data-testid="exchange-error">
          {error}
        </Alert>
      )}
    </Card>
  );
}

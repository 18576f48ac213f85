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
import { command, useCampaign, useCampaignEvents, type CampaignRecord } from '../../backend';
import { getHost } from '../../host';
import { CancelledError } from '../../../shared/model';
import type { MergeSummary } from '../../backend';
import { deriveItemStates } from '../../../shared/review';
import { errorText, runSigningTask, saveBytes, shortDigest } from './exchange-actions';
import { useTranslation } from '../../i18n';

const OPEN_REASONS = ['no-decision-set', 'not-decided', 'cant-decide', 'conflict', 'awaiting-approval'] as const;
const isOpenReason = (r: string): r is (typeof OPEN_REASONS)[number] => (OPEN_REASONS as readonly string[]).includes(r);

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
  const { t } = useTranslation();

  const merge = useCallback(async () => {
    if (!owner) return;
    try {
      setSummary(await runSigningTask('mergeDecisionSets', { campaignId: campaign.id, ownerId: owner.id }, wb.setTask).result);
    } catch (e) {
      if (!(e instanceof CancelledError)) setError(errorText(e));
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
      if (!(e instanceof CancelledError)) setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const issue = () =>
    run('issue', async () => {
      const files = await runSigningTask('issueWorkPackages', { campaignId: campaign.id, ownerId: owner!.id }, wb.setTask).result;
      for (const f of files) await saveBytes(f.fileName, f.bytes);
      notifications.show({
        color: 'teal',
        title: t('exchange.owner.issued', { count: files.length }),
        message: files.map((f) => t('exchange.owner.issuedItem', { name: f.reviewerName, n: formatCount(f.items) })).join(' · '),
      });
      await merge();
    });

  const receive = (files: { name: string; bytes: Uint8Array }[]) =>
    run('receive', async () => {
      const now = new Date().toISOString();
      const sets = await Promise.all(
        files.map(async (f) => ({
          campaignId: campaign.id,
          sha256: await sha256Hex(f.bytes),
          fileName: f.name,
          receivedAt: now,
          bytes: f.bytes,
        })),
      );
      const added = await command('storeReceivedDecisionSets', { sets });
      notifications.show({
        title: t('exchange.owner.received'),
        message: `${t('exchange.owner.newFiles', { count: added })}${files.length - added ? `, ${t('exchange.owner.alreadyReceived', { n: files.length - added })}` : ''}; ${t('exchange.owner.merging')}`,
      });
      await merge();
    });

  const pickSets = async () => {
    const r = await getHost().openFiles({ title: t('exchange.owner.setsTitle'), extensions: ['arwdec'], multiple: true });
    if (!r.ok) return setError(r.error);
    if (r.value.length) await receive(r.value);
  };

  const sendApprovals = () =>
    run('approval', async () => {
      const f = await runSigningTask(
        'issueApprovalPackage',
        { campaignId: campaign.id, ownerId: owner!.id, approverId: approver! },
        wb.setTask,
      ).result;
      await saveBytes(f.fileName, f.bytes);
      notifications.show({
        color: 'teal',
        title: t('exchange.owner.approvalSaved'),
        message: t('exchange.owner.approvalSavedBody', { n: formatCount(f.items), name: f.reviewerName }),
      });
      await merge();
    });

  const certify = () =>
    run('certify', async () => {
      const built = await runSigningTask('buildMergedPackage', { campaignId: campaign.id, ownerId: owner!.id }, wb.setTask).result;
      await saveBytes(built.fileName, built.bytes, 'application/zip');
      notifications.show({
        color: built.open ? 'orange' : 'teal',
        title: t('exchange.owner.certified'),
        message: `${t('exchange.owner.certifiedBody', { n: built.embeddedSets })}${built.open ? `; ${t('exchange.owner.stillOpen', { n: formatCount(built.open) })}` : ''}`,
      });
    });

  const others = (wb.reviewers ?? []).filter((r) => r.id !== owner?.id);
  return (
    <Card withBorder data-testid="exchange-owner">
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t('exchange.owner.title', { name: campaign.name })}</Title>
        <Group gap="xs">
          <Button
            size="xs"
            onClick={() => void issue()}
            loading={busy === 'issue'}
            disabled={!owner || busy !== null}
            data-testid="issue-work-packages"
          >
            {t('exchange.owner.issue')}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => void pickSets()}
            loading={busy === 'receive'}
            disabled={!owner || busy !== null}
            data-testid="pick-decision-sets"
          >
            {t('exchange.owner.import')}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => void run('merge', merge)}
            loading={busy === 'merge'}
            disabled={!owner || busy !== null}
            data-testid="merge-now"
          >
            {t('exchange.owner.merge')}
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t('exchange.owner.explain', { owner: (wb.reviewers ?? []).find((r) => r.id === campaign.createdBy)?.name ?? owner?.name ?? '—' })}
      </Text>
      <Dropzone
        onDrop={(files) =>
          void Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))).then(receive)
        }
        multiple
        activateOnClick={false}
        p="xs"
        mb="xs"
        data-testid="decision-set-drop"
      >
        <Text size="sm" c="dimmed" ta="center">
          {t('exchange.owner.drop')}
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
              <Select
                label={t('exchange.owner.sendApprovals')}
                placeholder={t('exchange.owner.approver')}
                w={240}
                value={approver}
                onChange={setApprover}
                data={others.map((r) => ({ value: r.id, label: `${r.name}${r.remote ? '' : ` ${t('exchange.owner.thisMachine')}`}` }))}
                data-testid="approver"
              />
              <Button
                size="xs"
                onClick={() => void sendApprovals()}
                disabled={!approver || busy !== null}
                loading={busy === 'approval'}
                data-testid="issue-approval-package"
              >
                {t('exchange.owner.exportApproval')}
              </Button>
            </>
          )}
          <Button
            size="xs"
            color={summary.open.length ? 'orange' : 'teal'}
            onClick={() => void certify()}
            disabled={busy !== null || !summary.accepted.length}
            loading={busy === 'certify'}
            data-testid="export-merged-package"
          >
            {summary.open.length ? t('exchange.owner.certifyOpen') : t('exchange.owner.certify')}
          </Button>
        </Group>
      )}
    </Card>
  );
}

function MergeView({ summary, names }: { summary: MergeSummary; names: Map<string, string> }) {
  const { t } = useTranslation();
  const who = (id: string | null) => (id ? (names.get(id) ?? id) : t('common.unknown'));
  const open = summary.open.reduce((n, o) => n + o.count, 0);
  return (
    <Stack gap="xs" data-testid="merge-summary">
      <Group gap="xs">
        <Badge color={open ? 'orange' : 'teal'} size="lg" data-testid="merge-status">
          {t('exchange.merge.decided', { decided: formatCount(summary.decided), items: formatCount(summary.items) })}
        </Badge>
        {summary.open.map((o) => (
          <Badge key={o.reason} variant="light" color="orange">
            {formatCount(o.count)} {isOpenReason(o.reason) ? t(`exchange.openReason.${o.reason}`) : o.reason}
          </Badge>
        ))}
        <Text size="xs" c="dimmed">
          {t('exchange.merge.counts', { issued: formatCount(summary.issued.length), received: formatCount(summary.received) })}
          {summary.duplicates ? ` ${t('exchange.merge.duplicates', { n: summary.duplicates })}` : ''}
        </Text>
      </Group>
      {summary.accepted.length > 0 && (
        <Table withTableBorder data-testid="accepted-sets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('exchange.merge.col.reviewer')}</Table.Th>
              <Table.Th>{t('exchange.merge.col.kind')}</Table.Th>
              <Table.Th>{t('exchange.merge.col.signed')}</Table.Th>
              <Table.Th>{t('exchange.merge.col.events')}</Table.Th>
              <Table.Th>{t('exchange.merge.col.left')}</Table.Th>
              <Table.Th>{t('exchange.merge.col.set')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.accepted.map((a) => (
              <Table.Tr key={a.statementDigest}>
                <Table.Td>{who(a.reviewerId)}</Table.Td>
                <Table.Td>{a.kind}</Table.Td>
                <Table.Td>{formatTime(a.createdAt)}</Table.Td>
                <Table.Td>{formatCount(a.events)}</Table.Td>
                <Table.Td>
                  {a.itemsLeft ? (
                    <Badge color="orange">{t('exchange.merge.left', { n: formatCount(a.itemsLeft) })}</Badge>
                  ) : (
                    <Badge color="teal">{t('exchange.merge.complete')}</Badge>
                  )}
                </Table.Td>
                <Table.Td ff="monospace" fz="xs">
                  {shortDigest(a.statementDigest)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {summary.superseded.length > 0 && (
        <Alert color="blue" title={t('exchange.merge.superseded')} data-testid="superseded">
          <List size="sm">
            {summary.superseded.map((s) => (
              <List.Item key={s.superseded}>
                {t('exchange.merge.replaced', { who: who(s.reviewerId), old: shortDigest(s.superseded), by: shortDigest(s.by) })} (
                {s.extendsOlder ? t('exchange.merge.extends') : t('exchange.merge.notExtends')}
                {s.itemsDroppedByNewer ? `; ${t('exchange.merge.dropped', { n: s.itemsDroppedByNewer })}` : ''})
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.conflicts.length > 0 && (
        <Alert color="red" title={t('exchange.merge.conflicts', { n: summary.conflicts.length })} data-testid="conflicts">
          <List size="sm">
            {summary.conflicts.slice(0, 20).map((c) => (
              <List.Item key={`${c.itemId}-${c.kind}`}>
                {c.itemId.replace('\u001f', ' / ')} ({c.kind}): {c.sides.join(` ${t('exchange.merge.vs')} `)}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.refusedApprovals.length > 0 && (
        <Alert color="red" title={t('exchange.merge.refusedApprovals')} data-testid="refused-approvals">
          <List size="sm">
            {summary.refusedApprovals.slice(0, 20).map((r) => (
              <List.Item key={`${r.itemId}-${r.approverId}`}>
                {r.itemId.replace('\u001f', ' / ')} {t('exchange.merge.by', { name: who(r.approverId) })}: {r.reason}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.rejected.length > 0 && (
        <Alert color="red" title={t('exchange.merge.rejected', { count: summary.rejected.length })} data-testid="rejected-sets">
          <List size="sm">
            {summary.rejected.map((r, i) => (
              <List.Item key={i}>
                <b>{r.fileName}</b> ({r.what}
                {r.reviewerId ? `, ${who(r.reviewerId)}` : ''}): {r.reasons.slice(0, 4).join('; ')}
                {r.reasons.length > 4 ? ` ${t('exchange.merge.more', { n: r.reasons.length - 4 })}` : ''}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.awaitingApproval.length > 0 && (
        <Text size="sm" data-testid="awaiting-approval">
          {t('exchange.merge.awaiting', {
            list: summary.awaitingApproval
              .map((a) => t('exchange.merge.decidedBy', { n: formatCount(a.count), name: who(a.deciderId) }))
              .join(', '),
          })}
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
  const { t } = useTranslation();
  const received = campaign.received!;
  const decided = events ? [...deriveItemStates(events).values()].filter((s) => s.current && s.current.action !== 'cant-decide').length : 0;
  const left = campaign.itemCount - decided;
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const f = await runSigningTask('buildReturnSet', { statementDigest: received.statementDigest }, wb.setTask).result;
      await saveBytes(f.fileName, f.bytes);
      notifications.show({
        color: 'teal',
        title: t('exchange.reviewer.saved'),
        message: t('exchange.reviewer.savedBody', {
          decided: formatCount(f.decided),
          left: formatCount(f.left),
          file: f.fileName,
          name: received.owner.name,
        }),
      });
    } catch (e) {
      if (!(e instanceof CancelledError)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder data-testid="exchange-reviewer">
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t('exchange.reviewer.title', { name: received.owner.name })}</Title>
        <Button size="xs" onClick={() => void send()} loading={busy} disabled={!events?.length} data-testid="export-decision-set">
          {t('exchange.reviewer.export')}
          {left > 0 ? ` (${t('exchange.merge.left', { n: formatCount(left) })})` : ''}
        </Button>
      </Group>
      <Text size="sm">
        {received.fileName} · {t('exchange.reviewer.receivedAt', { at: formatTime(received.receivedAt) })} ·{' '}
        {t('exchange.reviewer.signedBy', { name: received.owner.name })}{' '}
        <span style={{ fontFamily: 'monospace', fontSize: 11 }}>{received.owner.fingerprint.slice(0, 23)}…</span>{' '}
        {t('exchange.reviewer.pinned')}
      </Text>
      <Text size="sm" data-testid="return-progress">
        {t('exchange.reviewer.progress', { decided: formatCount(decided), items: formatCount(campaign.itemCount) })}
        {left > 0 ? ` — ${t('exchange.reviewer.partial', { n: formatCount(left) })}` : ` — ${t('exchange.merge.complete')}`}
      </Text>
      {error && (
        <Alert color="red" mt="xs" data-testid="exchange-error">
          {error}
        </Alert>
      )}
    </Card>
  );
}

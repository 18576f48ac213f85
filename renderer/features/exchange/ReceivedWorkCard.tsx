// The reviewer's and approver's side: open a work package sent by a campaign owner (refused, with the reasons, when it
// is tampered, from an unpinned key or addressed to someone else), and for approval packages approve each pending
// decision (step-up: a second person's explicit approval, never one's own) and return the signed approvals.
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { standingApprovals } from '../../../shared/exchange';
import { useWorkbench } from '../../session';
import { formatCount, formatTime } from '../../components';
import { command, useApprovalChain, useReceivedApprovalPackages, type ReceivedApprovalPackage } from '../../backend';
import type { AuditEventBody } from '../../../shared/review';
import { approvalProblem } from '../../../shared/review';
import { signEvent } from '../review';
import { getHost } from '../../host';
import { CancelledError } from '../../../shared/model';
import { errorText, runSigningTask, saveBytes } from './exchange-actions';
import { i18n, useTranslation } from '../../i18n';

export function ReceivedWorkCard() {
  const wb = useWorkbench();
  const approvals = useReceivedApprovalPackages();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation();
  const open = async (files: { name: string; bytes: Uint8Array }[]) => {
    setBusy(true);
    setError(null);
    try {
      for (const f of files) {
        const r = await runSigningTask('receiveWorkPackage', { bytes: f.bytes, fileName: f.name }, wb.setTask).result;
        notifications.show({
          color: 'teal',
          title: r.alreadyOpen ? t('exchange.received.alreadyOpen') : t('exchange.received.opened'),
          message:
            r.kind === 'approval'
              ? t('exchange.received.toApprove', { n: formatCount(r.items), owner: r.owner })
              : t('exchange.received.toReview', { n: formatCount(r.items), owner: r.owner }),
        });
        if (r.kind === 'review') wb.setCampaignId(r.campaignId);
      }
    } catch (e) {
      if (!(e instanceof CancelledError)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const pick = async () => {
    const r = await getHost().openFiles({ title: t('exchange.received.pickTitle'), extensions: ['arwwork'], multiple: true });
    if (!r.ok) return setError(r.error);
    if (r.value.length) await open(r.value);
  };
  return (
    <Card withBorder data-testid="received-work">
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t('exchange.received.title')}</Title>
        <Button
          size="xs"
          variant="default"
          onClick={() => void pick()}
          loading={busy}
          disabled={!wb.activeReviewer}
          data-testid="open-work-package"
        >
          {t('exchange.received.open')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('exchange.received.explain')}
      </Text>
      {error && (
        <Alert
          color="red"
          mt="xs"
          title={t('exchange.received.refused')}
          data-testid="work-package-error"
          withCloseButton
          onClose={() => setError(null)}
        >
          {error}
        </Alert>
      )}
      {(approvals ?? []).map((a) => (
        <ApprovalPanel key={a.statementDigest} pkg={a} />
      ))}
    </Card>
  );
}

function ApprovalPanel({ pkg }: { pkg: ReceivedApprovalPackage }) {
  const wb = useWorkbench();
  const chain = useApprovalChain(pkg.statementDigest);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const approved = new Set(chain ? standingApprovals(chain).keys() : []);
  const me = wb.activeReviewer;
  const mine = me?.id === pkg.reviewerId;
  const { t } = useTranslation();
  /** The approver's own rationale per item. */
  const [notes, setNotes] = useState<Record<string, string>>({});

  // Each approval is the approver's own signed event, with their own rationale where the policy wants one
  // (never-delegate). Signed first (the signature does not cover the chain position), then appended in one transaction.
  const approve = async (itemIds: string[]) => {
    if (!wb.reviewerRef || !mine || !me) return;
    const bodies: AuditEventBody[] = [];
    for (const itemId of itemIds) {
      if (approved.has(itemId)) continue;
      const item = pkg.items.find((i) => i.itemId === itemId);
      const pending = item?.pending;
      if (!item || !pending) continue;
      const rationale = (notes[itemId] ?? '').trim();
      const problem = approvalProblem({
        decision: { reviewer: { id: pending.decider.id, keyFingerprint: pending.decider.fingerprint }, action: pending.decision.action },
        approver: wb.reviewerRef,
        decisionClass: item.suggestion?.decisionClass ?? null,
        rationale,
        item: {
          identityName: item.identity.displayName,
          ...(item.target ? { targetName: item.target.name, application: item.target.application } : {}),
        },
      });
      if (problem) throw new Error(`${item.identity.displayName} — ${item.target?.name ?? i18n.t('verify.identityItem')}: ${problem}`);
      const body: AuditEventBody = {
        campaignId: pkg.campaignId,
        type: 'approval',
        at: new Date().toISOString(),
        actor: wb.reviewerRef,
        itemId,
        refersTo: pending.event.seq,
        ...(rationale ? { rationale } : {}),
        details: { approves: { decisionSet: pending.decisionSet, seq: pending.event.seq, hash: pending.event.hash } },
      };
      bodies.push(await signEvent(me.keyId, body));
    }
    // Read, append, write in one transaction: the approval is on disk before the page shows it.
    await command('approveReceived', { statementDigest: pkg.statementDigest, bodies });
  };
  const withdraw = async (itemId: string) => {
    if (!wb.reviewerRef || !mine || !me) return;
    const standing = chain ? standingApprovals(chain).get(itemId) : undefined;
    if (!standing) return;
    const body = await signEvent(me.keyId, {
      campaignId: pkg.campaignId,
      type: 'undo',
      at: new Date().toISOString(),
      actor: wb.reviewerRef,
      itemId,
      refersTo: standing.seq,
    });
    await command('withdrawReceived', { statementDigest: pkg.statementDigest, itemId, seq: standing.seq, body });
  };
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const f = await runSigningTask('buildReturnSet', { statementDigest: pkg.statementDigest }, wb.setTask).result;
      await saveBytes(f.fileName, f.bytes);
      notifications.show({
        color: 'teal',
        title: t('exchange.approval.saved'),
        message: t('exchange.approval.savedBody', {
          approved: formatCount(f.decided),
          left: formatCount(f.left),
          file: f.fileName,
          name: pkg.owner.name,
        }),
      });
    } catch (e) {
      if (!(e instanceof CancelledError)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs" mt="md" data-testid="approval-package">
      <Group justify="space-between">
        <Text fw={600}>
          {t('exchange.approval.title', {
            campaign: pkg.campaignName,
            n: formatCount(pkg.items.length),
            owner: pkg.owner.name,
            at: formatTime(pkg.receivedAt),
          })}
        </Text>
        <Group gap="xs">
          <Badge color={approved.size === pkg.items.length ? 'teal' : 'orange'} data-testid="approval-progress">
            {t('exchange.approval.progress', { approved: approved.size, total: pkg.items.length })}
          </Badge>
          <Button size="xs" onClick={() => void send()} loading={busy} disabled={!mine || !chain?.length} data-testid="export-approvals">
            {t('exchange.approval.export')}
          </Button>
        </Group>
      </Group>
      {!mine && <Alert color="yellow">{t('exchange.approval.notMine', { id: pkg.reviewerId })}</Alert>}
      {error && (
        <Alert color="red" data-testid="exchange-error">
          {error}
        </Alert>
      )}
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exchange.approval.col.access')}</Table.Th>
            <Table.Th>{t('exchange.approval.col.suggested')}</Table.Th>
            <Table.Th>{t('exchange.approval.col.decision')}</Table.Th>
            <Table.Th>{t('exchange.approval.col.rationale')}</Table.Th>
            <Table.Th>{t('exchange.approval.col.decidedBy')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pkg.items.map((i) => (
            <Table.Tr key={i.itemId} data-testid="approval-row">
              <Table.Td>
                {i.identity.displayName} — {i.target?.name ?? t('verify.identityItem')}
                <Text size="xs" c="dimmed">
                  {i.target?.application ?? ''}{' '}
                  {i.suggestion
                    ? `· ${t('exchange.approval.risk', { tier: t(`enums.tier.${i.suggestion.riskTier}`) })} · ${t(`enums.decisionClass.${i.suggestion.decisionClass}`)}`
                    : ''}
                </Text>
              </Table.Td>
              <Table.Td>{i.suggestion ? t(`enums.action.${i.suggestion.action}`) : '—'}</Table.Td>
              <Table.Td>
                <b>{i.pending ? t(`enums.action.${i.pending.decision.action}`) : ''}</b>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{i.pending?.decision.rationale ?? '—'}</Text>
              </Table.Td>
              <Table.Td>{i.pending?.decider.id}</Table.Td>
              <Table.Td>
                {approved.has(i.itemId) ? (
                  <Group gap={4} wrap="nowrap">
                    <Badge color="teal">{t('exchange.approval.approved')}</Badge>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => void withdraw(i.itemId).catch((e: unknown) => setError(errorText(e)))}
                      disabled={!mine}
                    >
                      {t('exchange.approval.withdraw')}
                    </Button>
                  </Group>
                ) : (
                  <Group gap={4} wrap="nowrap">
                    <TextInput
                      size="xs"
                      w={220}
                      aria-label={t('exchange.approval.rationaleFor', { name: i.identity.displayName })}
                      placeholder={
                        i.suggestion?.decisionClass === 'never-delegate' ? t('exchange.approval.required') : t('exchange.approval.optional')
                      }
                      value={notes[i.itemId] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [i.itemId]: e.currentTarget.value })}
                      disabled={!mine}
                      data-testid="approval-rationale"
                    />
                    <Button
                      size="compact-xs"
                      onClick={() => void approve([i.itemId]).catch((e: unknown) => setError(errorText(e)))}
                      disabled={!mine}
                      data-testid="approve-item"
                    >
                      {t('exchange.approval.approve')}
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

// The reviewer's and approver's side: open a work package sent by a campaign owner (refused, with the reasons, when it
// is tampered, from an unpinned key or addressed to someone else), and for approval packages approve each pending
// decision (step-up: a second person's explicit approval, never one's own) and return the signed approvals.
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { standingApprovals } from '../../../shared/exchange';
import { chainEvent } from '../../../shared/review';
import { useWorkbench } from '../../session';
import { formatCount, formatTime } from '../../components';
import { appendToApprovalChain, database, useApprovalChain, useReceivedApprovalPackages, type ReceivedApprovalPackage } from '../../db';
import type { AuditEvent, AuditEventBody } from '../../../shared/review';
import { approvalProblem } from '../../../shared/review';
import { signEvent } from '../review';
import { getHost } from '../../host';
import { TaskCancelled } from '../../workers';
import { errorText, runSigningTask, saveBytes } from './exchange-actions';

export function ReceivedWorkCard() {
  const wb = useWorkbench();
  const approvals = useReceivedApprovalPackages();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = async (files: { name: string; bytes: Uint8Array }[]) => {
    setBusy(true);
    setError(null);
    try {
      for (const f of files) {
        const r = await runSigningTask('receiveWorkPackage', { bytes: f.bytes, fileName: f.name }, wb.setTask).result;
        notifications.show({ color: 'teal', title: r.alreadyOpen ? 'Already open' : 'Work package verified and opened', message: `${formatCount(r.items)} ${r.kind === 'approval' ? 'decisions to approve' : 'items to review'} from ${r.owner}` });
        if (r.kind === 'review') wb.setCampaignId(r.campaignId);
      }
    } catch (e) {
      if (!(e instanceof TaskCancelled)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const pick = async () => {
    const r = await getHost().openFiles({ title: 'Work package', extensions: ['arwwork'], multiple: true });
    if (!r.ok) return setError(r.error);
    if (r.value.length) await open(r.value);
  };
  return (
    <Card withBorder data-testid="received-work">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Work from a campaign owner</Title>
        <Button size="xs" variant="default" onClick={() => void pick()} loading={busy} disabled={!wb.activeReviewer} data-testid="open-work-package">
          Open work package…
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        A work package opens only when it verifies against the owner’s pinned key and is addressed to a profile of this machine. Review packages open as a campaign below; approval packages are listed here.
      </Text>
      {error && (
        <Alert color="red" mt="xs" title="Work package refused" data-testid="work-package-error" withCloseButton onClose={() => setError(null)}>
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
        item: { identityName: item.identity.displayName, ...(item.target ? { targetName: item.target.name, application: item.target.application } : {}) },
      });
      if (problem) throw new Error(`${item.identity.displayName} — ${item.target?.name ?? 'identity'}: ${problem}`);
      const body: AuditEventBody = { campaignId: pkg.campaignId, type: 'approval', at: new Date().toISOString(), actor: wb.reviewerRef, itemId, refersTo: pending.event.seq, ...(rationale ? { rationale } : {}), details: { approves: { decisionSet: pending.decisionSet, seq: pending.event.seq, hash: pending.event.hash } } };
      bodies.push(await signEvent(me.keyId, body));
    }
    // Read, append, write in one transaction: the approval is on disk before the page shows it.
    await appendToApprovalChain(database(), pkg.statementDigest, (chain) => {
      const events: AuditEvent[] = [];
      for (const body of bodies) events.push(chainEvent(events[events.length - 1] ?? chain[chain.length - 1] ?? null, body));
      return events;
    });
  };
  const withdraw = async (itemId: string) => {
    if (!wb.reviewerRef || !mine || !me) return;
    const standing = chain ? standingApprovals(chain).get(itemId) : undefined;
    if (!standing) return;
    const body = await signEvent(me.keyId, { campaignId: pkg.campaignId, type: 'undo', at: new Date().toISOString(), actor: wb.reviewerRef, itemId, refersTo: standing.seq });
    await appendToApprovalChain(database(), pkg.statementDigest, (c) => (standingApprovals(c).get(itemId)?.seq === standing.seq ? [chainEvent(c[c.length - 1] ?? null, body)] : []));
  };
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const f = await runSigningTask('buildReturnSet', { statementDigest: pkg.statementDigest }, wb.setTask).result;
      await saveBytes(f.fileName, f.bytes);
      notifications.show({ color: 'teal', title: 'Signed approvals saved', message: `${formatCount(f.decided)} approved, ${formatCount(f.left)} left — send ${f.fileName} to ${pkg.owner.name}` });
    } catch (e) {
      if (!(e instanceof TaskCancelled)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs" mt="md" data-testid="approval-package">
      <Group justify="space-between">
        <Text fw={600}>
          {pkg.campaignName}: {formatCount(pkg.items.length)} decisions to approve, from {pkg.owner.name} · received {formatTime(pkg.receivedAt)}
        </Text>
        <Group gap="xs">
          <Badge color={approved.size === pkg.items.length ? 'teal' : 'orange'} data-testid="approval-progress">
            {approved.size} / {pkg.items.length} approved
          </Badge>
          <Button size="xs" onClick={() => void send()} loading={busy} disabled={!mine || !chain?.length} data-testid="export-approvals">
            Export signed approvals
          </Button>
        </Group>
      </Group>
      {!mine && <Alert color="yellow">This package is addressed to {pkg.reviewerId}: switch to that profile to approve.</Alert>}
      {error && (
        <Alert color="red" data-testid="exchange-error">
          {error}
        </Alert>
      )}
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Identity — access</Table.Th>
            <Table.Th>Suggested</Table.Th>
            <Table.Th>Decision</Table.Th>
            <Table.Th>Rationale</Table.Th>
            <Table.Th>Decided by</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pkg.items.map((i) => (
            <Table.Tr key={i.itemId} data-testid="approval-row">
              <Table.Td>
                {i.identity.displayName} — {i.target?.name ?? 'identity'}
                <Text size="xs" c="dimmed">
                  {i.target?.application ?? ''} {i.suggestion ? `· ${i.suggestion.riskTier} risk · ${i.suggestion.decisionClass}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>{i.suggestion?.action ?? '—'}</Table.Td>
              <Table.Td>
                <b>{i.pending?.decision.action}</b>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{i.pending?.decision.rationale ?? '—'}</Text>
              </Table.Td>
              <Table.Td>{i.pending?.decider.id}</Table.Td>
              <Table.Td>
                {approved.has(i.itemId) ? (
                  <Group gap={4} wrap="nowrap">
                    <Badge color="teal">approved</Badge>
                    <Button size="compact-xs" variant="subtle" onClick={() => void withdraw(i.itemId).catch((e: unknown) => setError(errorText(e)))} disabled={!mine}>
                      Withdraw
                    </Button>
                  </Group>
                ) : (
                  <Group gap={4} wrap="nowrap">
                    <TextInput
                      size="xs"
                      w={220}
                      aria-label={`Your rationale as approver for ${i.identity.displayName}`}
                      placeholder={i.suggestion?.decisionClass === 'never-delegate' ? 'your own rationale (required)' : 'your rationale (optional)'}
                      value={notes[i.itemId] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [i.itemId]: e.currentTarget.value })}
                      disabled={!mine}
                      data-testid="approval-rationale"
                    />
                    <Button size="compact-xs" onClick={() => void approve([i.itemId]).catch((e: unknown) => setError(errorText(e)))} disabled={!mine} data-testid="approve-item">
                      Approve
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

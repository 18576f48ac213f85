// The verdict at a glance, in one of three colours: VALID (green), INCOMPLETE (amber: intact and signed, each item
// without a final decision named) and INVALID (red: tampered, a bad or missing signature, a broken rule). Beside it,
// how each reviewer decided against the policy's thresholds: a green verdict must not hide a rubber stamp.
import { Alert, Badge, Card, List, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { VerifyReport } from '../../../shared/package';
import { formatCount } from '../../components';

const STANDING: Record<string, string> = { open: 'no decision', escalated: "escalated (can't decide), not decided", 'awaiting-approval': 'awaiting the second person’s approval' };

export function VerdictPanel({ report }: { report: VerifyReport }) {
  const v = report.verdict;
  const title =
    v === 'valid'
      ? 'VALID — intact, every signature verifies, every item has a final decision'
      : v === 'incomplete'
        ? `INCOMPLETE — intact and signed, but ${formatCount(report.undecidedCount)} ${report.undecidedCount === 1 ? 'item has' : 'items have'} no final decision`
        : 'INVALID — tampered, or a signature is bad or missing: do not rely on this package';
  return (
    <Alert color={v === 'valid' ? 'teal' : v === 'incomplete' ? 'yellow' : 'red'} variant={v === 'incomplete' ? 'light' : 'light'} icon={v === 'valid' ? <IconCircleCheck /> : v === 'incomplete' ? <IconAlertTriangle /> : <IconCircleX />} title={title} data-testid="verdict" data-verdict={v} style={{ flex: 1.3 }}>
      {report.reasons.length > 0 && (
        <List size="sm" spacing={2} data-testid="verdict-reasons">
          {report.reasons.map((r, i) => (
            <List.Item key={i}>
              [{r.check}] {r.file ? `${r.file}: ` : ''}
              {r.message}
            </List.Item>
          ))}
        </List>
      )}
      {report.undecided.length > 0 && (
        <>
          <Text size="sm" fw={600} mt={report.reasons.length ? 'xs' : 0}>
            Items without a final decision:
          </Text>
          <List size="sm" spacing={2} data-testid="undecided-items">
            {report.undecided.map((u) => (
              <List.Item key={u.itemId}>
                <b>{u.label}</b> — {STANDING[u.standing] ?? u.standing}
              </List.Item>
            ))}
          </List>
          {report.undecidedCount > report.undecided.length && (
            <Text size="xs" c="dimmed">
              … and {formatCount(report.undecidedCount - report.undecided.length)} more (filter the decisions below by “open”).
            </Text>
          )}
        </>
      )}
      {report.warnings.length > 0 && (
        <List size="xs" spacing={2} mt="xs" c="dimmed">
          {report.warnings.map((w, i) => (
            <List.Item key={`w${i}`}>
              warning [{w.check}]: {w.message}
            </List.Item>
          ))}
        </List>
      )}
      {report.campaign && (
        <Text size="sm" mt={4}>
          Campaign “{report.campaign.name}” · {report.campaign.scope}
        </Text>
      )}
    </Alert>
  );
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(100 * x)} %`);

export function ReviewerBehaviourCard({ report }: { report: VerifyReport }) {
  const rows = report.reviewerBehaviour;
  const t = rows[0]?.thresholds;
  return (
    <Card withBorder data-testid="reviewer-behaviour" style={{ flex: 1 }}>
      <Title order={6} mb={4}>
        How each reviewer decided
      </Title>
      {t && (
        <Text size="xs" c="dimmed" mb={4} data-testid="behaviour-thresholds">
          Policy thresholds: accept in under {t.fastAcceptSeconds} s counts as fast; {t.fastAcceptStreak} fast accepts in a row is a streak; an acceptance rate of {Math.round(100 * t.highAcceptanceRate)} % or more over at least {t.minDecisionsForRate} decisions is flagged.
        </Text>
      )}
      {!rows.length && <Text size="sm">No readable decisions in this package.</Text>}
      {rows.length > 0 && (
        <Table fz="xs" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Reviewer</Table.Th>
              <Table.Th>decisions</Table.Th>
              <Table.Th>accepted</Table.Th>
              <Table.Th>s / decision</Table.Th>
              <Table.Th>fast accepts</Table.Th>
              <Table.Th>longest streak</Table.Th>
              <Table.Th>approvals</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.reviewerId} data-testid="behaviour-row">
                <Table.Td>
                  {r.name} {r.driftWarnings.length > 0 && <Badge size="xs" color="orange">{r.driftWarnings.length} warning{r.driftWarnings.length > 1 ? 's' : ''}</Badge>}
                </Table.Td>
                <Table.Td>{formatCount(r.decisions)}</Table.Td>
                <Table.Td>{pct(r.acceptanceRate)}</Table.Td>
                <Table.Td>{r.medianSecondsPerDecision ?? '—'}</Table.Td>
                <Table.Td>{formatCount(r.fastAccepts)}</Table.Td>
                <Table.Td>{r.longestFastAcceptStreak}</Table.Td>
                <Table.Td>{formatCount(r.approvalsGiven)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {rows.flatMap((r) =>
        r.driftWarnings.map((w, i) => (
          <Text key={`${r.reviewerId}-${i}`} size="xs" c="orange.9" mt={4} data-testid="behaviour-warning">
            ⚠ {r.name}: {w}
          </Text>
        )),
      )}
    </Card>
  );
}

// The verdict at a glance, in one of three colours: VALID (green), INCOMPLETE (amber: intact and signed, each item
// without a final decision named) and INVALID (red: tampered, a bad or missing signature, a broken rule). Beside it,
// how each reviewer decided against the policy's thresholds: a green verdict must not hide a rubber stamp.
import { Alert, Badge, Card, List, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { VerifyReport } from '../../../shared/package';
import { formatCount } from '../../components';
import { useTranslation } from '../../i18n';

export function VerdictPanel({ report }: { report: VerifyReport }) {
  const v = report.verdict;
  const { t } = useTranslation();
  const title =
    v === 'valid'
      ? t('verify.verdict.valid')
      : v === 'incomplete'
        ? t('verify.verdict.incomplete', { count: report.undecidedCount, n: formatCount(report.undecidedCount) })
        : t('verify.verdict.invalid');
  return (
    <Alert
      color={v === 'valid' ? 'teal' : v === 'incomplete' ? 'yellow' : 'red'}
      variant={v === 'incomplete' ? 'light' : 'light'}
      icon={v === 'valid' ? <IconCircleCheck /> : v === 'incomplete' ? <IconAlertTriangle /> : <IconCircleX />}
      title={title}
      data-testid="verdict"
      data-verdict={v}
      style={{ flex: 1.3 }}
    >
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
            {t('verify.verdict.undecided')}
          </Text>
          <List size="sm" spacing={2} data-testid="undecided-items">
            {report.undecided.map((u) => (
              <List.Item key={u.itemId}>
                <b>{u.label}</b> —{' '}
                {u.standing === 'open' || u.standing === 'escalated' || u.standing === 'awaiting-approval'
                  ? t(`verify.standing.${u.standing}`)
                  : u.standing}
              </List.Item>
            ))}
          </List>
          {report.undecidedCount > report.undecided.length && (
            <Text size="xs" c="dimmed">
              {t('verify.verdict.more', { n: formatCount(report.undecidedCount - report.undecided.length) })}
            </Text>
          )}
        </>
      )}
      {report.warnings.length > 0 && (
        <List size="xs" spacing={2} mt="xs" c="dimmed">
          {report.warnings.map((w, i) => (
            <List.Item key={`w${i}`}>
              {t('verify.verdict.warning', { check: w.check })} {w.message}
            </List.Item>
          ))}
        </List>
      )}
      {report.campaign && (
        <Text size="sm" mt={4}>
          {t('verify.verdict.campaign', { name: report.campaign.name })} · {report.campaign.scope}
        </Text>
      )}
    </Alert>
  );
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(100 * x)} %`);

export function ReviewerBehaviourCard({ report }: { report: VerifyReport }) {
  const rows = report.reviewerBehaviour;
  const th = rows[0]?.thresholds;
  const { t } = useTranslation();
  return (
    <Card withBorder data-testid="reviewer-behaviour" style={{ flex: 1 }}>
      <Title order={6} mb={4}>
        {t('verify.behaviour.title')}
      </Title>
      {th && (
        <Text size="xs" c="dimmed" mb={4} data-testid="behaviour-thresholds">
          {t('verify.behaviour.thresholds', {
            seconds: th.fastAcceptSeconds,
            streak: th.fastAcceptStreak,
            rate: Math.round(100 * th.highAcceptanceRate),
            min: th.minDecisionsForRate,
          })}
        </Text>
      )}
      {!rows.length && <Text size="sm">{t('verify.behaviour.none')}</Text>}
      {rows.length > 0 && (
        <Table fz="xs" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('verify.behaviour.reviewer')}</Table.Th>
              <Table.Th>{t('verify.behaviour.decisions')}</Table.Th>
              <Table.Th>{t('verify.behaviour.accepted')}</Table.Th>
              <Table.Th>{t('verify.behaviour.seconds')}</Table.Th>
              <Table.Th>{t('verify.behaviour.fast')}</Table.Th>
              <Table.Th>{t('verify.behaviour.streak')}</Table.Th>
              <Table.Th>{t('verify.behaviour.approvals')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.reviewerId} data-testid="behaviour-row">
                <Table.Td>
                  {r.name}{' '}
                  {r.driftWarnings.length > 0 && (
                    <Badge size="xs" color="orange" tt="none" data-testid="warning-badge" style={{ minWidth: 'max-content' }}>
                      {t('verify.behaviour.warnings', { count: r.driftWarnings.length })}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{formatCount(r.decisions)}</Table.Td>
                <Table.Td>{pct(r.acceptanceRate)}</Table.Td>
                <Table.Td>
                  {r.medianSecondsPerDecision === null || r.medianSecondsPerDecision === undefined
                    ? '—'
                    : formatCount(r.medianSecondsPerDecision)}
                </Table.Td>
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
          <Text key={`${r.reviewerId}-${i}`} size="xs" c="orange" mt={4} data-testid="behaviour-warning">
            ⚠ {r.name}: {w}
          </Text>
        )),
      )}
    </Card>
  );
}

// The auditor's view of "changes since the last certification": which certification this package follows (by
// digest, so the chain can be followed back), what changed since, and how many decisions a reviewer carried over.
import { Card, Code, Text, Title } from '@mantine/core';
import type { VerifyReport } from '../../../shared/package';
import { formatCount, formatTime } from '../../components';
import { useTranslation } from '../../i18n';

const short = (digest: string) => `${digest.slice(0, 'sha256:'.length + 12)}…`;

export function BaselinePanel({ report }: { report: VerifyReport }) {
  const { t } = useTranslation();
  const b = report.baseline;
  if (!b) return null;
  const c = b.counts;
  return (
    <Card withBorder data-testid="verify-baseline">
      <Title order={6} mb={4}>
        {t('verify.baseline.title')}
      </Title>
      <Text size="sm">
        {t('verify.baseline.follows', { name: b.link.campaignName, id: b.link.campaignId, at: formatTime(b.link.certifiedAt) })}
      </Text>
      <Text size="xs" c="dimmed">
        {t('verify.baseline.package')} <Code>{short(b.link.packageDigest)}</Code> · {t('verify.baseline.statement')}{' '}
        <Code>{short(b.link.statementDigest)}</Code>
      </Text>
      {c && (
        <Text size="sm" mt={4} data-testid="verify-baseline-counts">
          {t('verify.baseline.counts', {
            unchanged: formatCount(c.unchanged),
            changed: formatCount(c.changed),
            added: formatCount(c.new),
            removed: formatCount(c.removed),
          })}
        </Text>
      )}
      <Text size="sm" data-testid="verify-baseline-decisions">
        {t('verify.baseline.decisions', { carried: formatCount(b.carried), fresh: formatCount(b.fresh) })}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {b.supplied ? t('verify.baseline.checked') : t('verify.baseline.linkOnly')}
      </Text>
    </Card>
  );
}

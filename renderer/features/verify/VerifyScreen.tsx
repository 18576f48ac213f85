import { Alert, Badge, Button, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconFileCertificate } from '@tabler/icons-react';
import { ReviewerBehaviourCard, VerdictPanel } from './VerdictPanel';
import { BaselinePanel } from './BaselinePanel';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { parseTrustedKeys } from '../../../shared/package';
import type { PackageItem, TrustedKey, VerifyReport } from '../../../shared/package';
import { Digest, formatBytes, formatCount } from '../../components';
import { getHost } from '../../host';
import { runTask } from '../../backend';
import { useWorkbench } from '../../session';
import { i18n, useTranslation } from '../../i18n';

type Filter = 'all' | 'overrides' | 'high-risk' | 'step-up' | 'open';

export function VerifyScreen() {
  const [pkg, setPkg] = useState<{ name: string; bytes: Uint8Array } | null>(null);
  const [trust, setTrust] = useState<{ name: string; keys: TrustedKey[] } | null>(null);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState<Filter>('all');
  const { t } = useTranslation();

  // A package given on the command line or through "open with" opens here, read-only.
  const { launchPackage } = useWorkbench();
  useEffect(() => {
    if (launchPackage) setPkg(launchPackage);
  }, [launchPackage]);

  useEffect(() => {
    if (!pkg) return;
    setBusy(true);
    setError(null);
    const h = runTask('verifyPackage', { bytes: pkg.bytes.slice(), ...(trust ? { trustedKeys: trust.keys } : {}) });
    h.result
      .then(setReport, (e: unknown) => setError(i18n.t('verify.failed', { message: e instanceof Error ? e.message : String(e) })))
      .finally(() => setBusy(false));
  }, [pkg, trust]);

  const addFiles = async (files: { name: string; bytes: Uint8Array }[]) => {
    for (const f of files) {
      if (f.name.toLowerCase().endsWith('.json')) {
        let parsed: ReturnType<typeof parseTrustedKeys>;
        try {
          parsed = parseTrustedKeys(JSON.parse(new TextDecoder().decode(f.bytes)));
        } catch (e) {
          setError(t('verify.notJson', { file: f.name, message: e instanceof Error ? e.message : String(e) }));
          continue;
        }
        if (parsed.ok) setTrust({ name: f.name, keys: parsed.keys });
        else setError(t('verify.notTrustFile', { file: f.name, problems: parsed.problems.join('; ') }));
      } else setPkg(f);
    }
  };
  const open = async () => {
    const r = await getHost().openFiles({ title: t('verify.openTitle'), extensions: ['arwpkg', 'zip', 'json'], multiple: true });
    if (r.ok) await addFiles(r.value);
    else setError(r.error);
  };
  /** The reviewers' and approvers' public keys, as the campaign owner exported them: pins every signer by name. */
  const loadTrust = async () => {
    const r = await getHost().openFiles({ title: t('verify.trustTitle'), extensions: ['json'], multiple: false });
    if (!r.ok) return setError(r.error);
    await addFiles(r.value.map((f) => (f.name.toLowerCase().endsWith('.json') ? f : { ...f, name: `${f.name}.json` })));
  };

  const items = useMemo(() => (report ? report.decisions.filter((i) => matches(i, filter)) : []), [report, filter]);
  return (
    <Stack gap="md" maw={1300}>
      <Card withBorder>
        <Group justify="space-between">
          <Title order={4}>{t('verify.title')}</Title>
          <Group gap="xs">
            <Button variant="default" onClick={() => void open()}>
              {t('verify.open')}
            </Button>
            <Button variant="default" onClick={() => void loadTrust()} data-testid="load-trusted-keys">
              {t('verify.loadTrust')}
            </Button>
          </Group>
        </Group>
        <Dropzone
          mt="sm"
          onDrop={(files) =>
            void Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))).then(addFiles)
          }
          multiple
          data-testid="verify-dropzone"
          activateOnClick={false}
        >
          <Group justify="center" mih={60} style={{ pointerEvents: 'none' }}>
            <IconFileCertificate size={28} stroke={1.5} />
            <Text size="sm" c="dimmed">
              {t('verify.drop')}
            </Text>
          </Group>
        </Dropzone>
        <Text size="xs" mt={6} c="dimmed">
          {pkg ? t('verify.package', { name: pkg.name, size: formatBytes(pkg.bytes.byteLength) }) : t('verify.noPackage')} ·{' '}
          <span data-testid="trust-status">
            {trust ? t('verify.trusted', { name: trust.name, count: trust.keys.length }) : t('verify.noTrust')}
          </span>
        </Text>
        {error && (
          <Alert color="red" mt="sm">
            {error}
          </Alert>
        )}
        {busy && <Text size="sm">{t('verify.verifying')}</Text>}
      </Card>
      {report && (
        <>
          <Group align="flex-start" wrap="nowrap" gap="md">
            <VerdictPanel report={report} />
            <ReviewerBehaviourCard report={report} />
          </Group>
          <BaselinePanel report={report} />
          <Group align="start" grow>
            <Card withBorder>
              <Title order={6} mb={4}>
                {t('verify.signers')}
              </Title>
              <Table data-testid="signers">
                <Table.Tbody>
                  {report.signers.map((s) => (
                    <KeyRow
                      key={s.keyid}
                      who={
                        s.trustedAs?.name ??
                        report.statement?.predicate.reviewers.find((r) => r.id === s.reviewerId)?.name ??
                        s.reviewerId ??
                        s.keyid
                      }
                      fingerprint={s.fingerprint}
                      valid={s.signatureValid}
                      validText={t('verify.signatureValid')}
                      invalidText={t('verify.signatureInvalid')}
                      pinned={s.pinned}
                    />
                  ))}
                </Table.Tbody>
              </Table>
              {report.embeddedSets.length > 0 && (
                <>
                  <Title order={6} mt="sm" mb={4}>
                    {t('verify.sets')}
                  </Title>
                  <Table data-testid="embedded-sets">
                    <Table.Tbody>
                      {report.embeddedSets.map((d) => (
                        <KeyRow
                          key={d.file}
                          who={report.statement?.predicate.reviewers.find((r) => r.id === d.reviewerId)?.name ?? d.reviewerId ?? '—'}
                          fingerprint={d.fingerprint}
                          valid={d.verdict === 'valid'}
                          validText={t('verify.setValid')}
                          invalidText={t('verify.setInvalid')}
                          pinned={d.pinned}
                        >
                          <Text size="xs">{t('verify.proves', { n: formatCount(d.events) })}</Text>
                        </KeyRow>
                      ))}
                    </Table.Tbody>
                  </Table>
                </>
              )}
              <Title order={6} mt="sm" mb={4}>
                {t('verify.checks')}
              </Title>
              <Group gap={6}>
                {Object.entries(report.checks).map(([k, ok]) => (
                  <Badge
                    key={k}
                    color={ok ? 'teal' : k === 'completeness' && report.verdict === 'incomplete' ? 'yellow' : 'red'}
                    variant="light"
                  >
                    {k} {ok ? '✓' : '✗'}
                  </Badge>
                ))}
              </Group>
              {report.chain && (
                <Text size="sm" mt="sm">
                  {t('verify.chain', {
                    state: report.chain.ok ? t('verify.unbroken') : t('verify.broken'),
                    n: formatCount(report.chain.length),
                  })}{' '}
                  {report.chain.head ? <Digest value={report.chain.head} /> : '—'}
                </Text>
              )}
              {report.completeness && (
                <Text size="sm">
                  {t('verify.completeness', {
                    items: formatCount(report.completeness.items),
                    open: formatCount(report.completeness.open),
                    overrides: formatCount(report.completeness.overridesWithoutRationale),
                    stepUp: formatCount(report.completeness.stepUpWithoutApprover),
                  })}
                </Text>
              )}
            </Card>
            <Card withBorder>
              <Title order={6} mb={4}>
                {t('verify.files')}
              </Title>
              <Table data-testid="files">
                <Table.Tbody>
                  {report.files.map((f) => (
                    <Table.Tr key={f.name}>
                      <Table.Td className="mono" title={f.name}>
                        {shortFileName(f.name)}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.size !== null ? formatBytes(f.size) : '—'}</Table.Td>
                      <Table.Td>{f.actualSha256 ? <Digest value={f.actualSha256} /> : '—'}</Table.Td>
                      <Table.Td>
                        <Badge color={f.status === 'ok' ? 'teal' : 'red'} variant="light">
                          {f.status}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </Group>
          <Card withBorder>
            <Group justify="space-between" mb="xs">
              <Title order={6}>{t('verify.decisions')}</Title>
              <SegmentedControl
                size="xs"
                value={filter}
                onChange={(v) => setFilter(v as Filter)}
                data={(['all', 'overrides', 'high-risk', 'step-up', 'open'] as const).map((v) => ({
                  value: v,
                  label: t(`verify.filter.${v}`),
                }))}
                aria-label={t('verify.filterLabel')}
              />
            </Group>
            <Table striped data-testid="verify-decisions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('verify.col.identity')}</Table.Th>
                  <Table.Th>{t('verify.col.target')}</Table.Th>
                  <Table.Th>{t('verify.col.suggested')}</Table.Th>
                  <Table.Th>{t('verify.col.decision')}</Table.Th>
                  <Table.Th>{t('verify.col.by')}</Table.Th>
                  <Table.Th>{t('verify.col.rationale')}</Table.Th>
                  <Table.Th>{t('verify.col.approver')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.slice(0, 500).map((i) => (
                  <Table.Tr key={i.itemId}>
                    <Table.Td>{i.identity.displayName}</Table.Td>
                    <Table.Td>{i.target ? `${i.target.name} (${i.target.application})` : t('verify.identityItem')}</Table.Td>
                    <Table.Td>
                      {i.suggestion
                        ? `${t(`enums.action.${i.suggestion.action}`)} · ${t(`enums.tier.${i.suggestion.riskTier}`)} · ${t(`enums.decisionClass.${i.suggestion.decisionClass}`)}`
                        : '—'}
                    </Table.Td>
                    <Table.Td fw={600}>
                      {i.decision
                        ? `${t(`enums.action.${i.decision.action}`)}${i.decision.acceptedSuggestion ? '' : ` ${t('review.detail.override')}`}`
                        : t('verify.openItem')}
                    </Table.Td>
                    <Table.Td>{reviewerName(report, i.decision?.reviewerId)}</Table.Td>
                    <Table.Td>{i.decision?.rationale ?? ''}</Table.Td>
                    <Table.Td>{i.decision?.approver ? reviewerName(report, i.decision.approver.id) : ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {items.length > 500 && <Text size="xs">{t('verify.first500', { n: formatCount(items.length) })}</Text>}
          </Card>
        </>
      )}
    </Stack>
  );
}

function matches(item: PackageItem, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'overrides':
      return !!item.decision && !item.decision.acceptedSuggestion;
    case 'high-risk':
      return !!item.suggestion && (item.suggestion.riskTier === 'high' || item.suggestion.riskTier === 'critical');
    case 'step-up':
      return item.suggestion?.decisionClass === 'step-up';
    case 'open':
      return !item.decision;
  }
}

function reviewerName(report: VerifyReport, id: string | undefined): string {
  if (!id) return '—';
  return report.statement?.predicate.reviewers.find((r) => r.id === id)?.name ?? id;
}

/** A key in the auditor's view: whose, its fingerprint, whether what it signed verifies, whether it is pinned. */
function KeyRow(props: {
  who: string;
  fingerprint: string | null;
  valid: boolean;
  validText: string;
  invalidText: string;
  pinned: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Table.Tr>
      <Table.Td>{props.who}</Table.Td>
      <Table.Td>{props.fingerprint ? <Digest value={props.fingerprint} chars={20} /> : '—'}</Table.Td>
      <Table.Td>
        <Badge tt="none" color={props.valid ? 'teal' : 'red'}>
          {props.valid ? props.validText : props.invalidText}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Badge tt="none" variant="outline" color={props.pinned ? 'teal' : 'gray'}>
          {props.pinned ? t('verify.pinned') : t('verify.notPinned')}
        </Badge>
      </Table.Td>
      {props.children !== undefined && <Table.Td>{props.children}</Table.Td>}
    </Table.Tr>
  );
}

/** A long file name (an embedded decision set's, named by its 64-hex-digit digest) shortened to fit the Files table; the whole name is its title. */
function shortFileName(name: string): string {
  return name.length > 34 ? `${name.slice(0, 22)}…${name.slice(-8)}` : name;
}

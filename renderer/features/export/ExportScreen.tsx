import { signWithUnlock } from '../../session';
import { Alert, Badge, Button, Card, Group, Loader, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { campaignCounts, deriveItemStates, isSignedEventType, standingInputOf } from '../../../shared/review';
import { buildTrustList, trustListJson } from '../../../shared/package';
import { useWorkbench } from '../../session';
import { Digest, formatBytes, formatCount } from '../../components';
import { command, useCampaignEvents, useCampaigns } from '../../backend';
import { getHost } from '../../host';
import { useCampaignTable } from '../review';
import { decisionClassOf } from '../../workers';
import { runTask, type BuildPackageResult, type TaskProgress } from '../../backend';
import { formatDecimal, progressLabel } from '../../components';
import { useTranslation } from '../../i18n';

export function ExportScreen() {
  const wb = useWorkbench();
  const campaigns = useCampaigns();
  const campaignId = wb.campaignId ?? campaigns?.[0]?.id ?? null;
  // The compact table the campaign worker serves: the whole campaign never loads on this thread.
  const { data } = useCampaignTable(campaignId);
  const events = useCampaignEvents(campaignId);
  const [progress, setProgress] = useState<TaskProgress | null>(null);
  const [result, setResult] = useState<(BuildPackageResult & { size: number; savedAs: string | null }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation();

  const summary = useMemo(() => {
    if (!data) return null;
    const states = deriveItemStates(events ?? []);
    const { itemIds } = data.table;
    // The one counts function (shared/review): the review header shows the very same numbers.
    const counts = campaignCounts(
      itemIds.keys(),
      (i) => decisionClassOf(data.table, i),
      (i) => standingInputOf(states.get(itemIds[i]!)?.current),
    );
    const signers = new Set((events ?? []).filter((e) => e.type === 'decision' || e.type === 'approval').map((e) => e.actor.name));
    return { counts, signers: [...signers] };
  }, [data, events]);

  const exportPackage = async () => {
    if (!campaignId) return;
    setError(null);
    setResult(null);
    const host = getHost();
    const h = runTask(
      'buildPackage',
      { campaignId },
      {
        onProgress: setProgress,
        onCall: async (method, args) => {
          if (method !== 'sign') throw new Error(`unknown call ${method}`);
          return signWithUnlock(args as { keyId: string; message: Uint8Array });
        },
      },
    );
    try {
      const built = await h.result;
      const saved = await host.saveFile({ suggestedName: built.fileName, bytes: built.bytes, mimeType: 'application/zip' });
      if (!saved.ok) throw new Error(saved.error);
      setResult({ ...built, size: built.bytes.byteLength, savedAs: saved.value });
      if (saved.value) notifications.show({ color: 'teal', title: t('export.saved'), message: saved.value });
    } catch (e) {
      setError(t('export.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setProgress(null);
    }
  };

  /** One trust list for the auditor: the public key of every reviewer and approver of the campaign, and its owner. */
  const exportTrustList = async () => {
    const campaign = data?.campaign;
    if (!campaign) return;
    setError(null);
    const ids = new Set<string>([campaign.createdBy, ...Object.keys(campaign.reviewerLoad ?? {})]);
    for (const e of events ?? []) if (isSignedEventType(e.type)) ids.add(e.actor.id);
    const profiles = (await command('reviewers')).filter((r) => ids.has(r.id) && r.publicKey);
    const built = buildTrustList(profiles.map((r) => ({ name: r.name, email: r.email ?? null, publicKey: r.publicKey })));
    if (!built.ok) return setError(t('export.trustFailed', { problems: built.problems.join('; ') }));
    const name = `${campaign.name.replace(/[^A-Za-z0-9._-]+/g, '-')}-trusted-keys.json`;
    const saved = await getHost().saveFile({
      suggestedName: name,
      bytes: new TextEncoder().encode(trustListJson(built.file)),
      mimeType: 'application/json',
    });
    if (!saved.ok) return setError(saved.error);
    if (saved.value)
      notifications.show({
        color: 'teal',
        title: t('export.trustSaved'),
        message: t('export.trustSavedBody', { count: built.file.keys.length, names: profiles.map((p) => p.name).join(', ') }),
      });
  };

  return (
    <Stack gap="md" maw={1100}>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t('export.title')}
        </Title>
        <Group align="end">
          <Select
            label={t('export.campaign')}
            w={320}
            data={(campaigns ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={campaignId}
            onChange={(v) => v && wb.setCampaignId(v)}
            allowDeselect={false}
          />
          {/* Busy, not disabled, while exporting: it keeps focus, so the passphrase dialog can hand focus back to it. */}
          <Button
            onClick={() => !progress && void exportPackage()}
            aria-disabled={!!progress}
            rightSection={progress ? <Loader size="xs" color="white" /> : null}
            disabled={!summary || !summary.signers.length}
            data-testid="export-package"
          >
            {t('export.exportPackage')}
          </Button>
          <Button
            variant="default"
            onClick={() => void exportTrustList()}
            disabled={!data}
            data-testid="export-trust-list"
            title={t('export.trustHint')}
          >
            {t('export.exportTrust')}
          </Button>
        </Group>
        {summary && (
          <Stack gap={4} mt="md">
            <Text size="sm" data-testid="export-summary">
              {t('export.summary', {
                decided: formatCount(summary.counts.decided),
                items: formatCount(summary.counts.items),
                percent: summary.counts.percentDecided,
                pending: formatCount(summary.counts.awaitingApproval),
                escalated: formatCount(summary.counts.escalated),
                open: formatCount(summary.counts.open),
              })}
            </Text>
            <Progress value={summary.counts.percentDecided} w={400} aria-label={t('export.decided')} />
            <Text size="sm">{t('export.signedBy', { names: summary.signers.join(', ') || t('export.nobody') })}</Text>
            {summary.counts.undecided > 0 && (
              <Alert color="orange" mt="xs">
                {t('export.undecided', { n: formatCount(summary.counts.undecided) })}
              </Alert>
            )}
          </Stack>
        )}
        <Text size="xs" c="dimmed" mt="sm">
          {t('export.contents')}
        </Text>
        {progress && (
          <Group mt="sm">
            <Text size="sm">{progressLabel(progress)}</Text>
            <Progress
              value={progress.total ? (100 * progress.done) / progress.total : 0}
              w={200}
              animated
              aria-label={t('export.progressAria')}
            />
          </Group>
        )}
        {error && (
          <Alert color="red" mt="sm" data-testid="export-error">
            {error}
          </Alert>
        )}
      </Card>
      {result && (
        <Card withBorder data-testid="export-result">
          <Group justify="space-between">
            <Title order={5}>{result.savedAs ?? result.fileName}</Title>
            <Badge color="teal">{t('export.signed')}</Badge>
          </Group>
          <Table mt="xs">
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>{t('export.size')}</Table.Td>
                <Table.Td>{formatBytes(result.size)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>{t('export.manifest')}</Table.Td>
                <Table.Td>
                  <Digest value={result.manifestDigest} chars={24} />
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>{t('export.items')}</Table.Td>
                <Table.Td>
                  {t('export.itemsLine', {
                    items: formatCount(result.counts.items),
                    decided: formatCount(result.counts.decided),
                    overridden: formatCount(result.counts.overridden),
                    approved: formatCount(result.counts.stepUpApproved),
                    open: formatCount(result.counts.open),
                  })}
                </Table.Td>
              </Table.Tr>
              {result.signers.map((s) => (
                <Table.Tr key={s.fingerprint}>
                  <Table.Td>{t('export.signer')}</Table.Td>
                  <Table.Td>
                    {s.name} <Digest value={s.fingerprint} chars={24} />
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Td>{t('export.builtIn')}</Table.Td>
                <Table.Td>{t('export.seconds', { value: formatDecimal(result.seconds) })}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}

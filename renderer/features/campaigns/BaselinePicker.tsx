// The creation form's "Start from the last certification": the package is verified and compared in a worker, and
// the counts (unchanged, changed, new, removed, the review load) are shown before anything is created.
import { Alert, Button, Group, Loader, Radio, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CampaignScope } from '../../../shared/review';
import type { Policy } from '../../../shared/suggest';
import { Digest, formatCount, formatDate } from '../../components';
import { getHost } from '../../host';
import { useTranslation } from '../../i18n';
import { runTask, type TaskMap } from '../../backend';

export type BaselineScope = 'all' | 'changed-and-high';
export interface BaselineFile {
  name: string;
  bytes: Uint8Array;
}
type Preview = TaskMap['previewBaseline']['result'];

interface Props {
  file: BaselineFile | null;
  setFile: (f: BaselineFile | null) => void;
  scope: BaselineScope;
  setScope: (s: BaselineScope) => void;
  /** What the campaign would be built from: the preview is computed again when any of it changes. */
  form: { snapshotId: string | null; policy: Policy; asOf: string; scope: CampaignScope };
  /** Whether the picked package may be used (verified and compared); creation waits for it. */
  onReady: (ready: boolean) => void;
}

export function BaselinePicker({ file, setFile, scope, setScope, form, onReady }: Props) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scopeKey = JSON.stringify(form.scope);

  useEffect(() => {
    setPreview(null);
    setError(null);
    onReady(!file);
    if (!file || !form.snapshotId) return;
    setBusy(true);
    let live = true;
    const h = runTask('previewBaseline', {
      bytes: file.bytes.slice(),
      snapshotId: form.snapshotId,
      policy: form.policy,
      asOf: form.asOf,
      scope: form.scope,
    });
    h.result
      .then(
        (p) => {
          if (!live) return;
          setPreview(p);
          onReady(true);
        },
        (e: unknown) =>
          live && setError(t('campaigns.baseline.refused', { file: file.name, message: e instanceof Error ? e.message : String(e) })),
      )
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
      h.cancel();
    };
    // The scope is compared by value (a new object on every render of the form).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file, form.snapshotId, form.policy, form.asOf, scopeKey]);

  const pick = async () => {
    const r = await getHost().openFiles({ title: t('campaigns.baseline.pickTitle'), extensions: ['arwpkg'], multiple: false });
    if (r.ok && r.value[0]) setFile(r.value[0]);
    else if (!r.ok) setError(r.error);
  };

  const c = preview?.counts;
  return (
    <Stack gap={6} mt="sm" data-testid="baseline-picker">
      <Group gap="xs">
        <Button variant="default" size="xs" onClick={() => void pick()} data-testid="pick-baseline">
          {file ? t('campaigns.baseline.change') : t('campaigns.baseline.pick')}
        </Button>
        {file && (
          <Button variant="subtle" size="xs" onClick={() => setFile(null)} data-testid="clear-baseline">
            {t('campaigns.baseline.clear')}
          </Button>
        )}
        <Text size="xs" c="dimmed">
          {file ? t('campaigns.baseline.file', { file: file.name }) : t('campaigns.baseline.none')}
        </Text>
      </Group>
      {busy && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="xs">{t('campaigns.baseline.checking')}</Text>
        </Group>
      )}
      {error && (
        <Alert color="red" py={6} data-testid="baseline-error">
          {error}
        </Alert>
      )}
      {preview && c && (
        <Stack gap={4} data-testid="baseline-preview">
          <Text size="xs">
            {t('campaigns.baseline.verified', { name: preview.link.campaignName, date: formatDate(preview.link.certifiedAt.slice(0, 10)) })}{' '}
            <Digest value={preview.link.packageDigest} />
          </Text>
          <Text size="sm" fw={600} data-testid="baseline-counts">
            {t('campaigns.baseline.counts', {
              unchanged: formatCount(c.unchanged),
              changed: formatCount(c.changed),
              added: formatCount(c.new),
              removed: formatCount(c.removed),
            })}
          </Text>
          <Text size="xs" data-testid="baseline-load">
            {t('campaigns.baseline.load', {
              needing: formatCount(preview.load.needingReview),
              items: formatCount(preview.load.items),
              percent: `${Math.round(preview.load.share * 1000) / 10} %`,
              high: formatCount(preview.load.highOrCritical),
            })}
          </Text>
          <Radio.Group label={t('campaigns.baseline.scope')} value={scope} onChange={(v) => setScope(v as BaselineScope)} size="xs">
            <Stack gap={4} mt={4}>
              <Radio
                value="all"
                label={t('campaigns.baseline.scopeAll', { n: formatCount(preview.items.all) })}
                data-testid="baseline-scope-all"
              />
              <Radio
                value="changed-and-high"
                label={t('campaigns.baseline.scopeChanged', { n: formatCount(preview.items['changed-and-high']) })}
                data-testid="baseline-scope-changed"
              />
            </Stack>
          </Radio.Group>
        </Stack>
      )}
    </Stack>
  );
}

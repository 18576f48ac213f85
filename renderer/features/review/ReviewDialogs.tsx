// The review screen's dialogs: the key list, bulk accept (which lists every item it will decide) and the drift
// confirmation. While any of them is open the screen's single-key shortcuts are off (see ReviewScreen).
import { Alert, Button, Group, Kbd, Modal, Progress, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { formatCount } from '../../components';
import { useTranslation, type TranslationKey } from '../../i18n';
import type { BulkProgress } from './bulk-run';

/** Each key with the translation key of what it does. */
export const KEYS: [string, TranslationKey][] = [
  ['j / ↓', 'review.keys.next'],
  ['k / ↑', 'review.keys.previous'],
  ['a', 'review.keys.accept'],
  ['o', 'review.keys.override'],
  ['r', 'review.keys.rationale'],
  ['Ctrl+Enter', 'review.keys.save'],
  ['u', 'review.keys.undo'],
  ['/', 'review.keys.search'],
  ['b', 'review.keys.bulk'],
  ['?', 'review.keys.list'],
  ['Alt+1…6', 'review.keys.screens'],
];

export function KeysDialog({ opened, onClose, singleKeys }: { opened: boolean; onClose: () => void; singleKeys: boolean }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('review.keys.title')} closeButtonProps={{ 'aria-label': t('review.keys.close') }}>
      {!singleKeys && (
        <Alert color="gray" py={6} data-testid="single-keys-off">
          {t('review.keys.singleKeysOff')}
        </Alert>
      )}
      <Table>
        <Table.Tbody>
          {KEYS.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td>
                <Kbd>{k}</Kbd>
              </Table.Td>
              <Table.Td>{t(v)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}

export interface BulkItem {
  itemId: string;
  who: string;
  what: string;
  action: string;
  tier: string;
}

/** At most this many items are drawn in the list (the count above it is exact). */
const LISTED = 500;

export function BulkDialog(p: {
  opened: boolean;
  eligible: BulkItem[];
  open: number;
  saving: boolean;
  progress: BulkProgress | null;
  onConfirm: () => void;
  onStop: () => void;
  onClose: () => void;
}) {
  const refused = p.open - p.eligible.length;
  const progress = p.progress;
  const { t } = useTranslation();
  const tiers = new Map<string, number>();
  for (const i of p.eligible) tiers.set(i.tier, (tiers.get(i.tier) ?? 0) + 1);
  return (
    <Modal
      opened={p.opened}
      onClose={p.onClose}
      title={t('review.bulk.title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('review.bulk.close') }}
    >
      <Stack gap="xs" data-testid="bulk-dialog">
        <Text size="sm">
          {t('review.bulk.summary', {
            eligible: formatCount(p.eligible.length),
            open: formatCount(p.open),
            tiers:
              [...tiers.entries()].map(([tier, n]) => `${formatCount(n)} ${t(`enums.tier.${tier as 'low'}`)}`).join(', ') ||
              t('common.none'),
          })}
        </Text>
        <ScrollArea.Autosize mah={280} type="auto" offsetScrollbars>
          <Table withRowBorders={false} verticalSpacing={2} fz="xs" data-testid="bulk-items">
            <Table.Tbody>
              {p.eligible.slice(0, LISTED).map((i) => (
                <Table.Tr key={i.itemId} data-testid="bulk-item">
                  <Table.Td>{i.who}</Table.Td>
                  <Table.Td>{i.what}</Table.Td>
                  <Table.Td>{t('review.bulk.acceptAction', { action: t(`enums.action.${i.action as 'keep'}`) })}</Table.Td>
                  <Table.Td>{t(`enums.tier.${i.tier as 'low'}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {p.eligible.length > LISTED && (
            <Text size="xs" c="dimmed">
              {t('review.bulk.more', { n: formatCount(p.eligible.length - LISTED) })}
            </Text>
          )}
        </ScrollArea.Autosize>
        {refused > 0 && (
          <Alert color="orange" py={6}>
            {t('review.bulk.refused', { n: formatCount(refused) })}
          </Alert>
        )}
        {progress && (
          <Stack gap={4} data-testid="bulk-progress">
            <Text size="sm" role="status">
              {progress.loading
                ? t('review.bulk.loading')
                : t('review.bulk.saving', { done: formatCount(progress.done), total: formatCount(progress.total) })}
            </Text>
            <Progress
              value={progress.loading ? 100 : (100 * progress.done) / Math.max(1, progress.total)}
              animated={progress.loading}
              striped={progress.loading}
              aria-label={t('review.bulk.progress')}
            />
          </Stack>
        )}
        <Group>
          <Button onClick={p.onConfirm} disabled={!p.eligible.length} loading={p.saving} data-testid="confirm-bulk" data-autofocus>
            {t('review.bulk.confirm', { count: p.eligible.length, n: formatCount(p.eligible.length) })}
          </Button>
          {progress ? (
            <Button variant="default" onClick={p.onStop} data-testid="stop-bulk">
              {t('review.bulk.stop')}
            </Button>
          ) : (
            <Button variant="default" onClick={p.onClose}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

export function DriftDialog(p: { opened: boolean; streak: number; fastSeconds: number; onConfirm: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={p.opened} onClose={p.onClose} title={t('review.driftDialog.title')}>
      <Title order={6}>{t('review.driftDialog.streak', { count: p.streak, seconds: p.fastSeconds })}</Title>
      <Text size="sm" mt="xs">
        {t('review.driftDialog.check')}
      </Text>
      <Group mt="md">
        <Button onClick={p.onConfirm} data-testid="confirm-accept">
          {t('review.driftDialog.confirm')}
        </Button>
        <Button variant="default" onClick={p.onClose} data-autofocus>
          {t('common.back')}
        </Button>
      </Group>
    </Modal>
  );
}

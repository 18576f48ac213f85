// The identities of a snapshot, with their class and why; a person can correct a class, with a reason, and
// the correction is recorded (who, when, from, to, why) and applied wherever the snapshot is used.
import { Alert, Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { IDENTITY_TYPES, type Identity, type IdentityType } from '../../../shared/model';
import { useWorkbench } from '../../session';
import { command, type ClassCorrection, type SnapshotRecord } from '../../backend';
import { formatCount } from '../../components';
import { useTranslation } from '../../i18n';

const SHOWN = 200;

export function IdentityBrowser({ snapshot, onClose }: { snapshot: SnapshotRecord; onClose: () => void }) {
  const wb = useWorkbench();
  const [identities, setIdentities] = useState<Identity[] | null>(null);
  const [corrections, setCorrections] = useState<ClassCorrection[]>([]);
  const [resolutions, setResolutions] = useState(0);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Identity | null>(null);
  const [version, setVersion] = useState(0);
  const { t } = useTranslation();
  useEffect(() => {
    void Promise.all([
      command('loadSnapshot', { id: snapshot.id }),
      command('listClassCorrections', { snapshotId: snapshot.id }),
      command('listCorrelationResolutions', { snapshotId: snapshot.id }),
    ]).then(([s, c, r]) => {
      setIdentities(s.identities);
      setCorrections(c);
      setResolutions(r.length);
    });
  }, [snapshot.id, version]);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = identities ?? [];
    return q
      ? list.filter((i) =>
          `${i.displayName} ${i.id} ${i.email ?? ''} ${i.login ?? ''} ${i.type} ${i.typeReason ?? ''} ${i.mergeReason ?? ''}`
            .toLowerCase()
            .includes(q),
        )
      : list;
  }, [identities, query]);
  return (
    <Modal opened onClose={onClose} title={t('import.browser.title', { name: snapshot.name })} size="80rem" data-testid="identity-browser">
      <Group mb="xs">
        <TextInput
          placeholder={t('import.browser.searchPlaceholder')}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          w={420}
          aria-label={t('import.browser.search')}
          data-autofocus
        />
        <Text size="sm" c="dimmed">
          {t('import.browser.summary', {
            shown: formatCount(matches.length),
            total: formatCount(identities?.length ?? 0),
            corrections: formatCount(corrections.length),
            resolutions: formatCount(resolutions),
          })}
        </Text>
      </Group>
      <Table striped fz="sm" data-testid="identity-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('import.ident.identity')}</Table.Th>
            <Table.Th>{t('import.ident.class')}</Table.Th>
            <Table.Th>{t('import.ident.why')}</Table.Th>
            <Table.Th>{t('import.ident.status')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {matches.slice(0, SHOWN).map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                {i.displayName} <span className="mono">{i.id}</span>
                {i.mergeReason && (
                  <Text size="xs" c="teal" data-testid="merge-reason">
                    {i.mergeReason} ({i.sources?.join(', ')})
                  </Text>
                )}
              </Table.Td>
              <IdentityClassCells identity={i} />
              <Table.Td>
                <Button size="compact-xs" variant="subtle" onClick={() => setEditing(i)} disabled={!wb.reviewerRef}>
                  {t('import.browser.reclassify')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {matches.length > SHOWN && <Text size="xs">{t('import.browser.firstShown', { n: SHOWN })}</Text>}
      {editing && (
        <Reclassify
          identity={editing}
          onClose={() => setEditing(null)}
          onSave={async (to, reason) => {
            if (!wb.reviewerRef) return;
            await command('addClassCorrection', {
              snapshotId: snapshot.id,
              correction: { identityId: editing.id, from: editing.type, to, reason, by: wb.reviewerRef, at: new Date().toISOString() },
            });
            notifications.show({
              color: 'teal',
              title: t('import.browser.corrected'),
              message: t('import.browser.correctedBody', {
                name: editing.displayName,
                from: t(`enums.identityType.${editing.type}`),
                to: t(`enums.identityType.${to}`),
              }),
            });
            setEditing(null);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </Modal>
  );
}

function Reclassify({
  identity,
  onClose,
  onSave,
}: {
  identity: Identity;
  onClose: () => void;
  onSave: (to: IdentityType, reason: string) => Promise<void>;
}) {
  const [to, setTo] = useState<IdentityType | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={t('import.browser.reclassifyTitle', { name: identity.displayName })}>
      <Stack gap="sm">
        <Text size="sm">
          {t('import.browser.now')} <b>{t(`enums.identityType.${identity.type}`)}</b>: {identity.typeReason}
        </Text>
        <Select
          label={t('import.browser.classBy')}
          data={IDENTITY_TYPES.filter((v) => v !== identity.type).map((v) => ({ value: v, label: t(`enums.identityType.${v}`) }))}
          value={to}
          onChange={(v) => setTo(v as IdentityType | null)}
          data-testid="reclassify-to"
        />
        <Textarea
          label={t('import.browser.why')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          rows={3}
          data-testid="reclassify-reason"
        />
        {error && <Alert color="red">{error}</Alert>}
        <Group>
          <Button
            disabled={!to || reason.trim().length < 8}
            onClick={() => to && onSave(to, reason.trim()).catch((e: unknown) => setError(String(e)))}
            data-testid="reclassify-save"
          >
            {t('import.browser.record')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** An identity's class (with why) and status, as three cells of the identity tables. */
export function IdentityClassCells({ identity }: { identity: { type: string; typeReason?: string | undefined; status: string } }) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Td>
        <Badge variant="light" color={identity.type === 'human' ? 'gray' : 'violet'}>
          {t(`enums.identityType.${identity.type as 'human'}`, { defaultValue: identity.type })}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{identity.typeReason}</Text>
      </Table.Td>
      <Table.Td>{t(`enums.identityStatus.${identity.status as 'active'}`, { defaultValue: identity.status })}</Table.Td>
    </>
  );
}

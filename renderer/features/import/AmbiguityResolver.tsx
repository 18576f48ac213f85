// The matches correlation left ambiguous, for a person to resolve: the candidates side by side (source, name,
// e-mail, employee id, login, class, assignments) with the reason, then "merge" (which candidates are one person)
// or "keep apart", with a rationale. Each resolution is recorded (who, when, which, why) and applied wherever the
// snapshot is used from then on; an undo is a new entry, the history is never erased.
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Kbd,
  Modal,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  UnstyledButton,
} from '@mantine/core';
import { useShortcuts } from '../../session';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  ambiguityKey,
  checkResolutionRationale,
  resolutionStatus,
  type AmbiguousMatch,
  type CorrelationResolution,
} from '../../../shared/import';
import type { Identity } from '../../../shared/model';
import { useWorkbench } from '../../session';
import { formatCount, formatTime } from '../../components';
import { command, type SnapshotRecord } from '../../backend';
import { i18n, useTranslation, type TranslationKey } from '../../i18n';

interface Loaded {
  ambiguities: AmbiguousMatch[];
  resolutions: CorrelationResolution[];
  identities: Map<string, Identity>;
  assignments: Map<string, number>;
}

type Mode = 'merge' | 'keep-apart';

export function AmbiguityResolver({ snapshot, onClose }: { snapshot: SnapshotRecord; onClose: () => void }) {
  const wb = useWorkbench();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState(0);
  const { t } = useTranslation();
  useEffect(() => {
    void (async () => {
      // The records as imported (no resolution applied): the candidates are shown as the sources have them.
      const [ambiguities, resolutions, s] = await Promise.all([
        command('listAmbiguities', { snapshotId: snapshot.id }),
        command('listCorrelationResolutions', { snapshotId: snapshot.id }),
        command('loadSnapshot', { id: snapshot.id, resolutions: 0 }),
      ]);
      const wanted = new Set(ambiguities.flatMap((a) => a.candidates));
      const identities = new Map(s.identities.filter((i) => wanted.has(i.id)).map((i) => [i.id, i]));
      const assignments = new Map<string, number>();
      for (const a of s.assignments) if (wanted.has(a.identityId)) assignments.set(a.identityId, (assignments.get(a.identityId) ?? 0) + 1);
      setLoaded({ ambiguities, resolutions, identities, assignments });
    })();
  }, [snapshot.id, version]);

  const status = useMemo(() => (loaded ? resolutionStatus(loaded.ambiguities, loaded.resolutions) : []), [loaded]);
  const resolved = status.filter((s) => s.resolution).length;
  const current = status[selected];
  const move = (d: number) => setSelected((i) => Math.max(0, Math.min(status.length - 1, i + d)));

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('import.ambiguity.title', { name: snapshot.name })}
      size="90rem"
      data-testid="ambiguity-resolver"
    >
      {!loaded ? (
        <Text size="sm">{t('import.ambiguity.loading')}</Text>
      ) : !loaded.ambiguities.length ? (
        <Alert color={snapshot.correlation?.ambiguous ? 'orange' : 'blue'}>
          {snapshot.correlation?.ambiguous
            ? t('import.ambiguity.notKept', { n: formatCount(snapshot.correlation.ambiguous) })
            : t('import.ambiguity.nothing')}
        </Alert>
      ) : (
        <Stack gap="xs">
          <Group justify="space-between">
            <Text size="sm" fw={600} data-testid="ambiguity-summary">
              {t('import.ambiguousResolved', { ambiguous: formatCount(status.length), resolved: formatCount(resolved) })}
              {status.length - resolved ? ` · ${t('import.ambiguity.open', { n: formatCount(status.length - resolved) })}` : ''}
            </Text>
            <Text size="xs" c="dimmed">
              <Kbd>j</Kbd>/<Kbd>k</Kbd> {t('import.ambiguity.keys.move')} · <Kbd>1</Kbd>–<Kbd>9</Kbd> {t('import.ambiguity.keys.pick')} ·{' '}
              <Kbd>m</Kbd> {t('import.ambiguity.keys.merge')} · <Kbd>x</Kbd> {t('import.ambiguity.keys.apart')} · <Kbd>r</Kbd>{' '}
              {t('import.ambiguity.keys.rationale')} · <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd> {t('import.ambiguity.keys.record')}
            </Text>
          </Group>
          <Group align="flex-start" gap="md" wrap="nowrap">
            <ScrollArea.Autosize mah="70vh" w={320} style={{ flexShrink: 0 }} data-testid="ambiguity-list">
              <Stack gap={2}>
                {status.map((s, i) => (
                  <UnstyledButton
                    key={ambiguityKey(s.ambiguity.candidates)}
                    onClick={() => setSelected(i)}
                    data-testid="ambiguity-row"
                    aria-current={i === selected}
                    p={6}
                    style={{ borderRadius: 4, background: i === selected ? 'var(--mantine-color-blue-light)' : undefined }}
                  >
                    <Group gap={6} wrap="nowrap">
                      <StatusBadge resolution={s.resolution?.entry ?? null} />
                      <Text size="xs" lineClamp={2}>
                        {s.ambiguity.candidates.map((id) => loaded.identities.get(id)?.displayName ?? id).join(' · ')}
                      </Text>
                    </Group>
                  </UnstyledButton>
                ))}
              </Stack>
            </ScrollArea.Autosize>
            {current && (
              <AmbiguityDetail
                key={`${ambiguityKey(current.ambiguity.candidates)}:${loaded.resolutions.length}`}
                ambiguity={current.ambiguity}
                standing={current.resolution}
                history={loaded.resolutions
                  .map((entry, index) => ({ entry, index }))
                  .filter((x) => ambiguityKey(x.entry.candidates) === ambiguityKey(current.ambiguity.candidates))}
                identities={loaded.identities}
                assignments={loaded.assignments}
                canRecord={!!wb.reviewerRef}
                onMove={move}
                onRecord={async (entry) => {
                  if (!wb.reviewerRef) throw new Error(t('import.ambiguity.needReviewer'));
                  const full: CorrelationResolution = {
                    ...entry,
                    candidates: current.ambiguity.candidates,
                    by: wb.reviewerRef,
                    at: new Date().toISOString(),
                  };
                  await command('addCorrelationResolution', { snapshotId: snapshot.id, resolution: full });
                  notifications.show({
                    color: 'teal',
                    title:
                      full.action === 'merge'
                        ? t('import.ambiguity.mergeRecorded')
                        : full.action === 'undo'
                          ? t('import.ambiguity.undoRecorded')
                          : t('import.ambiguity.keptApart'),
                    message:
                      full.action === 'merge'
                        ? t('import.ambiguity.mergedBody', { n: full.identityIds.length })
                        : full.action === 'undo'
                          ? t('import.ambiguity.undoBody')
                          : t('import.ambiguity.apartBody'),
                  });
                  setVersion((v) => v + 1);
                }}
              />
            )}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function StatusBadge({ resolution }: { resolution: CorrelationResolution | null }) {
  const { t } = useTranslation();
  if (!resolution)
    return (
      <Badge size="xs" color="orange" variant="light" miw={70}>
        {t('import.ambiguity.statusOpen')}
      </Badge>
    );
  return (
    <Badge size="xs" color={resolution.action === 'merge' ? 'teal' : 'gray'} variant="light" miw={70}>
      {resolution.action === 'merge' ? t('import.ambiguity.merged') : t('import.ambiguity.keptApartBadge')}
    </Badge>
  );
}

/** Each row of the candidate table: the translation key of its label and how its value reads. */
const FIELDS: { label: TranslationKey; value: (i: Identity, assignments: number) => string }[] = [
  { label: 'import.ambiguity.field.source', value: (i) => i.sources?.join(', ') || '—' },
  { label: 'import.ambiguity.field.name', value: (i) => i.displayName },
  { label: 'import.ambiguity.field.email', value: (i) => i.email ?? '—' },
  { label: 'import.ambiguity.field.employeeId', value: (i) => i.employeeId ?? '—' },
  { label: 'import.ambiguity.field.login', value: (i) => i.login ?? '—' },
  { label: 'import.ambiguity.field.class', value: (i) => i18n.t(`enums.identityType.${i.type}`) },
  {
    label: 'import.ambiguity.field.status',
    value: (i) => {
      const s = i18n.t(`enums.identityStatus.${i.status}`);
      return i.sourceStatus && i.sourceStatus.toLowerCase() !== i.status ? `${s} (${i.sourceStatus})` : s;
    },
  },
  { label: 'import.ambiguity.field.assignments', value: (_, n) => formatCount(n) },
];

function AmbiguityDetail(props: {
  ambiguity: AmbiguousMatch;
  standing: { entry: CorrelationResolution; index: number } | null;
  history: { entry: CorrelationResolution; index: number }[];
  identities: Map<string, Identity>;
  assignments: Map<string, number>;
  canRecord: boolean;
  onMove: (d: number) => void;
  onRecord: (entry: Omit<CorrelationResolution, 'candidates' | 'by' | 'at'>) => Promise<void>;
}) {
  const { ambiguity, standing, identities, assignments } = props;
  const [mode, setMode] = useState<Mode>('merge');
  const [picked, setPicked] = useState<string[]>([]);
  const [rationale, setRationale] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [undoing, setUndoing] = useState(false);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const { t } = useTranslation();
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const rationaleProblem = rationale.trim() ? checkResolutionRationale(rationale) : null;
  const ready = !rationaleProblem && rationale.trim().length > 0 && (standing || mode === 'keep-apart' || picked.length >= 2);
  const record = async () => {
    if (!ready || saving || !props.canRecord) return;
    setSaving(true);
    setError(null);
    try {
      if (standing) await props.onRecord({ action: 'undo', identityIds: [], undoes: standing.index, rationale: rationale.trim() });
      else
        await props.onRecord({
          action: mode,
          identityIds: mode === 'merge' ? ambiguity.candidates.filter((id) => picked.includes(id)) : [],
          rationale: rationale.trim(),
        });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setSaving(false);
    }
  };
  // The resolver's own keys act inside its dialog.
  useShortcuts(
    [
      ['j', () => props.onMove(1)],
      ['k', () => props.onMove(-1)],
      ['m', () => !standing && setMode('merge')],
      ['x', () => !standing && setMode('keep-apart')],
      ...ambiguity.candidates
        .slice(0, 9)
        .map((id, i) => [`${i + 1}`, () => !standing && mode === 'merge' && toggle(id)] as [string, () => void]),
      [
        'r',
        (event) => {
          event.preventDefault();
          if (standing) setUndoing(true);
          setTimeout(() => rationaleRef.current?.focus(), 0);
        },
      ],
    ],
    { inDialog: true },
  );

  return (
    <Stack gap="sm" style={{ flex: 1, minWidth: 0 }} data-testid="ambiguity-detail">
      <Alert color={standing ? 'gray' : 'orange'} p="xs" title={t('import.ambiguity.why')} data-testid="ambiguity-reason">
        <Text size="sm">{ambiguity.reason}</Text>
      </Alert>
      <Table withTableBorder withColumnBorders fz="sm" data-testid="candidate-table" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={120} />
            {ambiguity.candidates.map((id, i) => (
              <Table.Th key={id}>
                {standing ? (
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={600}>
                      {i + 1}. <span className="mono">{id}</span>
                    </Text>
                    {standing.entry.action === 'merge' && (
                      <Badge size="xs" variant="light" color={standing.entry.identityIds.includes(id) ? 'teal' : 'gray'}>
                        {standing.entry.identityIds.includes(id) ? t('import.ambiguity.merged') : t('import.ambiguity.apart')}
                      </Badge>
                    )}
                  </Group>
                ) : (
                  <Checkbox
                    label={
                      <span>
                        <Kbd size="xs">{i + 1}</Kbd> <span className="mono">{id}</span>
                      </span>
                    }
                    checked={picked.includes(id)}
                    onChange={() => toggle(id)}
                    disabled={mode !== 'merge'}
                    aria-label={t('import.ambiguity.samePerson', { name: identities.get(id)?.displayName ?? id })}
                    data-testid="candidate-pick"
                  />
                )}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {FIELDS.map((f) => (
            <Table.Tr key={f.label}>
              <Table.Th fw={500}>{t(f.label)}</Table.Th>
              {ambiguity.candidates.map((id) => {
                const identity = identities.get(id);
                return (
                  <Table.Td key={id} style={{ overflowWrap: 'anywhere' }}>
                    {identity ? (
                      f.value(identity, assignments.get(id) ?? 0)
                    ) : f.label === 'import.ambiguity.field.name' ? (
                      <Text c="red" size="sm">
                        {t('import.ambiguity.notInSnapshot')}
                      </Text>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      {standing ? (
        <Alert color={standing.entry.action === 'merge' ? 'teal' : 'gray'} p="xs" data-testid="standing-resolution">
          <Text size="sm">
            <b>
              {standing.entry.action === 'merge'
                ? t('import.ambiguity.mergedIds', { ids: standing.entry.identityIds.join(' + ') })
                : t('import.ambiguity.keptApart')}
            </b>{' '}
            {t('import.ambiguity.byAt', { name: standing.entry.by.name, at: formatTime(standing.entry.at) })} {standing.entry.rationale}
          </Text>
          <Text size="xs" c="dimmed">
            {t('import.ambiguity.applied')}
          </Text>
        </Alert>
      ) : (
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as Mode)}
          data={[
            { value: 'merge', label: t('import.ambiguity.modeMerge') },
            { value: 'keep-apart', label: t('import.ambiguity.modeApart') },
          ]}
          aria-label={t('import.ambiguity.resolution')}
          data-testid="resolution-mode"
          w="fit-content"
        />
      )}
      {standing && !undoing ? (
        <Group>
          <Button variant="default" size="xs" onClick={() => setUndoing(true)} disabled={!props.canRecord} data-testid="undo-resolution">
            {t('import.ambiguity.undo')}
          </Button>
        </Group>
      ) : (
        <>
          <Textarea
            ref={rationaleRef}
            label={
              standing ? t('import.ambiguity.whyUndo') : mode === 'merge' ? t('import.ambiguity.whyMerge') : t('import.ambiguity.whyApart')
            }
            value={rationale}
            onChange={(e) => setRationale(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void record();
              }
            }}
            rows={2}
            autoFocus={undoing}
            error={rationaleProblem}
            data-testid="resolution-rationale"
          />
          {error && (
            <Alert color="red" p="xs" data-testid="resolution-error">
              {error}
            </Alert>
          )}
          <Group>
            <Button
              onClick={() => void record()}
              disabled={!ready || !props.canRecord}
              loading={saving}
              color={standing ? 'orange' : undefined}
              data-testid="record-resolution"
            >
              {standing
                ? t('import.ambiguity.recordUndo')
                : mode === 'merge'
                  ? picked.length >= 2
                    ? t('import.ambiguity.recordMergeOf', { n: picked.length })
                    : t('import.ambiguity.recordMerge')
                  : t('import.ambiguity.recordApart')}
            </Button>
            {!standing && mode === 'merge' && picked.length < 2 && (
              <Text size="xs" c="dimmed">
                {t('import.ambiguity.pickHint')}
              </Text>
            )}
            {!props.canRecord && (
              <Text size="xs" c="red">
                {t('import.ambiguity.chooseReviewer')}
              </Text>
            )}
          </Group>
        </>
      )}
      {props.history.length > 0 && (
        <Stack gap={2} data-testid="resolution-history">
          <Text size="xs" fw={600}>
            {t('import.ambiguity.history')}
          </Text>
          {props.history.map(({ entry, index }) => (
            <Text size="xs" key={index}>
              #{index + 1} · {formatTime(entry.at)} · {entry.by.name} ·{' '}
              <b>
                {entry.action === 'merge'
                  ? t('import.ambiguity.histMerge', { ids: entry.identityIds.join(' + ') })
                  : entry.action === 'undo'
                    ? t('import.ambiguity.histUndo', { n: (entry.undoes ?? 0) + 1 })
                    : t('import.ambiguity.histApart')}
              </b>{' '}
              · {entry.rationale}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

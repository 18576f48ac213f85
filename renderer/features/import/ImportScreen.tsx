import { Alert, Badge, Button, Card, Group, List, Progress, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { IconUpload } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { MappingPreset } from '../../../shared/import';
import { MappingStep, isTableFile, isWorkbook, type MappingChoice } from './MappingStep';
import type { ImportFile } from '../../../shared/import';
import { useWorkbench } from '../../session';
import { ListCard } from '../../components';
import { useFocusReturn } from '../../components';
import { Digest, formatBytes, formatCount, formatTime } from '../../components';
import { command, getSetting, putSetting, useResolvedCounts, useSnapshots, type SnapshotRecord } from '../../backend';
import { AmbiguityResolver } from './AmbiguityResolver';
import { IdentityBrowser, IdentityClassCells } from './IdentityBrowser';
import { getHost, importMemorySignals } from '../../host';
import { admitImport, importMemoryBudget } from '../../../shared/import';
import { runTask, type TaskHandle } from '../../backend';
import { CancelledError } from '../../../shared/model';
import type { ImportTaskFile, ImportTaskResult, TaskProgress } from '../../backend';
import { formatDecimal, progressLabel } from '../../components';
import { useTranslation } from '../../i18n';

const EXTENSIONS = ['csv', 'tsv', 'txt', 'json', 'har', 'ldif', 'ldf', 'xlsx', 'yaml', 'yml', 'c1z'];

export function ImportScreen() {
  const wb = useWorkbench();
  const snapshots = useSnapshots();
  const resolvedCounts = useResolvedCounts();
  // Files stay Blobs (a dropped File is read from disk by the worker, in chunks); the host's bytes are wrapped in one.
  const [files, setFiles] = useState<ImportTaskFile[]>([]);
  const [name, setName] = useState(() => `snapshot-${new Date().toISOString().slice(0, 10)}`);
  const [progress, setProgress] = useState<TaskProgress | null>(null);
  const [result, setResult] = useState<ImportTaskResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const handle = useRef<TaskHandle<ImportTaskResult> | null>(null);
  const [presets, setPresets] = useState<MappingPreset[]>([]);
  const [sheets, setSheets] = useState<{ file: string; sheet: string; preset: MappingPreset }[]>([]);
  const [mappingFile, setMappingFile] = useState<ImportFile | null>(null);
  const [browsing, setBrowsing] = useState<SnapshotRecord | null>(null);
  const [resolving, setResolving] = useState<SnapshotRecord | null>(null);
  const { t } = useTranslation();
  // These dialogs exist only while open: focus goes back to their opener when they close.
  useFocusReturn(browsing !== null);
  useFocusReturn(resolving !== null);
  useFocusReturn(mappingFile !== null);
  useEffect(() => {
    void getSetting<MappingPreset[]>('mappingPresets').then((p) => setPresets(p ?? []));
  }, []);
  const adoptMapping = async (file: ImportFile, choice: MappingChoice) => {
    const next = [...presets.filter((p) => p.name !== choice.preset.name), choice.preset];
    await putSetting('mappingPresets', next);
    setPresets(next);
    const nextSheets = choice.sheet
      ? [...sheets.filter((x) => x.file !== file.name), { file: file.name, sheet: choice.sheet, preset: choice.preset }]
      : sheets;
    setSheets(nextSheets);
    setMappingFile(null);
    await start(false, next, nextSheets);
  };

  const addFiles = (picked: ImportTaskFile[]) => {
    setResult(null);
    setError(null);
    setFiles((prev) => [...prev.filter((p) => !picked.some((n) => n.name === p.name)), ...picked]);
  };
  const onDrop = (dropped: File[]) => addFiles(dropped.map((f) => ({ name: f.name, blob: f })));
  // The mapping step previews a table's head (a workbook needs all of it).
  const openMapping = async (f: ImportTaskFile | undefined) =>
    setMappingFile(
      f ? { name: f.name, bytes: new Uint8Array(await (isWorkbook(f.name) ? f.blob : f.blob.slice(0, 1024 * 1024)).arrayBuffer()) } : null,
    );
  const pick = async () => {
    const r = await getHost().openFiles({ title: t('import.chooseTitle'), extensions: EXTENSIONS, multiple: true });
    if (!r.ok) setError(r.error);
    else if (r.value.length) addFiles(r.value.map((f) => ({ name: f.name, blob: new Blob([f.bytes as BlobPart]) })));
  };

  const start = async (acceptRejected: boolean, withPresets = presets, withSheets = sheets) => {
    setError(null);
    setResult(null);
    // Refused before a byte is read when the estimate passes what this machine can give (nothing stored).
    const admission = admitImport(
      files.map((f) => ({ name: f.name, bytes: f.blob.size })),
      importMemoryBudget(importMemorySignals()),
    );
    if (!admission.admitted) {
      setError(t('import.tooLarge', { need: formatBytes(admission.needBytes), limit: formatBytes(admission.budgetBytes) }));
      return;
    }
    // Blobs are cloned to the worker without copying their bytes; the originals stay here for a retry after a decision.
    const h = runTask(
      'importSnapshot',
      { files, name, acceptRejected, presets: withPresets, sheets: withSheets.filter((x) => files.some((c) => c.name === x.file)) },
      {
        onProgress: (p) => {
          setProgress(p);
          wb.setTask({ id: 'import', progress: p, cancel: () => h.cancel() });
        },
      },
    );
    handle.current = h;
    setProgress({ label: t('import.starting'), done: 0, total: 1, unit: 'bytes' });
    try {
      const r = await h.result;
      setResult(r);
      if (r.status === 'stored') {
        notifications.show({
          color: 'teal',
          title: t('import.stored'),
          message: t('import.storedBody', {
            identities: formatCount(r.totals.identities),
            assignments: formatCount(r.totals.assignments),
            seconds: formatDecimal(r.seconds),
          }),
        });
        setFiles([]);
        setSheets([]);
      }
    } catch (e) {
      setError(
        e instanceof CancelledError ? t('import.cancelled') : t('import.failed', { message: e instanceof Error ? e.message : String(e) }),
      );
    } finally {
      setProgress(null);
      wb.setTask(null);
      handle.current = null;
    }
  };

  const pct = progress && progress.total ? Math.round((100 * progress.done) / progress.total) : 0;
  return (
    <Stack gap="md" maw={1200}>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t('import.title')}
        </Title>
        <Dropzone onDrop={(f) => void onDrop(f)} multiple data-testid="dropzone" disabled={!!progress} activateOnClick={false}>
          <Group justify="center" gap="md" mih={90} style={{ pointerEvents: 'none' }}>
            <IconUpload size={32} stroke={1.5} />
            <div>
              <Text size="md">{t('import.drop')}</Text>
              <Text size="sm" c="dimmed">
                {t('import.dropHint')}
              </Text>
            </div>
          </Group>
        </Dropzone>
        <Group mt="sm" justify="space-between">
          <Button variant="default" onClick={() => void pick()} disabled={!!progress}>
            {t('import.choose')}
          </Button>
          <Group>
            <TextInput aria-label={t('import.snapshotName')} value={name} onChange={(e) => setName(e.currentTarget.value)} w={260} />
            <Button onClick={() => void start(false)} disabled={!files.length || !!progress || !name.trim()} data-testid="start-import">
              {files.length ? t('import.startFiles', { count: files.length }) : t('import.start')}
            </Button>
          </Group>
        </Group>
        {files.length > 0 && !result && (
          <Table mt="sm" data-testid="pending-files">
            <Table.Tbody>
              {files.map((f) => (
                <Table.Tr key={f.name}>
                  <Table.Td>{f.name}</Table.Td>
                  <Table.Td>{formatBytes(f.blob.size)}</Table.Td>
                  <Table.Td>
                    {isTableFile(f.name) && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => void openMapping(f)}
                        disabled={!!progress}
                        data-testid="map-columns"
                      >
                        {t('import.mapColumns')}
                      </Button>
                    )}
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="gray"
                      onClick={() => setFiles(files.filter((x) => x !== f))}
                      disabled={!!progress}
                    >
                      {t('import.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {progress && (
          <Stack gap={4} mt="sm" data-testid="import-progress">
            <Group justify="space-between">
              <Text size="sm">
                {progressLabel(progress)}{' '}
                {progress.unit === 'bytes'
                  ? t('import.progressOf', { done: formatBytes(progress.done), total: formatBytes(progress.total) })
                  : `${t('import.progressOf', { done: formatCount(progress.done), total: formatCount(progress.total) })} ${t(`progress.unit.${progress.unit}`)}`}{' '}
                {progress.rows !== undefined
                  ? `· ${t('progress.rows', { n: formatCount(progress.rows) })}`
                  : progress.detail
                    ? `· ${progress.detail}`
                    : ''}
              </Text>
              <Button size="compact-sm" color="red" variant="light" onClick={() => handle.current?.cancel()}>
                {t('common.cancel')}
              </Button>
            </Group>
            <Progress value={pct} animated aria-label={t('import.progressAria')} />
          </Stack>
        )}
        {error && (
          <Alert color="red" mt="sm" data-testid="import-error">
            {error}
          </Alert>
        )}
      </Card>
      {browsing && <IdentityBrowser snapshot={browsing} onClose={() => setBrowsing(null)} />}
      {resolving && <AmbiguityResolver snapshot={resolving} onClose={() => setResolving(null)} />}
      {mappingFile && (
        <MappingStep
          file={mappingFile}
          presets={presets}
          onClose={() => setMappingFile(null)}
          onDone={(choice) => void adoptMapping(mappingFile, choice)}
        />
      )}
      {result && (
        <ImportReport
          result={result}
          resolved={result.snapshotId ? (resolvedCounts?.get(result.snapshotId)?.resolved ?? 0) : 0}
          onResolve={() => setResolving(snapshots?.find((s) => s.id === result.snapshotId) ?? null)}
          onMap={(name) => void openMapping(files.find((f) => f.name === name))}
          onAccept={() => void start(true)}
          onAbort={() => {
            setResult(null);
            setFiles([]);
          }}
          onContinue={() => wb.setScreen('campaigns')}
        />
      )}
      <ListCard title={t('import.snapshots')} empty={!snapshots?.length}>
        <Table highlightOnHover data-testid="snapshot-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('import.col.name')}</Table.Th>
              <Table.Th>{t('import.col.created')}</Table.Th>
              <Table.Th>{t('import.col.sources')}</Table.Th>
              <Table.Th ta="right">{t('import.col.identities')}</Table.Th>
              <Table.Th ta="right">{t('import.col.entitlements')}</Table.Th>
              <Table.Th ta="right">{t('import.col.assignments')}</Table.Th>
              <Table.Th ta="right">{t('import.col.credentials')}</Table.Th>
              <Table.Th>{t('import.col.correlation')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(snapshots ?? []).map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{s.name}</Table.Td>
                <Table.Td>{formatTime(s.createdAt)}</Table.Td>
                <Table.Td>
                  <Tooltip label={s.sources.map((x) => `${x.file} (${x.format})`).join(', ')}>
                    <span>{s.sources.length}</span>
                  </Tooltip>
                </Table.Td>
                <Table.Td ta="right">
                  {resolvedCounts?.get(s.id)?.mergedAway ? (
                    <Tooltip
                      label={t('import.mergedAway', {
                        imported: formatCount(s.counts.identities),
                        merged: formatCount(resolvedCounts.get(s.id)!.mergedAway),
                      })}
                    >
                      <span data-testid="identities-after-merges">
                        {formatCount(s.counts.identities - resolvedCounts.get(s.id)!.mergedAway)}
                      </span>
                    </Tooltip>
                  ) : (
                    formatCount(s.counts.identities)
                  )}
                </Table.Td>
                <Table.Td ta="right">{formatCount(s.counts.entitlements)}</Table.Td>
                <Table.Td ta="right">{formatCount(s.counts.assignments)}</Table.Td>
                <Table.Td ta="right">{formatCount(s.counts.credentials)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {s.correlation ? (
                    <Stack gap={2} align="flex-start">
                      <Text size="xs" c="dimmed">
                        {t('import.matched', { n: formatCount(s.correlation.merged) })}
                      </Text>
                      {s.correlation.ambiguous > 0 && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          color={(resolvedCounts?.get(s.id)?.resolved ?? 0) < s.correlation.ambiguous ? 'orange' : 'teal'}
                          onClick={() => setResolving(s)}
                          data-testid="resolve-ambiguities"
                        >
                          {t('import.ambiguousResolved', {
                            ambiguous: formatCount(s.correlation.ambiguous),
                            resolved: formatCount(resolvedCounts?.get(s.id)?.resolved ?? 0),
                          })}
                          …
                        </Button>
                      )}
                    </Stack>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => setBrowsing(s)} data-testid="browse-identities">
                    {t('import.identities')}
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    onClick={() => {
                      if (confirm(t('import.confirmDelete', { name: s.name }))) void command('deleteSnapshot', { id: s.id });
                    }}
                  >
                    {t('import.delete')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ListCard>
    </Stack>
  );
}

function ImportReport({
  result,
  resolved,
  onResolve,
  onMap,
  onAccept,
  onAbort,
  onContinue,
}: {
  result: ImportTaskResult;
  resolved: number;
  onResolve: () => void;
  onMap: (file: string) => void;
  onAccept: () => void;
  onAbort: () => void;
  onContinue: () => void;
}) {
  const rejected = result.files.reduce((s, f) => s + f.rowsRejected, 0);
  const refused = result.files.filter((f) => f.refused);
  const errors = result.files.flatMap((f) => [
    ...(f.refused ? [{ file: f.file, line: 0, message: f.refused, field: undefined }] : []),
    ...f.errors,
  ]);
  const { t } = useTranslation();
  return (
    <Card withBorder data-testid="import-report">
      <Group justify="space-between" mb="sm">
        <Title order={5}>{t('import.report.title')}</Title>
        {result.status === 'stored' && (
          <Badge color="teal" size="lg">
            {t('import.report.stored')}
          </Badge>
        )}
        {result.status === 'needs-decision' && (
          <Badge color="orange" size="lg">
            {t('import.report.waiting')}
          </Badge>
        )}
        {result.status === 'refused' && (
          <Badge color="red" size="lg">
            {t('import.report.refused')}
          </Badge>
        )}
      </Group>
      <Table data-testid="import-files">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('import.report.file')}</Table.Th>
            <Table.Th>{t('import.report.format')}</Table.Th>
            <Table.Th>{t('import.report.size')}</Table.Th>
            <Table.Th>SHA-256</Table.Th>
            <Table.Th ta="right">{t('import.report.read')}</Table.Th>
            <Table.Th ta="right">{t('import.report.storedCol')}</Table.Th>
            <Table.Th ta="right">{t('import.report.rejected')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.files.map((f) => (
            <Table.Tr key={f.file}>
              <Table.Td>{f.file}</Table.Td>
              <Table.Td>
                {f.format ? (
                  <Tooltip label={f.formatReason} multiline maw={420}>
                    <Badge variant="light">{f.format}</Badge>
                  </Tooltip>
                ) : (
                  <Group gap={4}>
                    <Badge color="red" variant="light">
                      {t('import.report.refused')}
                    </Badge>
                    {isTableFile(f.file) && result.status !== 'stored' && (
                      <Button size="compact-xs" variant="light" onClick={() => onMap(f.file)} data-testid="map-refused">
                        {t('import.mapColumns')}
                      </Button>
                    )}
                  </Group>
                )}
              </Table.Td>
              <Table.Td>{formatBytes(f.size)}</Table.Td>
              <Table.Td>{f.sha256 ? <Digest value={f.sha256} /> : '—'}</Table.Td>
              <Table.Td ta="right">{formatCount(f.rowsRead)}</Table.Td>
              <Table.Td ta="right">{result.status === 'stored' ? formatCount(f.rowsStored) : '—'}</Table.Td>
              <Table.Td ta="right" c={f.rowsRejected ? 'red' : undefined}>
                {formatCount(f.rowsRejected)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" mt="sm">
        {t('import.report.totals', {
          identities: formatCount(result.totals.identities),
          entitlements: formatCount(result.totals.entitlements),
          assignments: formatCount(result.totals.assignments),
          credentials: formatCount(result.totals.credentials),
          seconds: formatDecimal(result.seconds),
        })}
      </Text>
      <Text size="sm" c="dimmed" data-testid="class-counts">
        {t('import.report.classes')}{' '}
        {Object.entries(result.classes)
          .map(([k, v]) => `${formatCount(v)} ${t(`enums.identityType.${k as 'human'}`, { defaultValue: k })}`)
          .join(' · ') || '—'}
      </Text>
      {result.files.filter((f) => f.format).length > 1 && (
        <Alert
          mt="sm"
          color={result.correlation.ambiguous ? 'orange' : 'blue'}
          title={t('import.report.correlation')}
          data-testid="correlation-summary"
        >
          {t('import.report.correlationBody', {
            merged: formatCount(result.correlation.merged),
            ambiguous: formatCount(result.correlation.ambiguous),
          })}
          {result.status === 'stored' && result.correlation.ambiguous > 0 && (
            <Group gap="xs" mt={4}>
              <Text size="sm" fw={600} data-testid="report-resolution-summary">
                {t('import.ambiguousResolved', { ambiguous: formatCount(result.correlation.ambiguous), resolved: formatCount(resolved) })}
              </Text>
              <Button size="compact-sm" variant="light" color="orange" onClick={onResolve} data-testid="report-resolve-ambiguities">
                {t('import.report.resolve')}
              </Button>
            </Group>
          )}
          {result.correlation.examples.length > 0 && (
            <List size="xs" mt={4}>
              {result.correlation.examples.map((e) => (
                <List.Item key={e}>{e}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      {result.cycles && (
        <Alert mt="sm" color="orange" title={t('import.report.cycles', { count: result.cycles.count })} data-testid="import-cycles">
          {result.cycles.shown.map((c, i) => (
            <Text size="sm" key={i} data-testid="import-cycle">
              {t('import.report.cycle', { path: c.join(' → ') })}
            </Text>
          ))}
          {result.cycles.count > result.cycles.shown.length && (
            <Text size="sm">{t('import.report.cyclesMore', { count: result.cycles.count - result.cycles.shown.length })}</Text>
          )}
        </Alert>
      )}
      {result.preview.length > 0 && (
        <details style={{ marginTop: 8 }} open={result.status === 'stored'}>
          <summary>
            <Text span size="sm" fw={600}>
              {t('import.report.identities', { n: formatCount(result.totals.identities) })}
            </Text>
          </summary>
          <Table mt={4} data-testid="identity-preview" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('import.ident.identity')}</Table.Th>
                <Table.Th>{t('import.ident.class')}</Table.Th>
                <Table.Th>{t('import.ident.why')}</Table.Th>
                <Table.Th>{t('import.ident.status')}</Table.Th>
                <Table.Th>{t('import.ident.sources')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.preview.slice(0, 12).map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.displayName}</Table.Td>
                  <IdentityClassCells identity={i} />
                  <Table.Td>
                    <Text size="xs">{i.sources.join(', ')}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </details>
      )}
      {errors.length > 0 && (
        <Alert
          mt="sm"
          color="red"
          title={`${t('import.report.rowsRejected', { n: formatCount(rejected) })}${refused.length ? `, ${t('import.report.filesRefused', { count: refused.length })}` : ''}`}
          data-testid="import-errors"
        >
          <List size="sm" spacing={2}>
            {errors.slice(0, 50).map((e, i) => (
              <List.Item key={i}>
                <span className="mono">
                  {e.file}
                  {e.line ? `:${e.line}` : ''}
                  {e.field ? ` [${e.field}]` : ''}
                </span>{' '}
                {e.message}
              </List.Item>
            ))}
          </List>
          {errors.length > 50 && <Text size="xs">{t('import.report.more', { n: formatCount(errors.length - 50) })}</Text>}
        </Alert>
      )}
      {result.status === 'needs-decision' && (
        <Group mt="sm">
          <Button color="orange" onClick={onAccept} data-testid="accept-good-rows">
            {t('import.report.acceptGood')}
          </Button>
          <Button variant="default" onClick={onAbort}>
            {t('import.report.abort')}
          </Button>
        </Group>
      )}
      {result.status === 'stored' && (
        <Group mt="sm">
          <Button onClick={onContinue} data-testid="to-campaigns">
            {t('import.report.toCampaigns')}
          </Button>
        </Group>
      )}
    </Card>
  );
}

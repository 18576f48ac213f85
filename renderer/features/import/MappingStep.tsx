// The column-mapping step for tables the importer does not know: map columns to identity, entitlement and
// assignment fields once, see the first rows as they will be stored, and save the mapping as a named preset
// that is offered again for files with the same header.
import { Alert, Badge, Button, Group, Modal, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { ImportFile } from '../../../shared/import';
import { decodeText } from '../../../shared/import';
import {
  MAPPING_FIELDS,
  findPreset,
  headerSignature,
  previewMapping,
  presetFor,
  readTable,
  suggestMapping,
  type ColumnMapping,
  type MappingField,
  type MappingPreset,
  type TableSheet,
} from '../../../shared/import';
import { IDENTITY_TYPES, PRIVILEGES, type IdentityType, type Privilege } from '../../../shared/model';
import { runTask } from '../../backend';
import { useTranslation } from '../../i18n';

/** Preview only needs the head of a large file. */
const PREVIEW_BYTES = 512 * 1024;

export function isTableFile(name: string): boolean {
  return /\.(csv|tsv|txt|xlsx|xlsm)$/i.test(name);
}

export function isWorkbook(name: string): boolean {
  return /\.(xlsx|xlsm)$/i.test(name);
}

async function readSheets(file: ImportFile): Promise<TableSheet[]> {
  // Read by a task worker: exceljs never loads on the UI thread, and xlsx-table.ts caps what the workbook may inflate to.
  if (isWorkbook(file.name)) return runTask('readWorkbook', { name: file.name, bytes: file.bytes }).result;
  const head = file.bytes.byteLength > PREVIEW_BYTES ? file.bytes.subarray(0, PREVIEW_BYTES) : file.bytes;
  let text = decodeText(head).text;
  if (head !== file.bytes) text = text.slice(0, text.lastIndexOf('\n') + 1);
  return [readTable({ name: file.name, text })];
}

export interface MappingChoice {
  preset: MappingPreset;
  /** XLSX only: the sheet the mapping reads. */
  sheet?: string;
}

export function MappingStep({
  file,
  presets,
  onClose,
  onDone,
}: {
  file: ImportFile;
  presets: MappingPreset[];
  onClose: () => void;
  onDone: (choice: MappingChoice) => void;
}) {
  const [sheets, setSheets] = useState<TableSheet[] | null>(null);
  const [sheetName, setSheetName] = useState<string | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({ columns: {} });
  const [name, setName] = useState(file.name.replace(/\.[^.]+$/, ''));
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation();
  const table = sheets?.find((s) => (s.sheet ?? null) === sheetName) ?? sheets?.[0] ?? null;

  useEffect(() => {
    readSheets(file).then(
      (s) => {
        setSheets(s);
        setSheetName(s[0]?.sheet ?? null);
      },
      (e: unknown) => setError(t('import.mapping.unreadable', { file: file.name, message: e instanceof Error ? e.message : String(e) })),
    );
  }, [file]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!table) return;
    const preset = findPreset(table.header, presets);
    setMapping(preset ? preset.mapping : suggestMapping(table.header));
    if (preset) setName(preset.name);
  }, [table, presets]);

  const preview = useMemo(() => (table ? previewMapping(table, mapping, 8) : []), [table, mapping]);
  const saved = table ? findPreset(table.header, presets) : undefined;
  const mapped = Object.values(mapping.columns).filter(Boolean).length;
  const canUse = !!table && !!mapping.columns.identityId && name.trim().length > 0;
  const setColumn = (field: MappingField, column: string | null) =>
    setMapping((m) => ({ ...m, columns: { ...m.columns, [field]: column ?? undefined } }));

  return (
    <Modal opened onClose={onClose} title={t('import.mapping.title', { file: file.name })} size="80rem" data-testid="mapping-step">
      {error && <Alert color="red">{error}</Alert>}
      {table && (
        <Stack gap="sm">
          <Group>
            {sheets && sheets.length > 1 && (
              <Select
                label={t('import.mapping.sheet')}
                data={sheets.map((s) => s.sheet ?? '')}
                value={sheetName}
                onChange={setSheetName}
                allowDeselect={false}
                w={220}
                data-testid="mapping-sheet"
              />
            )}
            <Text size="sm" c="dimmed">
              {t('import.mapping.columns', { count: table.header.length })}
              {table.delimiter ? ` ${t('import.mapping.separatedBy', { delimiter: JSON.stringify(table.delimiter) })}` : ''} ·{' '}
              {t('import.mapping.mapped', { n: mapped })} ·{' '}
              {saved ? <Badge variant="light">{t('import.mapping.saved', { name: saved.name })}</Badge> : t('import.mapping.guess')}
            </Text>
          </Group>
          <ScrollArea h={220} type="auto">
            <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
              {(Object.keys(MAPPING_FIELDS) as MappingField[]).map((field) => (
                <Select
                  key={field}
                  size="xs"
                  label={t(`import.field.${field}`)}
                  placeholder={t('import.mapping.notInFile')}
                  data={table.header}
                  value={mapping.columns[field] ?? null}
                  onChange={(v) => setColumn(field, v)}
                  clearable
                  allowDeselect={false}
                  data-testid={`map-${field}`}
                />
              ))}
            </SimpleGrid>
          </ScrollArea>
          <Group>
            <TextInput
              size="xs"
              label={t('import.mapping.defaultApplication')}
              value={mapping.defaults?.application ?? ''}
              onChange={(e) => setMapping((m) => ({ ...m, defaults: { ...m.defaults, application: e.currentTarget.value || undefined } }))}
              w={260}
              data-testid="map-default-application"
            />
            <Select
              size="xs"
              label={t('import.mapping.defaultPrivilege')}
              data={PRIVILEGES.map((v) => ({ value: v, label: t(`enums.privilege.${v}`) }))}
              value={mapping.defaults?.privilege ?? null}
              onChange={(v) =>
                setMapping((m) => ({ ...m, defaults: { ...m.defaults, privilege: (v ?? undefined) as Privilege | undefined } }))
              }
              clearable
              w={180}
            />
            <Select
              size="xs"
              label={t('import.mapping.defaultClass')}
              data={IDENTITY_TYPES.map((v) => ({ value: v, label: t(`enums.identityType.${v}`) }))}
              value={mapping.defaults?.type ?? null}
              onChange={(v) =>
                setMapping((m) => ({ ...m, defaults: { ...m.defaults, type: (v ?? undefined) as IdentityType | undefined } }))
              }
              clearable
              w={200}
            />
            <Select
              size="xs"
              label={t('import.mapping.dates')}
              data={[
                { value: 'mdy', label: t('import.mapping.mdy') },
                { value: 'dmy', label: t('import.mapping.dmy') },
              ]}
              value={mapping.dateOrder ?? 'mdy'}
              onChange={(v) => setMapping((m) => ({ ...m, dateOrder: (v ?? 'mdy') as 'mdy' | 'dmy' }))}
              allowDeselect={false}
              w={180}
            />
          </Group>
          <Text size="sm" fw={600}>
            {t('import.mapping.preview')}
          </Text>
          <ScrollArea h={230} type="auto">
            <Table striped data-testid="mapping-preview" fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('import.mapping.col.line')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.identity')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.class')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.status')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.entitlement')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.application')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.privilege')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.granted')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.lastUsed')}</Table.Th>
                  <Table.Th>{t('import.mapping.col.problems')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.map((r) => (
                  <Table.Tr key={r.line}>
                    <Table.Td>{r.line}</Table.Td>
                    <Table.Td>
                      {r.identity?.displayName ?? '—'} <span className="mono">{r.identity?.id ?? ''}</span>
                    </Table.Td>
                    <Table.Td>{r.identity?.type ?? ''}</Table.Td>
                    <Table.Td>{r.identity?.status ?? ''}</Table.Td>
                    <Table.Td>{r.entitlement?.name ?? '—'}</Table.Td>
                    <Table.Td>{r.entitlement?.application ?? ''}</Table.Td>
                    <Table.Td>{r.entitlement?.privilege ?? ''}</Table.Td>
                    <Table.Td>{r.assignment?.grantedAt ?? ''}</Table.Td>
                    <Table.Td>{r.assignment?.lastUsedAt ?? (r.assignment ? t('common.never') : '')}</Table.Td>
                    <Table.Td c="red">{r.errors.map((e) => `${e.field ? `[${e.field}] ` : ''}${e.message}`).join('; ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Group justify="space-between">
            <TextInput
              size="xs"
              label={t('import.mapping.saveAs')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              w={300}
              data-testid="mapping-name"
            />
            <Group>
              {!mapping.columns.identityId && (
                <Text size="xs" c="red">
                  {t('import.mapping.needId')}
                </Text>
              )}
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button
                disabled={!canUse}
                onClick={() =>
                  onDone({ preset: presetFor(name.trim(), table.header, mapping), ...(table.sheet ? { sheet: table.sheet } : {}) })
                }
                data-testid="use-mapping"
              >
                {t('import.mapping.use')}
              </Button>
            </Group>
          </Group>
          <Text size="xs" c="dimmed">
            {t('import.mapping.signature', { signature: headerSignature(table.header).slice(0, 60) })}
          </Text>
        </Stack>
      )}
    </Modal>
  );
}

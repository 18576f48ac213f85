// Colleagues' public keys: import one (a key file they exported, or its text pasted), compare its fingerprint with
// them out of band, pin it. A pinned colleague can be assigned work (sent as a work package) and their decision sets
// and work packages verify against their key; nobody can act as them on this machine.
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { parseTrustedKeys } from '../../../shared/package';
import { useWorkbench } from '../../session';
import { Digest, formatTime } from '../../components';
import { command, usePinnedKeys, type PinnedKey, type ReviewerRecord } from '../../backend';
import { getHost } from '../../host';
import { errorText } from './exchange-actions';
import { i18n, useTranslation } from '../../i18n';

type Candidate = PinnedKey;

/** Reads a trusted-keys file ({"keys": [...]}) or a single entry, as exported by "Export my public key". */
export function readKeyText(text: string): { ok: true; keys: Candidate[] } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: i18n.t('exchange.keys.notJson', { message: errorText(e) }) };
  }
  const wrapped = json && typeof json === 'object' && !Array.isArray(json) && 'keys' in json ? json : { keys: [json] };
  const parsed = parseTrustedKeys(wrapped);
  if (!parsed.ok) return { ok: false, problem: parsed.problems.join('; ') };
  const raw = (wrapped as { keys: Record<string, unknown>[] }).keys;
  return {
    ok: true,
    keys: parsed.keys.map((k, i) => {
      const id = raw[i]?.arwProfileId;
      return {
        ...k,
        ...(typeof id === 'string' && /^[A-Za-z0-9._-]{1,80}$/.test(id) ? { arwProfileId: id } : {}),
        pinnedAt: '',
        pinnedBy: '',
      };
    }),
  };
}

function profileIdFor(k: Candidate): string {
  if (k.arwProfileId) return k.arwProfileId;
  const base =
    (k.email ?? k.name)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'colleague';
  return `${base}-${k.fingerprint.slice(7, 15)}`;
}

export function TrustedKeysCard() {
  const wb = useWorkbench();
  const pinned = usePinnedKeys();
  const [text, setText] = useState('');
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { t } = useTranslation();

  const read = (source: string) => {
    const r = readKeyText(source);
    if (r.ok) {
      setCandidates(r.keys);
      setProblem(null);
    } else {
      setCandidates(null);
      setProblem(t('exchange.keys.notKeyFile', { problem: r.problem }));
    }
  };
  const pickFile = async () => {
    const r = await getHost().openFiles({ title: t('exchange.keys.pickTitle'), extensions: ['json'], multiple: false });
    if (!r.ok) return setProblem(r.error);
    const f = r.value[0];
    if (!f) return;
    const source = new TextDecoder().decode(f.bytes);
    setText(source);
    read(source);
  };
  const pin = async () => {
    if (!candidates || !wb.activeReviewer) return;
    const now = new Date().toISOString();
    const [existing, everyone] = await Promise.all([command('pinnedKeys'), command('reviewers')]);
    // The colleagues' profiles and the pinned keys are saved together, or not at all.
    const profiles: ReviewerRecord[] = [];
    const locals = everyone.filter((r) => !r.remote);
    const next = [...existing];
    for (const c of candidates) {
      if (locals.some((l) => l.fingerprint === c.fingerprint)) {
        setProblem(t('exchange.keys.isLocal', { name: c.name }));
        return;
      }
      if (next.some((k) => k.fingerprint === c.fingerprint)) continue;
      next.push({ ...c, pinnedAt: now, pinnedBy: wb.activeReviewer.id });
      const id = profileIdFor(c);
      if (locals.some((l) => l.id === id)) {
        setProblem(t('exchange.keys.idTaken', { id }));
        return;
      }
      // A colleague's new key (after a lost passphrase) replaces the one pinned for the same profile, on the record.
      const before = everyone.find((r) => r.remote && r.id === id && r.fingerprint !== c.fingerprint);
      const previousKeys = before
        ? [
            ...(before.previousKeys ?? []),
            {
              keyId: '',
              fingerprint: before.fingerprint,
              publicKey: before.publicKey,
              replacedAt: now,
              reason: 'passphrase-lost' as const,
            },
          ]
        : undefined;
      profiles.push({
        id,
        name: c.name,
        ...(c.email ? { email: c.email } : {}),
        remote: true,
        keyId: '',
        publicKey: c.publicKey,
        fingerprint: c.fingerprint,
        createdAt: now,
        ...(previousKeys ? { previousKeys } : {}),
      });
    }
    await command('savePinnedKeys', { keys: next, reviewers: profiles });
    notifications.show({
      color: 'teal',
      title: t('exchange.keys.pinnedTitle'),
      message: candidates.map((c) => `${c.name} ${c.fingerprint.slice(0, 23)}…`).join(', '),
    });
    setCandidates(null);
    setText('');
  };
  const unpin = async (k: PinnedKey) => {
    await command('savePinnedKeys', { keys: (await command('pinnedKeys')).filter((x) => x.fingerprint !== k.fingerprint), reviewers: [] });
  };

  return (
    <Card withBorder data-testid="trusted-keys">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('exchange.keys.title')}</Title>
        <Button size="xs" variant="default" onClick={() => void pickFile()} data-testid="pick-key-file">
          {t('exchange.keys.import')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t('exchange.keys.explain')}
      </Text>
      <Stack gap="xs">
        <Textarea
          placeholder={t('exchange.keys.paste')}
          aria-label={t('exchange.keys.pasteLabel')}
          autosize
          minRows={2}
          maxRows={6}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            if (e.currentTarget.value.trim()) read(e.currentTarget.value);
            else setCandidates(null);
          }}
          data-testid="key-text"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 11 } }}
        />
        {problem && (
          <Alert color="red" data-testid="key-problem">
            {problem}
          </Alert>
        )}
        {candidates && (
          <Alert color="blue" title={t('exchange.keys.compare')} data-testid="key-candidate">
            {candidates.map((c) => (
              <Group key={c.fingerprint} gap="xs">
                <Text size="sm" fw={600}>
                  {c.name}
                </Text>
                <Text size="sm">{c.email ?? ''}</Text>
                <Text size="xs" ff="monospace">
                  {c.fingerprint}
                </Text>
                {c.arwProfileId && <Badge variant="light">{t('exchange.keys.profile', { id: c.arwProfileId })}</Badge>}
              </Group>
            ))}
            <Button mt="xs" size="xs" onClick={() => void pin().catch((e: unknown) => setProblem(errorText(e)))} data-testid="pin-key">
              {t('exchange.keys.pin', { count: candidates.length })}
            </Button>
          </Alert>
        )}
        {pinned && pinned.length > 0 && (
          <Table data-testid="pinned-keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.profiles.name')}</Table.Th>
                <Table.Th>{t('settings.profiles.email')}</Table.Th>
                <Table.Th>{t('exchange.keys.fingerprint')}</Table.Th>
                <Table.Th>{t('exchange.keys.pinned')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pinned.map((k) => (
                <Table.Tr key={k.fingerprint}>
                  <Table.Td>{k.name}</Table.Td>
                  <Table.Td>{k.email ?? '—'}</Table.Td>
                  <Table.Td>
                    <Digest value={k.fingerprint} chars={24} />
                  </Table.Td>
                  <Table.Td>{formatTime(k.pinnedAt)}</Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => void unpin(k)}>
                      {t('exchange.keys.unpin')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  Modal,
  PasswordInput,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  useMantineColorScheme,
} from '@mantine/core';
import { passphraseProblem } from '../../../shared/exchange';
import { DEFAULT_POLICY, parsePolicy, policyDigest } from '../../../shared/suggest';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import type { KeyStatus } from '../../../shared/contracts';
import { useWorkbench } from '../../session';
import { Digest, formatTime } from '../../components';
import { command, type ReviewerRecord } from '../../backend';
import { getHost } from '../../host';
import { TrustedKeysCard } from '../exchange';
import { LANGUAGES, LANGUAGE_NAMES, currentLanguage, i18n, setLanguage, useTranslation, type Language } from '../../i18n';

async function createProfile(name: string, email: string, passphrase: string): Promise<string> {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'reviewer';
  const id = `${slug}-${crypto.randomUUID().slice(0, 8)}`;
  const key = await getHost().createProtectedKey({ keyId: id, profile: { id, name }, passphrase });
  if (!key.ok) throw new Error(key.error);
  await command('saveReviewer', {
    reviewer: {
      id,
      name,
      ...(email ? { email } : {}),
      keyId: key.value.keyId,
      publicKey: key.value.publicKey,
      fingerprint: key.value.fingerprint,
      createdAt: key.value.createdAt,
    },
  });
  return id;
}

function ProfileForm({ onCreated, submitLabel }: { onCreated: (id: string) => void; submitLabel: string }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation();
  const weak = passphrase ? passphraseProblem(passphrase) : null;
  const valid = name.trim().length >= 2 && (!email || /^[^@\s]+@[^@\s]+$/.test(email)) && !!passphrase && !weak && repeat === passphrase;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        setBusy(true);
        createProfile(name.trim(), email.trim(), passphrase)
          .then(onCreated, (err: unknown) => setError(String(err)))
          .finally(() => setBusy(false));
      }}
    >
      <Stack gap="sm">
        <TextInput
          label={t('settings.profile.fullName')}
          placeholder={t('settings.profile.fullNamePlaceholder')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          data-autofocus
        />
        <TextInput
          label={t('settings.profile.email')}
          placeholder={t('settings.profile.emailPlaceholder')}
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={email && !/^[^@\s]+@[^@\s]+$/.test(email) ? t('settings.profile.notAnEmail') : null}
        />
        <PasswordInput
          label={t('settings.profile.passphrase')}
          description={t('settings.profile.passphraseHint')}
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          error={weak}
          required
        />
        <PasswordInput
          label={t('settings.profile.repeatPassphrase')}
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={repeat && repeat !== passphrase ? t('settings.profile.mismatch') : null}
          required
        />
        {error && <Alert color="red">{error}</Alert>}
        <Button type="submit" loading={busy} disabled={!valid}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}

/** First run: nobody can decide anything before they say who they are. */
export function ReviewerOnboarding() {
  const wb = useWorkbench();
  const open = wb.reviewers !== undefined && wb.reviewers.length === 0;
  const { t } = useTranslation();
  return (
    <Modal opened={open} onClose={() => {}} withCloseButton={false} title={t('settings.onboarding.title')} centered>
      <Text size="sm" c="dimmed" mb="sm">
        {t('settings.onboarding.body')}
      </Text>
      <ProfileForm submitLabel={t('settings.onboarding.submit')} onCreated={(id) => void wb.setActiveReviewer(id)} />
    </Modal>
  );
}

export function SettingsScreen() {
  const wb = useWorkbench();
  const [adding, setAdding] = useState(false);
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const { t } = useTranslation();
  const exportKey = async () => {
    const r = wb.activeReviewer;
    if (!r) return;
    // arwProfileId: the id this person's decisions carry, so a campaign owner who pins the key assigns work to it.
    const entry = {
      keys: [
        {
          name: r.name,
          ...(r.email ? { email: r.email } : {}),
          arwProfileId: r.id,
          ...(r.previousKeys?.length
            ? { arwReplaces: r.previousKeys.map((k) => ({ fingerprint: k.fingerprint, replacedAt: k.replacedAt, reason: k.reason })) }
            : {}),
          fingerprint: r.fingerprint,
          publicKey: r.publicKey,
          kty: 'OKP',
          crv: 'Ed25519',
          x: r.publicKey.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
        },
      ],
    };
    const res = await getHost().saveFile({
      suggestedName: `${r.id}.trusted-keys.json`,
      bytes: new TextEncoder().encode(JSON.stringify(entry, null, 2)),
      mimeType: 'application/json',
    });
    if (!res.ok) notifications.show({ color: 'red', title: t('settings.profiles.exportFailed'), message: res.error });
    else if (res.value) notifications.show({ title: t('settings.profiles.exported'), message: res.value });
  };
  return (
    <Stack gap="lg" maw={1100}>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={4}>{t('settings.profiles.title')}</Title>
          <Group>
            <Button variant="default" size="xs" onClick={() => void exportKey()} disabled={!wb.activeReviewer}>
              {t('settings.profiles.exportKey')}
            </Button>
            <Button size="xs" onClick={() => setAdding(true)}>
              {t('settings.profiles.add')}
            </Button>
          </Group>
        </Group>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings.profiles.name')}</Table.Th>
              <Table.Th>{t('settings.profiles.email')}</Table.Th>
              <Table.Th>{t('settings.profiles.fingerprint')}</Table.Th>
              <Table.Th>{t('settings.profiles.key')}</Table.Th>
              <Table.Th>{t('settings.profiles.created')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(wb.reviewers ?? [])
              .filter((r) => !r.remote)
              .map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{r.email ?? '—'}</Table.Td>
                  <Table.Td data-testid={`fingerprint-${r.id}`}>
                    <Digest value={r.fingerprint} chars={24} />
                  </Table.Td>
                  <Table.Td>
                    <KeyActions profile={r} active={r.id === wb.activeReviewer?.id} />
                  </Table.Td>
                  <Table.Td>{formatTime(r.createdAt)}</Table.Td>
                  <Table.Td>
                    {r.id === wb.activeReviewer?.id ? (
                      <Badge style={{ minWidth: 'max-content' }}>{t('settings.profiles.active')}</Badge>
                    ) : (
                      <Button size="compact-xs" variant="light" onClick={() => void wb.switchReviewer(r.id)}>
                        {t('settings.profiles.switchTo')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt="xs">
          {t('settings.profiles.privateKeysNote')}
        </Text>
      </Card>
      <TrustedKeysCard />
      <Card withBorder>
        <Title order={4} mb="xs">
          {t('settings.appearance.title')}
        </Title>
        <SegmentedControl
          value={colorScheme}
          onChange={(v) => setColorScheme(v as 'light' | 'dark' | 'auto')}
          data={(['light', 'dark', 'auto'] as const).map((v) => ({ value: v, label: t(`settings.theme.${v}`) }))}
          aria-label={t('settings.appearance.theme')}
        />
        <LanguagePicker />
      </Card>
      <KeyboardCard />
      <PolicyEditor />
      <Modal opened={adding} onClose={() => setAdding(false)} title={t('settings.profiles.newTitle')}>
        <ProfileForm
          submitLabel={t('settings.profiles.create')}
          onCreated={() => {
            setAdding(false);
            notifications.show({ title: t('settings.profiles.createdTitle'), message: t('settings.profiles.createdBody') });
          }}
        />
      </Modal>
    </Stack>
  );
}

/** A profile's key: protected by a passphrase or not, opened for this session or not; lock, change the passphrase. */
function KeyActions({ profile, active }: { profile: ReviewerRecord; active: boolean }) {
  const [status, setStatus] = useState<KeyStatus | null>(null);
  const [changing, setChanging] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const { t } = useTranslation();
  const refresh = useCallback(
    () =>
      void getHost()
        .keyStatus(profile.keyId)
        .then((r) => r.ok && setStatus(r.value)),
    [profile.keyId],
  );
  useEffect(refresh, [refresh]);
  if (!status) return null;
  if (!status.passphrase)
    return (
      <Badge variant="light" color="gray" title={t('settings.key.noPassphraseHint')}>
        {t('settings.key.noPassphrase')}
      </Badge>
    );
  return (
    <Stack gap={4}>
      <Group gap={4}>
        <Badge variant="light" color={status.unlocked ? 'orange' : 'teal'} data-testid={`key-status-${profile.id}`}>
          {status.unlocked ? t('settings.key.open') : t('settings.key.locked')}
        </Badge>
        {profile.previousKeys?.length ? (
          <Badge
            variant="outline"
            color="gray"
            title={profile.previousKeys
              .map((k) => t('settings.key.replacedLine', { fingerprint: k.fingerprint, at: k.replacedAt, reason: k.reason }))
              .join('\n')}
            data-testid={`key-history-${profile.id}`}
          >
            {t('settings.key.earlierKeys', { count: profile.previousKeys.length })}
          </Badge>
        ) : null}
      </Group>
      <Group gap={4}>
        {status.unlocked && (
          <Button size="compact-xs" variant="subtle" onClick={() => void getHost().lockKey(profile.keyId).then(refresh)}>
            {t('settings.key.lock')}
          </Button>
        )}
        {active && (
          <Button size="compact-xs" variant="subtle" onClick={() => setChanging(true)}>
            {t('settings.key.change')}
          </Button>
        )}
        {active && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => setReplacing(true)} data-testid="lost-passphrase">
            {t('settings.key.lost')}
          </Button>
        )}
      </Group>
      <ChangePassphrase opened={changing} onClose={() => setChanging(false)} profile={profile} />
      <ReplaceKey opened={replacing} onClose={() => setReplacing(false)} profile={profile} />
    </Stack>
  );
}

function ChangePassphrase({ opened, onClose, profile }: { opened: boolean; onClose: () => void; profile: ReviewerRecord }) {
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation();
  const weak = next ? passphraseProblem(next) : null;
  const save = async () => {
    const r = await getHost().changePassphrase({ keyId: profile.keyId, oldPassphrase: old, newPassphrase: next });
    if (!r.ok) return setError(r.error);
    notifications.show({ color: 'teal', title: t('settings.key.changedTitle'), message: t('settings.key.changedBody') });
    setOld('');
    setNext('');
    setRepeat('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('settings.key.changeTitle', { name: profile.name })}>
      <Stack gap="sm">
        <PasswordInput label={t('settings.key.current')} value={old} onChange={(e) => setOld(e.currentTarget.value)} />
        <PasswordInput label={t('settings.key.new')} value={next} onChange={(e) => setNext(e.currentTarget.value)} error={weak} />
        <PasswordInput
          label={t('settings.key.repeatNew')}
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={repeat && repeat !== next ? t('settings.profile.mismatch') : null}
        />
        {error && <Alert color="red">{error}</Alert>}
        <Text size="xs" c="dimmed">
          {t('settings.key.lostHint')}
        </Text>
        <Button onClick={() => void save()} disabled={!old || !next || !!weak || repeat !== next}>
          {t('settings.key.change')}
        </Button>
      </Stack>
    </Modal>
  );
}

/**
 * A lost passphrase cannot be recovered: the profile gets a new key under a new passphrase, and the old key is kept
 * in the profile's key history (what, when, why). Everything signed with the old key stays valid; colleagues pin the
 * new public key (exported again), and work not yet returned is re-issued to it.
 */
function ReplaceKey({ opened, onClose, profile }: { opened: boolean; onClose: () => void; profile: ReviewerRecord }) {
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();
  const weak = next ? passphraseProblem(next) : null;
  const replace = async () => {
    setBusy(true);
    setError(null);
    try {
      const keyId = `${profile.id}.k${(profile.previousKeys?.length ?? 0) + 2}`.slice(-64);
      const key = await getHost().createProtectedKey({ keyId, profile: { id: profile.id, name: profile.name }, passphrase: next });
      if (!key.ok) throw new Error(key.error);
      await getHost().lockKey(profile.keyId);
      const replacedAt = new Date().toISOString();
      await command('saveReviewer', {
        reviewer: {
          ...profile,
          keyId: key.value.keyId,
          publicKey: key.value.publicKey,
          fingerprint: key.value.fingerprint,
          previousKeys: [
            ...(profile.previousKeys ?? []),
            { keyId: profile.keyId, fingerprint: profile.fingerprint, publicKey: profile.publicKey, replacedAt, reason: 'passphrase-lost' },
          ],
        },
      });
      notifications.show({
        color: 'orange',
        title: t('settings.key.newInForceTitle'),
        message: t('settings.key.newInForceBody', { fingerprint: key.value.fingerprint.slice(0, 23) }),
      });
      setNext('');
      setRepeat('');
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('settings.key.newKeyTitle', { name: profile.name })}>
      <Stack gap="sm">
        <Text size="sm">{t('settings.key.newKeyBody', { name: profile.name })}</Text>
        <PasswordInput
          label={t('settings.key.new')}
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={weak}
          data-testid="replace-passphrase"
        />
        <PasswordInput
          label={t('settings.key.repeatNew')}
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={repeat && repeat !== next ? t('settings.profile.mismatch') : null}
          data-testid="replace-passphrase-repeat"
        />
        {error && <Alert color="red">{error}</Alert>}
        <Button
          color="red"
          onClick={() => void replace()}
          loading={busy}
          disabled={!next || !!weak || repeat !== next}
          data-testid="replace-key"
        >
          {t('settings.key.makeNew')}
        </Button>
      </Stack>
    </Modal>
  );
}

/** The suggestion policy: shown, edited as JSON with validation that names the field, imported and exported. */
function PolicyEditor() {
  const wb = useWorkbench();
  const [text, setText] = useState(() => JSON.stringify(wb.policy, null, 2));
  const [errors, setErrors] = useState<string[]>([]);
  const [editing, setEditing] = useState(false);
  const { t } = useTranslation();
  const shown = editing ? text : JSON.stringify(wb.policy, null, 2);
  const save = async (source: string) => {
    const parsed = parsePolicy(source);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors([]);
    await wb.setPolicy(parsed.policy);
    setEditing(false);
    notifications.show({
      color: 'teal',
      title: t('settings.policy.inForceTitle', { version: parsed.policy.version }),
      message: t('settings.policy.inForceBody', { digest: policyDigest(parsed.policy) }),
    });
  };
  const importFile = async () => {
    const r = await getHost().openFiles({ title: i18n.t('settings.policy.importTitle'), extensions: ['json'], multiple: false });
    if (!r.ok) return setErrors([r.error]);
    const file = r.value[0];
    if (!file) return;
    const source = new TextDecoder().decode(file.bytes);
    setText(source);
    setEditing(true);
    await save(source);
  };
  const exportFile = async () => {
    await getHost().saveFile({
      suggestedName: `policy-v${wb.policy.version}.json`,
      bytes: new TextEncoder().encode(JSON.stringify(wb.policy, null, 2)),
      mimeType: 'application/json',
    });
  };
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('settings.policy.title')}</Title>
        <Digest value={wb.policyDigest} chars={20} />
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        {t('settings.policy.body', { name: wb.policy.name, version: wb.policy.version })}
      </Text>
      <Textarea
        aria-label={t('settings.policy.json')}
        data-testid="policy-json"
        // Until the stored policy is read, the default would show (and could be edited and saved over it).
        disabled={!wb.policyReady}
        placeholder={wb.policyReady ? undefined : t('settings.policy.loading')}
        value={wb.policyReady ? shown : ''}
        onChange={(e) => {
          setEditing(true);
          setText(e.currentTarget.value);
        }}
        rows={14}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      />
      {errors.length > 0 && (
        <Alert color="red" mt="xs" title={t('settings.policy.notSaved')} data-testid="policy-errors">
          <List size="sm">
            {errors.slice(0, 20).map((e) => (
              <List.Item key={e}>{e}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Group mt="xs">
        <Button size="xs" onClick={() => void save(text)} disabled={!editing} data-testid="save-policy">
          {t('settings.policy.save')}
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => {
            setEditing(false);
            setErrors([]);
          }}
          disabled={!editing}
        >
          {t('settings.policy.discard')}
        </Button>
        <Button size="xs" variant="default" onClick={() => void importFile()} disabled={!wb.policyReady}>
          {t('settings.policy.import')}
        </Button>
        <Button size="xs" variant="default" onClick={() => void exportFile()} disabled={!wb.policyReady}>
          {t('settings.policy.export')}
        </Button>
        <Button
          size="xs"
          variant="subtle"
          color="gray"
          disabled={!wb.policyReady}
          onClick={() => {
            setText(JSON.stringify(DEFAULT_POLICY, null, 2));
            setEditing(true);
          }}
        >
          {t('settings.policy.defaults')}
        </Button>
      </Group>
    </Card>
  );
}

/** The UI language: persisted on this machine like the theme; until chosen, the system language if supported. */
function LanguagePicker() {
  const { t } = useTranslation();
  const [lng, setLng] = useState<Language>(currentLanguage);
  return (
    <Group mt="sm" gap="sm">
      <Text size="sm" id="language-label">
        {t('settings.appearance.language')}
      </Text>
      <SegmentedControl
        value={lng}
        aria-labelledby="language-label"
        data-testid="language"
        onChange={(v) => {
          setLng(v as Language);
          void setLanguage(v as Language);
        }}
        data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      />
    </Group>
  );
}

/** WCAG 2.1.4: single-key shortcuts can be turned off; keys with a modifier and every button still work. */
function KeyboardCard() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        {t('settings.keyboard.title')}
      </Title>
      <Switch
        checked={wb.singleKeyShortcuts}
        onChange={(e) => wb.setSingleKeyShortcuts(e.currentTarget.checked)}
        label={t('settings.keyboard.singleKeys')}
        description={t('settings.keyboard.singleKeysHint')}
        data-testid="single-key-shortcuts"
      />
    </Card>
  );
}

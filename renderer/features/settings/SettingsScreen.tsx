import { Alert, Badge, Button, Card, Group, List, Modal, PasswordInput, SegmentedControl, Stack, Switch, Table, Text, TextInput, Textarea, Title, useMantineColorScheme } from '@mantine/core';
import { passphraseProblem } from '../../../shared/exchange/key-wrap';
import { DEFAULT_POLICY, parsePolicy, policyDigest } from '../../../shared/suggest';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import type { KeyStatus } from '../../../shared/contracts';
import { useWorkbench } from '../../app/workbench-context';
import { Digest, formatTime } from '../../components/format';
import { database, saveReviewer, type ReviewerRecord } from '../../db';
import { getHost } from '../../host';
import { TrustedKeysCard } from '../exchange';

async function createProfile(name: string, email: string, passphrase: string): Promise<string> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'reviewer';
  const id = `${slug}-${crypto.randomUUID().slice(0, 8)}`;
  const key = await getHost().createProtectedKey({ keyId: id, profile: { id, name }, passphrase });
  if (!key.ok) throw new Error(key.error);
  await saveReviewer(database(), { id, name, ...(email ? { email } : {}), keyId: key.value.keyId, publicKey: key.value.publicKey, fingerprint: key.value.fingerprint, createdAt: key.value.createdAt });
  return id;
}

function ProfileForm({ onCreated, submitLabel }: { onCreated: (id: string) => void; submitLabel: string }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
        <TextInput label="Full name" placeholder="Jun Tanaka" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
        <TextInput label="Email" placeholder="jun.tanaka@example.com" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={email && !/^[^@\s]+@[^@\s]+$/.test(email) ? 'not an email address' : null} />
        <PasswordInput label="Passphrase" description="Protects your signing key on this machine, on top of the system's key store: only you can sign as you. At least 12 characters; several words are easiest." value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} error={weak} required />
        <PasswordInput label="Repeat the passphrase" value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} error={repeat && repeat !== passphrase ? 'the two do not match' : null} required />
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
  return (
    <Modal opened={open} onClose={() => {}} withCloseButton={false} title="Who is reviewing on this machine?" centered>
      <Text size="sm" c="dimmed" mb="sm">
        Every decision and every package is signed with your own key, created now and kept by this app ({'the private key never leaves it'}).
      </Text>
      <ProfileForm submitLabel="Create my reviewer profile" onCreated={(id) => void wb.setActiveReviewer(id)} />
    </Modal>
  );
}

export function SettingsScreen() {
  const wb = useWorkbench();
  const [adding, setAdding] = useState(false);
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const exportKey = async () => {
    const r = wb.activeReviewer;
    if (!r) return;
    // arwProfileId: the id this person's decisions carry, so a campaign owner who pins the key assigns work to it.
    const entry = { keys: [{ name: r.name, ...(r.email ? { email: r.email } : {}), arwProfileId: r.id, ...(r.previousKeys?.length ? { arwReplaces: r.previousKeys.map((k) => ({ fingerprint: k.fingerprint, replacedAt: k.replacedAt, reason: k.reason })) } : {}), fingerprint: r.fingerprint, publicKey: r.publicKey, kty: 'OKP', crv: 'Ed25519', x: r.publicKey.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }] };
    const res = await getHost().saveFile({ suggestedName: `${r.id}.trusted-keys.json`, bytes: new TextEncoder().encode(JSON.stringify(entry, null, 2)), mimeType: 'application/json' });
    if (!res.ok) notifications.show({ color: 'red', title: 'Could not save the public key', message: res.error });
    else if (res.value) notifications.show({ title: 'Public key exported', message: res.value });
  };
  return (
    <Stack gap="lg" maw={1100}>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={4}>Reviewer profiles</Title>
          <Group>
            <Button variant="default" size="xs" onClick={() => void exportKey()} disabled={!wb.activeReviewer}>
              Export my public key
            </Button>
            <Button size="xs" onClick={() => setAdding(true)}>
              Add profile
            </Button>
          </Group>
        </Group>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Key fingerprint</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(wb.reviewers ?? []).filter((r) => !r.remote).map((r) => (
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
                    <Badge style={{ minWidth: "max-content" }}>active</Badge>
                  ) : (
                    <Button size="compact-xs" variant="light" onClick={() => void wb.switchReviewer(r.id)}>
                      Switch to
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt="xs">
          Private keys: sealed under each person's passphrase, then by this app's key store (browser: a non-extractable WebCrypto key of this profile; desktop: the OS keychain). A key opens for the session when its owner types the passphrase, and only signs for that profile.
        </Text>
      </Card>
      <TrustedKeysCard />
      <Card withBorder>
        <Title order={4} mb="xs">
          Appearance
        </Title>
        <SegmentedControl value={colorScheme} onChange={(v) => setColorScheme(v as 'light' | 'dark' | 'auto')} data={['light', 'dark', 'auto']} />
      </Card>
      <KeyboardCard />
      <PolicyEditor />
      <Modal opened={adding} onClose={() => setAdding(false)} title="New reviewer profile">
        <ProfileForm
          submitLabel="Create profile"
          onCreated={() => {
            setAdding(false);
            notifications.show({ title: 'Profile created', message: 'Switch to it explicitly from the reviewer menu.' });
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
  const refresh = useCallback(() => void getHost().keyStatus(profile.keyId).then((r) => r.ok && setStatus(r.value)), [profile.keyId]);
  useEffect(refresh, [refresh]);
  if (!status) return null;
  if (!status.passphrase)
    return (
      <Badge variant="light" color="gray" title="Made before passphrases: protected by this app's key store only.">
        no passphrase
      </Badge>
    );
  return (
    <Stack gap={4}>
      <Group gap={4}>
        <Badge variant="light" color={status.unlocked ? 'orange' : 'teal'} data-testid={`key-status-${profile.id}`}>
          passphrase · {status.unlocked ? 'open this session' : 'locked'}
        </Badge>
        {profile.previousKeys?.length ? (
          <Badge variant="outline" color="gray" title={profile.previousKeys.map((k) => `${k.fingerprint} replaced ${k.replacedAt} (${k.reason})`).join('\n')} data-testid={`key-history-${profile.id}`}>
            {profile.previousKeys.length} earlier key{profile.previousKeys.length === 1 ? '' : 's'}
          </Badge>
        ) : null}
      </Group>
      <Group gap={4}>
        {status.unlocked && (
          <Button size="compact-xs" variant="subtle" onClick={() => void getHost().lockKey(profile.keyId).then(refresh)}>
            Lock
          </Button>
        )}
        {active && (
          <Button size="compact-xs" variant="subtle" onClick={() => setChanging(true)}>
            Change passphrase
          </Button>
        )}
        {active && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => setReplacing(true)} data-testid="lost-passphrase">
            Lost passphrase…
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
  const weak = next ? passphraseProblem(next) : null;
  const save = async () => {
    const r = await getHost().changePassphrase({ keyId: profile.keyId, oldPassphrase: old, newPassphrase: next });
    if (!r.ok) return setError(r.error);
    notifications.show({ color: 'teal', title: 'Passphrase changed', message: 'The same key (same fingerprint) now opens with the new passphrase.' });
    setOld('');
    setNext('');
    setRepeat('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`Change the passphrase of ${profile.name}`}>
      <Stack gap="sm">
        <PasswordInput label="Current passphrase" value={old} onChange={(e) => setOld(e.currentTarget.value)} />
        <PasswordInput label="New passphrase" value={next} onChange={(e) => setNext(e.currentTarget.value)} error={weak} />
        <PasswordInput label="Repeat the new passphrase" value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} error={repeat && repeat !== next ? 'the two do not match' : null} />
        {error && <Alert color="red">{error}</Alert>}
        <Text size="xs" c="dimmed">
          Lost the passphrase? It cannot be recovered: use “Lost passphrase…” to make a new key (recorded in the profile's key history), export your public key again and ask the campaign owner to pin it; work not yet returned is re-issued to the new key, and everything signed with the old key stays valid.
        </Text>
        <Button onClick={() => void save()} disabled={!old || !next || !!weak || repeat !== next}>
          Change passphrase
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
      await saveReviewer(database(), {
        ...profile,
        keyId: key.value.keyId,
        publicKey: key.value.publicKey,
        fingerprint: key.value.fingerprint,
        previousKeys: [...(profile.previousKeys ?? []), { keyId: profile.keyId, fingerprint: profile.fingerprint, publicKey: profile.publicKey, replacedAt, reason: 'passphrase-lost' }],
      });
      notifications.show({ color: 'orange', title: 'New key in force', message: `Export your public key again and send it to the campaign owners you work with: they must pin ${key.value.fingerprint.slice(0, 23)}…` });
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
    <Modal opened={opened} onClose={onClose} title={`New key for ${profile.name}`}>
      <Stack gap="sm">
        <Text size="sm">
          A lost passphrase cannot be recovered, and nobody can sign with that key any more. {profile.name} gets a new key under a new passphrase; the old one is kept in the key history. Everything already signed stays valid. Colleagues must pin the new public key, and work not yet returned is sent again to the new key.
        </Text>
        <PasswordInput label="New passphrase" value={next} onChange={(e) => setNext(e.currentTarget.value)} error={weak} data-testid="replace-passphrase" />
        <PasswordInput label="Repeat the new passphrase" value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} error={repeat && repeat !== next ? 'the two do not match' : null} data-testid="replace-passphrase-repeat" />
        {error && <Alert color="red">{error}</Alert>}
        <Button color="red" onClick={() => void replace()} loading={busy} disabled={!next || !!weak || repeat !== next} data-testid="replace-key">
          Make a new key
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
    notifications.show({ color: 'teal', title: `Policy v${parsed.policy.version} in force`, message: `${policyDigest(parsed.policy)} — new campaigns use it; existing campaigns keep theirs.` });
  };
  const importFile = async () => {
    const r = await getHost().openFiles({ title: 'Import a policy file', extensions: ['json'], multiple: false });
    if (!r.ok) return setErrors([r.error]);
    const file = r.value[0];
    if (!file) return;
    const source = new TextDecoder().decode(file.bytes);
    setText(source);
    setEditing(true);
    await save(source);
  };
  const exportFile = async () => {
    await getHost().saveFile({ suggestedName: `policy-v${wb.policy.version}.json`, bytes: new TextEncoder().encode(JSON.stringify(wb.policy, null, 2)), mimeType: 'application/json' });
  };
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={4}>Policy in force</Title>
        <Digest value={wb.policyDigest} chars={20} />
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        {wb.policy.name}, version {wb.policy.version}. Its SHA-256 goes into every certification package; campaigns keep the policy they were created with. Defaults and their sources: docs/policy.md.
      </Text>
      <Textarea
        aria-label="Policy JSON"
        data-testid="policy-json"
        value={shown}
        onChange={(e) => {
          setEditing(true);
          setText(e.currentTarget.value);
        }}
        rows={14}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      />
      {errors.length > 0 && (
        <Alert color="red" mt="xs" title="The policy was not saved" data-testid="policy-errors">
          <List size="sm">
            {errors.slice(0, 20).map((e) => (
              <List.Item key={e}>{e}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Group mt="xs">
        <Button size="xs" onClick={() => void save(text)} disabled={!editing} data-testid="save-policy">
          Validate and put in force
        </Button>
        <Button size="xs" variant="default" onClick={() => { setEditing(false); setErrors([]); }} disabled={!editing}>
          Discard changes
        </Button>
        <Button size="xs" variant="default" onClick={() => void importFile()}>
          Import…
        </Button>
        <Button size="xs" variant="default" onClick={() => void exportFile()}>
          Export…
        </Button>
        <Button size="xs" variant="subtle" color="gray" onClick={() => { setText(JSON.stringify(DEFAULT_POLICY, null, 2)); setEditing(true); }}>
          Load defaults
        </Button>
      </Group>
    </Card>
  );
}

/** WCAG 2.1.4: single-key shortcuts can be turned off; keys with a modifier and every button still work. */
function KeyboardCard() {
  const wb = useWorkbench();
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        Keyboard
      </Title>
      <Switch
        checked={wb.singleKeyShortcuts}
        onChange={(e) => wb.setSingleKeyShortcuts(e.currentTarget.checked)}
        label="Single-key shortcuts (j, k, a, o, r, u, b, /, ?)"
        description="Off: use the buttons, the arrow keys in the list, Ctrl+Enter and Alt+1…6."
        data-testid="single-key-shortcuts"
      />
    </Card>
  );
}

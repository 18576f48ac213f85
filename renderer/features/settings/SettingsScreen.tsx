import { Alert, Badge, Button, Card, Group, List, Modal, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title, useMantineColorScheme } from '@mantine/core';
import { DEFAULT_POLICY, parsePolicy, policyDigest } from '../../../shared/suggest';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useWorkbench } from '../../app/workbench-context';
import { Digest, formatTime } from '../../components/format';
import { database, saveReviewer } from '../../db';
import { getHost } from '../../host';
import { TrustedKeysCard } from '../exchange';

async function createProfile(name: string, email: string): Promise<string> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'reviewer';
  const id = `${slug}-${crypto.randomUUID().slice(0, 8)}`;
  const key = await getHost().ensureSigningKey(id);
  if (!key.ok) throw new Error(key.error);
  await saveReviewer(database(), { id, name, ...(email ? { email } : {}), keyId: key.value.keyId, publicKey: key.value.publicKey, fingerprint: key.value.fingerprint, createdAt: key.value.createdAt });
  return id;
}

function ProfileForm({ onCreated, submitLabel }: { onCreated: (id: string) => void; submitLabel: string }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const valid = name.trim().length >= 2 && (!email || /^[^@\s]+@[^@\s]+$/.test(email));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        setBusy(true);
        createProfile(name.trim(), email.trim())
          .then(onCreated, (err: unknown) => setError(String(err)))
          .finally(() => setBusy(false));
      }}
    >
      <Stack gap="sm">
        <TextInput label="Full name" placeholder="Jun Tanaka" value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
        <TextInput label="Email" placeholder="jun.tanaka@example.com" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={email && !/^[^@\s]+@[^@\s]+$/.test(email) ? 'not an email address' : null} />
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
    const entry = { keys: [{ name: r.name, ...(r.email ? { email: r.email } : {}), arwProfileId: r.id, fingerprint: r.fingerprint, publicKey: r.publicKey, kty: 'OKP', crv: 'Ed25519', x: r.publicKey.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }] };
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
                <Table.Td>{formatTime(r.createdAt)}</Table.Td>
                <Table.Td>
                  {r.id === wb.activeReviewer?.id ? (
                    <Badge>active</Badge>
                  ) : (
                    <Button size="compact-xs" variant="light" onClick={() => void wb.setActiveReviewer(r.id)}>
                      Switch to
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt="xs">
          Private keys: {wb.activeReviewer ? 'kept as a non-extractable key by this app (browser: WebCrypto in this profile; desktop: encrypted by the OS keychain).' : '—'}
        </Text>
      </Card>
      <TrustedKeysCard />
      <Card withBorder>
        <Title order={4} mb="xs">
          Appearance
        </Title>
        <SegmentedControl value={colorScheme} onChange={(v) => setColorScheme(v as 'light' | 'dark' | 'auto')} data={['light', 'dark', 'auto']} />
      </Card>
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

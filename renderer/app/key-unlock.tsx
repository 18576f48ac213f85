// Signing with a passphrase-protected key: when the host says the key is locked, the person whose key it is types
// their passphrase (named in the dialog, so nobody unlocks a colleague's key by mistake); the key opens for this
// session and the signature is made. Cancel aborts the signing, nothing else.
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { KEY_LOCKED, type SignRequest } from '../../shared/contracts';
import { database, listReviewers } from '../db';
import { getHost } from '../host';

interface Ask {
  keyId: string;
  who: string;
  error: string | null;
  answer(passphrase: string | null): void;
}

let show: ((ask: Ask | null) => void) | null = null;

function ask(keyId: string, who: string, error: string | null): Promise<string | null> {
  return new Promise((resolve) => {
    if (!show) return resolve(null);
    show({ keyId, who, error, answer: resolve });
  });
}

/** host.sign, asking for the key owner's passphrase as often as needed (until it opens, or Cancel). */
export async function signWithUnlock(request: SignRequest): Promise<Uint8Array> {
  const host = getHost();
  let result = await host.sign(request);
  let error: string | null = null;
  while (!result.ok && result.error.startsWith(KEY_LOCKED)) {
    const profile = (await listReviewers(database())).find((r) => r.keyId === request.keyId);
    // The dialog stays open (busy) while the key opens, and asks again, with the reason, after a wrong passphrase.
    const passphrase = await ask(request.keyId, profile ? `${profile.name}${profile.email ? ` <${profile.email}>` : ''}` : request.keyId, error);
    if (passphrase === null) {
      show?.(null);
      throw new Error('signing cancelled: the passphrase was not given');
    }
    const unlocked = await host.unlockKey({ keyId: request.keyId, passphrase });
    error = unlocked.ok ? null : unlocked.error;
    result = await host.sign(request);
    if (unlocked.ok) show?.(null);
  }
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

export function KeyUnlockDialog() {
  const [current, setCurrent] = useState<Ask | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    show = (a) => {
      setCurrent(a);
      setPassphrase('');
      setBusy(false);
    };
    return () => {
      show = null;
    };
  }, []);
  const submit = () => {
    if (!current || !passphrase) return;
    setBusy(true);
    current.answer(passphrase);
  };
  return (
    <Modal opened={current !== null} onClose={() => current?.answer(null)} title="Passphrase needed to sign" centered data-testid="unlock-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            The signing key of <b>{current?.who}</b> is protected by their passphrase. It opens for this session only; only they should type it.
          </Text>
          {current?.error && (
            <Alert color="red" data-testid="unlock-error">
              {current.error}
            </Alert>
          )}
          <PasswordInput label="Passphrase" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} data-autofocus data-testid="unlock-passphrase" />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => current?.answer(null)}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!passphrase} data-testid="unlock-submit">
              Unlock and sign
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

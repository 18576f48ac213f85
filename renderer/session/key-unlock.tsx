// Signing with a passphrase-protected key: when the host says the key is locked, the person whose key it is types
// their passphrase (named in the dialog, so nobody unlocks a colleague's key by mistake); the key opens for this
// session and the signature is made. Cancel aborts the signing, nothing else. Switching the reviewer asks the same way.
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { KEY_LOCKED, type SignRequest } from '../../shared/contracts';
import { command } from '../backend';
import { getHost } from '../host';
import { Trans, i18n, useTranslation } from '../i18n';

interface Ask {
  keyId: string;
  who: string;
  error: string | null;
  /** 'switch': the person taking over the workbench proves they hold the key they will decide with. */
  purpose: 'sign' | 'switch';
  answer(passphrase: string | null): void;
}

let show: ((ask: Ask | null) => void) | null = null;

function ask(keyId: string, who: string, error: string | null, purpose: Ask['purpose'] = 'sign'): Promise<string | null> {
  return new Promise((resolve) => {
    if (!show) return resolve(null);
    show({ keyId, who, error, purpose, answer: resolve });
  });
}

/**
 * Switching the active reviewer: the new reviewer's passphrase opens their key (asked even when it is open, so the
 * person at the keyboard proves who they are); on success the previous reviewer's key is locked. False on Cancel.
 */
export async function unlockForSwitch(
  next: { keyId: string; name: string; email?: string },
  previousKeyId: string | null,
): Promise<boolean> {
  const host = getHost();
  const status = await host.keyStatus(next.keyId);
  if (status.ok && status.value.passphrase) {
    await host.lockKey(next.keyId);
    let error: string | null = null;
    for (;;) {
      const passphrase = await ask(next.keyId, `${next.name}${next.email ? ` <${next.email}>` : ''}`, error, 'switch');
      if (passphrase === null) {
        show?.(null);
        return false;
      }
      const unlocked = await host.unlockKey({ keyId: next.keyId, passphrase });
      if (unlocked.ok) break;
      error = unlocked.error;
    }
    show?.(null);
  }
  if (previousKeyId && previousKeyId !== next.keyId) await host.lockKey(previousKeyId);
  return true;
}

/** One passphrase question at a time: signatures requested together (an export signs for several reviewers at once)
 * must not replace each other's question, which would leave the first waiting for an answer that never comes. */
let asking: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const turn = asking.then(run, run);
  asking = turn.catch(() => undefined);
  return turn;
}

/** host.sign, asking for the key owner's passphrase as often as needed (until it opens, or Cancel). */
export async function signWithUnlock(request: SignRequest): Promise<Uint8Array> {
  const host = getHost();
  const first = await host.sign(request);
  if (first.ok) return first.value;
  if (!first.error.startsWith(KEY_LOCKED)) throw new Error(first.error);
  return oneAtATime(async () => {
    // Another question may have opened this key while this one waited its turn: sign again before asking.
    let result = await host.sign(request);
    let error: string | null = null;
    while (!result.ok && result.error.startsWith(KEY_LOCKED)) {
      const profile = (await command('reviewers')).find((r) => r.keyId === request.keyId);
      // The dialog stays open (busy) while the key opens, and asks again, with the reason, after a wrong passphrase.
      const passphrase = await ask(
        request.keyId,
        profile ? `${profile.name}${profile.email ? ` <${profile.email}>` : ''}` : request.keyId,
        error,
      );
      if (passphrase === null) {
        show?.(null);
        throw new Error(i18n.t('shell.unlock.cancelled'));
      }
      const unlocked = await host.unlockKey({ keyId: request.keyId, passphrase });
      error = unlocked.ok ? null : unlocked.error;
      result = await host.sign(request);
      if (unlocked.ok) show?.(null);
    }
    if (!result.ok) throw new Error(result.error);
    return result.value;
  });
}

export function KeyUnlockDialog() {
  // The last question stays shown while the dialog fades out, so its text never loses the key owner's name, and a
  // closing dialog answers nothing (typing into it while it fades must not answer the next question).
  const [current, setCurrent] = useState<Ask | null>(null);
  const [opened, setOpened] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();
  useEffect(() => {
    show = (a) => {
      if (a) setCurrent(a);
      setOpened(a !== null);
      setPassphrase('');
      setBusy(false);
    };
    return () => {
      show = null;
    };
  }, []);
  const submit = () => {
    if (!opened || !current || !passphrase) return;
    setBusy(true);
    current.answer(passphrase);
  };
  return (
    <Modal
      opened={opened}
      onClose={() => opened && current?.answer(null)}
      title={current?.purpose === 'switch' ? t('shell.unlock.switchTitle') : t('shell.unlock.signTitle')}
      centered
      data-testid="unlock-dialog"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          {current?.purpose === 'switch' ? (
            <Text size="sm">
              <Trans i18nKey="shell.unlock.switchBody" values={{ who: current.who }} components={{ b: <b /> }} />
            </Text>
          ) : (
            <Text size="sm">
              <Trans i18nKey="shell.unlock.signBody" values={{ who: current?.who ?? '' }} components={{ b: <b /> }} />
            </Text>
          )}
          {current?.error && (
            <Alert color="red" data-testid="unlock-error">
              {current.error}
            </Alert>
          )}
          <PasswordInput
            label={t('shell.unlock.passphrase')}
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            data-autofocus
            data-testid="unlock-passphrase"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => opened && current?.answer(null)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!opened || !passphrase} data-testid="unlock-submit">
              {current?.purpose === 'switch' ? t('shell.unlock.switchSubmit') : t('shell.unlock.signSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// Small shared pieces of the across-laptops screens: running an exchange task with the app's progress bar and the
// host's signing key, and saving what it produces.
import { getHost } from '../../host';
import { signWithUnlock } from '../../session';
import { runTask, type TaskHandle, type TaskMap } from '../../backend';
import type { BackgroundTask } from '../../session';

export function runSigningTask<M extends keyof TaskMap>(
  method: M,
  args: TaskMap[M]['args'],
  setTask: (t: BackgroundTask | null) => void,
): TaskHandle<TaskMap[M]['result']> {
  const h = runTask(method, args, {
    onProgress: (p) => setTask({ id: method, progress: p, cancel: () => h.cancel() }),
    onCall: async (name, callArgs) => {
      if (name !== 'sign') throw new Error(`unexpected call ${name}`);
      return signWithUnlock(callArgs as { keyId: string; message: Uint8Array });
    },
  });
  void h.result.finally(() => setTask(null)).catch(() => {});
  return h;
}

export async function saveBytes(fileName: string, bytes: Uint8Array, mimeType = 'application/octet-stream'): Promise<string | null> {
  const r = await getHost().saveFile({ suggestedName: fileName, bytes, mimeType });
  if (!r.ok) throw new Error(`could not save ${fileName}: ${r.error}`);
  return r.value;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function shortDigest(d: string): string {
  return d.replace(/^sha256:/, '').slice(0, 12);
}

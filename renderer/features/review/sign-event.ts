// Each decision, undo, approval and reject is signed by the acting reviewer's key when it is recorded
// (shared/review eventSigningPayload), so the package proves who made it at that moment. A locked key asks for
// its owner's passphrase (once per session).
import { eventSigningPayload, type AuditEventBody } from '../../../shared/review';
import { toBase64 } from '../../../shared/codec';
import { signWithUnlock } from '../../session';

export async function signEvent(keyId: string, body: AuditEventBody): Promise<AuditEventBody> {
  const sig = await signWithUnlock({ keyId, message: eventSigningPayload(body) });
  return { ...body, signature: { keyFingerprint: body.actor.keyFingerprint, sig: toBase64(sig) } };
}

// A nested worker for the package verifier (tasks.ts verifyPackage): analyses audit-log.jsonl while the task
// worker reads decisions.json. One message in (the file's bytes and the manifest's context), one out (the analysis
// packed into one string, or the error's message).
import { analyzeAuditLog, packAuditLogAnalysis, type AuditLogContext } from '../../shared/package/audit-log-analysis';

interface Request {
  id: number;
  bytes: Uint8Array;
  context: AuditLogContext | null;
}

interface Scope {
  postMessage(message: { id: number; packed?: string; error?: string } | { ready: true }): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
}

const scope = self as unknown as Scope;
scope.postMessage({ ready: true });
scope.onmessage = ({ data: { id, bytes, context } }) => {
  try {
    scope.postMessage({ id, packed: packAuditLogAnalysis(analyzeAuditLog(bytes, context)) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};

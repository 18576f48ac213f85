// A nested worker that compresses and inflates package entries for a task worker (compression-client.ts): while
// the task writes or checks the next file, this one runs the codec on the second core. (Chromium's Compression
// Streams run on the thread that uses them.)
import { portableGunzip, portableGzip } from '../../shared/codec';

type Request = { id: number; op: 'gzip'; data: Uint8Array } | { id: number; op: 'gunzip'; chunks: Uint8Array[]; maxBytes: number };
type Reply = { id: number; bytes?: Uint8Array; tooLarge?: true; error?: string } | { ready: true };

interface Scope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
}

const scope = self as unknown as Scope;
scope.postMessage({ ready: true });
scope.onmessage = ({ data: request }) => {
  const work = request.op === 'gzip' ? portableGzip(request.data) : portableGunzip(request.chunks, request.maxBytes);
  work.then(
    (out) => (out === 'too-large' ? scope.postMessage({ id: request.id, tooLarge: true }) : scope.postMessage({ id: request.id, bytes: out }, [out.buffer as ArrayBuffer])),
    (error: unknown) => scope.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
};

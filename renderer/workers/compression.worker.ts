// A nested worker that compresses and inflates package entries for a task worker (compression-client.ts): while
// the task writes or checks the next file, this one runs the codec on the second core. (Chromium's Compression
// Streams run on the thread that uses them.)
import { portableGunzip, portableGzip } from '../../shared/codec';
import { connect, transfer } from '../../shared/rpc';

/** The calls the codec thread serves; an entry too large to inflate within its limit is 'too-large'. */
export type CompressionHandlers = {
  gzip: (args: { data: Uint8Array }) => Promise<Uint8Array>;
  gunzip: (args: { chunks: Uint8Array[]; maxBytes: number }) => Promise<Uint8Array | 'too-large'>;
};

const moved = <T extends Uint8Array | 'too-large'>(out: T): T => (out === 'too-large' ? out : transfer(out, [out.buffer]));

const handlers: CompressionHandlers = {
  gzip: async ({ data }) => moved(await portableGzip(data)),
  gunzip: async ({ chunks, maxBytes }) => moved(await portableGunzip(chunks, maxBytes)),
};
connect(self as never, handlers, { ready: true });

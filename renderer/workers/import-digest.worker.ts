// A nested worker of the import worker: it digests the dropped files (SHA-256, read in slices from their Blobs)
// on the second core while the import worker parses them (import-digest.ts).
import { z } from 'zod';
import { connect } from '../../shared/rpc';
import { digestSource } from '../../shared/import';
import { blobSource } from './blob-source';

// Strict CSP without 'unsafe-eval' (desktop app): zod must not probe for eval.
z.config({ jitless: true });

export type ImportDigestHandlers = {
  digest: (args: { name: string; blob: Blob }) => Promise<string>;
};

const handlers: ImportDigestHandlers = {
  digest: (args) => digestSource(blobSource(args.name, args.blob)),
};
connect(self as never, handlers, { ready: true });

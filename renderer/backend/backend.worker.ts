// The backend worker: the one long-lived thread that owns the app's Dexie database for the screens. The UI sends it
// commands and subscribes to its live queries (service.ts) through shared/rpc; no component touches a table.
import { z } from 'zod';
import { connect } from '../../shared/rpc';
import { handlers } from './service';

// Strict CSP without 'unsafe-eval' (desktop app): zod must not probe for eval.
z.config({ jitless: true });
connect(self as never, handlers);

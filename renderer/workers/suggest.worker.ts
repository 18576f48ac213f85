// The suggest worker, nested in the backend for one computation: one part of a snapshot's suggestions, computed and
// encoded here (suggest-part.ts). Its heap is its own: a part too large for it ends this worker, not the backend.
import { connect } from '../../shared/rpc';
import { suggestHandlers } from './suggest-part';

connect(self as never, suggestHandlers, { ready: true });

// The suggest worker, nested in the backend for one computation: one part of a snapshot's suggestions, computed and
// encoded here (suggest-part.ts), the chunks' buffers moved back. Its heap is its own: a part too large for it ends
// this worker, not the backend.
import { connect, transfer, type CallContext } from '../../shared/rpc';
import { chunkBuffers, computeSuggestionPart, type SuggestPartArgs, type SuggestPartResult } from './suggest-part';

/** Progress of a part: suggestions done of the part's engine total. */
export type SuggestPartProgress = { done: number; total: number };

export type SuggestHandlers = {
  suggestPart: (args: SuggestPartArgs, ctx: CallContext<SuggestPartProgress>) => SuggestPartResult;
};

const handlers: SuggestHandlers = {
  suggestPart(args, ctx) {
    let last = 0;
    const result = computeSuggestionPart(args, {
      // At most every 50 ms: the engine reports often, and each report is a message.
      onProgress(done, total) {
        const now = performance.now();
        if (now - last < 50 && done !== total) return;
        last = now;
        ctx.progress({ done, total });
      },
      isCancelled: () => ctx.signal.aborted,
    });
    return transfer(result, chunkBuffers(result.chunks));
  },
};
connect(self as never, handlers, { ready: true });

// One cancellation for every long task: the UI aborts an AbortSignal, the worker's tasks see it, and whichever step
// notices throws this one error (named AbortError, as the platform's own). Older names alias it.
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

/** True for CancelledError and for the platform's AbortError (an aborted fetch, stream or signal). */
export function isCancellation(error: unknown): boolean {
  return error instanceof CancelledError || (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError');
}

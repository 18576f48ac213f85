// One cancellation for every long task: the UI aborts an AbortSignal, the worker's tasks see it, and whichever step
// notices throws this one error. Not named AbortError: Dexie turns an error of that name, thrown in a transaction,
// into its own. Older names alias it; isCancellation also knows the platform's AbortError.
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** True for CancelledError and for the platform's AbortError (an aborted fetch, stream or signal). */
export function isCancellation(error: unknown): boolean {
  return (
    error instanceof CancelledError || (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError')
  );
}

/**
 * How long one delivery of an event may hold its claim in the event ledger. A claim must outlive
 * the attempt that took it (or a live attempt loses it to a redelivery and the work runs twice),
 * and must be over before the platform's next try after that attempt died (or a timed-out attempt
 * blocks every retry until the event lands in its failure queue unprocessed). An attempt cannot
 * run longer than its function's timeout, and the platforms try again no sooner than that: Lambda
 * retries an asynchronous invocation a minute after it failed at the earliest, and SQS shows a
 * message again after its visibility timeout, six times the consumer's timeout. So the lease is
 * the function's timeout plus a small margin, set where the timeout is set (SupportFunction puts
 * it in EVENT_LEASE_SECONDS) and read by the handler.
 */

/** SupportFunction's timeout when a construct gives none. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 30;

/** Covers the time between the invocation's start and the claim, and the last write after it. */
export const LEASE_MARGIN_SECONDS = 10;

export function leaseSecondsFor(functionTimeoutSeconds: number): number {
  return Math.ceil(functionTimeoutSeconds) + LEASE_MARGIN_SECONDS;
}

/** The lease of a function with the default timeout (and of the sandbox, which has none). */
export const DEFAULT_LEASE_SECONDS = leaseSecondsFor(DEFAULT_FUNCTION_TIMEOUT_SECONDS);

/* Time and ids come from outside, so the core is testable and the sandbox can replay at any clock. */

/** Time comes from outside so the core is testable and the sandbox can replay at any clock. */
export interface Clock {
  now(): Date;
}

/**
 * Ids come from outside too. `derive` must be deterministic (same parts, same id) so that a
 * redelivered event produces the same records and every write stays idempotent.
 */
export interface IdSource {
  derive(namespace: string, ...parts: readonly string[]): string;
}

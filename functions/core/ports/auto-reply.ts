/* The hourly ceilings on automatic responses. */

/** One budget an automatic response is counted against, per UTC hour. */
export interface AutoResponseBudgetScope {
  /** `sender-domain` (one organizational domain of senders) or `global` (every automatic response). */
  readonly kind: 'sender-domain' | 'global';
  /** The domain for `sender-domain`; unused for `global`. */
  readonly key: string;
  /** At most this many automatic responses in one hour. */
  readonly limit: number;
}

/**
 * Hourly ceilings on automatic responses, so a flood of mail (forged or not) cannot make the
 * shop's domain send a flood back. Counted atomically where many functions share them.
 */
export interface AutoResponseBudget {
  /**
   * Takes one unit of every scope, in order, stopping at the first that is spent (later scopes
   * are then not counted). Returns the spent scope's kind, or undefined when all had room.
   */
  take(
    scopes: readonly AutoResponseBudgetScope[],
    now: Date,
  ): Promise<AutoResponseBudgetScope['kind'] | undefined>;
}

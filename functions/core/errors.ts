/**
 * One error base for the whole project: every error carries a machine-readable `code` and a
 * `reason` a user can act on, and keeps its `cause`. HTTP status codes are mapped at the edge
 * (handlers), never here.
 */
export class SwitchboardError extends Error {
  readonly code: string;
  readonly reason: string;

  constructor(code: string, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = new.target.name;
    this.code = code;
    this.reason = reason;
  }
}

/** The input is wrong and will stay wrong: do not retry, report it with its reason. */
export class InvalidInputError extends SwitchboardError {
  readonly field?: string;

  /** `code` for the kinds of wrong input that have their own (a body too large). */
  constructor(reason: string, options?: { field?: string; cause?: unknown }, code = 'invalid-input') {
    super(code, reason, options);
    this.field = options?.field;
  }
}

/**
 * A body or file over the size its receiver takes: the input is wrong and will stay wrong, so it is
 * an {@link InvalidInputError} too, answered 413 at the HTTP edge. The reason names the limit.
 */
export class PayloadTooLargeError extends InvalidInputError {
  readonly limitBytes: number;

  constructor(reason: string, options: { limitBytes: number; field?: string; cause?: unknown }) {
    super(reason, options, 'payload-too-large');
    this.limitBytes = options.limitBytes;
  }
}

/** A passing condition (throttling, a concurrent delivery in flight): retry later. */
export class RetryableError extends SwitchboardError {
  /** `code` for the kinds of passing condition that have their own (throttling). */
  constructor(reason: string, options?: { cause?: unknown }, code = 'retryable') {
    super(code, reason, options);
  }
}

/** One caller sent more than its share: retry after `retryAfterSeconds` (HTTP 429 with Retry-After). */
export class ThrottledError extends RetryableError {
  readonly retryAfterSeconds: number;

  constructor(reason: string, options: { retryAfterSeconds: number; cause?: unknown }) {
    super(reason, options, 'throttled');
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * The request does not say who sends it, or does not prove it (no identity, a signature that does
 * not match or is stale): the reason says what is missing. Never names the expected value.
 */
export class UnauthorizedError extends SwitchboardError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('unauthorized', reason, options);
  }
}

/** Something we send to was refused for good (bad address, rejected content). */
export class PermanentDeliveryError extends SwitchboardError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('permanent-delivery-failure', reason, options);
  }
}

/** The caller is known but may not do this; the reason says what would allow it. */
export class ForbiddenError extends SwitchboardError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('forbidden', reason, options);
  }
}

/**
 * The request is well formed but the state of what it names refuses it now (a channel the customer
 * opted out of, a closed messaging window, a record merged elsewhere); the reason says what would
 * allow it. `field` names the input that met the state.
 */
export class ConflictError extends SwitchboardError {
  readonly field?: string;

  constructor(reason: string, options?: { field?: string; cause?: unknown }) {
    super('conflict', reason, options);
    this.field = options?.field;
  }
}

export class NotFoundError extends SwitchboardError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('not-found', reason, options);
  }
}

/** The deployment configuration is wrong: the message says which setting and why. */
export class ConfigurationError extends SwitchboardError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('configuration', reason, options);
  }
}

/**
 * A provider (Graph API, SES, End User Messaging) failed in a way we have no rule for: described
 * by its error type, code and HTTP status only, never its message, which may quote the customer.
 */
export class ProviderError extends SwitchboardError {
  constructor(
    provider: string,
    details: {
      readonly type: string;
      readonly code?: string | number;
      readonly status?: number;
      cause?: unknown;
    },
  ) {
    const parts = [
      details.type,
      ...(details.code === undefined ? [] : [`code ${details.code}`]),
      ...(details.status === undefined ? [] : [`HTTP ${details.status}`]),
    ];
    super('provider-error', `${provider} failed (${parts.join(', ')})`, { cause: details.cause });
  }
}

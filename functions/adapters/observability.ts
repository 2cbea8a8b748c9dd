import { Logger } from '@aws-lambda-powertools/logger';
import { SwitchboardError } from '../core/errors.ts';

/**
 * One structured logger for every function. Log ids, counts and reasons only: never an
 * address, a phone number or a message body.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'switchboard' });

/**
 * Email addresses, numbers in international form and numbers in national form with a trunk 0
 * (`0532 999 88 77`): what a foreign error's message may quote of a customer.
 */
const PERSONAL_DATA_LIKE =
  /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+|\+\d[\d ().-]{6,18}\d|(?<![\w+])0[1-9]\d{1,3}[ .-]?\d{3}[ .-]?\d{2}[ .-]?\d{2}(?!\d)/g;

/** `text` with anything shaped like an address or a phone number replaced by `[redacted]`. */
export function maskPersonalData(text: string): string {
  return text.replace(PERSONAL_DATA_LIKE, '[redacted]');
}

/** What may be logged about an error: its class, code and reason, never the input that caused it. */
export function describeError(error: unknown): { name: string; code?: string; reason: string } {
  if (error instanceof SwitchboardError) return { name: error.name, code: error.code, reason: error.reason };
  // A foreign error (an SDK's, a library's) may quote its input: masked, and bounded.
  if (error instanceof Error)
    return { name: error.name, reason: maskPersonalData(error.message.slice(0, 300)) };
  return { name: 'UnknownError', reason: 'a non-error value was thrown' };
}

import { Logger } from '@aws-lambda-powertools/logger';
import { SwitchboardError } from '../core/errors.ts';

/**
 * One structured logger for every function. Log ids, counts and reasons only: never an
 * address, a phone number or a message body.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'switchboard' });

/** What may be logged about an error: its class, code and reason, never the input that caused it. */
export function describeError(error: unknown): { name: string; code?: string; reason: string } {
  if (error instanceof SwitchboardError) return { name: error.name, code: error.code, reason: error.reason };
  if (error instanceof Error) return { name: error.name, reason: error.message.slice(0, 300) };
  return { name: 'UnknownError', reason: 'a non-error value was thrown' };
}

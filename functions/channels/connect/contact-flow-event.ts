import * as z from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import type { CallerLookupInput } from '../../core/voice/caller-lookup.ts';

/**
 * The event a Connect contact flow's "Invoke AWS Lambda function" block sends (synchronously).
 * Only what the lookup needs is checked; Connect adds fields over time and they are ignored.
 */
const endpointSchema = z.object({ Address: z.string().max(256).optional(), Type: z.string().optional() });

export const contactFlowEventSchema = z.object({
  Name: z.literal('ContactFlowEvent'),
  Details: z.object({
    ContactData: z.object({
      ContactId: z.string().min(1).max(256),
      InitialContactId: z.string().optional(),
      Channel: z.string().optional(),
      InitiationMethod: z.string().optional(),
      InstanceARN: z.string().optional(),
      // null for chats and tasks, and for callers whose number the network withheld.
      CustomerEndpoint: endpointSchema.nullish(),
      SystemEndpoint: endpointSchema.nullish(),
      Attributes: z.record(z.string(), z.unknown()).nullish(),
    }),
    Parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ContactFlowEvent = z.infer<typeof contactFlowEventSchema>;

export interface ParsedContactFlowEvent extends CallerLookupInput {
  readonly instanceArn?: string;
  readonly channel?: string;
}

/** The caller lookup's input; throws InvalidInputError (with the reason) for anything else. */
export function parseContactFlowEvent(event: unknown): ParsedContactFlowEvent {
  const parsed = contactFlowEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidInputError(`not a Connect contact flow event: ${z.prettifyError(parsed.error)}`, {
      field: parsed.error.issues[0]?.path.join('.'),
    });
  }
  const data = parsed.data.Details.ContactData;
  const endpoint = data.CustomerEndpoint;
  return {
    contactId: data.ContactId,
    // Only a phone number identifies a caller; a chat's endpoint is something else.
    ...(endpoint?.Address && (endpoint.Type === undefined || endpoint.Type === 'TELEPHONE_NUMBER')
      ? { callerAddress: endpoint.Address }
      : {}),
    // Set by the flow after its own check of the caller (PIN, one-time code); never by Connect.
    callerVerified:
      parsed.data.Details.Parameters?.callerVerified === 'true' || data.Attributes?.callerVerified === 'true',
    ...(data.InstanceARN ? { instanceArn: data.InstanceARN } : {}),
    ...(data.Channel ? { channel: data.Channel.toUpperCase() } : {}),
  };
}

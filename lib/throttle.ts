import { z } from 'zod';

/**
 * How much a throttled surface (an HTTP route, the WebSocket stage) takes before API Gateway
 * answers 429: one schema for every throttle of the deployment config, one type for the
 * constructs' props, one table of defaults both read.
 */
export const throttleSchema = z.object({
  /** Requests (or frames) per second, sustained. */
  rateLimit: z.number().positive().max(10_000),
  /** Requests (or frames) taken at once above the rate. */
  burstLimit: z.number().int().positive().max(5_000),
});

export type Throttle = z.infer<typeof throttleSchema>;

/** Each throttled surface's default: tight where the caller is a person or one shop, loose for Meta. */
export const DEFAULT_THROTTLES = {
  /** Every HTTP route that sets none of its own. */
  httpApi: { rateLimit: 50, burstLimit: 100 },
  agentApi: { rateLimit: 20, burstLimit: 40 },
  metaWebhook: { rateLimit: 100, burstLimit: 200 },
  orderEvents: { rateLimit: 50, burstLimit: 100 },
  reminders: { rateLimit: 20, burstLimit: 40 },
  helpFeedback: { rateLimit: 5, burstLimit: 10 },
  /** The WebSocket stage: the chat's frames and agents' live updates. */
  webSocket: { rateLimit: 50, burstLimit: 100 },
  /** Links opened from a confirmation mail. */
  chatConfirm: { rateLimit: 10, burstLimit: 20 },
} as const satisfies Record<string, Throttle>;

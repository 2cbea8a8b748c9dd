/* Queue consumers: the messages they read, where failures go with their reason, and how long a retry waits. */

// The ports of the functions' edges: what the handlers take besides the use cases' ports.

/** One consumed queue message: the fields of an SQS record the consumers' ports read. */
export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiptHandle: string;
  readonly eventSourceARN: string;
  readonly attributes: { readonly ApproximateReceiveCount: string };
}

/** Dead-letters a record on its last allowed attempt, with the reason it failed. */
export interface DeadLetters {
  /** True when this receive is the last one the queue's redrive policy allows. */
  isFinalAttempt(record: QueueMessage): boolean;
  /**
   * On the final attempt, or at once for input that can never succeed (InvalidInputError), puts
   * the record on the DLQ with its failure reason and answers true (the record is handled: the
   * queue deletes it). Otherwise, or when the send fails, false: the record goes back to its
   * queue, and the queue's redrive still dead-letters it (without the reason).
   */
  deadLetter(record: QueueMessage, error: unknown): Promise<boolean>;
}

/** Holds a failed record back before its next try, longer each time. */
export interface RetryBackoff {
  delay(record: QueueMessage): Promise<void>;
}

/** Where a verified webhook delivery waits for the consumer: the raw body, unparsed. */
export interface WebhookQueue {
  enqueue(rawBody: string, attributes: { readonly object?: string }): Promise<void>;
}

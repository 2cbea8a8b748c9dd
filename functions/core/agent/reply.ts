import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { chooseReplyLanguage } from '../language.ts';
import type { OutboundRequest } from '../model.ts';
import { answerAddress, answerSubject, answerThreading, lastInbound } from './addressing.ts';
import type { Agent, AgentDeps } from './conversations.ts';

/** A reply is read on a phone as often as in a mail client; anything longer is not a reply. */
export const MAX_REPLY_CHARACTERS = 10_000;

export interface ReplyInput {
  readonly conversationId: string;
  readonly text: string;
  readonly agent: Agent;
  /**
   * The client's `Idempotency-Key`: the same key queues the same send. Without one the reply is
   * keyed on the conversation, the agent, the text and the customer message it answers, so a
   * retried POST queues once and the same words after the customer's next message are a new reply.
   */
  readonly idempotencyKey?: string;
}

export interface ReplyResult {
  readonly outboundId: string;
  readonly conversationId: string;
  readonly channel: OutboundRequest['channel'];
}

/**
 * An agent's answer on the conversation's own channel, to the address the customer wrote from,
 * threaded under their last mail. It goes through the outbound queue: the dispatcher sends it once
 * (the id is deterministic) and applies the messaging windows, consent and quiet hours there.
 */
export async function replyToConversation(deps: AgentDeps, input: ReplyInput): Promise<ReplyResult> {
  const text = input.text.normalize('NFC').trim();
  if (text === '') throw new InvalidInputError('text must not be empty', { field: 'text' });
  if (text.length > MAX_REPLY_CHARACTERS) {
    throw new InvalidInputError(`text is longer than ${MAX_REPLY_CHARACTERS} characters`, { field: 'text' });
  }
  const conversation = await deps.conversations.get(input.conversationId);
  if (!conversation) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  if (deps.repliesOnlyByAssignee && conversation.assignee !== input.agent.id) {
    throw new ForbiddenError(
      conversation.assignee === undefined
        ? 'only the assigned agent may reply, and nobody is assigned: assign the conversation to yourself first'
        : `only the assigned agent (${conversation.assignee}) may reply: ask them, or assign the conversation to yourself first`,
    );
  }
  if (conversation.channel === 'voice') {
    throw new InvalidInputError('a voice conversation has no text channel to reply on', { field: 'channel' });
  }
  const customer = await deps.customers.get(conversation.customerId);
  if (conversation.channel === 'sms' && customer?.consent.sms === 'opted-out') {
    // After STOP carriers allow nothing but the confirmation until START, a person's answer included.
    throw new InvalidInputError('the customer opted out of SMS (STOP); answer on another channel', {
      field: 'channel',
    });
  }
  const messages = await deps.conversations.listMessages(conversation.id);
  const to = answerAddress(conversation, customer, messages);
  if (!to) {
    throw new InvalidInputError(`the customer has no ${conversation.channel} address to reply to`, {
      field: 'channel',
    });
  }
  const answered = lastInbound(messages);
  const key = input.idempotencyKey ?? `${input.agent.id}\n${answered?.id ?? ''}\n${text}`;
  const id = deps.ids.derive('agent-reply', conversation.id, key);
  const language = chooseReplyLanguage(
    { preferred: customer?.language, detected: answered?.language, previous: conversation.language },
    deps.config,
  );
  await deps.outbound.enqueue({
    id,
    kind: 'agent-reply',
    channel: conversation.channel,
    customerId: conversation.customerId,
    conversationId: conversation.id,
    to,
    language,
    subject:
      conversation.channel === 'email'
        ? answerSubject(conversation.subject, `#${conversation.id.slice(0, 8).toUpperCase()}`)
        : undefined,
    text,
    email: answerThreading(conversation, messages),
    headers: {},
    requestedAt: deps.clock.now().toISOString(),
    agentId: input.agent.id,
  });
  return { outboundId: id, conversationId: conversation.id, channel: conversation.channel };
}

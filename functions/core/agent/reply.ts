import { chooseReplyLanguage } from '../auto-reply/language.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { AttachmentRef, Channel, Conversation, Customer, Message, OutboundRequest } from '../model.ts';
import type { QuietHoursPolicy } from '../outbound/quiet-hours.ts';
import type { IdentityWindows } from '../ports/customers.ts';
import { answerAddress, answerSubject, answerThreading, lastInbound } from './addressing.ts';
import type { Agent } from './agent.ts';
import {
  type AgentUploadDeps,
  ATTACHMENT_CHANNELS,
  type AttachmentClaim,
  verifyAgentAttachments,
} from './attachments.ts';
import type { AgentDeps } from './conversations.ts';
import { channelReachability, lastInboundByChannel, type WritableChannel } from './reachability.ts';

/** The composer's extras: picking the reply channel and attaching files. */
export interface ComposerDeps {
  /** The channels this deployment sends on. */
  readonly channels: ReadonlySet<Channel>;
  readonly identityWindows?: IdentityWindows;
  readonly quietHours?: QuietHoursPolicy;
  /** Agent uploads; absent: replies take no files. */
  readonly uploads?: AgentUploadDeps;
}

export type ReplyDeps = AgentDeps & { readonly composer?: ComposerDeps };

/** How many of the customer's newest conversations tell the 24-hour window of a picked channel. */
const WINDOW_LOOKBACK = 10;

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
  /**
   * Answer on another channel the customer can be reached on now (GET /customers/{id} `reachable`);
   * absent: the conversation's own channel, as before.
   */
  readonly channel?: WritableChannel;
  /** Files uploaded first (POST /conversations/{id}/attachments); email only. */
  readonly attachments?: readonly AttachmentClaim[];
}

export interface ReplyResult {
  readonly outboundId: string;
  readonly conversationId: string;
  readonly channel: OutboundRequest['channel'];
  readonly attachments?: readonly AttachmentRef[];
}

/**
 * An agent's answer on the conversation's own channel, to the address the customer wrote from,
 * threaded under their last mail. It goes through the outbound queue: the dispatcher sends it once
 * (the id is deterministic) and applies the messaging windows, consent and quiet hours there.
 */
export async function replyToConversation(deps: ReplyDeps, input: ReplyInput): Promise<ReplyResult> {
  const text = input.text.normalize('NFC').trim();
  if (text === '') throw new InvalidInputError('text must not be empty', { field: 'text' });
  if (text.length > MAX_REPLY_CHARACTERS) {
    throw new InvalidInputError(`text is longer than ${MAX_REPLY_CHARACTERS} characters`, { field: 'text' });
  }
  const conversation = await deps.conversations.get(input.conversationId);
  if (!conversation) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  if (conversation.mergedInto !== undefined) {
    throw new ConflictError(
      `conversation ${conversation.id} was merged into ${conversation.mergedInto}: reply there`,
      { field: 'id' },
    );
  }
  if (deps.repliesOnlyByAssignee && conversation.assignee !== input.agent.id) {
    throw new ForbiddenError(
      conversation.assignee === undefined
        ? 'only the assigned agent may reply, and nobody is assigned: assign the conversation to yourself first'
        : `only the assigned agent (${conversation.assignee}) may reply: ask them, or assign the conversation to yourself first`,
    );
  }
  const channel: Channel = input.channel ?? conversation.channel;
  if (channel === 'voice') {
    throw new InvalidInputError('a voice conversation has no text channel to reply on: pick a channel', {
      field: 'channel',
    });
  }
  const claims = input.attachments ?? [];
  if (claims.length > 0) {
    if (!ATTACHMENT_CHANNELS.has(channel)) {
      throw new InvalidInputError(
        `files go out by email only; a ${channel} reply carries none: answer by email (channel "email") or leave the files out`,
        { field: 'attachments' },
      );
    }
    if (!deps.composer?.uploads) {
      throw new InvalidInputError('this deployment takes no agent attachments (agents.attachments)', {
        field: 'attachments',
      });
    }
  }
  const customer = await deps.customers.get(conversation.customerId);
  const messages = await deps.conversations.listMessages(conversation.id);
  const to =
    input.channel === undefined
      ? ownChannelAddress(conversation, customer, messages)
      : await pickedChannelAddress(deps, conversation, customer, messages, input.channel);
  const attachments =
    claims.length > 0 && deps.composer?.uploads
      ? await verifyAgentAttachments(deps.composer.uploads, conversation.id, claims)
      : [];
  const answered = lastInbound(messages);
  const baseKey = input.idempotencyKey ?? `${input.agent.id}\n${answered?.id ?? ''}\n${text}`;
  // The same words on another channel or with other files are another send; without either the
  // key is the one replies always had.
  const key =
    input.channel === undefined && attachments.length === 0
      ? baseKey
      : `${baseKey}\n${input.channel ?? ''}\n${attachments.map((a) => a.objectKey).join('\n')}`;
  const id = deps.ids.derive('agent-reply', conversation.id, key);
  const language = chooseReplyLanguage(
    { preferred: customer?.language, detected: answered?.language, previous: conversation.language },
    deps.config,
  );
  await deps.outbound.enqueue({
    id,
    kind: 'agent-reply',
    channel,
    customerId: conversation.customerId,
    conversationId: conversation.id,
    to,
    language,
    subject:
      channel === 'email'
        ? answerSubject(conversation.subject, `#${conversation.id.slice(0, 8).toUpperCase()}`)
        : undefined,
    text,
    email: answerThreading({ id: conversation.id, channel }, messages),
    headers: {},
    requestedAt: deps.clock.now().toISOString(),
    agentId: input.agent.id,
    answering: {
      openedAt: conversation.createdAt,
      channel: conversation.channel,
      answered: conversation.firstResponseAt !== undefined,
    },
    ...(attachments.length > 0 ? { attachments } : {}),
  });
  return {
    outboundId: id,
    conversationId: conversation.id,
    channel,
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/** The conversation's own channel, as replies always went: the address the customer wrote from. */
function ownChannelAddress(
  conversation: Conversation,
  customer: Customer | undefined,
  messages: readonly Message[],
): string {
  if (conversation.channel === 'sms' && customer?.consent.sms === 'opted-out') {
    // After STOP carriers allow nothing but the confirmation until START, a person's answer included.
    throw new InvalidInputError('the customer opted out of SMS (STOP); answer on another channel', {
      field: 'channel',
    });
  }
  const to = answerAddress(conversation, customer, messages);
  if (!to) {
    throw new InvalidInputError(`the customer has no ${conversation.channel} address to reply to`, {
      field: 'channel',
    });
  }
  return to;
}

/**
 * A channel the agent picked: it must be one the customer can be reached on now, or a messaging
 * channel whose closed window the dispatcher bridges (a template, a consented fallback channel).
 */
async function pickedChannelAddress(
  deps: ReplyDeps,
  conversation: Conversation,
  customer: Customer | undefined,
  messages: readonly Message[],
  channel: WritableChannel,
): Promise<string> {
  const composer = deps.composer;
  if (!composer) {
    throw new InvalidInputError("this deployment answers on the conversation's own channel only", {
      field: 'channel',
    });
  }
  const profile = customer ?? { identities: [], consent: {} };
  const recent = customer ? await deps.conversations.conversationsOf(customer.id, WINDOW_LOOKBACK) : [];
  const lastInboundAt = await lastInboundByChannel(
    composer,
    profile,
    [conversation, ...recent],
    composer.channels,
  );
  const own = answerAddress(conversation, customer, messages);
  const reach = channelReachability(
    {
      customer: profile,
      now: deps.clock.now(),
      deployed: composer.channels,
      lastInbound: lastInboundAt,
      social: deps.config.social,
      quietHours: composer.quietHours,
      addresses: own === undefined ? {} : { [conversation.channel]: own },
    },
    channel,
  );
  if (reach.ok && reach.address) return reach.address;
  switch (reach.reason) {
    case 'not-configured':
      throw new InvalidInputError(`the ${channel} channel is not part of this deployment`, {
        field: 'channel',
      });
    case 'no-address':
      throw new ConflictError(`the customer has no ${channel} address: pick another channel`, {
        field: 'channel',
      });
    case 'opted-out':
      throw new ConflictError(`the customer opted out of ${channel}: pick another channel`, {
        field: 'channel',
      });
    default:
      // The dispatcher sends the template, or on the fallback channel, at send time.
      if (reach.fallback !== undefined && reach.address) return reach.address;
      throw new ConflictError(
        `the ${channel} 24-hour window is closed and there is no template or fallback channel the customer consented to: pick another channel`,
        { field: 'channel' },
      );
  }
}

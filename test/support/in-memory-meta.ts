import type { Channel, DeliveryStatus, Identity } from '../../functions/core/model.ts';
import { statusesBefore } from '../../functions/core/outbound/delivery-status.ts';
import type { IdentityWindows } from '../../functions/core/ports/customers.ts';
import type { ProviderMessageIndex, ProviderMessageReference } from '../../functions/core/ports/outbound.ts';
import type { MemoryConversations } from './in-memory-ports.ts';

/** The provider message index on top of the in-memory conversation store, for core tests. */
export class MemoryProviderMessages implements ProviderMessageIndex {
  readonly references = new Map<string, ProviderMessageReference>();

  constructor(private readonly conversations: MemoryConversations) {}

  async record(channel: Channel, providerMessageId: string, reference: ProviderMessageReference) {
    this.references.set(`${channel}#${providerMessageId}`, reference);
  }

  async find(channel: Channel, providerMessageId: string) {
    return this.references.get(`${channel}#${providerMessageId}`);
  }

  async updateDeliveryStatus(
    reference: ProviderMessageReference,
    update: { status: DeliveryStatus; at: string; reason?: string },
  ) {
    const key = `${reference.conversationId}#${reference.at}#${reference.messageId}`;
    const message = this.conversations.messages.get(key);
    if (!message?.deliveryStatus || !statusesBefore(update.status).includes(message.deliveryStatus))
      return false;
    this.conversations.messages.set(key, {
      ...message,
      deliveryStatus: update.status,
      deliveryStatusAt: update.at,
      flags: update.reason ? [...(message.flags ?? []), update.reason] : message.flags,
    });
    return true;
  }
}

/** Each sender's last inbound time per channel (Meta's 24-hour window), newest kept. */
export class MemoryIdentityWindows implements IdentityWindows {
  readonly latest = new Map<string, string>();

  async recordInbound(identity: Identity, channel: Channel, at: string): Promise<void> {
    const key = `${identity.kind}#${identity.value}#${channel}`;
    const known = this.latest.get(key);
    if (known === undefined || known < at) this.latest.set(key, at);
  }

  async lastInboundAt(identity: Identity, channel: Channel): Promise<string | undefined> {
    return this.latest.get(`${identity.kind}#${identity.value}#${channel}`);
  }
}

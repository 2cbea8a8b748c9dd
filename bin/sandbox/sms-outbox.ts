import { createHash } from 'node:crypto';
import { toE164 } from '../../functions/core/customers/phone.ts';
import { PermanentDeliveryError } from '../../functions/core/errors.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';
import type {
  ChannelSender,
  DeferredSend,
  DeferredSends,
  SentMessage,
} from '../../functions/core/ports/outbound.ts';

/**
 * The sandbox's End User Messaging: there is no local SMS service, so this twin checks what the
 * real one would refuse for good (a destination that is not E.164) and answers with a message id
 * derived from the request, so the same replay prints the same ids. The engine's outbox records
 * what was sent.
 */
export class SandboxSmsSender implements ChannelSender {
  async send(request: OutboundRequest): Promise<SentMessage> {
    if (toE164(request.to) !== request.to) {
      throw new PermanentDeliveryError('the destination is not a valid phone number in E.164 form');
    }
    return {
      providerMessageId: `sandbox-sms-${createHash('sha256').update(request.id).digest('hex').slice(0, 32)}`,
    };
  }
}

/**
 * The sandbox's EventBridge Scheduler: pending sends kept in memory, handed back by `due` when
 * the replay clock passes their time (a `.clock.json` file), earliest first.
 *
 * Like a schedule, each one is kept as its time and the JSON text of its input: a long-running
 * sandbox holds every deadline check of every open conversation (two per conversation, the
 * resolution one days ahead), and as objects (a Date, the request, its strings) they took about
 * twice the memory. What comes back out is what went on the queue anyway: JSON.
 */
export class SandboxDeferredSends implements DeferredSends {
  /** id → `${epoch ms} ${request as JSON}`. */
  private readonly pending = new Map<string, string>();

  async schedule(send: DeferredSend): Promise<void> {
    // Like a schedule name: the first one with an id stays.
    if (!this.pending.has(send.id)) {
      this.pending.set(send.id, `${send.at.getTime()} ${JSON.stringify(send.request)}`);
    }
  }

  async cancel(id: string): Promise<void> {
    this.pending.delete(id);
  }

  /** Removes and returns every send due at or before `now`, in due order. */
  takeDue(now: Date): DeferredSend[] {
    const due: Array<{ id: string; at: number; stored: string }> = [];
    for (const [id, stored] of this.pending) {
      const at = Number(stored.slice(0, stored.indexOf(' ')));
      if (at <= now.getTime()) due.push({ id, at, stored });
    }
    due.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    for (const { id } of due) this.pending.delete(id);
    return due.map(({ id, stored }) => unpack(id, stored));
  }

  /** Whether anything is due at or before `now`. */
  hasDue(now: Date): boolean {
    for (const stored of this.pending.values()) {
      if (Number(stored.slice(0, stored.indexOf(' '))) <= now.getTime()) return true;
    }
    return false;
  }

  /** What is still waiting, for the report. */
  list(): Array<{ id: string; at: string; outboundId: string; channel: string; kind: string }> {
    // Response-time deadlines are checks, not sends: they are not listed.
    return [...this.pending].flatMap(([id, stored]) => {
      const s = unpack(id, stored);
      return 'type' in s.request && s.request.type === 'response-deadline'
        ? []
        : [
            {
              id: s.id,
              at: s.at.toISOString(),
              ...('type' in s.request
                ? { outboundId: s.request.reminderId, channel: 'reminder', kind: 'reminder' }
                : { outboundId: s.request.id, channel: s.request.channel, kind: s.request.kind }),
            },
          ];
    });
  }

  /** How many schedules are pending, deadline checks included. */
  get size(): number {
    return this.pending.size;
  }
}

function unpack(id: string, stored: string): DeferredSend {
  const space = stored.indexOf(' ');
  return {
    id,
    at: new Date(Number(stored.slice(0, space))),
    request: JSON.parse(stored.slice(space + 1)) as DeferredSend['request'],
  };
}

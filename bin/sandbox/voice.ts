import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import { voiceEventsDeps } from '../../functions/composition/voice-events.ts';
import { voiceLookupDeps } from '../../functions/composition/voice-lookup.ts';
import type { Channel } from '../../functions/core/model.ts';
import type { DeferredSends } from '../../functions/core/ports/outbound.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';
import { makeVoiceEventsHandler } from '../../functions/handlers/voice-events.ts';
import { makeVoiceLookupHandler } from '../../functions/handlers/voice-lookup.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import type { SandboxConnectApi } from './connect-stand-in.ts';
import type { StandIns } from './stand-ins.ts';

/**
 * The voice channel on the sandbox: a `.connect-flow.json` is what a contact flow's Lambda block
 * sends (the lookup's answer is reported), a `.connect-event.json` what the EventBridge rule
 * delivers. Both run the real handlers; Connect's own API is the sandbox twin.
 */
export class SandboxVoice {
  private readonly lookup;
  private readonly events;
  private readonly connectApi: SandboxConnectApi;

  constructor(
    standIns: StandIns,
    settings: LocalSettings,
    clock: Clock,
    channels: ReadonlySet<Channel>,
    deferredSends: DeferredSends,
  ) {
    this.connectApi = standIns.connectApi;
    const lookupDeps = voiceLookupDeps(standIns.clients, settings, clock);
    const eventDeps = { ...voiceEventsDeps(standIns.clients, settings, clock), channels, deferredSends };
    this.lookup = makeVoiceLookupHandler(() => lookupDeps);
    this.events = makeVoiceEventsHandler(() => eventDeps);
  }

  /** The flow's Lambda invocation; Connect itself learns the contact (DescribeContact knows it). */
  async contactFlow(event: unknown): Promise<unknown> {
    const data = (event as { Details?: { ContactData?: Record<string, unknown> } } | null)?.Details
      ?.ContactData;
    if (data && typeof data.ContactId === 'string') {
      const endpoint = data.CustomerEndpoint as { Address?: unknown; Type?: unknown } | null | undefined;
      this.connectApi.sawContact(data.ContactId, {
        ...(typeof endpoint?.Address === 'string' ? { address: endpoint.Address } : {}),
        ...(typeof endpoint?.Type === 'string' ? { type: endpoint.Type } : {}),
        ...(typeof data.Channel === 'string' ? { channel: data.Channel } : {}),
        ...(typeof data.InitiationMethod === 'string' ? { method: data.InitiationMethod } : {}),
      });
    }
    return this.lookup(event, lambdaContext('switchboard-voice-lookup'));
  }

  async contactEvent(event: unknown): Promise<unknown> {
    return this.events(event, lambdaContext('switchboard-voice-events'));
  }
}

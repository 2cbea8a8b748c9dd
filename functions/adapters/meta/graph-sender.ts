import { ConfigurationError, PermanentDeliveryError, RetryableError } from '../../core/errors.ts';
import type { OutboundRequest } from '../../core/model.ts';
import type { ChannelSender, SentMessage } from '../../core/ports/outbound.ts';
import type { MetaSecrets } from '../../core/ports/secrets.ts';
import { accessTokenFor } from './secrets.ts';

export interface GraphApiSettings {
  /** `https://graph.facebook.com` in the cloud; the sandbox points it at its local stand-in. */
  readonly baseUrl: string;
  /** Graph API version, e.g. `v21.0`. */
  readonly apiVersion: string;
  /** The WhatsApp Business phone number id messages are sent from. */
  readonly whatsappPhoneNumberId?: string;
  /** How long one call may take before it counts as a passing failure. @default 10 000 ms */
  readonly timeoutMs?: number;
}

/** Longest text a platform takes in one message. */
const MAX_TEXT: Record<'whatsapp' | 'messenger' | 'instagram', number> = {
  whatsapp: 4096,
  messenger: 2000,
  instagram: 1000,
};

/**
 * Graph API error codes that mean "later", whatever HTTP status carries them: throttling of the
 * app (4), the user (17), the page (32, 613), WhatsApp's rate limits (80007, 130429, 131048,
 * 131056), and "temporarily unavailable" (2, 131000, 131016).
 */
const RETRYABLE_GRAPH_CODES = new Set([1, 2, 4, 17, 32, 613, 80007, 130429, 131000, 131016, 131048, 131056]);

/**
 * Sends WhatsApp, Messenger and Instagram messages through the Graph API with plain `fetch`.
 * 429 and 5xx (and the throttling codes above) are RetryableError: the message goes back to the
 * queue and SQS retries it after the visibility timeout. Any other 4xx is a PermanentDeliveryError
 * carrying Meta's error code and type, never the recipient or the text.
 */
export class GraphApiSender implements ChannelSender {
  constructor(
    private readonly settings: GraphApiSettings,
    private readonly secrets: MetaSecrets,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async send(request: OutboundRequest): Promise<SentMessage> {
    const channel = request.channel;
    if (channel !== 'whatsapp' && channel !== 'messenger' && channel !== 'instagram') {
      throw new PermanentDeliveryError(`the Graph API sender does not send ${channel}`);
    }
    const token = accessTokenFor(await this.secrets.get('accessToken'), channel);
    const { url, body } = channel === 'whatsapp' ? this.whatsApp(request) : this.messaging(request, channel);
    const response = await this.post(url, body, token);
    const id =
      channel === 'whatsapp'
        ? (response.messages as Array<{ id?: unknown }> | undefined)?.[0]?.id
        : response.message_id;
    if (typeof id !== 'string' || id === '') {
      // Accepted, but we cannot follow its statuses; sending again would duplicate it.
      throw new PermanentDeliveryError('the Graph API accepted the message but returned no message id');
    }
    return { providerMessageId: id };
  }

  private whatsApp(request: OutboundRequest): { url: string; body: unknown } {
    const phoneNumberId = this.settings.whatsappPhoneNumberId;
    if (!phoneNumberId) throw new ConfigurationError('no WhatsApp phone number id is configured');
    const to = request.to.replace(/^\+/, '');
    const body = request.template
      ? {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to,
          type: 'template',
          template: {
            name: request.template.name,
            language: { code: request.template.language },
            components:
              request.template.parameters.length > 0
                ? [
                    {
                      type: 'body',
                      parameters: request.template.parameters.map((p) => ({ type: 'text', text: p })),
                    },
                  ]
                : [],
          },
        }
      : {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to,
          type: 'text',
          text: { body: clip(request.text, MAX_TEXT.whatsapp), preview_url: false },
        };
    return { url: this.url(`${phoneNumberId}/messages`), body };
  }

  private messaging(
    request: OutboundRequest,
    channel: 'messenger' | 'instagram',
  ): { url: string; body: unknown } {
    return {
      // `me` is the page the token belongs to; Instagram messaging goes through the linked page.
      url: this.url('me/messages'),
      body: {
        recipient: { id: request.to },
        // RESPONSE: an answer inside the 24-hour standard messaging window (checked by the core).
        messaging_type: 'RESPONSE',
        message: { text: clip(request.text, MAX_TEXT[channel]) },
      },
    };
  }

  private url(path: string): string {
    return `${this.settings.baseUrl.replace(/\/+$/, '')}/${this.settings.apiVersion}/${path}`;
  }

  private async post(url: string, body: unknown, token: string): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      throw new RetryableError(`the Graph API could not be reached (${name})`, { cause: error });
    }
    const payload = await response.json().catch(() => undefined);
    const json = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
    if (response.ok) return json;
    const error = describeGraphError(json);
    const detail = `HTTP ${response.status}${error.text}`;
    if (response.status === 429 || response.status >= 500 || RETRYABLE_GRAPH_CODES.has(error.code ?? -1)) {
      throw new RetryableError(`the Graph API asked to try later (${detail})`);
    }
    throw new PermanentDeliveryError(`the Graph API refused the message (${detail})`);
  }
}

/**
 * Code, subcode and type of a Graph error, never its message: Graph messages can quote the
 * recipient's number (in any format), name or text, and this ends up on the timeline, in logs
 * and in dead letters. The code is what Meta's error reference is indexed by.
 */
export function describeGraphError(json: Record<string, unknown>): { code?: number; text: string } {
  const error = json.error;
  if (typeof error !== 'object' || error === null) return { text: '' };
  const e = error as Record<string, unknown>;
  const code = typeof e.code === 'number' ? e.code : undefined;
  const parts: string[] = [];
  if (code !== undefined) parts.push(`code ${code}`);
  if (typeof e.error_subcode === 'number') parts.push(`subcode ${e.error_subcode}`);
  if (typeof e.type === 'string' && /^[A-Za-z][\w.]{0,59}$/.test(e.type)) parts.push(e.type);
  return { code, text: parts.length > 0 ? `, ${parts.join(', ')}` : '' };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphStandIn } from '../../../bin/sandbox/graph-stand-in.ts';
import { GraphApiSender } from '../../../functions/adapters/meta/graph-sender.ts';
import { StaticMetaSecrets } from '../../../functions/adapters/meta/secrets.ts';
import { GRAPH_API_VERSION } from '../../../functions/channels/meta/graph-api.ts';
import { PermanentDeliveryError, RetryableError } from '../../../functions/core/errors.ts';
import type { OutboundRequest } from '../../../functions/core/model.ts';
import { acknowledgementRequest } from '../../support/builders.ts';

const TOKEN = 'test-access-token';
let graph: GraphStandIn;
let sender: GraphApiSender;

beforeAll(async () => {
  graph = await GraphStandIn.start(TOKEN);
});

afterAll(async () => {
  await graph.stop();
});

beforeEach(() => {
  graph.calls.length = 0;
  sender = new GraphApiSender(
    { baseUrl: graph.baseUrl, apiVersion: GRAPH_API_VERSION, whatsappPhoneNumberId: '106540352242922' },
    new StaticMetaSecrets({ appSecret: 'unused', verifyToken: 'unused', accessToken: TOKEN }),
  );
});

function whatsApp(overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return acknowledgementRequest({
    channel: 'whatsapp',
    to: '+905321234567',
    text: 'Teşekkürler, mesajınızı aldık.',
    email: undefined,
    headers: {},
    ...overrides,
  });
}

describe('GraphApiSender over HTTP (local Graph API stand-in)', () => {
  it('sends WhatsApp free text to the phone number id with the bearer token, and returns the wamid', async () => {
    // Act
    const sent = await sender.send(whatsApp());

    // Assess
    expect(sent.providerMessageId).toMatch(/^wamid\./);
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]).toMatchObject({
      path: `/${GRAPH_API_VERSION}/106540352242922/messages`,
      authorization: `Bearer ${TOKEN}`,
      body: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '905321234567',
        type: 'text',
        text: { body: 'Teşekkürler, mesajınızı aldık.', preview_url: false },
      },
    });
  });

  it('sends a template with its language and body parameter when the request names one', async () => {
    // Act
    await sender.send(
      whatsApp({ template: { name: 'support_reply', language: 'tr', parameters: ['Metin'] } }),
    );

    // Assess
    expect(graph.calls[0]?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'support_reply',
        language: { code: 'tr' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Metin' }] }],
      },
    });
  });

  it.each(['messenger', 'instagram'] as const)(
    'sends %s to me/messages as a RESPONSE and returns the mid',
    async (channel) => {
      // Act
      const sent = await sender.send(whatsApp({ channel, to: '6789012345678901', text: 'Thanks!' }));

      // Assess
      expect(sent.providerMessageId).toMatch(/^m_/);
      expect(graph.calls[0]).toMatchObject({
        path: `/${GRAPH_API_VERSION}/me/messages`,
        body: {
          recipient: { id: '6789012345678901' },
          messaging_type: 'RESPONSE',
          message: { text: 'Thanks!' },
        },
      });
    },
  );

  it.each([
    [429, { error: { message: 'Too many calls', type: 'OAuthException', code: 4 } }],
    [500, { error: { message: 'An unexpected error has occurred.', type: 'OAuthException', code: 2 } }],
    [503, 'Service Unavailable'],
    [400, { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429 } }],
  ])('asks the queue to retry on HTTP %s', async (status, body) => {
    // Prepare
    graph.failNext({ status, body });

    // Act / Assess
    await expect(sender.send(whatsApp())).rejects.toBeInstanceOf(RetryableError);
  });

  it('records a 4xx refusal for good with the Graph code, and without the number or the text', async () => {
    // Prepare
    graph.failNext({
      status: 400,
      body: {
        error: {
          message: '(#131026) Message undeliverable to 905321234567',
          type: 'OAuthException',
          code: 131026,
          error_subcode: 2494010,
          fbtrace_id: 'AbCdEf',
        },
      },
    });

    // Act
    const error = await sender.send(whatsApp()).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    const reason = (error as PermanentDeliveryError).reason;
    expect(reason).toMatch(/HTTP 400, code 131026, subcode 2494010, OAuthException/);
    expect(reason).not.toContain('905321234567');
    expect(reason).not.toContain('Teşekkürler');
  });

  it('keeps only the code and type of a Graph error whose message quotes a national number and a name', async () => {
    // Prepare
    graph.failNext({
      status: 400,
      body: {
        error: {
          message: 'Recipient Ayşe Yılmaz (0532 999 88 77) cannot be reached: "Kargom nerede?"',
          type: 'OAuthException',
          code: 131026,
        },
      },
    });

    // Act
    const error = await sender.send(whatsApp()).catch((e: unknown) => e);

    // Assess
    const reason = (error as PermanentDeliveryError).reason;
    expect(reason).toBe('the Graph API refused the message (HTTP 400, code 131026, OAuthException)');
  });

  it('treats a wrong token as a permanent refusal (401)', async () => {
    // Prepare
    const wrong = new GraphApiSender(
      { baseUrl: graph.baseUrl, apiVersion: GRAPH_API_VERSION, whatsappPhoneNumberId: '1' },
      new StaticMetaSecrets({ appSecret: 'x', verifyToken: 'x', accessToken: 'wrong' }),
    );

    // Act / Assess
    await expect(wrong.send(whatsApp())).rejects.toThrow(/HTTP 401, code 190/);
  });

  it('retries when the Graph API cannot be reached', async () => {
    // Prepare
    const unreachable = new GraphApiSender(
      { baseUrl: 'http://127.0.0.1:1', apiVersion: GRAPH_API_VERSION, whatsappPhoneNumberId: '1' },
      new StaticMetaSecrets({ appSecret: 'x', verifyToken: 'x', accessToken: TOKEN }),
    );

    // Act / Assess
    await expect(unreachable.send(whatsApp())).rejects.toBeInstanceOf(RetryableError);
  });

  it('picks the per-channel token from a JSON access-token secret', async () => {
    // Prepare
    const perChannel = new GraphApiSender(
      { baseUrl: graph.baseUrl, apiVersion: GRAPH_API_VERSION, whatsappPhoneNumberId: '1' },
      new StaticMetaSecrets({
        appSecret: 'x',
        verifyToken: 'x',
        accessToken: JSON.stringify({ whatsapp: 'other', page: TOKEN }),
      }),
    );

    // Act
    await perChannel.send(whatsApp({ channel: 'messenger', to: '1' }));

    // Assess
    expect(graph.calls[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

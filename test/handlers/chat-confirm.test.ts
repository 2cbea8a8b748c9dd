import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../functions/core/errors.ts';
import { makeChatConfirmHandler } from '../../functions/handlers/chat-confirm.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';

const confirmLink = (query: Record<string, string>) =>
  apiGatewayV2Event({ method: 'GET', path: '/chat/confirm', headers: {}, query });

describe('the chat email confirmation link', () => {
  it('answers an incomplete link with a 400 page that says what to do', async () => {
    // Prepare
    const handler = makeChatConfirmHandler(() => {
      throw new Error('no dependency is needed to refuse an incomplete link');
    });

    // Act
    const page = await handler(confirmLink({}), lambdaContext('switchboard-chat-confirm'));

    // Assess
    expect(page.statusCode).toBe(400);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('This link is incomplete: open the whole link from the email.');
  });

  it('answers a failure of ours with a 500 page that names nothing of it, instead of a Lambda error', async () => {
    // Prepare
    const handler = makeChatConfirmHandler(() => {
      throw new ConfigurationError('CHAT_IDENTITY_SECRET_ARN is not set');
    });

    // Act
    const page = await handler(confirmLink({ token: 'abc.def' }), lambdaContext('switchboard-chat-confirm'));

    // Assess
    expect(page.statusCode).toBe(500);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('open the link again in a few minutes');
    expect(page.body).not.toContain('CHAT_IDENTITY_SECRET_ARN');
  });
});

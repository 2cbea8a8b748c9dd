import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import { parseOutboundQueueMessage } from '../../../functions/core/outbound/request-schema.ts';

const SEND = {
  id: 'out-1',
  kind: 'auto-reply',
  channel: 'sms',
  customerId: 'cust-1',
  to: '+905321112233',
  language: 'tr',
  text: 'Mesajınızı aldık.',
  headers: {},
  requestedAt: '2026-11-23T10:00:00.000Z',
};

describe('the outbound queue message', () => {
  it('tells a send, a stored reminder, a whole reminder and a response deadline apart by type', () => {
    // Act
    const send = parseOutboundQueueMessage(JSON.stringify(SEND));
    const stored = parseOutboundQueueMessage(JSON.stringify({ type: 'reminder', reminderId: 'rem-1' }));
    const whole = parseOutboundQueueMessage(
      JSON.stringify({
        type: 'reminder',
        reminder: {
          id: 'ext-1',
          kind: 'custom',
          customer: { email: 'a@b.com' },
          data: { text: 'Yarın kapalıyız.' },
        },
      }),
    );
    const deadline = parseOutboundQueueMessage(
      JSON.stringify({
        type: 'response-deadline',
        conversationId: 'conv-1',
        target: 'first-response',
        due: '2026-11-23T11:00:00Z',
      }),
    );

    // Assess
    expect(send).toMatchObject({ id: 'out-1', kind: 'auto-reply' });
    expect(send.type).toBeUndefined();
    expect(stored).toEqual({ type: 'reminder', reminderId: 'rem-1' });
    expect(whole).toMatchObject({ type: 'reminder', reminder: { id: 'ext-1' } });
    expect(deadline).toEqual({
      type: 'response-deadline',
      conversationId: 'conv-1',
      target: 'first-response',
      due: '2026-11-23T11:00:00.000Z',
    });
  });

  it.each([
    ['a body that is not JSON', '{"id":', undefined],
    ['an unknown type', JSON.stringify({ ...SEND, type: 'fax' }), 'type'],
    ['a send without its text', JSON.stringify({ ...SEND, text: undefined }), 'text'],
    [
      'a reminder id with a space',
      JSON.stringify({ type: 'reminder', reminderId: 'has space' }),
      'reminderId',
    ],
    [
      'a deadline with an unknown target',
      JSON.stringify({
        type: 'response-deadline',
        conversationId: 'c',
        target: 'lunch',
        due: '2026-11-23T11:00:00Z',
      }),
      'target',
    ],
  ])('refuses %s with the field that is wrong', (_case, body, field) => {
    // Act
    let thrown: unknown;
    try {
      parseOutboundQueueMessage(body);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect((thrown as InvalidInputError).field).toBe(field);
  });
});

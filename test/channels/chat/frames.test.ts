import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chatInboundMessage,
  MAX_FRAME_BYTES,
  parseClientFrame,
  type SendFrame,
} from '../../../functions/channels/chat/frames.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';

const RECEIVED_AT = '2026-11-23T10:00:00.000Z';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/chat/${name}`, import.meta.url), 'utf8');
}

function sendFrame(name: string): SendFrame {
  const frame = parseClientFrame(fixture(name));
  if (frame.action !== 'send') throw new Error(`${name} is not a send frame`);
  return frame;
}

describe('parseClientFrame', () => {
  it('reads a read receipt with its default state', () => {
    // Act
    const frame = parseClientFrame(fixture('read.json'));

    // Assess
    expect(frame).toEqual({ action: 'read', state: 'read', messageIds: ['m-1', 'm-2'] });
  });

  it('reads a suggest frame: trimmed text and the primary language', () => {
    // Act
    const frame = parseClientFrame(fixture('suggest-tr.json'));

    // Assess
    expect(frame).toEqual({ action: 'suggest', text: 'Kargom nerede kaldı?', language: 'tr' });
  });

  it('refuses an unknown action with the reason', () => {
    // Act
    const parse = () => parseClientFrame(fixture('unknown-action.json'));

    // Assess
    expect(parse).toThrow(InvalidInputError);
    expect(parse).toThrow(/not a chat frame/);
  });

  it('refuses a frame over the 32 KB API Gateway limit, and one that is not JSON', () => {
    // Prepare
    const big = JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: 'a'.repeat(MAX_FRAME_BYTES) });

    // Act & Assess
    expect(() => parseClientFrame(big)).toThrow(/larger than 32768 bytes/);
    expect(() => parseClientFrame('{nope')).toThrow(/not JSON/);
  });
});

describe('chatInboundMessage', () => {
  it('turns the widget message into a chat message from the visitor, keyed by the visitor’s own id', () => {
    // Act
    const message = chatInboundMessage(sendFrame('send-tr.json'), { visitorId: 'v-5f2c9a' }, RECEIVED_AT);

    // Assess
    expect(message).toEqual({
      channel: 'chat',
      providerMessageId: 'v-5f2c9a/c-0001',
      from: { kind: 'chat', value: 'v-5f2c9a' },
      receivedAt: RECEIVED_AT,
      text: 'Merhaba, siparişim nerede?',
      attachments: [],
      chat: { visitorId: 'v-5f2c9a', browserLanguage: 'tr' },
    });
  });

  it('finds an identified visitor’s customer by the signed email, answers still going to the widget', () => {
    // Act
    const message = chatInboundMessage(
      sendFrame('send-tr.json'),
      { visitorId: 'v-5f2c9a', identity: { email: 'ayse@example.com', name: 'Ayşe', exp: 1 } },
      RECEIVED_AT,
    );

    // Assess
    expect(message.from).toEqual({ kind: 'chat', value: 'v-5f2c9a' });
    expect(message.chat?.identified).toEqual({ kind: 'email', value: 'ayse@example.com' });
    expect(message.fromName).toBe('Ayşe');
  });

  it('refuses a message that names another visitor than the connection’s, and a blank one', () => {
    // Act & Assess
    expect(() =>
      chatInboundMessage(sendFrame('send-other-visitor.json'), { visitorId: 'v-5f2c9a' }, RECEIVED_AT),
    ).toThrow(/not the visitor of this connection/);
    expect(() =>
      chatInboundMessage(sendFrame('send-blank.json'), { visitorId: 'v-5f2c9a' }, RECEIVED_AT),
    ).toThrow(/must not be empty/);
  });
});

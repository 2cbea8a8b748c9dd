import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContactEvent } from '../../../functions/channels/connect/contact-event.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/connect/${name}`, import.meta.url), 'utf8'));
}

const CONTACT_ID = '4a573372-1f28-4e26-b97b-3b5c7d9e1f20';
const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:111122223333:instance/5a1db0c5-0000-4000-8000-00000000c0de';
const QUEUE_ARN = `${INSTANCE_ARN}/queue/3b8f2a10-6c1d-4e5f-9a7b-1c2d3e4f5a6b`;
const AGENT_ARN = `${INSTANCE_ARN}/agent/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b`;

describe('parseContactEvent', () => {
  it('reads an INITIATED event at its initiation time', () => {
    // Act
    const parsed = parseContactEvent(fixture('event-initiated.json'));

    // Assess
    expect(parsed).toEqual({
      eventId: '5f0c7a2e-8b1d-4c3e-9f6a-7b8c9d0e1f2a',
      instanceArn: INSTANCE_ARN,
      event: {
        contactId: CONTACT_ID,
        eventType: 'INITIATED',
        channel: 'VOICE',
        initiationMethod: 'INBOUND',
        at: '2026-11-23T10:20:00.000Z',
        initiatedAt: '2026-11-23T10:20:00.000Z',
      },
    });
  });

  it('reads a QUEUED event at its enqueue time, with the queue', () => {
    // Act
    const { event } = parseContactEvent(fixture('event-queued.json'));

    // Assess
    expect(event).toMatchObject({
      eventType: 'QUEUED',
      at: '2026-11-23T10:20:15.000Z',
      queue: { arn: QUEUE_ARN, enqueuedAt: '2026-11-23T10:20:15.000Z' },
    });
  });

  it('reads the agent of a CONNECTED_TO_AGENT event', () => {
    // Act
    const { event } = parseContactEvent(fixture('event-connected-to-agent.json'));

    // Assess
    expect(event).toMatchObject({
      at: '2026-11-23T10:21:00.000Z',
      agent: { arn: AGENT_ARN, connectedAt: '2026-11-23T10:21:00.000Z' },
    });
  });

  it('reads a DISCONNECTED event of a call that never reached an agent, with its reason', () => {
    // Act
    const { event } = parseContactEvent(fixture('event-disconnected-abandoned.json'));

    // Assess
    expect(event).toMatchObject({
      eventType: 'DISCONNECTED',
      at: '2026-11-23T10:25:00.000Z',
      disconnectedAt: '2026-11-23T10:25:00.000Z',
      disconnectReason: 'CUSTOMER_DISCONNECT',
    });
    expect(event.agent).toBeUndefined();
  });

  it('reads the agent block as the documentation sample spells it (AgentInfo, AgentArn)', () => {
    // Act
    const { event } = parseContactEvent(fixture('event-disconnected-docs-sample-capitalized-agent.json'));

    // Assess
    expect(event.agent).toEqual({ arn: AGENT_ARN, connectedAt: '2026-11-23T10:21:00.000Z' });
  });

  it('takes an event type it has no special meaning for at the EventBridge time', () => {
    // Act
    const { event } = parseContactEvent(fixture('event-contact-data-updated.json'));

    // Assess
    expect(event).toMatchObject({ eventType: 'CONTACT_DATA_UPDATED', at: '2026-11-23T10:20:01.000Z' });
  });

  it.each([
    ['event-missing-event-type.json', /detail\.eventType/],
    ['event-wrong-source.json', /source/],
  ])('refuses %s with the field in the reason', (name, field) => {
    // Act
    const attempt = () => parseContactEvent(fixture(name));

    // Assess
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(field);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContactFlowEvent } from '../../../functions/channels/connect/contact-flow-event.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/connect/${name}`, import.meta.url), 'utf8'));
}

const CONTACT_ID = '4a573372-1f28-4e26-b97b-3b5c7d9e1f20';
const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:111122223333:instance/5a1db0c5-0000-4000-8000-00000000c0de';

describe('parseContactFlowEvent', () => {
  it('takes the contact id and the caller number from a voice contact flow event', () => {
    // Act
    const parsed = parseContactFlowEvent(fixture('flow-known-caller.json'));

    // Assess
    expect(parsed).toEqual({
      contactId: CONTACT_ID,
      callerAddress: '+905321234567',
      instanceArn: INSTANCE_ARN,
      channel: 'VOICE',
      callerVerified: false,
    });
  });

  it.each([
    ['a block parameter', { Parameters: { callerVerified: 'true' } }],
    ['a contact attribute', { ContactData: { Attributes: { callerVerified: 'true' } } }],
  ])('reads the flow’s own verification of the caller from %s', (_where, extra) => {
    // Prepare
    const event = fixture('flow-known-caller.json') as { Details: Record<string, Record<string, unknown>> };
    if ('Parameters' in extra) event.Details.Parameters = extra.Parameters;
    else Object.assign(event.Details.ContactData ?? {}, extra.ContactData);

    // Act
    const parsed = parseContactFlowEvent(event);

    // Assess
    expect(parsed.callerVerified).toBe(true);
  });

  it('has no caller address when the network withheld the number (CustomerEndpoint null)', () => {
    // Act
    const parsed = parseContactFlowEvent(fixture('flow-withheld-number.json'));

    // Assess
    expect(parsed.contactId).toBe(CONTACT_ID);
    expect(parsed.callerAddress).toBeUndefined();
  });

  it('ignores an endpoint that is not a phone number (a chat participant)', () => {
    // Act
    const parsed = parseContactFlowEvent(fixture('flow-chat-contact.json'));

    // Assess
    expect(parsed).toMatchObject({ channel: 'CHAT' });
    expect(parsed.callerAddress).toBeUndefined();
  });

  it('refuses an event without a contact id, naming the field', () => {
    // Act
    const attempt = () => parseContactFlowEvent(fixture('flow-missing-contact-id.json'));

    // Assess
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(/Details\.ContactData\.ContactId/);
  });

  it.each([null, 'text', {}, { Name: 'ContactFlowEvent' }])('refuses %j', (event) => {
    // Act / Assess
    expect(() => parseContactFlowEvent(event)).toThrow(InvalidInputError);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInboundEmail } from '../../functions/channels/email/parse-inbound-email.ts';
import { InvalidInputError } from '../../functions/core/errors.ts';
import { SUPPORT_ADDRESS, sesReceiptContext } from '../channels/email/email-fixtures.ts';

const FIXTURES = new URL('../fixtures/email/', import.meta.url);
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.eml'))
  .map((name) => readFileSync(new URL(name, FIXTURES)));

/** Parses, and turns the outcome into "parsed" or the rejection; anything else fails the run. */
async function outcome(raw: Uint8Array | string): Promise<'parsed' | InvalidInputError> {
  try {
    await parseInboundEmail(raw, sesReceiptContext(), { supportAddress: SUPPORT_ADDRESS });
    return 'parsed';
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
}

function expectCleanOutcome(result: 'parsed' | InvalidInputError): void {
  if (result !== 'parsed') expect(result.reason.length).toBeGreaterThan(10);
}

describe('the email parser under fuzzing', () => {
  it('never throws anything but a reasoned InvalidInputError on arbitrary bytes (1,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4_096 }), async (bytes) => {
        expectCleanOutcome(await outcome(bytes));
      }),
      { numRuns: 1_000 },
    );
  }, 120_000);

  it('survives real mail with bytes flipped, cut or spliced in (1,000 runs)', async () => {
    const mutation = fc.record({
      fixture: fc.nat({ max: fixtures.length - 1 }),
      at: fc.nat(),
      cut: fc.nat({ max: 2_000 }),
      insert: fc.uint8Array({ maxLength: 200 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ fixture, at, cut, insert }) => {
        const original = fixtures[fixture] ?? Buffer.alloc(0);
        const position = original.length === 0 ? 0 : at % original.length;
        const mutated = Buffer.concat([
          original.subarray(0, position),
          insert,
          original.subarray(position + cut),
        ]);
        expectCleanOutcome(await outcome(mutated));
      }),
      { numRuns: 1_000 },
    );
  }, 120_000);

  it('survives header lines of arbitrary text (1,000 runs)', async () => {
    const headerLine = fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ maxLength: 300 }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(headerLine, { maxLength: 20 }),
        fc.string({ maxLength: 500 }),
        async (headers, body) => {
          const raw = [
            'From: Deniz <deniz@example.com>',
            ...headers.map(([name, value]) => `${name}: ${value}`),
            '',
            body,
          ].join('\r\n');
          expectCleanOutcome(await outcome(raw));
        },
      ),
      { numRuns: 1_000 },
    );
  }, 120_000);

  it('refuses a mail over the size limit before parsing it', async () => {
    // Prepare
    const huge = Buffer.alloc(41 * 1024 * 1024, 0x61);

    // Act
    const result = await outcome(huge);

    // Assess
    expect(result).toBeInstanceOf(InvalidInputError);
    expect((result as InvalidInputError).reason).toMatch(/more than/);
  });
});

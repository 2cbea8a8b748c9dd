import { readFileSync } from 'node:fs';
import type { SesReceiptContext } from '../../../functions/channels/email/parse-inbound-email.ts';

export const SUPPORT_ADDRESS = 'support@support.example.com';

const FIXTURE_DIRECTORY = new URL('../../fixtures/email/', import.meta.url);

/** The raw bytes of one fixture, read fresh so no test can change what another sees. */
export function readEmailFixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURE_DIRECTORY));
}

/** What SES would report for a fixture delivered to our support address with passing verdicts. */
export function sesReceiptContext(overrides: Partial<SesReceiptContext> = {}): SesReceiptContext {
  return {
    sesMessageId: 'o3vq1k2l8m9n0p4r5s6t7u8v9w0x1y2z3a4b5c6',
    timestamp: '2026-03-04T08:21:37.512Z',
    recipients: [SUPPORT_ADDRESS],
    verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
    ...overrides,
  };
}

/** Header names of a raw message in order, read without a MIME library (folded lines unfolded). */
export function rawHeaderNames(raw: Uint8Array): string[] {
  const text = Buffer.from(raw).toString('utf8');
  const headerBlock = text.slice(0, text.indexOf('\r\n\r\n'));
  return headerBlock
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')
    .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { buildHelpCenter, sitePathFor } from '../../web/help/build/site.ts';
import { ReportView, replayFolder } from '../support/replay-report.ts';

const FOLDER = 'test/fixtures/replay/self-service';
// Monday 23 November 2026, 10:10 in Istanbul: the shop is open.
const NOW = '2026-11-23T07:10:00Z';
/** Replay answers as the sandbox on its default port would. */
const HELP_BASE = 'http://127.0.0.1:3000/help';

let report: Report;
let view: ReportView;

beforeAll(async () => {
  ({ report } = await replayFolder(FOLDER, NOW));
  view = new ReportView(report);
}, 120_000);

function acknowledgementTo(to: string) {
  const [entry] = view.sentTo(to, { kind: 'auto-reply' });
  expect(entry, `an acknowledgement to ${to}`).toBeDefined();
  return entry as Report['outbox'][number] & { articles?: { slug: string; url: string }[] };
}

describe('replay of the self-service folder: answers from the help center', () => {
  it.each([
    ['elif.demir@example.com', 'tr', 'returns-refunds'],
    ['mark.evans@example.org', 'en', 'damaged-item'],
    ['burak.sahin@example.com', 'tr', 'order-tracking'],
    ['+905337778899', 'tr', 'payment-methods'],
    ['+905441230099', 'tr', 'exchange'],
    ['6789012345670009', 'en', 'cancel-order'],
  ])('links the right article in the acknowledgement to %s', (to, language, slug) => {
    // Act
    const entry = acknowledgementTo(to);

    // Assess
    const url = `${HELP_BASE}/${language}/${slug}`;
    expect(entry.articles).toEqual([{ slug, url }]);
    expect(entry.text).toContain(url);
  });

  it.each([['lena.hoffmann@example.net'], ['+905338889900'], ['+905441230100']])(
    'links no article for the off-topic message of %s',
    (to) => {
      // Act
      const entry = acknowledgementTo(to);

      // Assess
      expect(entry.articles).toBeUndefined();
      expect(entry.text).not.toContain('/help/');
    },
  );

  it('says the article summary by email and only the link by SMS, in one segment', () => {
    // Act
    const email = acknowledgementTo('mark.evans@example.org');
    const sms = acknowledgementTo('+905337778899');

    // Assess
    expect(email.text).toContain('within 14 days');
    expect(sms.text).not.toMatch(/Visa|taksit/);
    expect(sms.text.length).toBeLessThanOrEqual(160);
  });

  it('links only pages the help center build produces', () => {
    // Prepare
    const site = buildHelpCenter({ baseUrl: HELP_BASE });
    const links = report.outbox.flatMap((o) => (o as { articles?: { url: string }[] }).articles ?? []);

    // Act
    const missing = links.filter((l) => !site.files.has(sitePathFor(l.url.slice(HELP_BASE.length))));

    // Assess
    expect(links.length).toBeGreaterThanOrEqual(6);
    expect(missing).toEqual([]);
  });
});

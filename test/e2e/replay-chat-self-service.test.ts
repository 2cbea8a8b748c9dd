import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { buildHelpCenter, sitePathFor } from '../../web/help/build/site.ts';
import { ReportView, replayFolder } from '../support/replay-report.ts';

const FOLDER = 'test/fixtures/replay/chat-self-service';
// Monday 23 November 2026, 10:10 in Istanbul: the shop is open.
const NOW = '2026-11-23T07:10:00Z';
/** Replay answers as the sandbox on its default port would. */
const HELP_BASE = 'http://127.0.0.1:3000/help';

type OutboxEntry = Report['outbox'][number] & { articles?: { slug: string; url: string }[] };

let report: Report;
let view: ReportView;

beforeAll(async () => {
  ({ report } = await replayFolder(FOLDER, NOW));
  view = new ReportView(report);
}, 120_000);

function acknowledgementTo(visitorId: string): OutboxEntry {
  const entries = view.sentTo(visitorId, { kind: 'auto-reply', channel: 'chat' });
  expect(entries, `one chat acknowledgement to ${visitorId}`).toHaveLength(1);
  return entries[0] as OutboxEntry;
}

describe('replay of chat questions the help center answers', () => {
  it("links the returns article in the Turkish visitor's acknowledgement and says its summary", () => {
    // Act
    const entry = acknowledgementTo('v-8d41e7');

    // Assess
    const url = `${HELP_BASE}/tr/returns-refunds`;
    expect(entry.articles).toEqual([{ slug: 'returns-refunds', url }]);
    expect(entry.text).toContain(url);
    expect(entry.text).toContain('14 gün içinde iade');
  });

  it('links no article for an off-topic chat question', () => {
    // Act
    const entry = acknowledgementTo('v-3b90c2');

    // Assess
    expect(entry.articles).toBeUndefined();
    expect(entry.text).not.toContain('/help/');
  });

  it('links only pages the help center build produces', () => {
    // Prepare
    const site = buildHelpCenter({ baseUrl: HELP_BASE });
    const links = report.outbox.flatMap((o) => (o as OutboxEntry).articles ?? []);

    // Act
    const missing = links.filter((l) => !site.files.has(sitePathFor(l.url.slice(HELP_BASE.length))));

    // Assess
    expect(links).toHaveLength(1);
    expect(missing).toEqual([]);
  });
});

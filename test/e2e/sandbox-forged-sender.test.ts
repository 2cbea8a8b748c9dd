import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

/** What an agent sees of mail from a forged sender, through the agent API of the running sandbox. */
const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));

const FORGED = readFileSync(
  new URL('../fixtures/replay/email-forged/03-forged-new-sender.eml', import.meta.url),
);
const AUTH = { authorization: 'Bearer dev-agent-token' };

describe('forged-sender mail in the agent API', () => {
  it('shows the conversation and its message flagged unauthenticated, and nothing was sent', async () => {
    // Prepare: the sandbox's inject route has no verdicts file, so the forgery goes in through
    // its engine with the verdicts SES gave it, as replay reads them from the sibling file.
    await sandbox.engine.processEvent('03-forged-new-sender.eml', FORGED, {
      verdicts: Buffer.from('{"spfVerdict": "PASS", "dkimVerdict": "PASS", "dmarcVerdict": "GRAY"}'),
    });

    // Act
    const listed = await fetch(`${sandbox.base}/conversations?channel=email`, { headers: AUTH });
    const [item] = ((await listed.json()) as { items: { id: string }[] }).items;
    const read = await fetch(`${sandbox.base}/conversations/${item?.id}`, { headers: AUTH });
    const conversation = (await read.json()) as { flags: string[]; messages: { flags?: string[] }[] };

    // Assess
    expect(read.status).toBe(200);
    expect(conversation.flags).toContain('unauthenticated');
    expect(conversation.messages[0]?.flags).toContain('unauthenticated');
    expect(sandbox.engine.outbox).toEqual([]);
  });
});

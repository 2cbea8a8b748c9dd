import { describe, expect, it } from 'vitest';
import {
  BODY_PREVIEW_BYTES,
  bodyBytes,
  bodyKey,
  INLINE_BODY_BYTES,
  keepingLongBodies,
  utf8Prefix,
  withBodyKeptAside,
  withWholeBody,
} from '../../../functions/core/conversations/long-body.ts';
import type { Message } from '../../../functions/core/model.ts';
import type { MessageBodyReader } from '../../../functions/core/ports/conversations.ts';
import { inboundMessage, openConversation } from '../../support/conversation-builders.ts';
import { MemoryAttachments, MemoryConversations } from '../../support/in-memory-ports.ts';

const AT = '2026-11-23T10:01:00.000Z';

/** A mail whose new text is `newText` above `quoted` of history. */
function mail(id: string, newText: string, quoted: string): Message {
  return inboundMessage('conv-long', id, AT, { text: newText, fullText: `${newText}\n\n> ${quoted}` });
}

/** Reads back what the in-memory attachments hold, by the key `put` returned. */
function readerOf(attachments: MemoryAttachments): MessageBodyReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (objectKey) => {
      reads.push(objectKey);
      return attachments.objects.get(objectKey.replace(/^attachments\//, ''));
    },
  };
}

describe('long message bodies', () => {
  it('leaves a body that fits the item where it is, and stores nothing', async () => {
    // Prepare
    const attachments = new MemoryAttachments();
    const short = mail('m-short', 'Kargom nerede?', 'Siparişiniz yola çıktı.');

    // Act
    const kept = await withBodyKeptAside(attachments, short);

    // Assess
    expect(kept).toBe(short);
    expect(attachments.objects.size).toBe(0);
  });

  it('keeps a long body aside under a key derived from the message, and its beginning on the item', async () => {
    // Prepare: 100 KB of text and history in Turkish (two-byte letters)
    const attachments = new MemoryAttachments();
    const newText = 'Şikâyetim şu: '.repeat(2_000);
    const long = mail('m-long', newText, 'Önceki yazışma. '.repeat(3_000));

    // Act
    const kept = await withBodyKeptAside(attachments, long);
    const again = await withBodyKeptAside(attachments, long);

    // Assess
    expect(bodyBytes(long)).toBeGreaterThan(100 * 1024);
    expect(kept.fullText).toBeUndefined();
    expect(newText.startsWith(kept.text)).toBe(true);
    expect(new TextEncoder().encode(kept.text).length).toBeLessThanOrEqual(BODY_PREVIEW_BYTES);
    expect(kept.storedBody).toEqual({ objectKey: `attachments/${bodyKey(long)}`, bytes: bodyBytes(long) });
    // A redelivery writes the same object again, not a second one.
    expect(again).toEqual(kept);
    expect([...attachments.objects.keys()]).toEqual(['message-bodies/conv-long/m-long.json']);
  });

  it('reads the whole body back, and shows the beginning when the object is gone', async () => {
    // Prepare
    const attachments = new MemoryAttachments();
    const long = mail('m-back', 'a'.repeat(INLINE_BODY_BYTES), 'b'.repeat(10));
    const kept = await withBodyKeptAside(attachments, long);
    const reader = readerOf(attachments);

    // Act
    const whole = await withWholeBody(reader, kept);
    attachments.objects.clear();
    const gone = await withWholeBody(reader, kept);
    const inline = await withWholeBody(reader, mail('m-inline', 'hi', 'there'));

    // Assess
    expect(whole).toEqual(long);
    expect(gone).toEqual(kept);
    expect(inline.fullText).toBe('hi\n\n> there');
    expect(reader.reads).toEqual([kept.storedBody?.objectKey, kept.storedBody?.objectKey]);
  });

  it('stores a long mail through the store as its item should hold it, and a short one as it is', async () => {
    // Prepare
    const attachments = new MemoryAttachments();
    const inner = new MemoryConversations();
    await inner.create(openConversation({ id: 'conv-long' }));
    const store = keepingLongBodies(inner, attachments);

    // Act
    const first = await store.appendMessage(mail('m-store', 'x'.repeat(5_000), 'y'));
    const redelivered = await store.appendMessage(mail('m-store', 'x'.repeat(5_000), 'y'));
    await store.appendMessage(mail('m-small', 'small', 'quote'));

    // Assess
    expect(first).toEqual({});
    expect(redelivered).toBeUndefined();
    const stored = inner.messagesOf('conv-long');
    expect(stored.map((m) => [m.id, m.text.length, m.fullText, m.storedBody?.objectKey])).toEqual([
      ['m-store', BODY_PREVIEW_BYTES, undefined, 'attachments/message-bodies/conv-long/m-store.json'],
      ['m-small', 5, 'small\n\n> quote', undefined],
    ]);
    expect(attachments.objects.size).toBe(1);
  });

  it('cuts a preview between characters, never inside one', () => {
    // Act / Assess
    expect(utf8Prefix('ağaç', 2)).toBe('a');
    expect(utf8Prefix('ağaç', 3)).toBe('ağ');
    expect(utf8Prefix('😀x', 3)).toBe('');
    expect(utf8Prefix('😀x', 5)).toBe('😀x');
  });
});

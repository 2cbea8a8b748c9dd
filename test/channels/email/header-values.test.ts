import { describe, expect, it } from 'vitest';
import {
  extractMessageIds,
  isReceivedAddress,
  isSendableAddress,
  normalizeMessageId,
  toSingleLine,
} from '../../../functions/channels/email/header-values.ts';
import { sanitizeFilename } from '../../../functions/channels/email/parse-inbound-email.ts';

describe('toSingleLine', () => {
  it('replaces every kind of line break and control character with one space', () => {
    // Prepare
    const value = ' Hi\r\nBcc: victim@example.com\u0000\u2028X-Evil:\tyes ';

    // Act
    const line = toSingleLine(value, 100);

    // Assess
    expect(line).toBe('Hi Bcc: victim@example.com X-Evil: yes');
  });

  it('bounds the length without splitting a surrogate pair', () => {
    // Prepare
    const value = `ab${'😀'.repeat(3)}`;

    // Act
    const line = toSingleLine(value, 5);

    // Assess
    expect(line).toBe('ab😀');
  });
});

describe('address checks', () => {
  it.each([
    ['ayse.yilmaz@example.com', true, true],
    ['support+c-abc123@support.example.com', true, true],
    ['şule@örnek.example', true, false],
    ['no-at-sign.example.com', false, false],
    ['two@@example.com', false, false],
    ['a@localhost', false, false],
    ['a b@example.com', false, false],
    ['a@example.com\r\nBcc: x@example.com', false, false],
    ['a@example.com, b@example.com', false, false],
  ])('%j: received %s, sendable %s', (address, received, sendable) => {
    // Prepare
    const candidate = address;

    // Act
    const verdicts = [isReceivedAddress(candidate), isSendableAddress(candidate)];

    // Assess
    expect(verdicts).toEqual([received, sendable]);
  });
});

describe('Message-ID helpers', () => {
  it('normalizes a Message-ID to its bare form and keeps its case', () => {
    // Prepare
    const value = '  <CAF7xK2p@Mail.Gmail.com> ';

    // Act
    const id = normalizeMessageId(value);

    // Assess
    expect(id).toBe('CAF7xK2p@Mail.Gmail.com');
  });

  it('reads ids separated by anything, drops duplicates and malformed ones', () => {
    // Prepare
    const value = '<a@x.example><b@x.example>, <a@x.example> <with space@x.example>\t<c@x.example>';

    // Act
    const ids = extractMessageIds(value);

    // Assess
    expect(ids).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
  });
});

describe('sanitizeFilename', () => {
  it.each([
    ['C:\\Users\\ayse\\Desktop\\fatura.pdf', 'fatura.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['.hidden', 'hidden'],
    ['line\r\nbreak.txt', 'line break.txt'],
    ['', 'attachment-3'],
    ['   ', 'attachment-3'],
  ])('turns %j into %j', (filename, expected) => {
    // Prepare
    const position = 3;

    // Act
    const sanitized = sanitizeFilename(filename, position);

    // Assess
    expect(sanitized).toBe(expected);
  });

  it('bounds a long name and keeps its extension', () => {
    // Prepare
    const filename = `${'ş'.repeat(300)}.pdf`;

    // Act
    const sanitized = sanitizeFilename(filename, 1);

    // Assess
    expect(sanitized).toHaveLength(200);
    expect(sanitized.endsWith('ş.pdf')).toBe(true);
  });
});

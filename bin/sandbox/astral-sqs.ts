import { createHash } from 'node:crypto';
import type { Message, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';

/**
 * fauxqs, the sandbox's SQS, checks message bodies with a regex that lacks the `u` flag, so it
 * refuses every character outside the Basic Multilingual Plane (emoji, many CJK ideographs,
 * mathematical letters) with InvalidMessageContents, though real SQS accepts them. This carries
 * them through instead: a middleware on the sandbox's SQS clients writes each such character as
 * an escape of BMP characters on the way in and restores it on the way out, so the handlers send
 * and receive exactly what they would in the cloud. It runs outside the SDK's MD5 checks, which
 * therefore compare what fauxqs stored, and reports the MD5s of the bodies as sent and received.
 */

/** A private-use character (SQS allows U+E000–U+FFFD) that starts an escape: it plus 6 hex digits. */
const ESCAPE = '\uE0FF';
/** Not a code point (above U+10FFFF): the escape of the escape character itself. */
const ESCAPED_ESCAPE = `${ESCAPE}ffffff`;
const ASTRAL_OR_ESCAPE = /[\u{10000}-\u{10FFFF}\uE0FF]/gu;
const ESCAPE_SEQUENCE = /\uE0FF([0-9a-f]{6})/g;

export function encodeAstral(body: string): string {
  return body.replace(ASTRAL_OR_ESCAPE, (char) =>
    char === ESCAPE ? ESCAPED_ESCAPE : `${ESCAPE}${(char.codePointAt(0) ?? 0).toString(16).padStart(6, '0')}`,
  );
}

export function decodeAstral(body: string): string {
  return body.replace(ESCAPE_SEQUENCE, (_match, hex: string) =>
    hex === 'ffffff' ? ESCAPE : String.fromCodePoint(Number.parseInt(hex, 16)),
  );
}

const md5 = (body: string) => createHash('md5').update(body, 'utf8').digest('hex');

interface Args {
  input: Record<string, unknown>;
}
interface Response {
  output: Record<string, unknown>;
}

/** A copy of the command's arguments with another input. */
function withInput<T>(args: T, input: Record<string, unknown>): T {
  return { ...(args as object), input } as T;
}

/** Installs the encoding on one client (idempotent per client). */
export function carryAstralCharacters(client: SQSClient): SQSClient {
  const name = 'sandboxAstralCharacters';
  client.middlewareStack.remove(name);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context as { commandName?: string }).commandName;
      const { input } = args as unknown as Args;
      if (command === 'SendMessageCommand' && typeof input.MessageBody === 'string') {
        const body = input.MessageBody;
        const result = await next(withInput(args, { ...input, MessageBody: encodeAstral(body) }));
        const { output } = result as unknown as Response;
        if (typeof output.MD5OfMessageBody === 'string') output.MD5OfMessageBody = md5(body);
        return result;
      }
      if (command === 'SendMessageBatchCommand' && Array.isArray(input.Entries)) {
        const entries = input.Entries as SendMessageBatchRequestEntry[];
        const sent = new Map(entries.map((entry) => [entry.Id, entry.MessageBody ?? '']));
        const encoded = entries.map((entry) => ({
          ...entry,
          MessageBody: encodeAstral(entry.MessageBody ?? ''),
        }));
        const result = await next(withInput(args, { ...input, Entries: encoded }));
        const { output } = result as unknown as Response;
        for (const entry of (output.Successful ?? []) as { Id?: string; MD5OfMessageBody?: string }[]) {
          const body = entry.Id === undefined ? undefined : sent.get(entry.Id);
          if (body !== undefined) entry.MD5OfMessageBody = md5(body);
        }
        return result;
      }
      const result = await next(args);
      if (command === 'ReceiveMessageCommand') {
        const { output } = result as unknown as Response;
        for (const message of (output.Messages ?? []) as Message[]) {
          if (message.Body === undefined) continue;
          message.Body = decodeAstral(message.Body);
          message.MD5OfBody = md5(message.Body);
        }
      }
      return result;
    },
    // Outside the SDK's own MD5 checks (also in `initialize`, at normal priority).
    { step: 'initialize', priority: 'high', name },
  );
  return client;
}

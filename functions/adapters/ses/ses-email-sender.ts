import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { composeOutboundEmail, replyTokenAddress } from '../../channels/email/compose-outbound-email.ts';
import type { SupportConfig } from '../../core/config.ts';
import { PermanentDeliveryError, RetryableError } from '../../core/errors.ts';
import type { OutboundRequest } from '../../core/model.ts';
import type { ChannelSender, SentMessage } from '../../core/ports/outbound.ts';
import type { Clock } from '../../core/ports/runtime.ts';

/** SES answers that will not change on a retry: the message or its address is refused. */
const PERMANENT_SES_ERRORS = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
]);

/** Builds the MIME message (threading headers, Reply-To token) and sends it raw through SESv2. */
export class SesEmailSender implements ChannelSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly config: Pick<SupportConfig, 'fromName' | 'supportAddress' | 'mailDomain'>,
    private readonly clock: Clock,
    private readonly configurationSetName?: string,
    /** Where the files of agent replies are read from; absent: a request with files is refused. */
    private readonly attachments?: { read(objectKey: string): Promise<Uint8Array> },
  ) {}

  async send(request: OutboundRequest): Promise<SentMessage> {
    const emailMessageId = `${request.id}@${this.config.mailDomain}`;
    const token = request.email?.replyToken;
    const files = await this.filesOf(request);
    const raw = await composeOutboundEmail({
      from: { name: this.config.fromName, address: this.config.supportAddress },
      to: request.to,
      replyTo: token ? replyTokenAddress(this.config.supportAddress, token) : undefined,
      subject: request.subject ?? '',
      text: request.text,
      messageId: emailMessageId,
      inReplyTo: request.email?.inReplyTo,
      references: request.email?.references ?? [],
      headers: request.headers,
      language: request.language,
      date: this.clock.now(),
      attachments: files,
    });
    try {
      const result = await this.ses.send(
        new SendEmailCommand({
          Destination: { ToAddresses: [request.to] },
          Content: { Raw: { Data: raw } },
          ConfigurationSetName: this.configurationSetName,
        }),
      );
      return { providerMessageId: result.MessageId ?? emailMessageId, emailMessageId };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      if (PERMANENT_SES_ERRORS.has(name)) {
        throw new PermanentDeliveryError(`SES refused the message (${name})`, { cause: error });
      }
      throw new RetryableError(`SES could not take the message now (${name})`, { cause: error });
    }
  }

  /** The stored content of each attachment, read one after the other (a reply has a few). */
  private async filesOf(request: OutboundRequest) {
    const refs = (request.attachments ?? []).filter((a) => a.objectKey !== undefined);
    if (refs.length === 0) return [];
    if (!this.attachments) {
      throw new PermanentDeliveryError(
        'this message has attachments but the sender cannot read stored files',
      );
    }
    const files = [];
    for (const ref of refs) {
      files.push({
        filename: ref.filename,
        contentType: ref.contentType,
        content: await this.attachments.read(ref.objectKey ?? ''),
      });
    }
    return files;
  }
}

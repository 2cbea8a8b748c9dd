import { chooseReplyLanguage } from '../auto-reply/language.ts';
import type { SupportConfig } from '../config.ts';
import { type ConsentChangeResult, changeConsent } from '../customers/consent.ts';
import { ConfigurationError } from '../errors.ts';
import type { Customer, InboundMessage, OutboundRequest } from '../model.ts';
import type { ConsentLedger, CustomerDirectory } from '../ports/customers.ts';
import type { OutboundQueue } from '../ports/outbound.ts';
import type { IdSource } from '../ports/runtime.ts';
import { type SmsReplyKind, smsKeywordReply } from './replies.ts';

export interface SmsKeywordDeps {
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly customers: Pick<CustomerDirectory, 'get'>;
  readonly consent: ConsentLedger;
  readonly outbound: OutboundQueue;
}

export interface SmsKeywordOutcome {
  readonly action: 'opt-out' | 'opt-in' | 'help';
  readonly consent?: ConsentChangeResult;
  readonly replyQueued: boolean;
}

/**
 * A keyword SMS (STOP, START, HELP and their kin) changes the consent ledger and is answered by
 * its confirmation or help text instead of the ordinary acknowledgement. The message itself stays
 * on the timeline, so an agent sees that the customer opted out and when.
 */
export async function answerSmsKeyword(
  deps: SmsKeywordDeps,
  input: {
    readonly message: InboundMessage;
    readonly customer: Customer;
    readonly conversationId: string;
    readonly inboundKey: string;
    readonly now: Date;
  },
): Promise<SmsKeywordOutcome | undefined> {
  const keyword = input.message.sms?.keyword;
  const sms = deps.config.sms;
  if (!keyword) return undefined;
  if (!sms)
    throw new ConfigurationError(
      'an SMS keyword arrived but the SMS channel is not configured (the sms section of the deployment config)',
    );

  let consent: ConsentChangeResult | undefined;
  if (keyword.action !== 'help') {
    consent = await changeConsent(
      { customers: deps.customers, consent: deps.consent },
      {
        customerId: input.customer.id,
        channel: 'sms',
        state: keyword.action === 'opt-out' ? 'opted-out' : 'opted-in',
        source: 'sms-keyword',
        at: input.message.receivedAt,
        eventKey: input.inboundKey,
        keyword: keyword.keyword,
      },
    );
  }

  // HELP is always answered (carriers require it). A confirmation goes out only for an actual
  // change, and only when we, not End User Messaging or the carrier, are the ones confirming.
  const reply: SmsReplyKind | undefined =
    keyword.action === 'help'
      ? 'help'
      : sms.keywordConfirmations && consent?.status === 'changed'
        ? keyword.action
        : undefined;
  if (!reply) return { action: keyword.action, consent, replyQueued: false };

  // İPTAL says Turkish; STOP says nothing, so the customer's known language decides.
  const detected = keyword.keyword === 'IPTAL' ? 'tr' : undefined;
  const language = chooseReplyLanguage(
    { preferred: input.customer.language, detected, previous: input.customer.detectedLanguage },
    deps.config,
  );
  const content = smsKeywordReply(reply, language, {
    sms,
    defaultLanguage: deps.config.defaultLanguage,
    shopName: deps.config.fromName,
  });
  const request: OutboundRequest = {
    id: deps.ids.derive('sms-keyword-reply', input.inboundKey),
    // Conversational: it answers the customer's own message, so an opt-out does not suppress it.
    kind: 'auto-reply',
    channel: 'sms',
    customerId: input.customer.id,
    conversationId: input.conversationId,
    to: input.message.from.value,
    language: content.language,
    text: content.text,
    headers: {},
    requestedAt: input.now.toISOString(),
  };
  await deps.outbound.enqueue(request);
  return { action: keyword.action, consent, replyQueued: true };
}

import type { SupportConfig } from '../config.ts';
import { resolveShopCustomer, type ShopCustomerDeps } from '../customers/merge.ts';
import { InvalidInputError } from '../errors.ts';
import { chatWidgetStrings } from '../i18n/chat-widget.ts';
import type { Customer, Identity } from '../model.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { OutboundQueue } from '../ports/outbound.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';

/**
 * An anonymous visitor who leaves an email is linked to it only once they click the link we mail
 * there: typing someone's address proves nothing, reading their mailbox does. Until then the
 * visitor stays their own anonymous customer; after it, the visitor and the address are one
 * customer (merged with the address's existing customer if there is one), so the history follows.
 */

/** The claims a confirmation link carries. */
export interface EmailLinkClaims {
  readonly visitorId: string;
  readonly email: string;
  /** Seconds since the epoch. */
  readonly exp: number;
}

/** Signs and checks confirmation links (an HMAC with the chat identity secret, in the adapters). */
export interface EmailLinkSigner {
  sign(claims: EmailLinkClaims): Promise<string>;
  verify(token: string, now: Date): Promise<EmailLinkClaims | undefined>;
}

/** How long a confirmation link works. */
const LINK_HOURS = 24;

export interface RequestEmailLinkDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly customers: Pick<CustomerDirectory, 'findByIdentity' | 'createWithIdentity'>;
  readonly outbound: OutboundQueue;
  readonly linkSigner: EmailLinkSigner;
}

/** Mails the confirmation link (once per visitor and address: the send id is derived from both). */
export async function requestEmailLink(
  deps: RequestEmailLinkDeps,
  input: { readonly visitorId: string; readonly email: string; readonly language?: string },
): Promise<{ readonly outboundId: string }> {
  const base = deps.config.chat?.confirmationUrl;
  if (!base) throw new InvalidInputError('linking an email to a chat is not set up (chat.confirmationUrl)');
  const email = input.email.trim().toLowerCase();
  const now = deps.clock.now();
  const token = await deps.linkSigner.sign({
    visitorId: input.visitorId,
    email,
    exp: Math.floor(now.getTime() / 1000) + LINK_HOURS * 3_600,
  });
  const visitor: Identity = { kind: 'chat', value: input.visitorId };
  const customer =
    (await deps.customers.findByIdentity(visitor)) ??
    (await deps.customers.createWithIdentity(anonymousVisitor(deps, visitor, now), visitor));
  const language = deps.config.languages.includes(input.language ?? '')
    ? (input.language as string)
    : deps.config.defaultLanguage;
  const strings = chatWidgetStrings(language);
  const id = deps.ids.derive('chat-email-link', input.visitorId, email);
  const link = `${base}${base.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
  await deps.outbound.enqueue({
    id,
    kind: 'auto-reply',
    channel: 'email',
    customerId: customer.id,
    to: email,
    language,
    subject: strings.confirmEmailSubject,
    text: strings.confirmEmailText(link),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    requestedAt: now.toISOString(),
  });
  return { outboundId: id };
}

function anonymousVisitor(deps: RequestEmailLinkDeps, visitor: Identity, now: Date): Customer {
  return {
    id: deps.ids.derive('customer', visitor.kind, visitor.value),
    consent: {},
    identities: [visitor],
    createdAt: now.toISOString(),
  };
}

export interface ConfirmEmailLinkDeps extends ShopCustomerDeps {
  readonly clock: Clock;
  readonly linkSigner: EmailLinkSigner;
}

/** The clicked link: the visitor and the address become one customer. Clicking twice changes nothing more. */
export async function confirmEmailLink(
  deps: ConfirmEmailLinkDeps,
  token: string,
): Promise<{ readonly customerId: string; readonly visitorId: string }> {
  const now = deps.clock.now();
  const claims = await deps.linkSigner.verify(token, now);
  if (!claims)
    throw new InvalidInputError(
      'this confirmation link is not valid or has expired; ask for a new one in the chat',
    );
  const result = await resolveShopCustomer(deps, {
    identities: [
      { kind: 'email', value: claims.email },
      { kind: 'chat', value: claims.visitorId },
    ],
    profile: {},
    eventKey: `chat-email-link#${claims.visitorId}#${claims.email}`,
    at: now.toISOString(),
  });
  return { customerId: result.customerId, visitorId: claims.visitorId };
}

import { toE164 } from '../../core/customers/phone.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { AttachmentRef, Channel, Identity, InboundMessage } from '../../core/model.ts';
import { SENDER_NOT_NORMALISED } from '../../core/model.ts';
import type { DeliveryStatusReport } from '../../core/outbound/delivery-status.ts';
import { languageOfPhoneCountry } from './language-hint.ts';

/**
 * Meta webhook deliveries (WhatsApp Cloud API `whatsapp_business_account`, Messenger `page`,
 * Instagram `instagram`) turned into inbound messages and delivery statuses. One delivery can
 * batch several entries, changes and messages; each one is read on its own so a message we cannot
 * read becomes a placeholder instead of costing its neighbours. Media are kept as references
 * (type, id or URL, MIME type, caption): the bytes stay with Meta until fetched through the Graph
 * API.
 */

export interface ParsedMetaDelivery {
  readonly object: string;
  readonly messages: InboundMessage[];
  readonly statuses: DeliveryStatusReport[];
  /** What was deliberately not turned into a message (echoes of our own sends, read watermarks), by reason. */
  readonly ignored: string[];
  /**
   * Parts of the delivery we could not read at all (an entry, change or message that is not an
   * object, a message without an id): never dropped, the delivery is dead-lettered with these.
   */
  readonly unreadable: string[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/**
 * The objects of a list the delivery must hold objects in; anything else in it is noted as
 * unreadable (by its place, never its content) rather than skipped.
 */
function objectsOf(value: unknown, what: string, result: ParsedMetaDelivery): Json[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    result.unreadable.push(`${what} is not a list`);
    return [];
  }
  const found: Json[] = [];
  for (const [index, item] of value.entries()) {
    if (isObject(item)) found.push(item);
    else result.unreadable.push(`${what} ${index} is not an object`);
  }
  return found;
}
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Longest text kept on a message; WhatsApp allows 4096 characters, Messenger 2000. */
const MAX_TEXT = 8_000;

/**
 * `receivedAt`: when we took the delivery, the time given to an item whose own timestamp cannot
 * be read (flagged `timestamp-unreadable`); dedupe does not depend on it (the wamid or mid does).
 */
export function parseMetaWebhook(
  body: unknown,
  options: { readonly receivedAt?: string } = {},
): ParsedMetaDelivery {
  const fallbackAt = options.receivedAt ?? new Date(0).toISOString();
  if (!isObject(body) || typeof body.object !== 'string' || !Array.isArray(body.entry)) {
    throw new InvalidInputError('not a Meta webhook delivery: expected {"object": …, "entry": [ … ]}');
  }
  const result: ParsedMetaDelivery = {
    object: body.object,
    messages: [],
    statuses: [],
    ignored: [],
    unreadable: [],
  };
  const entries = () => objectsOf(body.entry, 'entry', result);
  switch (body.object) {
    case 'whatsapp_business_account':
      for (const entry of entries()) readWhatsAppEntry(entry, result, fallbackAt);
      break;
    case 'page':
      for (const entry of entries()) readMessagingEntry(entry, 'messenger', result, fallbackAt);
      break;
    case 'instagram':
      for (const entry of entries()) readMessagingEntry(entry, 'instagram', result, fallbackAt);
      break;
    default:
      result.ignored.push(`object "${body.object.slice(0, 40)}" is not a messaging webhook we read`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// WhatsApp Cloud API: entry[].changes[].value.{contacts, messages, statuses}

function readWhatsAppEntry(entry: Json, result: ParsedMetaDelivery, fallbackAt: string): void {
  for (const change of objectsOf(entry.changes, 'whatsapp change', result)) {
    const value = change.value;
    if (change.field !== 'messages' || !isObject(value)) {
      result.ignored.push(`whatsapp change field "${String(change.field).slice(0, 40)}"`);
      continue;
    }
    const names = new Map<string, string>();
    for (const contact of objects(value.contacts)) {
      const name = isObject(contact.profile) ? text(contact.profile.name) : undefined;
      // Username users may come with a business-scoped user id instead of a wa_id.
      for (const id of [text(contact.wa_id), text(contact.user_id)]) if (id && name) names.set(id, name);
    }
    for (const [index, message] of objectsOf(value.messages, 'whatsapp message', result).entries()) {
      const parsed = oneAtATime(() => readWhatsAppMessage(message, names, index, fallbackAt));
      if (typeof parsed === 'string') result.unreadable.push(parsed);
      else result.messages.push(parsed);
    }
    for (const error of objects(value.errors)) {
      // Errors about the webhook or the number itself (not one message): kept for the logs by code.
      result.ignored.push(`whatsapp error ${String(error.code ?? '?').slice(0, 12)}`);
    }
    for (const status of objects(value.statuses)) {
      const parsed = oneAtATime(() => readWhatsAppStatus(status, fallbackAt));
      if (typeof parsed === 'string') result.ignored.push(parsed);
      else result.statuses.push(parsed);
    }
  }
}

/**
 * `index` is the message's place in the delivery: WhatsApp timestamps have whole seconds, so a
 * sticker and the text sent right after it share one; the index, as milliseconds, keeps them in
 * the order the customer sent them on the timeline. Dedupe does not depend on it (the wamid does).
 */
function readWhatsAppMessage(
  message: Json,
  names: ReadonlyMap<string, string>,
  index: number,
  fallbackAt: string,
): InboundMessage | string {
  const id = text(message.id);
  if (!id) return 'whatsapp message without id';
  const sender = whatsAppSender(message);
  if (!sender) return 'whatsapp message without sender (no from, no from_user_id)';
  const receivedAt = unixSecondsOrUndefined(message.timestamp, Math.min(index, 999));
  const base = {
    channel: 'whatsapp' as const,
    providerMessageId: id,
    from: sender.identity,
    fromName: names.get(sender.given),
    languageHint:
      sender.identity.kind === 'phone' ? languageOfPhoneCountry(sender.identity.value) : undefined,
    receivedAt: receivedAt ?? fallbackAt,
    replyTo: isObject(message.context) ? text(message.context.id) : undefined,
  };
  const senderFlags = [
    ...(sender.identity.kind === 'phone' ? [] : [SENDER_NOT_NORMALISED]),
    ...(receivedAt === undefined ? ['timestamp-unreadable'] : []),
  ];
  let content: Content;
  try {
    content = whatsAppContent(message);
  } catch {
    // A shape we did not expect inside a known type: keep the message, say what it was.
    content = unsupported(String(message.type ?? 'unknown'));
  }
  return {
    ...base,
    text: content.text.slice(0, MAX_TEXT),
    attachments: content.attachments,
    flags: [...content.flags, ...senderFlags],
  };
}

/**
 * Who sent a WhatsApp message. A wa_id is the sender's phone number without "+": when
 * libphonenumber validates it, the sender is that phone identity (the same person as the number's
 * SMS and calls). Otherwise (a new or fictional range, or a username user who has only a
 * business-scoped `from_user_id`) the sender is a `whatsapp` identity exactly as given: kept, and
 * flagged, never dropped for its form.
 */
function whatsAppSender(message: Json): { identity: Identity; given: string } | undefined {
  const waId = text(message.from);
  if (waId) {
    const phone = /^\+?\d+$/.test(waId) ? toE164(`+${waId.replace(/\D/g, '')}`) : undefined;
    return {
      identity: phone ? { kind: 'phone', value: phone } : { kind: 'whatsapp', value: waId },
      given: waId,
    };
  }
  const userId = text(message.from_user_id);
  return userId ? { identity: { kind: 'whatsapp', value: userId }, given: userId } : undefined;
}

interface Content {
  readonly text: string;
  readonly attachments: AttachmentRef[];
  readonly flags: string[];
}

const WHATSAPP_MEDIA = new Set(['image', 'audio', 'video', 'document', 'sticker']);

function whatsAppContent(message: Json): Content {
  const type = String(message.type ?? '');
  const body = message[type];
  if (type === 'text' && isObject(body)) return { text: String(body.body ?? ''), attachments: [], flags: [] };
  if (WHATSAPP_MEDIA.has(type) && isObject(body) && text(body.id)) {
    const caption = text(body.caption);
    return {
      text: caption ?? '',
      attachments: [
        mediaReference(type, {
          id: text(body.id),
          mimeType: text(body.mime_type),
          caption,
          filename: text(body.filename),
        }),
      ],
      flags: [type === 'sticker' ? 'sticker' : 'media'],
    };
  }
  if (type === 'location' && isObject(body)) {
    return { text: describeLocation(body), attachments: [], flags: ['location'] };
  }
  if (type === 'interactive' && isObject(body)) {
    const reply = isObject(body.button_reply)
      ? body.button_reply
      : isObject(body.list_reply)
        ? body.list_reply
        : undefined;
    if (reply)
      return { text: String(reply.title ?? reply.id ?? ''), attachments: [], flags: ['button-reply'] };
  }
  if (type === 'button' && isObject(body)) {
    return { text: String(body.text ?? body.payload ?? ''), attachments: [], flags: ['button-reply'] };
  }
  if (type === 'reaction' && isObject(body)) {
    const emoji = text(body.emoji);
    // An empty emoji removes an earlier reaction.
    return {
      text: emoji ? `[reaction ${emoji}]` : '[reaction removed]',
      attachments: [],
      flags: ['reaction'],
    };
  }
  // WhatsApp names what it could not deliver to us in `unsupported.type` (polls, view-once media…).
  const inner = type === 'unsupported' && isObject(body) ? text(body.type) : undefined;
  return unsupported(inner ?? (type || 'unknown'));
}

function readWhatsAppStatus(status: Json, fallbackAt: string): DeliveryStatusReport | string {
  const id = text(status.id);
  const state = status.status;
  if (!id) return 'whatsapp status without message id';
  if (state !== 'sent' && state !== 'delivered' && state !== 'read' && state !== 'failed') {
    return `whatsapp status "${String(state).slice(0, 20)}"`;
  }
  const error = objects(status.errors)[0];
  return {
    channel: 'whatsapp',
    providerMessageId: id,
    status: state,
    at: unixSecondsOrUndefined(status.timestamp) ?? fallbackAt,
    // Code and title only: WhatsApp's error details can quote the recipient's number.
    reason: error
      ? `WhatsApp error ${String(error.code ?? '?')}: ${String(error.title ?? '').slice(0, 120)}`
      : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Messenger and Instagram: entry[].messaging[] with sender, recipient, timestamp (ms) and one of
// message, postback, reaction, delivery, read.

function readMessagingEntry(
  entry: Json,
  channel: Channel,
  result: ParsedMetaDelivery,
  fallbackAt: string,
): void {
  const events = [
    ...objectsOf(entry.messaging, `${channel} event`, result),
    ...objectsOf(entry.standby, `${channel} standby event`, result),
  ];
  for (const event of events) {
    const problem = oneAtATime(() => readMessagingEvent(event, channel, result, fallbackAt));
    if (problem) result.unreadable.push(problem);
  }
}

function readMessagingEvent(
  event: Json,
  channel: Channel,
  result: ParsedMetaDelivery,
  fallbackAt: string,
): undefined {
  const senderId = isObject(event.sender) ? text(event.sender.id) : undefined;
  const ownTime = unixMillisecondsOrUndefined(event.timestamp);
  const receivedAt = ownTime ?? fallbackAt;
  const timeFlags = ownTime === undefined ? ['timestamp-unreadable'] : [];
  if (isObject(event.delivery)) {
    for (const mid of Array.isArray(event.delivery.mids) ? event.delivery.mids : []) {
      if (typeof mid === 'string') {
        result.statuses.push({ channel, providerMessageId: mid, status: 'delivered', at: receivedAt });
      }
    }
    return;
  }
  if (isObject(event.read)) {
    // A read receipt names a time watermark, not messages; our statuses are per message.
    result.ignored.push(`${channel} read watermark`);
    return;
  }
  if (!senderId) {
    result.unreadable.push(`${channel} event without sender`);
    return;
  }
  const from = {
    kind: channel === 'instagram' ? ('instagram' as const) : ('messenger' as const),
    value: senderId,
  };
  if (isObject(event.message)) {
    const message = event.message;
    if (message.is_echo === true) {
      // Our own outbound message, reflected back: it is on the timeline already.
      result.ignored.push(`${channel} echo`);
      return;
    }
    const mid = text(message.mid);
    if (!mid) {
      result.unreadable.push(`${channel} message without mid`);
      return;
    }
    let content: Content;
    try {
      content = messagingContent(message);
    } catch {
      content = unsupported('unknown');
    }
    result.messages.push({
      channel,
      providerMessageId: mid,
      from,
      receivedAt,
      text: content.text.slice(0, MAX_TEXT),
      attachments: content.attachments,
      flags: [...content.flags, ...timeFlags],
      replyTo: isObject(message.reply_to) ? text(message.reply_to.mid) : undefined,
    });
    return;
  }
  if (isObject(event.postback)) {
    const postback = event.postback;
    const mid = text(postback.mid) ?? `postback:${senderId}:${String(event.timestamp)}`;
    result.messages.push({
      channel,
      providerMessageId: mid,
      from,
      receivedAt,
      text: String(postback.title ?? postback.payload ?? ''),
      attachments: [],
      flags: ['button-reply'],
    });
    return;
  }
  if (isObject(event.reaction)) {
    const reaction = event.reaction;
    const target = text(reaction.mid);
    const emoji = text(reaction.emoji);
    result.messages.push({
      channel,
      // A reaction has no id of its own; the same reaction on the same message is the same event.
      providerMessageId: `reaction:${target ?? '?'}:${senderId}:${String(reaction.action ?? 'react')}:${emoji ?? ''}`,
      from,
      receivedAt,
      text:
        reaction.action === 'unreact'
          ? '[reaction removed]'
          : `[reaction ${emoji ?? reaction.reaction ?? ''}]`,
      attachments: [],
      flags: ['reaction'],
      replyTo: target,
    });
    return;
  }
  result.ignored.push(`${channel} event of a kind we do not read`);
  return undefined;
}

const MESSAGING_MEDIA = new Set(['image', 'audio', 'video', 'file', 'sticker']);

function messagingContent(message: Json): Content {
  if (message.is_unsupported === true) return unsupported('unsupported');
  const attachments: AttachmentRef[] = [];
  const flags: string[] = [];
  const parts: string[] = [];
  const body = text(message.text);
  if (body) parts.push(body);
  if (isObject(message.quick_reply)) flags.push('button-reply');
  for (const attachment of objects(message.attachments)) {
    const type = String(attachment.type ?? 'unknown');
    const payload = isObject(attachment.payload) ? attachment.payload : {};
    if (type === 'location' && isObject(payload.coordinates)) {
      parts.push(
        describeLocation({ latitude: payload.coordinates.lat, longitude: payload.coordinates.long }),
      );
      flags.push('location');
    } else if (payload.sticker_id !== undefined || type === 'sticker') {
      // sticker_id is a number in Messenger payloads (369239263222822 is the like button).
      attachments.push(
        mediaReference('sticker', { id: String(payload.sticker_id ?? ''), url: text(payload.url) }),
      );
      flags.push('sticker');
    } else if (MESSAGING_MEDIA.has(type)) {
      attachments.push(mediaReference(type, { id: text(payload.attachment_id), url: text(payload.url) }));
      flags.push('media');
    } else {
      // Shares, story mentions, reels, templates: a placeholder keeps the timeline honest.
      parts.push(`[${type.slice(0, 40)}]`);
      flags.push('unsupported-type');
    }
  }
  if (parts.length === 0 && attachments.length === 0) return unsupported('empty');
  return { text: parts.join('\n'), attachments, flags: [...new Set(flags)] };
}

// ---------------------------------------------------------------------------------------------

function mediaReference(
  type: string,
  media: { id?: string; url?: string; mimeType?: string; caption?: string; filename?: string },
): AttachmentRef {
  return {
    filename: media.filename ?? `${type}${media.id ? `-${media.id}` : ''}`,
    contentType: media.mimeType ?? 'application/octet-stream',
    size: 0,
    skippedReason: 'not downloaded: a media reference; fetch it through the Graph API',
    media: { type, id: media.id || undefined, url: media.url, caption: media.caption },
  };
}

function describeLocation(location: Json): string {
  const name = text(location.name);
  const address = text(location.address);
  const coordinates = `${Number(location.latitude)}, ${Number(location.longitude)}`;
  return `[location] ${[name, address].filter(Boolean).join(', ')}${name || address ? ' ' : ''}(${coordinates})`;
}

/** Runs one item's reader; a malformed item becomes a reason string instead of failing the delivery. */
function oneAtATime<T>(read: () => T): T | string {
  try {
    return read();
  } catch (error) {
    return error instanceof InvalidInputError ? `unreadable item: ${error.reason}` : 'unreadable item';
  }
}

function unsupported(type: string): Content {
  return {
    text: `[unsupported message type: ${type.slice(0, 40)}]`,
    attachments: [],
    flags: ['unsupported-type'],
  };
}

/** Latest instant a Date holds; a "timestamp" past it is not a time. */
const MAX_DATE_MS = 8.64e15;

function unixSecondsOrUndefined(value: unknown, extraMilliseconds = 0): string | undefined {
  const seconds = Number(value);
  if (value === null || value === '' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  const ms = seconds * 1000 + extraMilliseconds;
  return ms < MAX_DATE_MS ? new Date(ms).toISOString() : undefined;
}

function unixMillisecondsOrUndefined(value: unknown): string | undefined {
  const ms = Number(value);
  if (value === null || value === '' || !Number.isFinite(ms) || ms <= 0 || ms >= MAX_DATE_MS)
    return undefined;
  return new Date(ms).toISOString();
}

/** One timeline across every channel of the customer: messages, calls, order updates, surveys, notes. */
import { useEffect, useRef } from 'preact/hooks';
import { bytes, dateTime } from './format.ts';
import { channelName, type Strings, type UiLanguage } from './i18n.ts';
import type { TimelineMessage } from './types.ts';

interface TimelineProps {
  readonly t: Strings;
  readonly lang: UiLanguage;
  readonly messages: readonly TimelineMessage[];
  readonly conversationId: string;
  readonly customerName: string;
  readonly onOpen: (conversationId: string) => void;
  readonly typing: boolean;
}

/** Flags an agent must notice, with their words; other flags are shown as they are. */
function flagText(t: Strings, flag: string): { text: string; warn: boolean } {
  switch (flag) {
    case 'unauthenticated':
      return { text: t.flagUnauthenticated, warn: true };
    case 'spam':
      return { text: t.flagSpam, warn: true };
    case 'virus':
      return { text: t.flagVirus, warn: true };
    case 'truncated':
    case 'text-truncated':
      return { text: t.flagTruncated, warn: true };
    case 'missed-call':
      return { text: t.missedCall, warn: true };
    default:
      return { text: flag, warn: false };
  }
}

export function Flags(props: { readonly t: Strings; readonly flags: readonly string[] | undefined }) {
  const flags = [...new Set(props.flags ?? [])].filter((f) => f !== 'mime-parts-dropped');
  if (flags.length === 0) return null;
  return (
    <span class="flags">
      {flags.map((flag) => {
        const { text, warn } = flagText(props.t, flag);
        return (
          <span key={flag} class={warn ? 'flag warn' : 'flag'} data-flag={flag}>
            {text}
          </span>
        );
      })}
    </span>
  );
}

function kindText(t: Strings, message: TimelineMessage): string | undefined {
  switch (message.kind) {
    case 'auto-reply':
      return t.autoReply;
    case 'order-status':
      return t.orderUpdate;
    case 'survey':
      return t.survey;
    case 'reminder':
      return t.reminder;
    case 'missed-call':
      return t.missedCall;
    default:
      return undefined;
  }
}

export function Timeline(props: TimelineProps) {
  const { t } = props;
  const scroller = useRef<HTMLElement>(null);
  const last = props.messages[props.messages.length - 1]?.id;
  // The newest entry in view when the conversation opens and when one arrives.
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [last, props.conversationId]);
  return (
    <section class="timeline" aria-label={t.timeline} ref={scroller}>
      <ol role="log" aria-live="polite" aria-relevant="additions" class="entries">
        {props.messages.map((message) => (
          <Entry key={message.id} {...props} message={message} />
        ))}
      </ol>
      {props.typing ? (
        <p class="typing" role="status">
          {t.customerTyping}
        </p>
      ) : null}
      {props.messages.length === 0 ? <p class="empty">{t.loading}</p> : null}
    </section>
  );
}

function Entry(props: TimelineProps & { readonly message: TimelineMessage }) {
  const { t, lang, message } = props;
  const note = message.direction === 'note';
  const elsewhere = message.conversationId !== props.conversationId;
  const who = note
    ? `${t.note} · ${message.agentId ?? ''}`
    : message.direction === 'inbound'
      ? (message.fromName ?? props.customerName)
      : message.agentId
        ? `${t.agentReply} · ${message.agentId}`
        : (kindText(t, message) ?? t.agentReply);
  const quoted =
    message.fullText &&
    message.fullText.trim() !== message.text.trim() &&
    message.fullText.length > message.text.length;
  const kind = kindText(t, message);
  return (
    <li
      class={`entry ${message.direction}${elsewhere ? ' elsewhere' : ''}`}
      data-message-id={message.id}
      data-channel={message.channel}
      data-direction={message.direction}
    >
      <div class="entry-meta">
        {note ? (
          <span class="badge note-badge">{t.notes}</span>
        ) : (
          <span class={`badge ch-${message.channel}`}>{channelName(lang, message.channel)}</span>
        )}
        <span class="who">{who}</span>
        {kind && message.agentId ? <span class="tag">{kind}</span> : null}
        <time dateTime={message.at}>{dateTime(lang, message.at)}</time>
        {message.deliveryStatus && message.direction === 'outbound' ? (
          <span class={`delivery ${message.deliveryStatus}`}>
            {t.delivery}: {message.deliveryStatus}
          </span>
        ) : null}
        {message.fallback ? (
          <span class="tag">
            {channelName(lang, message.fallback.from)} → {channelName(lang, message.channel)}
          </span>
        ) : null}
        <Flags t={t} flags={message.flags} />
        {elsewhere ? (
          <button type="button" class="link" onClick={() => props.onOpen(message.conversationId)}>
            {t.otherConversation}
          </button>
        ) : null}
      </div>
      {message.subject && message.channel === 'email' ? <div class="subject">{message.subject}</div> : null}
      {message.text ? <div class="text">{message.text}</div> : null}
      {quoted ? (
        <details class="quoted">
          <summary>{t.quotedHistory}</summary>
          <pre>{message.fullText}</pre>
        </details>
      ) : null}
      {message.attachments.length > 0 ? (
        <ul class="attachments">
          {message.attachments.map((attachment, index) => (
            <li key={`${attachment.filename}-${index}`}>
              {attachment.media ? (
                <span>
                  {t.media}: {attachment.media.type}
                  {attachment.media.caption ? ` — ${attachment.media.caption}` : ''}
                  {attachment.media.id ? <code> {attachment.media.id}</code> : null}
                </span>
              ) : (
                <span>
                  {t.attachment}: {attachment.filename} ({bytes(attachment.size)})
                  {attachment.skippedReason ? ` — ${attachment.skippedReason}` : ''}
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

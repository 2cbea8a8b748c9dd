/**
 * The composer: reply on a channel the customer can be reached on (with what will happen said
 * before sending), or a private note; `/` opens canned responses; files go up first, then the reply.
 */
import type { RefObject } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { type FilledCanned, fillCanned, matchCanned } from './canned.ts';
import { bytes } from './format.ts';
import { channelName, type Strings, type UiLanguage } from './i18n.ts';
import type { CannedResponse, Channel, ConversationRow, CustomerDetail, Reachability } from './types.ts';
import { reachWarnings } from './warnings.ts';

export type ComposerMode = 'reply' | 'note';

interface ComposerProps {
  readonly t: Strings;
  readonly lang: UiLanguage;
  readonly conversation: ConversationRow;
  readonly customer: CustomerDetail | undefined;
  readonly canned: readonly CannedResponse[];
  readonly mode: ComposerMode;
  readonly onMode: (mode: ComposerMode) => void;
  readonly draft: string;
  readonly onDraft: (text: string) => void;
  readonly textRef: RefObject<HTMLTextAreaElement>;
  readonly onSend: (input: {
    mode: ComposerMode;
    text: string;
    channel?: Channel;
    files: File[];
  }) => Promise<boolean>;
  readonly onTyping: () => void;
}

/** A channel the picker offers: reachable, or one a send would still go out on (template, fallback). */
const usable = (entry: Reachability) => entry.ok || entry.fallback !== undefined;

export function Composer(props: ComposerProps) {
  const { t, lang, mode, draft, conversation, customer } = props;
  const reachable = customer?.reachable ?? [];
  const options = reachable.filter(usable);
  const [picked, setPicked] = useState<Channel | undefined>(undefined);
  const defaultChannel =
    options.find((o) => o.channel === conversation.channel && o.ok)?.channel ??
    options.find((o) => o.ok)?.channel ??
    options[0]?.channel;
  const channel = picked && options.some((o) => o.channel === picked) ? picked : defaultChannel;
  const entry = reachable.find((o) => o.channel === channel);
  const warnings = mode === 'reply' ? reachWarnings(t, lang, entry) : [];
  const [files, setFiles] = useState<File[]>([]);
  const [filled, setFilled] = useState<FilledCanned | undefined>(undefined);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const cannedQuery = mode === 'reply' && /^\/\S*$/.test(draft) ? draft.slice(1) : undefined;
  const language = customer?.customer.language ?? conversation.language;
  const matches = useMemo(
    () => (cannedQuery === undefined ? [] : matchCanned(props.canned, cannedQuery, language)),
    [cannedQuery, props.canned, language],
  );
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));

  const pick = (item: CannedResponse) => {
    const result = fillCanned(item.text, {
      customer: customer?.customer,
      order: customer?.orders[0],
      language,
    });
    setFilled(result);
    props.onDraft(result.text);
    props.textRef.current?.focus();
  };

  const send = async () => {
    if (busy || draft.trim() === '' || cannedQuery !== undefined) return;
    setBusy(true);
    try {
      const ok = await props.onSend({
        mode,
        text: draft,
        files: mode === 'reply' ? files : [],
        ...(mode === 'reply' && channel && channel !== conversation.channel ? { channel } : {}),
      });
      if (ok) {
        setFiles([]);
        setFilled(undefined);
      }
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (cannedQuery !== undefined && matches.length > 0) {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        setActive((activeIndex + 1) % matches.length);
        return;
      }
      if (event.key === 'ArrowUp') {
        event.preventDefault();
        setActive((activeIndex - 1 + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const item = matches[activeIndex];
        if (item) {
          event.preventDefault();
          pick(item);
        }
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  const label = mode === 'note' ? t.composerNote : t.composerReply;
  return (
    <section class={`composer ${mode}`} aria-label={mode === 'note' ? t.note : t.reply}>
      <fieldset class="modes">
        <legend class="sr-only">{t.reply}</legend>
        <button type="button" aria-pressed={mode === 'reply'} onClick={() => props.onMode('reply')}>
          {t.reply} <kbd>r</kbd>
        </button>
        <button type="button" aria-pressed={mode === 'note'} onClick={() => props.onMode('note')}>
          {t.note} <kbd>n</kbd>
        </button>
        {mode === 'reply' ? (
          reachable.length > 0 ? (
            <label class="channel-pick">
              <span>{t.replyOn}</span>
              <select
                value={channel ?? ''}
                onChange={(e) => setPicked(e.currentTarget.value as Channel)}
                disabled={options.length === 0}
              >
                {options.map((o) => (
                  <option key={o.channel} value={o.channel}>
                    {channelName(lang, o.channel)}
                    {o.address ? ` · ${o.address}` : ''}
                    {o.ok ? '' : ` (${o.fallback ? channelName(lang, o.fallback) : ''})`}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span class="badge">{channelName(lang, conversation.channel)}</span>
          )
        ) : (
          <span class="note-hint">{t.agentNotes}</span>
        )}
      </fieldset>
      {mode === 'reply' && customer && options.length === 0 ? (
        <p class="warning" role="alert">
          {t.notReachable}
        </p>
      ) : null}
      {warnings.length > 0 ? (
        <ul class="warnings" aria-label={t.channel}>
          {warnings.map((warning) => (
            <li key={warning} class="warning">
              {warning}
            </li>
          ))}
        </ul>
      ) : null}
      <label class="sr-only" for="composer-text">
        {label}
      </label>
      <textarea
        id="composer-text"
        ref={props.textRef}
        rows={4}
        value={draft}
        placeholder={mode === 'reply' ? `${label} — ${t.cannedHint}` : label}
        aria-describedby={filled && filled.missing.length > 0 ? 'canned-missing' : undefined}
        aria-autocomplete={mode === 'reply' ? 'list' : undefined}
        aria-controls={cannedQuery !== undefined ? 'canned-list' : undefined}
        aria-activedescendant={
          cannedQuery !== undefined && matches[activeIndex] ? `canned-${matches[activeIndex]?.id}` : undefined
        }
        onInput={(e) => {
          props.onDraft(e.currentTarget.value);
          setActive(0);
          if (mode === 'reply') props.onTyping();
        }}
        onKeyDown={onKeyDown}
      />
      {cannedQuery !== undefined ? (
        <div class="canned">
          <p class="canned-title" id="canned-title">
            {t.cannedTitle}
          </p>
          {matches.length === 0 ? <p>{t.cannedNone}</p> : null}
          <div id="canned-list" role="listbox" aria-labelledby="canned-title">
            {matches.map((item, index) => (
              <div
                key={item.id}
                id={`canned-${item.id}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === activeIndex}
                class={index === activeIndex ? 'active' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(item);
                }}
              >
                <strong>/{item.shortcut}</strong> {item.title}
                {item.language ? <span class="tag">{item.language}</span> : null}
              </div>
            ))}
          </div>
        </div>
      ) : null}
      {filled && filled.missing.length > 0 ? (
        <p class="warning" id="canned-missing">
          {t.cannedMissing} {filled.missing.map((name) => `{${name}}`).join(', ')}
        </p>
      ) : null}
      <div class="composer-actions">
        {mode === 'reply' ? (
          <label class="attach">
            <span>{t.attach}</span>
            <input
              type="file"
              multiple
              onChange={(e) => {
                setFiles([...files, ...Array.from(e.currentTarget.files ?? [])]);
                e.currentTarget.value = '';
              }}
            />
          </label>
        ) : null}
        {files.length > 0 ? (
          <ul class="files">
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`}>
                {file.name} ({bytes(file.size)}){' '}
                <button
                  type="button"
                  class="link"
                  aria-label={`${t.cancel}: ${file.name}`}
                  onClick={() => setFiles(files.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <button
          type="button"
          class="primary"
          disabled={busy || draft.trim() === ''}
          onClick={() => void send()}
        >
          {mode === 'note' ? t.addNote : t.send} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </section>
  );
}

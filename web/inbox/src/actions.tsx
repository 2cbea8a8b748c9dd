/** The conversation's header: who and what, and the actions (assign, labels, status, close, snooze, merge). */
import { useState } from 'preact/hooks';
import { dateTime, displayName } from './format.ts';
import { channelName, type Strings, type UiLanguage } from './i18n.ts';
import { Flags } from './timeline.tsx';
import type { ConversationRow } from './types.ts';

export interface ActionHandlers {
  readonly assign: (assignee: string | null) => void;
  readonly status: (status: 'open' | 'pending') => void;
  readonly close: () => void;
  readonly labels: (change: { add?: string[]; remove?: string[] }) => void;
  readonly snooze: (until: string) => void;
  readonly mergeConversation: (targetId: string) => void;
  readonly mergeCustomer: (targetId: string) => void;
}

interface HeaderProps {
  readonly t: Strings;
  readonly lang: UiLanguage;
  readonly row: ConversationRow;
  readonly me: string | undefined;
  readonly admin: boolean;
  readonly on: ActionHandlers;
  readonly onBack: () => void;
}

function statusText(t: Strings, status: string): string {
  return (
    {
      open: t.statusOpen,
      pending: t.statusPending,
      closed: t.statusClosed,
      quarantined: t.statusQuarantined,
    }[status] ?? status
  );
}

/** A small form behind a disclosure button: one field, one submit. */
function Prompt(props: {
  readonly summary: string;
  readonly label: string;
  readonly type?: string;
  readonly submit: string;
  readonly onSubmit: (value: string) => void;
}) {
  const [value, setValue] = useState('');
  return (
    <details class="prompt">
      <summary>{props.summary}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = value.trim();
          if (!trimmed) return;
          props.onSubmit(trimmed);
          setValue('');
          (e.currentTarget.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
        }}
      >
        <label>
          <span>{props.label}</span>
          <input
            type={props.type ?? 'text'}
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            required
          />
        </label>
        <button type="submit">{props.submit}</button>
      </form>
    </details>
  );
}

export function ConversationHeader(props: HeaderProps) {
  const { t, lang, row, on } = props;
  const closed = row.status === 'closed';
  const mine = props.me !== undefined && row.assignee === props.me;
  return (
    <header class="conversation-header">
      <div class="title-line">
        <button type="button" class="back link" onClick={props.onBack}>
          ← {t.back}
        </button>
        <h1 id="conversation-title">{displayName(row)}</h1>
        <span class={`badge ch-${row.channel}`}>{channelName(lang, row.channel)}</span>
        <span class={`status s-${row.status}`}>{statusText(t, row.status)}</span>
        <Flags t={t} flags={row.flags} />
      </div>
      {row.subject ? <p class="subject">{row.subject}</p> : null}
      <p class="muted">
        {t.assignedTo}: <strong data-assignee>{row.assignee ?? t.unassignedShort}</strong>
        {row.snoozedUntil ? ` · ${t.snoozedUntil} ${dateTime(lang, row.snoozedUntil)}` : ''}
      </p>
      <div class="actions" role="toolbar" aria-label={t.setStatus}>
        {mine ? (
          <button type="button" onClick={() => on.assign(null)}>
            {t.unassign}
          </button>
        ) : (
          <button type="button" onClick={() => on.assign(props.me ?? null)} disabled={!props.me}>
            {t.assignToMe} <kbd>a</kbd>
          </button>
        )}
        <Prompt
          summary={t.assignTo}
          label={t.assignee}
          submit={t.done}
          onSubmit={(value) => on.assign(value)}
        />
        {!closed ? (
          <label class="inline">
            <span class="sr-only">{t.setStatus}</span>
            <select
              value={row.status === 'pending' ? 'pending' : 'open'}
              onChange={(e) => on.status(e.currentTarget.value as 'open' | 'pending')}
            >
              <option value="open">{t.statusOpen}</option>
              <option value="pending">{t.statusPending}</option>
            </select>
          </label>
        ) : (
          <button type="button" onClick={() => on.status('open')}>
            {t.statusOpen}
          </button>
        )}
        <button type="button" class="danger" onClick={on.close} disabled={closed}>
          {t.close} <kbd>e</kbd>
        </button>
        <Prompt
          summary={t.snooze}
          label={t.snoozeUntil}
          type="datetime-local"
          submit={t.snooze}
          onSubmit={(value) => on.snooze(new Date(value).toISOString())}
        />
        {props.admin ? (
          <details class="prompt">
            <summary>{t.merge}</summary>
            <div class="merge">
              <Prompt
                summary={t.mergeConversation}
                label={t.mergeConversation}
                submit={t.merge}
                onSubmit={on.mergeConversation}
              />
              <Prompt
                summary={t.mergeCustomer}
                label={t.mergeCustomer}
                submit={t.merge}
                onSubmit={on.mergeCustomer}
              />
            </div>
          </details>
        ) : null}
      </div>
      <div class="labels">
        <span class="muted">{t.labels}:</span>
        {(row.labels ?? []).map((label) => (
          <span key={label} class="chip">
            {label}
            <button
              type="button"
              class="link"
              aria-label={`${t.removeLabel} ${label}`}
              onClick={() => on.labels({ remove: [label] })}
            >
              ×
            </button>
          </span>
        ))}
        <Prompt
          summary={`+ ${t.addLabel}`}
          label={t.addLabel}
          submit={t.done}
          onSubmit={(v) => on.labels({ add: [v] })}
        />
      </div>
    </header>
  );
}

/** The queue: tabs, filters, sort, and one row per conversation (no extra call per row). */
import type { RefObject } from 'preact';
import { CHANNELS } from '../../../functions/core/model.ts';
import { age, businessDuration, deadlineLeft, displayName } from './format.ts';
import { channelName, type Strings, type UiLanguage } from './i18n.ts';
import type { ConversationRow, QueueFilters, QueueView } from './types.ts';

interface QueueProps {
  readonly t: Strings;
  readonly lang: UiLanguage;
  readonly filters: QueueFilters;
  readonly onFilters: (next: QueueFilters) => void;
  readonly rows: readonly ConversationRow[];
  readonly fetchedAt: number;
  readonly now: number;
  readonly loading: boolean;
  readonly selectedId: string | undefined;
  readonly onSelect: (id: string) => void;
  readonly typing: ReadonlySet<string>;
  readonly listRef: RefObject<HTMLUListElement>;
}

const VIEWS: readonly QueueView[] = ['mine', 'unassigned', 'all'];

export function Queue(props: QueueProps) {
  const { t, lang, filters, onFilters } = props;
  const set = (change: Partial<QueueFilters>) => onFilters({ ...filters, ...change });
  const focusIndex = Math.max(
    0,
    props.rows.findIndex((row) => row.id === props.selectedId),
  );
  return (
    <section class="queue" aria-label={t.queue}>
      <div class="tabs" role="tablist" aria-label={t.queue}>
        {VIEWS.map((view) => (
          <button
            key={view}
            type="button"
            role="tab"
            id={`tab-${view}`}
            aria-selected={filters.view === view}
            aria-controls="queue-list"
            class={filters.view === view ? 'tab active' : 'tab'}
            onClick={() => set({ view })}
          >
            {t[view]}
          </button>
        ))}
      </div>
      <div class="filters">
        <label>
          <span>{t.status}</span>
          <select
            value={filters.status}
            onChange={(e) => set({ status: e.currentTarget.value as QueueFilters['status'] })}
          >
            <option value="open">{t.statusOpen}</option>
            <option value="pending">{t.statusPending}</option>
            <option value="closed">{t.statusClosed}</option>
          </select>
        </label>
        <label>
          <span>{t.channel}</span>
          <select
            value={filters.channel}
            onChange={(e) => set({ channel: e.currentTarget.value as QueueFilters['channel'] })}
          >
            <option value="">{t.anyChannel}</option>
            {CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {channelName(lang, channel)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t.label}</span>
          <input
            type="search"
            value={filters.label}
            size={8}
            onChange={(e) => set({ label: e.currentTarget.value.trim() })}
          />
        </label>
        <label>
          <span>{t.sort}</span>
          <select
            value={filters.sort}
            onChange={(e) => set({ sort: e.currentTarget.value as QueueFilters['sort'] })}
          >
            <option value="activity">{t.sortActivity}</option>
            <option value="deadline">{t.sortDeadline}</option>
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={filters.unread}
            onChange={(e) => set({ unread: e.currentTarget.checked })}
          />
          <span>{t.unreadOnly}</span>
        </label>
      </div>
      {props.rows.length === 0 ? <p class="empty">{props.loading ? t.loading : t.emptyQueue}</p> : null}
      <ul
        id="queue-list"
        class="rows"
        role="tabpanel"
        aria-labelledby={`tab-${filters.view}`}
        ref={props.listRef}
      >
        {props.rows.map((row, index) => (
          <Row
            key={row.id}
            {...props}
            row={row}
            tabIndex={index === focusIndex ? 0 : -1}
            selected={row.id === props.selectedId}
          />
        ))}
      </ul>
    </section>
  );
}

function Row(
  props: QueueProps & {
    readonly row: ConversationRow;
    readonly selected: boolean;
    readonly tabIndex: number;
  },
) {
  const { row, t, lang } = props;
  const at = row.preview?.at ?? row.lastMessageAt;
  const left = row.deadline ? deadlineLeft(row.deadline, props.fetchedAt, props.now) : undefined;
  const breached = row.deadline?.breached || (left !== undefined && left < 0);
  return (
    <li>
      <button
        type="button"
        class={`row${props.selected ? ' selected' : ''}${row.unread ? ' unread' : ''}`}
        aria-current={props.selected ? 'true' : undefined}
        data-conversation-id={row.id}
        tabIndex={props.tabIndex}
        onClick={() => props.onSelect(row.id)}
      >
        <span class="row-top">
          <span class="name">{displayName(row)}</span>
          <span class={`badge ch-${row.channel}`}>{channelName(lang, row.channel)}</span>
          {row.unread ? (
            <span class="dot" title={t.unread}>
              <span class="sr-only">{t.unread}</span>
            </span>
          ) : null}
          <time class="age" dateTime={at}>
            {age(lang, at, props.now)}
          </time>
        </span>
        <span class="preview">
          {props.typing.has(row.id) ? <em>{t.customerTyping}</em> : (row.preview?.text ?? row.subject ?? '')}
        </span>
        <span class="row-bottom">
          <span class="assignee">
            {t.assignedTo}: {row.assignee ?? t.unassignedShort}
          </span>
          {row.deadline && left !== undefined ? (
            <span class={breached ? 'deadline breached' : 'deadline'}>
              {breached ? t.breached : `${businessDuration(lang, left)} ${t.left}`}
            </span>
          ) : null}
          {(row.labels ?? []).map((label) => (
            <span key={label} class="chip">
              {label}
            </span>
          ))}
        </span>
      </button>
    </li>
  );
}

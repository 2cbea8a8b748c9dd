/**
 * The inbox: the queue on the left, the conversation in the middle, the customer on the right
 * (stacked on a phone). Live notices refetch what changed; the keyboard reaches everything.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AgentLiveFrame } from '../../../functions/core/agent/live-updates.ts';
import type { InboxAppConfig } from '../app-config.ts';
import { type ActionHandlers, ConversationHeader } from './actions.tsx';
import { ApiError, type InboxApi } from './api.ts';
import type { Session } from './auth.ts';
import { Composer, type ComposerMode } from './composer.tsx';
import { displayName } from './format.ts';
import type { Strings, UiLanguage } from './i18n.ts';
import { type LiveState, LiveUpdates } from './live.ts';
import { Queue } from './queue.tsx';
import { Sidebar } from './sidebar.tsx';
import { Timeline } from './timeline.tsx';
import type {
  CannedResponse,
  Channel,
  ConversationRow,
  CustomerDetail,
  CustomerTimeline,
  QueueFilters,
  TimelineMessage,
} from './types.ts';

interface AppProps {
  readonly api: InboxApi;
  readonly session: Session;
  readonly config: InboxAppConfig;
  readonly lang: UiLanguage;
  readonly t: Strings;
}

interface Opened {
  readonly id: string;
  readonly row?: ConversationRow;
  readonly messages: readonly TimelineMessage[];
  readonly customer?: CustomerDetail;
  /** The customer's other conversations' messages (the cross-channel timeline). */
  readonly history: readonly TimelineMessage[];
}

const ADMIN_SCOPE = 'switchboard/admin';
/** While the socket is down, the queue is refetched this often so nothing waits for a reload. */
const POLL_WHILE_OFFLINE_MS = 15_000;
/** A typing notice without a `stop` ends by itself. */
const TYPING_FOR_MS = 8_000;

const isTextField = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function newKey(): string {
  return crypto.randomUUID();
}

/** What the sidebar can show from the timeline alone (an API without `GET /customers/{id}`). */
function fromTimeline(timeline: CustomerTimeline): CustomerDetail {
  return {
    customer: { identities: [], consent: {}, ...timeline.customer, id: timeline.customer?.id ?? '' },
    orders: [],
    conversations: timeline.conversations.map((c) => ({ ...c, csat: c.csat?.score })),
    csat: { count: 0 },
    reachable: [],
  };
}

function initialSelection(): string | undefined {
  const match = location.hash.match(/^#\/c\/([^/]+)$/);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

export function App({ api, session, config, lang, t }: AppProps) {
  const me = session.agentId;
  const [filters, setFilters] = useState<QueueFilters>({
    view: 'all',
    status: 'open',
    channel: '',
    label: '',
    unread: false,
    sort: 'activity',
  });
  const [rows, setRows] = useState<{ items: ConversationRow[]; fetchedAt: number; loading: boolean }>({
    items: [],
    fetchedAt: Date.now(),
    loading: true,
  });
  const [selectedId, setSelectedId] = useState<string | undefined>(initialSelection);
  const [opened, setOpened] = useState<Opened | undefined>(undefined);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const [typing, setTyping] = useState<ReadonlySet<string>>(new Set());
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [helpOpen, setHelpOpen] = useState(false);
  const [now, setNow] = useState(Date.now());
  const textRef = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const helpRef = useRef<HTMLDivElement>(null);
  const idempotency = useRef<Record<string, string>>({});
  const typingTimers = useRef<Record<string, ReturnType<typeof setTimeout>>>({});
  const lastTypingSent = useRef(0);

  // What the live handlers need, without re-subscribing on every render.
  const current = useRef({ filters, selectedId, rows: rows.items });
  current.current = { filters, selectedId, rows: rows.items };

  const fail = useCallback((cause: unknown) => {
    setError(cause instanceof Error ? cause.message : String(cause));
  }, []);

  const loadQueue = useCallback(async () => {
    const asked = current.current.filters;
    try {
      const page = await api.listConversations(asked);
      // A slower answer for filters the agent has already left is dropped.
      if (current.current.filters !== asked) return;
      setRows({ items: page.items, fetchedAt: Date.now(), loading: false });
    } catch (cause) {
      setRows((previous) => ({ ...previous, loading: false }));
      fail(cause);
    }
  }, [api, fail]);

  const loadConversation = useCallback(
    async (id: string) => {
      try {
        const detail = await api.conversation(id);
        if (current.current.selectedId !== id) return;
        const customerId = detail.conversation.customer?.id ?? detail.conversation.customerId;
        setOpened((previous) => ({
          id,
          row: detail.conversation,
          messages: detail.messages,
          customer: previous?.id === id ? previous.customer : undefined,
          history: previous?.id === id ? previous.history : [],
        }));
        setRows((previous) => ({
          ...previous,
          items: previous.items.map((row) => (row.id === id ? { ...row, ...detail.conversation } : row)),
        }));
        const [customer, timeline] = await Promise.allSettled([
          api.customer(customerId),
          api.timeline(customerId),
        ]);
        if (current.current.selectedId !== id) return;
        setOpened((previous) =>
          previous?.id === id
            ? {
                ...previous,
                ...(customer.status === 'fulfilled'
                  ? { customer: customer.value }
                  : timeline.status === 'fulfilled' && timeline.value.customer
                    ? { customer: fromTimeline(timeline.value) }
                    : {}),
                ...(timeline.status === 'fulfilled' ? { history: timeline.value.messages } : {}),
              }
            : previous,
        );
        if (detail.conversation.unread) {
          api.markRead(id).catch(() => {
            // Read state is a convenience: the next refetch shows it again.
          });
        }
      } catch (cause) {
        if (cause instanceof ApiError && cause.status === 404) setSelectedId(undefined);
        fail(cause);
      }
    },
    [api, fail],
  );

  // Coalesces bursts of notices (a reply is a message, a delivery status, a status change).
  const pending = useRef<{ queue: boolean; conversation: boolean; timer?: ReturnType<typeof setTimeout> }>({
    queue: false,
    conversation: false,
  });
  const refreshSoon = useCallback(
    (what: { queue?: boolean; conversation?: boolean }) => {
      const state = pending.current;
      state.queue ||= what.queue ?? false;
      state.conversation ||= what.conversation ?? false;
      if (state.timer) return;
      state.timer = setTimeout(() => {
        const { queue, conversation } = state;
        state.queue = false;
        state.conversation = false;
        state.timer = undefined;
        if (queue) void loadQueue();
        const id = current.current.selectedId;
        if (conversation && id) void loadConversation(id);
      }, 120);
    },
    [loadQueue, loadConversation],
  );

  const onFrame = useCallback(
    (frame: AgentLiveFrame) => {
      if (frame.type === 'typing') {
        clearTimeout(typingTimers.current[frame.conversationId]);
        setTyping((previous) => {
          const next = new Set(previous);
          if (frame.state === 'start') next.add(frame.conversationId);
          else next.delete(frame.conversationId);
          return next;
        });
        if (frame.state === 'start') {
          typingTimers.current[frame.conversationId] = setTimeout(() => {
            setTyping((previous) => {
              const next = new Set(previous);
              next.delete(frame.conversationId);
              return next;
            });
          }, TYPING_FOR_MS);
        }
        return;
      }
      if (frame.type !== 'conversation.changed') return;
      const known = current.current.rows.find((row) => row.id === frame.conversationId);
      if (frame.change === 'message' || frame.change === 'created') {
        setTyping((previous) => {
          if (!previous.has(frame.conversationId)) return previous;
          const next = new Set(previous);
          next.delete(frame.conversationId);
          return next;
        });
        if (known) setAnnouncement(`${t.newMessage} ${displayName(known)}`);
      }
      // The open timeline spans the customer's conversations: a change to any of them (or to one
      // not listed yet) may belong on it.
      const selected = current.current.rows.find((row) => row.id === current.current.selectedId);
      const related =
        frame.conversationId === current.current.selectedId ||
        !known ||
        (selected !== undefined && known.customerId === selected.customerId);
      refreshSoon({ queue: true, conversation: related });
    },
    [refreshSoon, t],
  );

  // Live updates, and a resync whenever the socket (re)connects or the window gets focus back.
  useEffect(() => {
    const live = new LiveUpdates(config.webSocketUrl, () => session.token(), {
      onFrame,
      onConnected: () => refreshSoon({ queue: true, conversation: true }),
      onState: setLiveState,
    });
    live.start();
    const onFocus = () => {
      live.wake();
      refreshSoon({ queue: true, conversation: true });
    };
    window.addEventListener('focus', onFocus);
    const poll = setInterval(() => {
      if (!live.connected && document.visibilityState === 'visible') refreshSoon({ queue: true });
    }, POLL_WHILE_OFFLINE_MS);
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      live.stop();
      window.removeEventListener('focus', onFocus);
      clearInterval(poll);
      clearInterval(tick);
    };
  }, [config.webSocketUrl, session, onFrame, refreshSoon]);

  useEffect(() => {
    setRows((previous) => ({ ...previous, loading: true }));
    void loadQueue();
  }, [filters, loadQueue]);

  useEffect(() => {
    api
      .cannedResponses()
      .then((answer) => setCanned(answer.items))
      .catch(() => setCanned([]));
  }, [api]);

  useEffect(() => {
    if (selectedId) {
      history.replaceState(null, '', `#/c/${encodeURIComponent(selectedId)}`);
      void loadConversation(selectedId);
    } else {
      history.replaceState(null, '', location.pathname + location.search);
      setOpened(undefined);
    }
  }, [selectedId, loadConversation]);

  const select = useCallback((id: string) => {
    setError(undefined);
    setSelectedId(id);
  }, []);

  const move = useCallback(
    (step: 1 | -1) => {
      const items = current.current.rows;
      if (items.length === 0) return;
      const index = items.findIndex((row) => row.id === current.current.selectedId);
      const next =
        items[
          index === -1
            ? step === 1
              ? 0
              : items.length - 1
            : Math.min(items.length - 1, Math.max(0, index + step))
        ];
      if (!next) return;
      select(next.id);
      // The row keeps the focus, so the next j/k or Tab continues from it.
      requestAnimationFrame(() =>
        listRef.current
          ?.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(next.id)}"]`)
          ?.focus(),
      );
    },
    [select],
  );

  const row = opened?.row ?? rows.items.find((r) => r.id === selectedId);

  const act = useCallback(
    async (work: () => Promise<unknown>, done?: string) => {
      setError(undefined);
      try {
        await work();
        if (done) setAnnouncement(done);
        refreshSoon({ queue: true, conversation: true });
      } catch (cause) {
        fail(cause);
      }
    },
    [fail, refreshSoon],
  );

  const handlers: ActionHandlers | undefined = useMemo(() => {
    if (!selectedId) return undefined;
    const id = selectedId;
    return {
      assign: (assignee) =>
        void act(() => api.assign(id, assignee), `${t.assignedTo}: ${assignee ?? t.unassignedShort}`),
      status: (status) => void act(() => api.status(id, status)),
      close: () => void act(() => api.close(id), `${t.closed}: ${t.surveySent}`),
      labels: (change) => void act(() => api.labels(id, change)),
      snooze: (until) => void act(() => api.snooze(id, until)),
      mergeConversation: (targetId) => void act(() => api.mergeConversations(id, targetId), t.done),
      mergeCustomer: (targetId) =>
        void act(async () => {
          const source = opened?.customer?.customer.id ?? row?.customerId;
          if (source) await api.mergeCustomers(source, targetId);
        }, t.done),
    };
  }, [selectedId, act, api, t, opened?.customer, row?.customerId]);

  const focusComposer = useCallback((nextMode: ComposerMode, text?: string) => {
    setMode(nextMode);
    if (text !== undefined && current.current.selectedId) {
      const id = current.current.selectedId;
      setDrafts((previous) => ({ ...previous, [id]: text }));
    }
    requestAnimationFrame(() => {
      const area = textRef.current;
      if (!area) return;
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
    });
  }, []);

  // The keyboard: single keys outside text fields; Escape leaves a field or the help.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (helpOpen) {
        if (event.key === 'Escape' || event.key === '?') {
          event.preventDefault();
          setHelpOpen(false);
        }
        return;
      }
      if (isTextField(event.target)) {
        if (event.key === 'Escape') (event.target as HTMLElement).blur();
        return;
      }
      const hasConversation = current.current.selectedId !== undefined;
      switch (event.key) {
        case 'j':
          move(1);
          break;
        case 'k':
          move(-1);
          break;
        case 'r':
          if (!hasConversation) return;
          focusComposer('reply');
          break;
        case 'n':
          if (!hasConversation) return;
          focusComposer('note');
          break;
        case '/':
          if (!hasConversation) return;
          focusComposer('reply', '/');
          break;
        case 'a':
          if (!hasConversation || !me) return;
          handlers?.assign(me);
          break;
        case 'e':
          if (!hasConversation) return;
          handlers?.close();
          break;
        case '?':
          setHelpOpen(true);
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [helpOpen, move, focusComposer, handlers, me]);

  useEffect(() => {
    if (helpOpen) helpRef.current?.focus();
  }, [helpOpen]);

  const send = useCallback(
    async (input: { mode: ComposerMode; text: string; channel?: Channel; files: File[] }) => {
      const id = current.current.selectedId;
      if (!id) return false;
      const draftKey = `${id}:${input.mode}`;
      // The same draft keeps its key, so a retry after a lost answer sends once.
      idempotency.current[draftKey] ??= newKey();
      const key = idempotency.current[draftKey];
      setError(undefined);
      try {
        if (input.mode === 'note') {
          await api.note(id, input.text, key);
          setAnnouncement(t.noteSaved);
        } else {
          const attachments = [];
          for (const file of input.files) attachments.push(await api.upload(id, file));
          await api.reply(
            id,
            {
              text: input.text,
              ...(input.channel ? { channel: input.channel } : {}),
              ...(attachments.length > 0 ? { attachments } : {}),
            },
            key,
          );
          setAnnouncement(t.sent);
        }
        delete idempotency.current[draftKey];
        // Only what was sent is cleared: the agent may already be typing the next thing.
        setDrafts((previous) => (previous[id] === input.text ? { ...previous, [id]: '' } : previous));
        refreshSoon({ queue: true, conversation: true });
        return true;
      } catch (cause) {
        fail(cause);
        return false;
      }
    },
    [api, fail, refreshSoon, t],
  );

  const onTyping = useCallback(() => {
    const id = current.current.selectedId;
    const conversation = current.current.rows.find((r) => r.id === id);
    // Only a chat visitor sees an agent typing; at most one signal every few seconds.
    if (!id || conversation?.channel !== 'chat' || Date.now() - lastTypingSent.current < 3_000) return;
    lastTypingSent.current = Date.now();
    api.typing(id, 'start').catch(() => {});
  }, [api]);

  const timeline = useMemo(() => {
    if (!opened) return [];
    const byId = new Map<string, TimelineMessage>();
    for (const message of opened.history) byId.set(message.id, message);
    for (const message of opened.messages) byId.set(message.id, message);
    // At the same instant the customer's message comes before what answered it.
    const order = { inbound: 0, outbound: 1, note: 2 } as const;
    return [...byId.values()].sort(
      (a, b) =>
        a.at.localeCompare(b.at) || order[a.direction] - order[b.direction] || a.id.localeCompare(b.id),
    );
  }, [opened]);

  const liveText = { live: t.live, connecting: t.connecting, offline: t.offline }[liveState];
  return (
    <div class={`app${selectedId ? ' has-selection' : ''}`}>
      <a class="skip" href="#main">
        {t.timeline}
      </a>
      <header class="topbar">
        <strong class="brand">switchboard · {t.appTitle}</strong>
        <span class={`live ${liveState}`} role="status">
          {liveText}
        </span>
        <span class="me">{me}</span>
        <button type="button" class="link" onClick={() => setHelpOpen(true)} aria-haspopup="dialog">
          ? {t.help}
        </button>
        {config.signIn.kind === 'oauth' ? (
          <button type="button" class="link" onClick={() => session.signOut()}>
            {t.signOut}
          </button>
        ) : null}
      </header>
      {error ? (
        <div class="error" role="alert">
          {t.error} {error}{' '}
          <button type="button" class="link" onClick={() => setError(undefined)} aria-label={t.cancel}>
            ×
          </button>
        </div>
      ) : null}
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      <div class="panes">
        <Queue
          t={t}
          lang={lang}
          filters={filters}
          onFilters={setFilters}
          rows={rows.items}
          fetchedAt={rows.fetchedAt}
          now={now}
          loading={rows.loading}
          selectedId={selectedId}
          onSelect={select}
          typing={typing}
          listRef={listRef}
        />
        <main id="main" class="conversation" aria-labelledby={row ? 'conversation-title' : undefined}>
          {row && handlers ? (
            <>
              <ConversationHeader
                t={t}
                lang={lang}
                row={row}
                me={me}
                admin={session.scopes.includes(ADMIN_SCOPE)}
                on={handlers}
                onBack={() => setSelectedId(undefined)}
              />
              <Timeline
                t={t}
                lang={lang}
                messages={timeline}
                conversationId={row.id}
                customerName={displayName(row)}
                onOpen={select}
                typing={typing.has(row.id)}
              />
              <Composer
                key={row.id}
                t={t}
                lang={lang}
                conversation={row}
                customer={opened?.customer}
                canned={canned}
                mode={mode}
                onMode={(next) => focusComposer(next)}
                draft={drafts[row.id] ?? ''}
                onDraft={(text) => setDrafts((previous) => ({ ...previous, [row.id]: text }))}
                textRef={textRef}
                onSend={send}
                onTyping={onTyping}
              />
            </>
          ) : (
            <p class="empty pick">{t.pickConversation}</p>
          )}
        </main>
        {row ? (
          <Sidebar
            t={t}
            lang={lang}
            detail={opened?.customer}
            currentId={row.id}
            fallbackName={displayName(row)}
            onOpen={select}
          />
        ) : null}
      </div>
      {helpOpen ? (
        <div class="overlay">
          <div
            class="help"
            role="dialog"
            aria-modal="true"
            aria-labelledby="help-title"
            tabIndex={-1}
            ref={helpRef}
          >
            <h2 id="help-title">{t.help}</h2>
            <dl>
              {(
                [
                  ['j / k', t.helpMove],
                  ['r', t.helpReply],
                  ['n', t.helpNote],
                  ['a', t.helpAssign],
                  ['e', t.helpClose],
                  ['/', t.helpCanned],
                  ['Ctrl+Enter', t.helpSend],
                  ['Esc', t.helpEscape],
                  ['?', t.helpHelp],
                ] as const
              ).map(([key, text]) => (
                <div key={key} class="shortcut">
                  <dt>
                    <kbd>{key}</kbd>
                  </dt>
                  <dd>{text}</dd>
                </div>
              ))}
            </dl>
            <button type="button" onClick={() => setHelpOpen(false)}>
              {t.done}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The chat panel, loaded by the loader on the first click. Plain DOM, no framework: the whole
 * panel is a few kilobytes. From here on the visitor has opened the chat, so the visitor id is
 * kept (localStorage) and the socket opens.
 */
import { type ChatWidgetStrings, chatWidgetStrings } from '../../functions/core/i18n/chat-widget.ts';
import type { PanelApi, PanelContext } from './loader.ts';

interface ShownMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  text: string;
  at: string;
  kind?: string;
  clientMessageId?: string;
  status?: string;
  attachments?: { filename: string; contentType: string; size: number }[];
}

interface Upload {
  file: File;
  clientMessageId: string;
  text: string;
}

type ServerFrame =
  | {
      type: 'history';
      identified: boolean;
      online: boolean;
      answerBy: string;
      language: string;
      messages: ShownMessage[];
      uploads?: { contentTypes: string[]; maxBytes: number };
    }
  | { type: 'upload-slot'; uploadId: string; objectKey: string; url: string; fields: Record<string, string> }
  | { type: 'received'; clientMessageId: string; messageId: string; duplicate: boolean }
  | { type: 'message'; message: ShownMessage }
  | { type: 'typing'; from: 'agent'; state: 'start' | 'stop' }
  | { type: 'status'; messageId: string; status: string }
  | { type: 'read'; messageIds: string[] }
  | { type: 'email-link-sent' }
  | { type: 'suggestions'; articles: Suggestion[] }
  | { type: 'error'; reason: string; clientMessageId?: string };

interface Suggestion {
  title: string;
  summary: string;
  url: string;
}

/** Help-center articles are asked for once the visitor pauses typing, and only for a question. */
const SUGGEST_DELAY_MS = 400;
const SUGGEST_MIN_WORDS = 3;
const SUGGEST_MIN_CHARACTERS = 12;

const VISITOR_KEY = 'switchboard.chat.visitorId';
const PRECHAT_KEY = 'switchboard.chat.started';
/** A typing signal at most this often: one frame per keystroke would cost a Lambda call each. */
const TYPING_THROTTLE_MS = 3_000;
const MAX_BACKOFF_MS = 15_000;

const CSS = `
:host{all:initial}
[hidden]{display:none!important}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.p{position:fixed;inset-block-end:88px;inset-inline-end:20px;z-index:2147483001;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 120px);background:#fff;color:#1b1b1b;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden;transition:opacity .15s,transform .15s}
.p[hidden]{display:none}
header{display:flex;align-items:center;justify-content:space-between;padding:12px 16px;background:#1f4fd1;color:#fff}
h2{margin:0;font-size:16px}
button,input,textarea{font:inherit}
.x{background:none;border:0;color:inherit;font-size:22px;line-height:1;cursor:pointer;padding:4px 8px;border-radius:6px}
.s{margin:0;padding:8px 16px;font-size:13px;background:#eef2fd;color:#1b1b1b}
.log{flex:1;overflow-y:auto;padding:12px 16px;display:flex;flex-direction:column;gap:8px;list-style:none;margin:0}
.m{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:14px;line-height:1.4}
.m.inbound{align-self:flex-end;background:#1f4fd1;color:#fff;border-end-end-radius:4px}
.m.outbound{align-self:flex-start;background:#f1f1f1;border-end-start-radius:4px}
.m small{display:block;font-size:11px;opacity:.8;margin-block-start:4px}
.t{padding:0 16px 4px;font-size:12px;color:#555;min-height:18px}
form{display:flex;gap:8px;padding:12px;border-block-start:1px solid #ddd}
textarea{flex:1;resize:none;border:1px solid #bbb;border-radius:8px;padding:8px;min-height:40px;max-height:120px}
.a{background:none;border:1px solid #bbb;border-radius:8px;padding:0 10px;cursor:pointer;color:#1f4fd1}
.b{background:#1f4fd1;color:#fff;border:0;border-radius:8px;padding:8px 14px;cursor:pointer}
.pre{padding:16px;display:flex;flex-direction:column;gap:10px;font-size:14px}
.pre label{display:flex;flex-direction:column;gap:4px}
.pre input{border:1px solid #bbb;border-radius:8px;padding:8px}
.c{font-size:12px;color:#444}
a{color:#1f4fd1}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.v{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.g{padding:0 12px 6px;max-height:40%;overflow-y:auto}
.g h3{margin:4px 0;font-size:12px;font-weight:600;color:#444}
.g ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:4px}
.g a{display:block;padding:6px 10px;border:1px solid #d5dcf5;border-radius:8px;text-decoration:none;font-size:13px;font-weight:600}
.g span{display:block;font-weight:400;color:#444;font-size:12px;margin-block-start:2px}
@media (max-width:480px){.p{inset:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}}
@media (prefers-reduced-motion:reduce){.p{transition:none}}
`;

function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return (
    prefix +
    Array.from(bytes, (b) => b.toString(36).padStart(2, '0'))
      .join('')
      .slice(0, 14)
  );
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function mount(context: PanelContext): PanelApi {
  let strings: ChatWidgetStrings = chatWidgetStrings(context.language);
  let token = context.token;
  const visitorId = localStorage.getItem(VISITOR_KEY) ?? randomId('v-');
  localStorage.setItem(VISITOR_KEY, visitorId);

  const style = element('style');
  style.textContent = CSS;
  const panel = element('div', {
    class: 'p',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-labelledby': 'sb-title',
    dir: document.documentElement.dir || 'auto',
    hidden: '',
  });
  const header = element('header');
  const title = element('h2', { id: 'sb-title' }, strings.title);
  const close = element('button', { class: 'x', type: 'button', 'aria-label': strings.close }, '×');
  header.append(title, close);
  const statusLine = element('p', { class: 's', role: 'status' }, strings.connecting);
  const log = element('ol', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
  });
  const typing = element('div', { class: 't', 'aria-live': 'polite' });
  const form = element('form');
  const input = element('textarea', {
    rows: '1',
    'aria-label': strings.placeholder,
    placeholder: strings.placeholder,
    maxlength: '4000',
  });
  const sendButton = element('button', { class: 'b', type: 'submit' }, strings.send);
  // Shown once the server says this chat takes files.
  const attach = element('button', { class: 'a', type: 'button', 'aria-label': strings.attach, hidden: '' });
  // A drawn paper clip: an emoji needs a font the visitor may not have.
  attach.innerHTML =
    '<svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 11l-8.5 8.5a5 5 0 01-7-7L14 4a3.5 3.5 0 015 5l-8.5 8.5a2 2 0 01-3-3L15 7"/></svg>';
  const picker = element('input', { type: 'file', hidden: '', tabindex: '-1' });
  form.append(picker, attach, input, sendButton);
  panel.append(header, statusLine, log, typing, form);
  context.root.append(style, panel);
  const tips = element('section', { class: 'g', 'aria-labelledby': 'sb-g', hidden: '' });
  const tipsTitle = element('h3', { id: 'sb-g' });
  const tipsList = element('ul');
  tips.append(tipsTitle, tipsList);
  form.before(tips);

  const shown = new Map<string, { message: ShownMessage; node: HTMLLIElement }>();
  const pending = new Map<string, string>();
  let socket: WebSocket | undefined;
  let backoff = 500;
  let lastTyping = 0;
  let online = true;
  let answerBy = '';
  let identified = false;
  let visitorName: string | undefined;
  /** An address left before the socket was open: sent once it is. */
  let linkEmail: string | undefined;
  let uploadLimits: { contentTypes: string[]; maxBytes: number } | undefined;
  const uploads = new Map<string, Upload>();

  function label(message: ShownMessage): string {
    if (message.direction === 'outbound') return strings.team;
    const state =
      message.status === 'failed'
        ? strings.failed
        : message.id.startsWith('pending:')
          ? strings.sending
          : message.status === 'read'
            ? `✓✓ ${strings.read}`
            : `✓ ${strings.delivered}`;
    return `${strings.you} · ${state}`;
  }

  function setLabel(entry: { message: ShownMessage; node: HTMLLIElement }): void {
    (entry.node.lastChild as HTMLElement).textContent = label(entry.message);
  }

  function render(message: ShownMessage): void {
    const key = message.clientMessageId ? `c:${message.clientMessageId}` : message.id;
    const existing = shown.get(key) ?? shown.get(message.id);
    if (existing) {
      existing.message = { ...existing.message, ...message };
      (existing.node.lastChild as HTMLElement).textContent = label(existing.message);
      shown.set(message.id, existing);
      return;
    }
    const node = element('li', { class: `m ${message.direction}` });
    const files = (message.attachments ?? []).map((a) => `▤ ${a.filename}`);
    node.append(
      document.createTextNode([message.text, ...files].filter((t) => t !== '').join('\n')),
      element('small', {}, label(message)),
    );
    log.append(node);
    const entry = { message, node };
    shown.set(key, entry);
    shown.set(message.id, entry);
    log.scrollTop = log.scrollHeight;
  }

  function setStatus(): void {
    if (answerBy === '') statusLine.textContent = strings.connecting;
    else if (online) statusLine.textContent = strings.online(answerBy);
    // Away: say when, and (for a visitor we cannot reach otherwise) ask for an address.
    else
      statusLine.textContent = `${strings.offline(answerBy)}${identified ? '' : ` ${strings.offlineEmail}`}`;
  }

  function transmit(frame: object): boolean {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function markRead(ids: string[]): void {
    if (ids.length > 0 && !panel.hidden && document.visibilityState === 'visible') {
      transmit({ action: 'read', state: 'read', messageIds: ids.slice(-100) });
    }
  }

  function onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'history': {
        strings = chatWidgetStrings(frame.language);
        online = frame.online;
        identified = frame.identified;
        answerBy = frame.answerBy;
        uploadLimits = frame.uploads;
        attach.hidden = !uploadLimits;
        attach.setAttribute('aria-label', strings.attach);
        setStatus();
        for (const message of frame.messages) render(message);
        markRead(
          frame.messages.filter((m) => m.direction === 'outbound' && m.status !== 'read').map((m) => m.id),
        );
        break;
      }
      case 'received': {
        pending.delete(frame.clientMessageId);
        sendFiles.delete(frame.clientMessageId);
        const entry = shown.get(`c:${frame.clientMessageId}`);
        if (entry) {
          entry.message = { ...entry.message, id: frame.messageId };
          (entry.node.lastChild as HTMLElement).textContent = label(entry.message);
          shown.set(frame.messageId, entry);
        }
        break;
      }
      case 'message':
        typing.textContent = '';
        render(frame.message);
        if (frame.message.direction === 'outbound') markRead([frame.message.id]);
        break;
      case 'typing':
        typing.textContent = frame.state === 'start' ? strings.agentTyping : '';
        break;
      case 'status': {
        const entry = shown.get(frame.messageId);
        if (entry) {
          entry.message = { ...entry.message, status: frame.status };
          setLabel(entry);
        }
        break;
      }
      case 'read':
        // The team read these messages of the visitor's: the double tick.
        for (const id of frame.messageIds) {
          const entry = shown.get(id);
          if (entry) {
            entry.message = { ...entry.message, status: 'read' };
            setLabel(entry);
          }
        }
        break;
      case 'upload-slot':
        void upload(frame);
        break;
      case 'suggestions':
        showSuggestions(input.value.trim() === '' ? [] : frame.articles);
        break;
      case 'email-link-sent':
        typing.textContent = strings.confirmEmailSent;
        break;
      case 'error':
        if (frame.clientMessageId && uploads.delete(frame.clientMessageId)) {
          typing.textContent = frame.reason;
        } else if (frame.clientMessageId) {
          const entry = shown.get(`c:${frame.clientMessageId}`);
          pending.delete(frame.clientMessageId);
          if (entry) {
            entry.message = { ...entry.message, status: 'failed' };
            (entry.node.lastChild as HTMLElement).textContent = label(entry.message);
          }
        }
        break;
    }
  }

  function connect(): void {
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    const url = new URL(context.socketUrl);
    url.searchParams.set('visitorId', visitorId);
    if (token) url.searchParams.set('token', token);
    const next = new WebSocket(url.href);
    socket = next;
    next.onopen = () => {
      backoff = 500;
      transmit({ action: 'resync', language: context.language });
      if (linkEmail && transmit({ action: 'link-email', email: linkEmail, language: context.language }))
        linkEmail = undefined;
      // Messages typed while offline go now, under the same ids: the server keeps each once.
      for (const [clientMessageId, text] of pending) {
        transmit(sendFrame(clientMessageId, text));
      }
    };
    next.onmessage = (event) => {
      try {
        onFrame(JSON.parse(String(event.data)) as ServerFrame);
      } catch {
        // A frame we cannot read is not worth breaking the chat for.
      }
    };
    next.onclose = () => {
      if (socket !== next) return;
      socket = undefined;
      statusLine.textContent = strings.reconnecting;
      if (navigator.onLine) {
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    };
  }

  function send(text: string): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    const clientMessageId = randomId('c-');
    pending.set(clientMessageId, trimmed);
    render({
      id: `pending:${clientMessageId}`,
      clientMessageId,
      direction: 'inbound',
      text: trimmed,
      at: new Date().toISOString(),
    });
    transmit(sendFrame(clientMessageId, trimmed));
  }

  /** Straight to the bucket (the presigned POST), then the message that carries the file. */
  async function upload(slot: Extract<ServerFrame, { type: 'upload-slot' }>): Promise<void> {
    const pendingUpload = uploads.get(slot.uploadId);
    if (!pendingUpload) return;
    uploads.delete(slot.uploadId);
    const { file, clientMessageId, text } = pendingUpload;
    const body = new FormData();
    for (const [name, value] of Object.entries(slot.fields)) body.append(name, value);
    body.append('file', file);
    const ok = await new Promise<boolean>((resolve) => {
      const request = new XMLHttpRequest();
      request.open('POST', slot.url);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) {
          typing.textContent = strings.uploading(Math.round((event.loaded / event.total) * 100));
        }
      };
      request.onload = () => resolve(request.status >= 200 && request.status < 300);
      request.onerror = () => resolve(false);
      request.send(body);
    });
    typing.textContent = ok ? '' : strings.uploadFailed;
    if (!ok) return;
    const attachments = [
      { objectKey: slot.objectKey, filename: file.name, contentType: file.type, size: file.size },
    ];
    sendFiles.set(clientMessageId, attachments);
    pending.set(clientMessageId, text);
    render({
      id: `pending:${clientMessageId}`,
      clientMessageId,
      direction: 'inbound',
      text,
      at: new Date().toISOString(),
      attachments,
    });
    transmit(sendFrame(clientMessageId, text));
  }

  attach.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    picker.value = '';
    if (!file || !uploadLimits) return;
    if (!uploadLimits.contentTypes.includes(file.type) || file.size > uploadLimits.maxBytes) {
      typing.textContent = strings.fileRefused(Math.floor(uploadLimits.maxBytes / 1_048_576));
      return;
    }
    const uploadId = randomId('u-');
    uploads.set(uploadId, { file, clientMessageId: randomId('c-'), text: input.value.trim() });
    input.value = '';
    const asked = transmit({
      action: 'upload',
      uploadId,
      filename: file.name,
      contentType: file.type,
      size: file.size,
    });
    typing.textContent = asked ? strings.uploading(0) : strings.uploadFailed;
    if (!asked) uploads.delete(uploadId);
    attach.focus();
  });

  /** Files already uploaded for a message, resent with it after a reconnect. */
  const sendFiles = new Map<string, object[]>();

  function sendFrame(clientMessageId: string, text: string): object {
    const attachments = sendFiles.get(clientMessageId);
    return {
      action: 'send',
      visitorId,
      clientMessageId,
      text,
      ...(attachments ? { attachments } : {}),
      language: context.language,
      ...(visitorName ? { name: visitorName } : {}),
    };
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(input.value);
    input.value = '';
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    const now = Date.now();
    if (now - lastTyping > TYPING_THROTTLE_MS && transmit({ action: 'typing', state: 'start' }))
      lastTyping = now;
  });

  let suggestTimer: ReturnType<typeof setTimeout> | undefined;
  let suggestedFor = '';
  function showSuggestions(articles: Suggestion[]): void {
    tipsList.replaceChildren();
    tipsTitle.textContent = strings.suggestions;
    for (const article of articles.slice(0, 3)) {
      if (!/^https?:\/\//.test(article.url)) continue;
      const link = element('a', { href: article.url, target: '_blank', rel: 'noopener' }, article.title);
      link.append(element('span', {}, article.summary));
      const item = element('li');
      item.append(link);
      tipsList.append(item);
    }
    tips.hidden = tipsList.childElementCount === 0;
  }
  // Suggestions while the visitor types a question: asked for, never sent as a message.
  input.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    const text = input.value.trim();
    if (text.split(/\s+/).length < SUGGEST_MIN_WORDS && text.length < SUGGEST_MIN_CHARACTERS) {
      suggestedFor = '';
      showSuggestions([]);
      return;
    }
    suggestTimer = setTimeout(() => {
      if (
        text !== suggestedFor &&
        transmit({ action: 'suggest', text: text.slice(0, 500), language: context.language })
      )
        suggestedFor = text;
    }, SUGGEST_DELAY_MS);
  });
  form.addEventListener('submit', () => {
    clearTimeout(suggestTimer);
    suggestedFor = '';
    showSuggestions([]);
  });

  // Focus stays inside the open panel (Tab and Shift+Tab cycle); Escape closes it.
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      hide();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = Array.from(
      panel.querySelectorAll<HTMLElement>('button, [href], input, textarea, [tabindex]:not([tabindex="-1"])'),
    ).filter((node) => !node.hasAttribute('disabled') && node.offsetParent !== null);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = context.root.activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first?.focus();
    }
  });
  close.addEventListener('click', () => hide());
  window.addEventListener('online', () => connect());
  window.addEventListener('offline', () => {
    statusLine.textContent = strings.reconnecting;
    socket?.close();
  });

  function prechat(): void {
    if (token || localStorage.getItem(PRECHAT_KEY)) return;
    const box = element('form', { class: 'pre' });
    const name = element('input', { type: 'text', autocomplete: 'name', name: 'name' });
    const email = element('input', { type: 'email', autocomplete: 'email', name: 'email' });
    const consent = element('p', { class: 'c' });
    consent.append(strings.consent[0]);
    if (context.privacyUrl) {
      consent.append(
        element('a', { href: context.privacyUrl, target: '_blank', rel: 'noopener' }, strings.consent[1]),
      );
    } else consent.append(strings.consent[1]);
    consent.append(strings.consent[2]);
    const nameLabel = element('label', {}, strings.name);
    nameLabel.append(name);
    const emailLabel = element('label', {}, strings.email);
    emailLabel.append(email);
    const start = element('button', { class: 'b', type: 'submit' }, strings.start);
    box.append(element('p', {}, strings.prechatIntro), nameLabel, emailLabel, consent, start);
    form.hidden = true;
    log.hidden = true;
    panel.insertBefore(box, typing);
    box.addEventListener('submit', (event) => {
      event.preventDefault();
      localStorage.setItem(PRECHAT_KEY, '1');
      const address = email.value.trim();
      visitorName = name.value.trim() || undefined;
      // Linked only once confirmed from the mail the server sends: typing an address proves nothing.
      if (address !== '') linkEmail = address;
      if (linkEmail && transmit({ action: 'link-email', email: linkEmail, language: context.language }))
        linkEmail = undefined;
      box.remove();
      form.hidden = false;
      log.hidden = false;
      input.focus();
    });
    name.focus();
  }

  function show(): void {
    panel.hidden = false;
    context.launcher.setAttribute('aria-expanded', 'true');
    connect();
    if (form.hidden === false && !panel.querySelector('.pre')) input.focus();
  }

  function hide(): void {
    panel.hidden = true;
    context.launcher.setAttribute('aria-expanded', 'false');
    context.launcher.focus();
  }

  let opened = false;
  return {
    open() {
      show();
      if (!opened) {
        opened = true;
        prechat();
        if (!panel.querySelector('.pre')) input.focus();
      }
    },
    identify(next: string) {
      token = next;
      // A new identity is a new connection: the authorizer checks the token on $connect.
      socket?.close();
      connect();
    },
  };
}

window.__switchboardPanel = mount;

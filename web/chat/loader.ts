/**
 * The chat loader: the one script a shop embeds. It adds the launcher button (inside a Shadow DOM,
 * so the shop's styles and ours never meet) and nothing else: no request, no cookie, no storage
 * until the visitor opens the chat. The first click loads the panel from beside this script.
 *
 *   <script src="https://…/chat/widget.js" data-switchboard-privacy="https://shop/privacy" async></script>
 *   Switchboard.identify(token)   // optional: the shop's signed identity of a logged-in customer
 */
import { launcherLabel } from '../../functions/core/i18n/chat-widget.ts';

export interface PanelContext {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  readonly launcher: HTMLButtonElement;
  readonly socketUrl: string;
  readonly privacyUrl?: string;
  readonly language: string;
  readonly token?: string;
}

export interface PanelApi {
  open(): void;
  identify(token: string): void;
}

declare global {
  interface Window {
    Switchboard?: { identify(token: string): void; open(): void };
    /** Set by the panel script when it has loaded. */
    __switchboardPanel?: (context: PanelContext) => PanelApi;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset ?? {};
const scriptUrl = new URL(script?.src ?? '/chat/widget.js', location.href);
const panelUrl = data.switchboardPanel ?? new URL('panel.js', scriptUrl).href;
const socketUrl =
  data.switchboardSocket ?? `${scriptUrl.protocol === 'https:' ? 'wss' : 'ws'}://${scriptUrl.host}/chat/ws`;
const language = data.switchboardLanguage ?? navigator.language ?? 'en';
const label = launcherLabel(language);

let token: string | undefined;
let panel: PanelApi | undefined;
let loading = false;

const host = document.createElement('div');
host.setAttribute('data-switchboard-chat', '');
const root = host.attachShadow({ mode: 'open' });
root.innerHTML = `<style>
:host{all:initial}
.l{position:fixed;inset-block-end:20px;inset-inline-end:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;background:#1f4fd1;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}
.l:focus-visible{outline:3px solid #ffbf47;outline-offset:3px}
.l svg{width:28px;height:28px}
</style><button class="l" type="button" aria-haspopup="dialog" aria-expanded="false" aria-label="${label}"><svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg></button>`;
const launcher = root.querySelector('button') as HTMLButtonElement;

function open(): void {
  if (panel) {
    panel.open();
    return;
  }
  if (loading) return;
  loading = true;
  const tag = document.createElement('script');
  tag.src = panelUrl;
  tag.async = true;
  tag.onload = () => {
    const mount = window.__switchboardPanel;
    if (!mount) return;
    panel = mount({ host, root, launcher, socketUrl, privacyUrl: data.switchboardPrivacy, language, token });
    panel.open();
  };
  tag.onerror = () => {
    loading = false;
  };
  document.head.appendChild(tag);
}

launcher.addEventListener('click', open);
window.Switchboard = {
  identify(next: string) {
    token = next;
    panel?.identify(next);
  },
  open,
};
if (document.body) document.body.appendChild(host);
else document.addEventListener('DOMContentLoaded', () => document.body.appendChild(host));

/** Starts the inbox: config.json, sign-in, then the app. */
import { render } from 'preact';
import { parseInboxAppConfig } from '../app-config.ts';
import { InboxApi } from './api.ts';
import { App } from './app.tsx';
import { signIn } from './auth.ts';
import { pickLanguage, strings } from './i18n.ts';

async function start(root: HTMLElement): Promise<void> {
  let language = pickLanguage(navigator.languages ?? [navigator.language], 'en');
  try {
    const answer = await fetch('config.json', { cache: 'no-store' });
    if (!answer.ok) throw new Error(`config.json: HTTP ${answer.status}`);
    const config = parseInboxAppConfig(await answer.json());
    language = pickLanguage(navigator.languages ?? [navigator.language], config.defaultLanguage);
    document.documentElement.lang = language;
    const t = strings(language);
    document.title = `${t.appTitle} · switchboard`;
    const session = await signIn(config);
    root.textContent = '';
    root.classList.remove('booting');
    render(
      <App
        api={new InboxApi(config.apiBaseUrl, session)}
        session={session}
        config={config}
        lang={language}
        t={t}
      />,
      root,
    );
  } catch (error) {
    root.textContent = `${strings(language).error} ${error instanceof Error ? error.message : String(error)}`;
    root.setAttribute('role', 'alert');
  }
}

const root = document.getElementById('app');
if (root) void start(root);

import type { ServerResponse } from 'node:http';
import { buildChatWidget, type ChatWidgetBundle } from '../../web/chat/build.ts';

let built: Promise<ChatWidgetBundle> | undefined;

/** The widget, built in memory on first use (esbuild, offline, ~50 ms): a fresh clone needs no build step. */
export function chatWidget(): Promise<ChatWidgetBundle> {
  built ??= buildChatWidget();
  return built;
}

export function serveScript(response: ServerResponse, source: string): void {
  response.writeHead(200, {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  response.end(source);
}

/**
 * A demo shop page with the widget embedded by its one script tag. "Sign in as Ayşe" asks the
 * sandbox to sign an identity, as a shop's backend would for its logged-in customer, and hands it
 * to `Switchboard.identify`. The page itself loads nothing else (not even a favicon), so what the
 * widget fetches is all there is to see in the network log.
 */
export const CHAT_DEMO_PAGE = `<!doctype html>
<html lang="tr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Örnek Mağaza — switchboard chat demo</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#222;color:#fff;padding:16px 24px;display:flex;justify-content:space-between;align-items:center}
main{max-width:720px;margin:24px auto;padding:0 24px}
.card{background:#fff;border-radius:8px;padding:20px;box-shadow:0 1px 4px rgba(0,0,0,.1)}
button{font:inherit;padding:8px 14px;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer}
</style>
</head>
<body>
<header><strong>Örnek Mağaza</strong><button type="button" id="sign-in">Ayşe olarak giriş yap (demo)</button></header>
<main>
<div class="card">
<h1>Seramik kupa, el yapımı</h1>
<p>349,00 TL · Ücretsiz kargo</p>
<p>Sorunuz mu var? Sağ alttaki düğmeyle bize yazın.</p>
<p id="who">Misafir olarak geziyorsunuz.</p>
</div>
</main>
<script>
document.getElementById('sign-in').addEventListener('click', async () => {
  const answer = await fetch('/chat/demo/identity', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ayse.yilmaz@example.com', name: 'Ayşe Yılmaz' }),
  });
  const { token } = await answer.json();
  window.Switchboard.identify(token);
  document.getElementById('who').textContent = 'Ayşe Yılmaz olarak giriş yaptınız.';
});
</script>
<script src="/chat/widget.js" data-switchboard-privacy="/chat/demo#privacy" async></script>
</body>
</html>
`;

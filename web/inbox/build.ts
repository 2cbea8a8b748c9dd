import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * The inbox as static files (relative path → content): `index.html` and its hashed assets, so a
 * CDN can cache the assets for good and only `index.html` (and the stack's `config.json`) stays
 * fresh. Built in memory (esbuild, offline, well under a second): the sandbox serves it at start,
 * the stack writes it out at synth, the bench weighs it.
 */
export type InboxAppFiles = ReadonlyMap<string, string | Uint8Array>;

const ENTRY = new URL('./src/main.tsx', import.meta.url).pathname;
const STYLES = new URL('./src/styles.css', import.meta.url);

const hashOf = (content: string) => createHash('sha256').update(content).digest('hex').slice(0, 10);

export async function buildInboxApp(): Promise<InboxAppFiles> {
  const [result, css] = await Promise.all([
    build({
      entryPoints: [ENTRY],
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2020'],
      platform: 'browser',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      write: false,
      legalComments: 'none',
      define: { 'process.env.NODE_ENV': '"production"' },
    }),
    readFile(STYLES, 'utf8'),
  ]);
  const js = result.outputFiles[0]?.text ?? '';
  const script = `assets/inbox-${hashOf(js)}.js`;
  const styles = `assets/inbox-${hashOf(css)}.css`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<link rel="icon" href="data:,">
<title>switchboard inbox</title>
<link rel="stylesheet" href="${styles}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="app" class="booting">switchboard…</div>
</body>
</html>
`;
  return new Map<string, string>([
    ['index.html', html],
    [script, js],
    [styles, css],
  ]);
}

/** Gzipped bytes of the app's JavaScript: what the bench holds to the 120 KB budget. */
export async function inboxAppSizes(
  files?: InboxAppFiles,
): Promise<{ jsBytesGzip: number; cssBytesGzip: number }> {
  const built = files ?? (await buildInboxApp());
  let jsBytesGzip = 0;
  let cssBytesGzip = 0;
  for (const [path, content] of built) {
    const size = gzipSync(content, { level: 9 }).length;
    if (path.endsWith('.js')) jsBytesGzip += size;
    if (path.endsWith('.css')) cssBytesGzip += size;
  }
  return { jsBytesGzip, cssBytesGzip };
}

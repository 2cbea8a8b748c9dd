import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The two files of the chat widget: the loader the shop embeds and the panel it loads on the first click. */
export interface ChatWidgetBundle {
  readonly loader: string;
  readonly panel: string;
}

const ENTRY_POINTS = {
  loader: new URL('./loader.ts', import.meta.url).pathname,
  panel: new URL('./panel.ts', import.meta.url).pathname,
};

/** Builds both in memory (about 50 ms, offline): the sandbox serves them, the bench weighs them. */
export async function buildChatWidget(): Promise<ChatWidgetBundle> {
  const [loader, panel] = await Promise.all(
    [ENTRY_POINTS.loader, ENTRY_POINTS.panel].map(async (entry) => {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format: 'iife',
        target: ['es2020'],
        platform: 'browser',
        write: false,
        legalComments: 'none',
      });
      return result.outputFiles[0]?.text ?? '';
    }),
  );
  return { loader: loader ?? '', panel: panel ?? '' };
}

/** Gzipped sizes in bytes: what a browser downloads (`panel` is the rest of the chat, loaded on click). */
export function chatWidgetSizes(bundle: ChatWidgetBundle): {
  loaderBytesGzip: number;
  widgetBytesGzip: number;
} {
  const loaderBytesGzip = gzipSync(bundle.loader, { level: 9 }).length;
  return { loaderBytesGzip, widgetBytesGzip: loaderBytesGzip + gzipSync(bundle.panel, { level: 9 }).length };
}

/**
 * `npm run build:help`: builds the help center into web/help/dist/ and the knowledge base the
 * functions bundle (functions/adapters/knowledge-base/help-articles.generated.json). Runs offline
 * in well under a second; npm runs it on install and before start, test and synth.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_KNOWLEDGE_BASE_FILE } from '../../functions/adapters/knowledge-base/bundled-path.ts';
import { buildHelpCenter, HELP_DIR, writeHelpCenter } from './build/site.ts';

const baseUrl = process.env.HELP_BASE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/help`;
const started = performance.now();
const center = buildHelpCenter({ baseUrl });
const outDir = join(HELP_DIR, 'dist');
writeHelpCenter(center, outDir);
const target = fileURLToPath(new URL(`../../${BUNDLED_KNOWLEDGE_BASE_FILE}`, import.meta.url));
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(center.data)}\n`);
const js = center.files.get('assets/help.js')?.body.length ?? 0;
process.stderr.write(
  `help center: ${center.files.size} files in ${outDir} (${center.data.articles.length} articles, ${center.languages.join(', ')}; ${js} bytes of JS) in ${Math.round(performance.now() - started)} ms\n`,
);

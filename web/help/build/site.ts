import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import {
  ARTICLE_CATEGORIES,
  type ArticleCategory,
  type KnowledgeBaseData,
} from '../../../functions/core/knowledge-base/article.ts';
import { articleId, buildKnowledgeBaseData } from '../../../functions/core/knowledge-base/retrieval.ts';
import { type BuiltArticle, escapeHtml, readArticles } from './articles.ts';
import { siteStrings } from './strings.ts';
import { HELP_CSS } from './style.ts';

/**
 * The help center as static files: one page per article and language, a page per category, an
 * index per language, the search index per language, one small script and a sitemap. Built by
 * `npm run build:help`, by the sandbox when it starts, and by the CDK app at synth time.
 */

export const HELP_DIR = fileURLToPath(new URL('../', import.meta.url));
export const ARTICLES_DIR = join(HELP_DIR, 'articles');

/** Where the site posts "was this helpful?" (same origin: the sandbox route, a CloudFront behaviour). */
export const FEEDBACK_PATH = '/help/feedback';

export interface HelpCenterOptions {
  /** Where the site is reached, without a trailing slash: `https://help.shop.example`, `http://127.0.0.1:3000/help`. */
  readonly baseUrl: string;
  readonly articlesDir?: string;
  /** The language of the site's front page (`/`). Default: the first language with articles. */
  readonly defaultLanguage?: string;
}

export interface SiteFile {
  readonly body: string;
  readonly contentType: string;
}

export interface HelpCenter {
  /** Path relative to the site root (`en/order-tracking.html`) → content. */
  readonly files: ReadonlyMap<string, SiteFile>;
  /** What the functions get (see functions/adapters/knowledge-base). */
  readonly data: KnowledgeBaseData;
  readonly languages: readonly string[];
}

const HTML = 'text/html; charset=utf-8';

export function buildHelpCenter(options: HelpCenterOptions): HelpCenter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const articles = readArticles(options.articlesDir ?? ARTICLES_DIR);
  const data = buildKnowledgeBaseData(articles.map((a) => a.record));
  const languages = [...new Set(articles.map((a) => a.record.language))];
  const defaultLanguage =
    options.defaultLanguage && languages.includes(options.defaultLanguage)
      ? options.defaultLanguage
      : (languages[0] ?? 'en');
  const files = new Map<string, SiteFile>();
  const site: Site = { baseUrl, languages, articles };

  for (const language of languages) {
    const own = articles.filter((a) => a.record.language === language);
    files.set(`${language}/index.html`, { body: indexPage(site, language, '../'), contentType: HTML });
    for (const category of ARTICLE_CATEGORIES) {
      if (!own.some((a) => a.record.category === category)) continue;
      files.set(`${language}/category-${category}.html`, {
        body: categoryPage(site, language, category),
        contentType: HTML,
      });
    }
    for (const article of own) {
      files.set(`${language}/${article.record.slug}.html`, {
        body: articlePage(site, article),
        contentType: HTML,
      });
    }
    const docs = Object.fromEntries(
      own.map((a) => [
        articleId(language, a.record.slug),
        [a.record.title, a.record.summary, `${language}/${a.record.slug}`],
      ]),
    );
    files.set(`assets/search-${language}.json`, {
      body: JSON.stringify({ index: data.indexes[language], docs }),
      contentType: 'application/json; charset=utf-8',
    });
  }
  files.set('index.html', { body: indexPage(site, defaultLanguage, ''), contentType: HTML });
  files.set('assets/help.js', { body: bundleScript(), contentType: 'text/javascript; charset=utf-8' });
  files.set('assets/help.css', { body: HELP_CSS, contentType: 'text/css; charset=utf-8' });
  files.set('sitemap.xml', { body: sitemap(site), contentType: 'application/xml; charset=utf-8' });
  files.set('robots.txt', {
    body: `User-agent: *\nAllow: /\nSitemap: ${baseUrl}/sitemap.xml\n`,
    contentType: 'text/plain; charset=utf-8',
  });
  return { files, data, languages };
}

/** Writes the site to `outDir` (emptied first). */
export function writeHelpCenter(center: HelpCenter, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, file] of center.files) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.body);
  }
}

/** The file a request path (relative to the site root) is answered with, as CloudFront's rewrite does. */
export function sitePathFor(requestPath: string): string {
  const path = requestPath.replace(/^\/+/, '');
  if (path === '') return 'index.html';
  if (path.endsWith('/')) return `${path}index.html`;
  return /\.[a-z0-9]+$/i.test(path.split('/').pop() ?? '') ? path : `${path}.html`;
}

interface Site {
  readonly baseUrl: string;
  readonly languages: readonly string[];
  readonly articles: readonly BuiltArticle[];
}

function bundleScript(): string {
  const result = buildSync({
    entryPoints: [join(HELP_DIR, 'src/help.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    legalComments: 'none',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no help-center script');
  return output.text;
}

function page(input: {
  readonly site: Site;
  readonly language: string;
  /** The path to the site root from this page: '' or '../'. */
  readonly up: string;
  readonly title: string;
  readonly description: string;
  /** The page's own route relative to the site root (`en/order-tracking`). */
  readonly route: string;
  readonly alternates: readonly { readonly language: string; readonly route: string }[];
  readonly main: string;
}): string {
  const s = siteStrings(input.language);
  const { baseUrl } = input.site;
  const hreflang = input.alternates
    .map(
      (a) => `<link rel="alternate" hreflang="${a.language}" href="${escapeHtml(`${baseUrl}/${a.route}`)}">`,
    )
    .join('\n');
  const languageLinks = input.alternates
    .filter((a) => a.language !== input.language)
    .map(
      (a) =>
        `<a href="${escapeHtml(input.up + a.route)}" hreflang="${a.language}" lang="${a.language}">${escapeHtml(siteStrings(a.language).languageName)}</a>`,
    )
    .join(' ');
  return `<!doctype html>
<html lang="${input.language}" data-root="${input.up || './'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title === s.helpCenter ? s.helpCenter : `${input.title} · ${s.helpCenter}`)}</title>
<meta name="description" content="${escapeHtml(input.description)}">
<link rel="canonical" href="${escapeHtml(`${baseUrl}/${input.route}`)}">
${hreflang}
<link rel="stylesheet" href="${input.up}assets/help.css">
<script src="${input.up}assets/help.js" defer></script>
</head>
<body>
<header>
<a class="home" href="${input.up}${input.language}/">${escapeHtml(s.helpCenter)}</a>
${languageLinks ? `<nav class="languages" aria-label="${escapeHtml(s.otherLanguages)}">${languageLinks}</nav>` : ''}
<form class="search" role="search" data-empty="${escapeHtml(s.noResults)}">
<label for="q">${escapeHtml(s.searchLabel)}</label>
<input id="q" name="q" type="search" placeholder="${escapeHtml(s.searchPlaceholder)}" autocomplete="off">
<button type="submit">${escapeHtml(s.searchButton)}</button>
</form>
<ol id="search-results" class="results" aria-live="polite"></ol>
</header>
<main>
${input.main}
</main>
</body>
</html>
`;
}

function articleLink(up: string, article: BuiltArticle): string {
  const { record } = article;
  return `<li><a href="${up}${record.language}/${record.slug}">${escapeHtml(record.title)}</a><p>${escapeHtml(record.summary)}</p></li>`;
}

function indexPage(site: Site, language: string, upFromPage: string): string {
  const s = siteStrings(language);
  const up = upFromPage;
  const own = site.articles.filter((a) => a.record.language === language);
  const sections = ARTICLE_CATEGORIES.filter((c) => own.some((a) => a.record.category === c))
    .map(
      (category) => `<section>
<h2><a href="${up}${language}/category-${category}">${escapeHtml(s.categories[category])}</a></h2>
<ul class="articles">${own
        .filter((a) => a.record.category === category)
        .map((a) => articleLink(up, a))
        .join('')}</ul>
</section>`,
    )
    .join('\n');
  return page({
    site,
    language,
    up,
    title: s.helpCenter,
    description: s.intro,
    route: `${language}/`,
    alternates: site.languages.map((l) => ({ language: l, route: `${l}/` })),
    main: `<h1>${escapeHtml(s.helpCenter)}</h1>\n<p>${escapeHtml(s.intro)}</p>\n${sections}`,
  });
}

function categoryPage(site: Site, language: string, category: ArticleCategory): string {
  const s = siteStrings(language);
  const up = '../';
  const own = site.articles.filter((a) => a.record.language === language && a.record.category === category);
  const withCategory = site.languages.filter((l) =>
    site.articles.some((a) => a.record.language === l && a.record.category === category),
  );
  return page({
    site,
    language,
    up,
    title: s.categories[category],
    description: own.map((a) => a.record.title).join(', '),
    route: `${language}/category-${category}`,
    alternates: withCategory.map((l) => ({ language: l, route: `${l}/category-${category}` })),
    main: `<p class="crumbs"><a href="${up}${language}/">${escapeHtml(s.allArticles)}</a></p>
<h1>${escapeHtml(s.categories[category])}</h1>
<ul class="articles">${own.map((a) => articleLink(up, a)).join('')}</ul>`,
  });
}

function articlePage(site: Site, article: BuiltArticle): string {
  const { record } = article;
  const s = siteStrings(record.language);
  const up = '../';
  const translations = site.articles.filter((a) => a.record.slug === record.slug);
  return page({
    site,
    language: record.language,
    up,
    title: record.title,
    description: record.summary,
    route: `${record.language}/${record.slug}`,
    alternates: translations.map((a) => ({
      language: a.record.language,
      route: `${a.record.language}/${record.slug}`,
    })),
    main: `<p class="crumbs"><a href="${up}${record.language}/">${escapeHtml(s.allArticles)}</a> › <a href="${up}${record.language}/category-${record.category}">${escapeHtml(s.categories[record.category])}</a></p>
<article>
<h1>${escapeHtml(record.title)}</h1>
<p class="summary">${escapeHtml(record.summary)}</p>
${article.html}
<p class="updated">${escapeHtml(s.updated)}: <time datetime="${escapeHtml(record.updated)}">${escapeHtml(record.updated)}</time></p>
</article>
<form class="feedback" method="post" action="${FEEDBACK_PATH}" data-thanks="${escapeHtml(s.thanks)}" data-failed="${escapeHtml(s.failed)}">
<input type="hidden" name="slug" value="${escapeHtml(record.slug)}">
<input type="hidden" name="language" value="${escapeHtml(record.language)}">
<fieldset>
<legend>${escapeHtml(s.helpfulQuestion)}</legend>
<label for="comment">${escapeHtml(s.commentLabel)}</label>
<textarea id="comment" name="comment" maxlength="500" rows="3"></textarea>
<button type="submit" name="helpful" value="yes">${escapeHtml(s.yes)}</button>
<button type="submit" name="helpful" value="no">${escapeHtml(s.no)}</button>
</fieldset>
<p class="feedback-status" role="status"></p>
</form>`,
  });
}

function sitemap(site: Site): string {
  const urls = site.articles.map((article) => {
    const { record } = article;
    const links = site.articles
      .filter((a) => a.record.slug === record.slug)
      .map(
        (a) =>
          `<xhtml:link rel="alternate" hreflang="${a.record.language}" href="${escapeHtml(`${site.baseUrl}/${a.record.language}/${record.slug}`)}"/>`,
      )
      .join('');
    return `<url><loc>${escapeHtml(`${site.baseUrl}/${record.language}/${record.slug}`)}</loc><lastmod>${record.updated}</lastmod>${links}</url>`;
  });
  const indexes = site.languages.map((l) => `<url><loc>${escapeHtml(`${site.baseUrl}/${l}/`)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${[...indexes, ...urls].join('\n')}
</urlset>
`;
}

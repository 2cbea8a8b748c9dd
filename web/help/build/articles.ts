import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Marked, type Tokens } from 'marked';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import type { ArticleRecord } from '../../../functions/core/knowledge-base/article.ts';
import {
  articleFrontMatterSchema,
  articleSlugSchema,
} from '../../../functions/core/knowledge-base/front-matter.ts';

/** An article ready for its page: the record the functions get, and its body as safe HTML. */
export interface BuiltArticle {
  readonly record: ArticleRecord;
  readonly html: string;
}

/** A wrong article file, named, with what to fix. */
export class ArticleError extends Error {
  override readonly name = 'ArticleError';
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Slugs the site uses for its own pages. */
const RESERVED_SLUGS = new Set(['index', 'assets', 'feedback', 'sitemap']);

/** Reads `<dir>/<lang>/<slug>.md` for every language folder, sorted by language then slug. */
export function readArticles(dir: string): BuiltArticle[] {
  const languages = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const built: BuiltArticle[] = [];
  for (const language of languages) {
    if (!/^[a-z]{2}$/.test(language)) {
      throw new ArticleError(
        `${dir}/${language}: article folders are two-letter language codes ("tr", "en")`,
      );
    }
    const files = readdirSync(join(dir, language))
      .filter((name) => name.endsWith('.md'))
      .sort();
    for (const file of files) {
      const path = join(dir, language, file);
      built.push(parseArticle(readFileSync(path, 'utf8'), { language, slug: file.slice(0, -3), path }));
    }
  }
  if (built.length === 0) throw new ArticleError(`${dir}: no articles (<lang>/<slug>.md) found`);
  return built;
}

export function parseArticle(
  source: string,
  where: { readonly language: string; readonly slug: string; readonly path: string },
): BuiltArticle {
  const slug = articleSlugSchema.safeParse(where.slug);
  if (!slug.success || RESERVED_SLUGS.has(where.slug) || where.slug.startsWith('category-')) {
    throw new ArticleError(
      `${where.path}: the file name must be a slug of lowercase letters, digits and "-", not ${[...RESERVED_SLUGS].join('/')} or category-…`,
    );
  }
  const parts = source.match(FRONT_MATTER);
  if (!parts) throw new ArticleError(`${where.path}: starts with no front matter between --- lines`);
  let raw: unknown;
  try {
    raw = parseYaml(parts[1] ?? '');
  } catch (error) {
    throw new ArticleError(`${where.path}: front matter is not valid YAML: ${(error as Error).message}`);
  }
  const front = articleFrontMatterSchema.safeParse(raw);
  if (!front.success) {
    throw new ArticleError(`${where.path}: ${z.prettifyError(front.error).replace(/\n/g, '; ')}`);
  }
  const body = parts[2] ?? '';
  return {
    record: { ...front.data, slug: where.slug, language: where.language, passages: passages(body) },
    html: renderMarkdown(body),
  };
}

const markdown = new Marked({
  gfm: true,
  renderer: {
    // Articles are text: raw HTML in them is shown as written, never run.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      if (!isSafeHref(href)) return text;
      const titleAttribute = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttribute}>${text}</a>`;
    },
    image({ href, text }: Tokens.Image) {
      if (!isSafeHref(href)) return escapeHtml(text);
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}" loading="lazy">`;
    },
  },
});

export function renderMarkdown(body: string): string {
  return markdown.parse(body, { async: false });
}

/** Web, mail and phone links, and links within the help center; no script or data URLs. */
export function isSafeHref(href: string): boolean {
  const trimmed = href.trim();
  if (/^(https?:|mailto:|tel:)/i.test(trimmed)) return true;
  return !/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !trimmed.startsWith('//');
}

/** The body as plain-text paragraphs: list items and table rows are one passage each. */
export function passages(body: string): string[] {
  const out: string[] = [];
  for (const token of markdown.lexer(body)) {
    if (token.type === 'list') {
      for (const item of (token as Tokens.List).items) out.push(plain(item.text));
    } else if (token.type === 'table') {
      const table = token as Tokens.Table;
      for (const row of table.rows) out.push(plain(row.map((cell) => cell.text).join(' - ')));
    } else if ('text' in token && typeof token.text === 'string' && token.type !== 'space') {
      out.push(plain(token.text));
    }
  }
  return out.filter((p) => p !== '');
}

function plain(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

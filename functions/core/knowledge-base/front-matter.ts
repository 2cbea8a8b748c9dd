import * as z from 'zod';
import { ARTICLE_CATEGORIES, type ArticleFrontMatter, ORDER_STATUSES } from './article.ts';

/** The front matter of `web/help/articles/<lang>/<slug>.md`, checked when the help center is built. */

const phrase = z.string().min(1).max(80);

export const articleSlugSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase letters, digits and "-" (the file name without .md)')
  .max(60);

export const articleFrontMatterSchema = z.object({
  title: z.string().min(3).max(120),
  /** One or two sentences: what automatic answers quote, and the search result's text. */
  summary: z.string().min(10).max(300),
  category: z.enum(ARTICLE_CATEGORIES),
  tags: z.array(phrase).max(12).default([]),
  /** Phrases customers write for this question, misspellings welcome: they rank first. */
  keywords: z.array(phrase).min(1).max(40),
  /** Single words meaning what the article is about, for questions in other words. */
  synonyms: z.array(phrase).max(40).default([]),
  /** Order statuses (`shipped`, `delivered`…) an answer about an order in that status links to. */
  orderStatuses: z.array(z.enum(ORDER_STATUSES)).default([]),
  /** `order-status`: the "where is my order" article, answered with the order's own data. */
  intent: z.literal('order-status').optional(),
  /** YAML reads an unquoted date as a Date; either way it is shown as YYYY-MM-DD. */
  updated: z.union([z.iso.date(), z.date().transform((d) => d.toISOString().slice(0, 10))]),
}) satisfies z.ZodType<ArticleFrontMatter, unknown>;

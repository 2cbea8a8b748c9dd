import type { Language } from '../model.ts';
import type { ReportRange } from '../service-levels/report.ts';
import type { SelfServiceStore } from './self-service.ts';

/**
 * `GET /reports/self-service`: what the help center answered and what it could not. Deflection is
 * an automatic article answer with no later reply by a person in that conversation.
 */

export interface SelfServiceReportDeps {
  readonly store: Pick<SelfServiceStore, 'readDays'>;
}

export interface ArticleReportRow {
  readonly slug: string;
  readonly language: Language;
  /** Automatic answers that linked it. */
  readonly answered: number;
  /** …of which a person still had to answer. */
  readonly humanFollowUps: number;
  readonly deflected: number;
  /** deflected / answered; null before it answered anything. */
  readonly deflectionRate: number | null;
  readonly helpful: number;
  readonly notHelpful: number;
  /** helpful / (helpful + notHelpful); null without feedback. */
  readonly helpfulness: number | null;
}

export interface SelfServiceReport {
  readonly from: string;
  readonly to: string;
  readonly totals: { readonly answered: number; readonly deflected: number; readonly unanswered: number };
  readonly articles: readonly ArticleReportRow[];
  /** Questions with no confident article, grouped by their normalized text, most asked first. */
  readonly unanswered: readonly {
    readonly question: string;
    readonly language: Language;
    readonly count: number;
  }[];
}

/** How many unanswered question groups the report lists: the head is what needs an article. */
export const MAX_UNANSWERED_GROUPS = 50;

/** The UTC days a range touches, as the counters are partitioned. */
export function daysOf(range: ReportRange): string[] {
  const days: string[] = [];
  const first = Date.UTC(range.from.getUTCFullYear(), range.from.getUTCMonth(), range.from.getUTCDate());
  for (let day = first; day < range.to.getTime(); day += 86_400_000) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

export async function selfServiceReport(
  deps: SelfServiceReportDeps,
  range: ReportRange,
): Promise<SelfServiceReport> {
  const days = await deps.store.readDays(daysOf(range));
  const articles = new Map<
    string,
    {
      slug: string;
      language: Language;
      answered: number;
      humanFollowUps: number;
      helpful: number;
      notHelpful: number;
    }
  >();
  const unanswered = new Map<string, { question: string; language: Language; count: number }>();
  for (const day of days) {
    for (const row of day.articles) {
      const key = `${row.language}/${row.slug}`;
      const sum = articles.get(key) ?? {
        slug: row.slug,
        language: row.language,
        answered: 0,
        humanFollowUps: 0,
        helpful: 0,
        notHelpful: 0,
      };
      sum.answered += row.answered;
      sum.humanFollowUps += row.humanFollowUps;
      sum.helpful += row.helpful;
      sum.notHelpful += row.notHelpful;
      articles.set(key, sum);
    }
    for (const row of day.unanswered) {
      const key = `${row.language}/${row.question}`;
      const sum = unanswered.get(key) ?? { question: row.question, language: row.language, count: 0 };
      sum.count += row.count;
      unanswered.set(key, sum);
    }
  }
  const rows: ArticleReportRow[] = [...articles.values()]
    .map((a) => {
      // A follow-up is counted on the day of the answer; it never exceeds the answers.
      const deflected = Math.max(0, a.answered - a.humanFollowUps);
      const votes = a.helpful + a.notHelpful;
      return {
        ...a,
        deflected,
        deflectionRate: a.answered > 0 ? round(deflected / a.answered) : null,
        helpfulness: votes > 0 ? round(a.helpful / votes) : null,
      };
    })
    .sort(
      (x, y) =>
        y.answered - x.answered || x.slug.localeCompare(y.slug) || x.language.localeCompare(y.language),
    );
  const groups = [...unanswered.values()].sort(
    (x, y) => y.count - x.count || x.question.localeCompare(y.question),
  );
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    totals: {
      answered: rows.reduce((s, r) => s + r.answered, 0),
      deflected: rows.reduce((s, r) => s + r.deflected, 0),
      unanswered: groups.reduce((s, g) => s + g.count, 0),
    },
    articles: rows,
    unanswered: groups.slice(0, MAX_UNANSWERED_GROUPS),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

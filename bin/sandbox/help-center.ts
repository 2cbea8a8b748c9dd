import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { helpFeedbackDeps } from '../../functions/composition/help-feedback.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';
import { makeHelpFeedbackHandler } from '../../functions/handlers/help-feedback.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { buildHelpCenter, type HelpCenter, type SiteFile, sitePathFor } from '../../web/help/build/site.ts';
import type { StandIns } from './stand-ins.ts';

/** Where the sandbox serves the help center, under its own origin. */
export const HELP_PATH = '/help';

/** The help center's base URL for a sandbox on `port` (replay assumes the default port). */
export function sandboxHelpBaseUrl(port: number | string = process.env.PORT || 3000): string {
  return `http://127.0.0.1:${port}${HELP_PATH}`;
}

/**
 * The help center in the sandbox: the site built from web/help/articles when the server knows
 * its port (so links, hreflang and the sitemap name it), and `POST /help/feedback` through the
 * real handler on the sandbox table.
 */
export class SandboxHelpCenter {
  /** Read by the acknowledgements when they link an article. */
  private center: HelpCenter | undefined;
  private readonly feedback;

  constructor(
    standIns: StandIns,
    settings: LocalSettings,
    clock: Clock,
    /** Read by the acknowledgements when they link an article. */
    readonly site: { baseUrl: string },
  ) {
    const deps = helpFeedbackDeps(standIns.clients, settings, clock);
    this.feedback = makeHelpFeedbackHandler(() => deps);
  }

  /** Builds the site for `baseUrl` (a few hundred milliseconds, offline). */
  publish(baseUrl: string, defaultLanguage: string): void {
    this.site.baseUrl = baseUrl;
    this.center = buildHelpCenter({ baseUrl, defaultLanguage });
  }

  /** The file for a path under /help, or undefined; `redirect` when the path needs its slash. */
  page(path: string): { file?: SiteFile; redirect?: string } {
    if (path === HELP_PATH) return { redirect: `${HELP_PATH}/` };
    if (!path.startsWith(`${HELP_PATH}/`)) return {};
    const inner = path.slice(HELP_PATH.length + 1);
    // "/help/en" is the English index: relative links need "/help/en/".
    if (this.center?.languages.includes(inner)) return { redirect: `${HELP_PATH}/${inner}/` };
    return { file: this.center?.files.get(sitePathFor(inner)) };
  }

  async postFeedback(request: {
    headers: Record<string, string>;
    body: Uint8Array;
  }): Promise<APIGatewayProxyStructuredResultV2> {
    const event = apiGatewayV2Event({
      method: 'POST',
      path: `${HELP_PATH}/feedback`,
      headers: request.headers,
      body: request.body,
    });
    return this.feedback(event, lambdaContext('switchboard-help-feedback'));
  }
}

import type { FunctionFigures } from './bundles.ts';
import type { ChannelFigures } from './measure.ts';

/** One budget against its figure: `ratio` is measured / limit (≤ 1 passes, ≥ 1 for floors). */
export interface BudgetVerdict {
  readonly budget: string;
  readonly subject: string;
  readonly measured: number;
  readonly limit: number;
  readonly ratio: number;
  readonly pass: boolean;
}

/** Bundles at most this big (1 MB). */
export const MAX_BUNDLE_BYTES = 1_000_000;
/** initMs / baselineInitMs; the email function parses MIME and may take longer. */
export const MAX_INIT_RATIO = 1.5;
export const MAX_INIT_RATIO_EMAIL = 2.5;
export const MAX_KNOWN_CUSTOMER_CALLS = 4;
export const MAX_KNOWN_CUSTOMER_WRITE_UNITS = 3;
export const MAX_DUPLICATE_CALLS = 2;
/**
 * The pipeline reaches at least this share of the rate of its own calls replayed bare on the same
 * stand-ins (call-mix.ts): what the handlers, the core and the SDK add around the calls.
 */
export const MIN_SAME_CALL_MIX_SHARE = 0.8;
export const MAX_CONTACT_FLOW_LOOKUP_P99_MS = 50;
/** The chat widget: the loader every page of the shop carries, and the whole chat once opened. */
export const MAX_WIDGET_LOADER_BYTES_GZIP = 3 * 1024;
export const MAX_WIDGET_BYTES_GZIP = 25 * 1024;
/** The agent inbox app's JavaScript, gzipped. */
export const MAX_INBOX_BYTES_GZIP = 120 * 1024;

const ratioOf = (measured: number, limit: number) => Number((limit === 0 ? 0 : measured / limit).toFixed(2));

function atMost(budget: string, subject: string, measured: number, limit: number): BudgetVerdict {
  return { budget, subject, measured, limit, ratio: ratioOf(measured, limit), pass: measured <= limit };
}

function atLeast(budget: string, subject: string, measured: number, limit: number): BudgetVerdict {
  return { budget, subject, measured, limit, ratio: ratioOf(measured, limit), pass: measured >= limit };
}

export function checkBudgets(result: {
  channels: Record<string, ChannelFigures>;
  functions: Record<string, FunctionFigures>;
  contactFlowLookup?: { p99Ms: number };
  widget?: { loaderBytesGzip: number; widgetBytesGzip: number };
  inboxBytesGzip?: number;
}): BudgetVerdict[] {
  const verdicts: BudgetVerdict[] = [];
  for (const [channel, figures] of Object.entries(result.channels)) {
    if (channel !== 'dispatcher') {
      const known = figures.paths['known-customer'];
      const duplicate = figures.paths.duplicate;
      verdicts.push(
        atMost(
          'known-customer AWS calls per event',
          channel,
          known.awsCallsPerEvent,
          MAX_KNOWN_CUSTOMER_CALLS,
        ),
        atMost(
          'known-customer write units per event',
          channel,
          known.writeUnitsPerEvent,
          MAX_KNOWN_CUSTOMER_WRITE_UNITS,
        ),
        atMost('duplicate AWS calls per event', channel, duplicate.awsCallsPerEvent, MAX_DUPLICATE_CALLS),
        atMost('duplicate auto-response calls per event', channel, duplicate.autoResponseCallsPerEvent, 0),
      );
    }
    verdicts.push(
      atLeast(
        'throughput share of the same-call-mix baseline',
        channel,
        figures.sameCallMixShare,
        MIN_SAME_CALL_MIX_SHARE,
      ),
    );
  }
  for (const [name, f] of Object.entries(result.functions)) {
    const limit = name === 'inbound-email' ? MAX_INIT_RATIO_EMAIL : MAX_INIT_RATIO;
    verdicts.push(
      atMost('initMs / baselineInitMs', name, Number((f.initMs / f.baselineInitMs).toFixed(2)), limit),
      atMost('bundle bytes', name, f.bundleBytes, MAX_BUNDLE_BYTES),
    );
  }
  if (result.widget) {
    verdicts.push(
      atMost(
        'loader bytes gzipped',
        'chat widget',
        result.widget.loaderBytesGzip,
        MAX_WIDGET_LOADER_BYTES_GZIP,
      ),
      atMost(
        'widget bytes gzipped (all in)',
        'chat widget',
        result.widget.widgetBytesGzip,
        MAX_WIDGET_BYTES_GZIP,
      ),
    );
  }
  if (result.inboxBytesGzip !== undefined) {
    verdicts.push(
      atMost('JavaScript bytes gzipped', 'agent inbox', result.inboxBytesGzip, MAX_INBOX_BYTES_GZIP),
    );
  }
  if (result.contactFlowLookup) {
    verdicts.push(
      atMost(
        'contact-flow lookup p99 ms',
        'voice-lookup',
        result.contactFlowLookup.p99Ms,
        MAX_CONTACT_FLOW_LOOKUP_P99_MS,
      ),
    );
  }
  return verdicts;
}

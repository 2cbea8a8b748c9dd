import { existsSync } from 'node:fs';
import type { SupportConfig } from '../../functions/core/config.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { buildChatWidget, chatWidgetSizes } from '../../web/chat/build.ts';
import { startDynamoDbLocal } from '../support/local-dynamodb.ts';
import { type BudgetVerdict, checkBudgets } from './budgets.ts';
import { type FunctionFigures, measureFunctions } from './bundles.ts';
import { measureSdkCpuPerCall, type SdkCpuPerCall } from './call-mix.ts';
import { type BenchChannel, CHANNEL_EVENTS } from './channel-events.ts';
import { type CostEstimate, estimateCost, PRICES, TYPICAL_MIX } from './cost.ts';
import {
  type ChannelFigures,
  channelAvailable,
  measureChannel,
  measureContactFlowLookup,
  measureDispatcher,
  meterEngine,
} from './measure.ts';

export interface BenchOptions {
  /** Events per channel in the timed run. */
  readonly events: number;
  /** Events per path for the call and write-unit counts. */
  readonly pathEvents: number;
  /** Fresh processes per bundle for initMs; 0 skips the bundles. */
  readonly initRuns: number;
  readonly store: 'dynamodb-local' | 'dynalite';
  /** A DynamoDB Local already running (the tests' one) instead of starting one. */
  readonly dynamoEndpoint?: string;
  readonly channels?: readonly BenchChannel[];
  readonly progress?: (line: string) => void;
}

export interface BenchResult {
  channels: Record<string, ChannelFigures>;
  functions: Record<string, FunctionFigures>;
  contactFlowLookup?: { p50Ms: number; p99Ms: number; awsCallsPerLookup: number; events: number };
  /** Channels the sandbox of this deployment does not take yet, with the reason. */
  skippedChannels: Record<string, string>;
  budgets: BudgetVerdict[];
  budgetsMissed: number;
  /** The chat widget as a browser downloads it: the loader alone, and loader plus panel (all in). */
  widgetLoaderBytesGzip: number;
  widgetBytesGzip: number;
  /** The agent inbox app as a browser downloads it, where this build has one. */
  inboxBytesGzip?: number;
  /** The SDK's own time per call, no network (call-mix.ts). */
  sdkCpuPerCall: SdkCpuPerCall;
  /** The ceilings on automatic responses the bench's shop runs with (see BENCH_AUTO_RESPONSE_BUDGET). */
  autoResponseBudget: SupportConfig['autoResponseBudget'];
  /** USD per 100,000 inbound messages from the counted calls and AWS list prices. */
  costPer100kInbound: {
    prices: typeof PRICES;
    typicalMix: typeof TYPICAL_MIX;
    channels: Record<string, CostEstimate>;
  };
}

/**
 * The bench sends thousands of first messages from one sender domain within one replay hour: the
 * default ceilings (1,000 automatic responses an hour, 100 per sender domain) would stop the
 * acknowledgements part way and the later events would cost less than a real shop's. The
 * bench's shop raises them out of reach, so every path is measured with its acknowledgement.
 */
export const BENCH_AUTO_RESPONSE_BUDGET = { perSenderDomainPerHour: 100_000, perHour: 1_000_000 } as const;

/** The sandbox shop with the bench's ceilings. */
export const benchSupportConfig: SupportConfig = {
  ...sandboxSupportConfig,
  autoResponseBudget: { ...BENCH_AUTO_RESPONSE_BUDGET },
};

/** Warm-up events per channel before anything is counted (first-use work: lazy imports, TLS-free sockets). */
const WARM_UP_EVENTS = 6;

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const progress = options.progress ?? (() => undefined);
  let dynamoEndpoint = options.dynamoEndpoint;
  let localDynamo: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
  if (!dynamoEndpoint && options.store === 'dynamodb-local') {
    localDynamo = await startDynamoDbLocal();
    dynamoEndpoint = localDynamo.endpoint;
  }
  const { SandboxEngine } = await import('../../bin/sandbox/engine.ts');
  const engine = await SandboxEngine.start({
    now: new Date('2026-11-23T10:00:00Z'),
    dynamoEndpoint,
    config: benchSupportConfig,
  });
  try {
    const run = meterEngine(engine);
    const channels: Record<string, ChannelFigures> = {};
    const skippedChannels: Record<string, string> = {};
    let email: Awaited<ReturnType<typeof measureChannel>> | undefined;
    const wanted = options.channels ?? (Object.keys(CHANNEL_EVENTS) as BenchChannel[]);
    for (const channel of wanted) {
      if (!(await channelAvailable(engine, channel))) {
        skippedChannels[channel] = engine.rejected.at(-1)?.reason ?? 'refused';
        progress(`${channel}: skipped (${skippedChannels[channel]})`);
        continue;
      }
      const events = CHANNEL_EVENTS[channel];
      for (let i = 0; i < WARM_UP_EVENTS; i++) {
        const n = 9_000_000 + i;
        await engine.processEvent(
          `warm-${channel}-${i}${events.suffix}`,
          events.first(n, engine.clock.now()),
        );
        await engine.processEvent(
          `warm-${channel}-${i}b${events.suffix}`,
          events.followUp(n, engine.clock.now()),
        );
      }
      progress(`${channel}: ${options.pathEvents} events per path, then ${options.events} timed`);
      const figures = await measureChannel(run, channel, options);
      if (channel === 'email') email = figures;
      const { firstResults: _results, readings: _readings, ...published } = figures;
      channels[channel] = published;
    }
    if (email) {
      progress(`dispatcher: ${options.pathEvents} events per path, then ${options.events} timed`);
      channels.dispatcher = await measureDispatcher(
        run,
        email.firstResults,
        email.readings['new-customer'],
        options,
      );
    }
    const contactFlowLookup = await measureContactFlowLookup(run, options.events);
    let functions: Record<string, FunctionFigures> = {};
    if (options.initRuns > 0) {
      progress(`functions: bundling, then ${options.initRuns} fresh processes per bundle and baseline`);
      functions = await measureFunctions(options.initRuns);
    }
    progress('SDK CPU per call');
    const sdkCpuPerCall = await measureSdkCpuPerCall();
    const widget = chatWidgetSizes(await buildChatWidget());
    const inboxBytesGzip = await inboxJsBytesGzip();
    const budgets = checkBudgets({ channels, functions, contactFlowLookup, widget, inboxBytesGzip });
    const dispatcherWarmMs = channels.dispatcher?.warmMsP50 ?? 0;
    const costs = Object.fromEntries(
      Object.entries(channels).map(([name, figures]) => [
        name,
        estimateCost(name, figures, dispatcherWarmMs),
      ]),
    );
    return {
      channels,
      functions,
      ...(contactFlowLookup ? { contactFlowLookup } : {}),
      skippedChannels,
      widgetLoaderBytesGzip: widget.loaderBytesGzip,
      widgetBytesGzip: widget.widgetBytesGzip,
      ...(inboxBytesGzip === undefined ? {} : { inboxBytesGzip }),
      budgets,
      budgetsMissed: budgets.filter((b) => !b.pass).length,
      sdkCpuPerCall,
      autoResponseBudget: benchSupportConfig.autoResponseBudget,
      costPer100kInbound: { prices: PRICES, typicalMix: TYPICAL_MIX, channels: costs },
    };
  } finally {
    await engine.stop();
    await localDynamo?.stop();
  }
}

/**
 * The agent inbox's JavaScript, gzipped, where this build has the app (web/inbox/build.ts):
 * looked up at run time so the bench runs on builds with and without it.
 */
async function inboxJsBytesGzip(): Promise<number | undefined> {
  const build = new URL('../../web/inbox/build.ts', import.meta.url);
  if (!existsSync(build)) return undefined;
  const inbox = (await import(build.href)) as {
    inboxAppSizes?: () => Promise<{ jsBytesGzip: number }>;
  };
  return inbox.inboxAppSizes ? (await inbox.inboxAppSizes()).jsBytesGzip : undefined;
}

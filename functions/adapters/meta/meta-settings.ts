import { GRAPH_API_VERSION } from '../../channels/meta/graph-api.ts';
import { ConfigurationError } from '../../core/errors.ts';
import type { Channel } from '../../core/model.ts';
import type { ChannelSender } from '../../core/ports/outbound.ts';
import type { MetaSecrets } from '../../core/ports/secrets.ts';
import { GraphApiSender, type GraphApiSettings } from './graph-sender.ts';
import { SecretsManagerMetaSecrets } from './secrets.ts';

/** What the Meta channels need at run time; absent when a deployment does not connect Meta. */
export interface MetaSettings {
  readonly graph: GraphApiSettings;
  readonly secrets: MetaSecrets;
  /** The queue verified webhook deliveries wait on (the webhook function writes it). */
  readonly inboundQueueUrl?: string;
}

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

/**
 * META_* variables, set by the CDK stack: the secrets' ARNs (META_APP_SECRET_ARN,
 * META_VERIFY_TOKEN_ARN, META_ACCESS_TOKEN_ARN, each function gets only those it may read),
 * META_GRAPH_BASE_URL, META_GRAPH_API_VERSION, WHATSAPP_PHONE_NUMBER_ID, META_INBOUND_QUEUE_URL.
 */
export function metaSettingsFromEnvironment(env: NodeJS.ProcessEnv): MetaSettings | undefined {
  const arns = {
    appSecret: env.META_APP_SECRET_ARN || undefined,
    verifyToken: env.META_VERIFY_TOKEN_ARN || undefined,
    accessToken: env.META_ACCESS_TOKEN_ARN || undefined,
  };
  if (!arns.appSecret && !arns.verifyToken && !arns.accessToken) return undefined;
  const baseUrl = env.META_GRAPH_BASE_URL || DEFAULT_GRAPH_BASE_URL;
  if (!/^https?:\/\//.test(baseUrl))
    throw new ConfigurationError('META_GRAPH_BASE_URL must be an http(s) URL');
  return {
    graph: {
      baseUrl,
      apiVersion: env.META_GRAPH_API_VERSION || GRAPH_API_VERSION,
      whatsappPhoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID || undefined,
    },
    secrets: new SecretsManagerMetaSecrets(arns),
    inboundQueueUrl: env.META_INBOUND_QUEUE_URL || undefined,
  };
}

/** The dispatcher's senders for the Meta channels; one Graph client serves all three. */
export function metaSenders(meta: MetaSettings | undefined): Partial<Record<Channel, ChannelSender>> {
  if (!meta) return {};
  const graph = new GraphApiSender(meta.graph, meta.secrets);
  return { whatsapp: graph, messenger: graph, instagram: graph };
}

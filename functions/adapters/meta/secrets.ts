import { ConfigurationError } from '../../core/errors.ts';
import type { MetaSecretName, MetaSecrets } from '../../core/ports/secrets.ts';

/** How long a secret is reused before it is read again: a rotated secret is picked up within this. */
const CACHE_SECONDS = 300;

/**
 * Meta credentials from Secrets Manager (through Powertools, which caches them for the life of
 * the Lambda instance, up to CACHE_SECONDS), one secret per credential, named by ARN. The access
 * token secret may hold one token for every channel or JSON `{"whatsapp": …, "page": …}` when
 * WhatsApp (system user token) and the Facebook page (page token) differ.
 */
export class SecretsManagerMetaSecrets implements MetaSecrets {
  constructor(private readonly arns: Partial<Record<MetaSecretName, string>>) {}

  async get(name: MetaSecretName): Promise<string> {
    const arn = this.arns[name];
    if (!arn) throw new ConfigurationError(`no secret is configured for the Meta ${name}`);
    // Loaded on the first read, not at cold start: the Secrets Manager client and Powertools'
    // parameters are only needed once a message is actually sent or verified.
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    const value = await getSecret(arn, { maxAge: CACHE_SECONDS });
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigurationError(`the Meta ${name} secret is empty; set its value in Secrets Manager`);
    }
    return value.trim();
  }
}

/** Fixed values: the sandbox and tests. */
export class StaticMetaSecrets implements MetaSecrets {
  constructor(private readonly values: Record<MetaSecretName, string>) {}

  async get(name: MetaSecretName): Promise<string> {
    return this.values[name];
  }
}

/** The token for one channel out of the access-token secret (plain token, or JSON per channel). */
export function accessTokenFor(secretValue: string, channel: 'whatsapp' | 'messenger' | 'instagram'): string {
  if (!secretValue.startsWith('{')) return secretValue;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretValue);
  } catch (error) {
    throw new ConfigurationError('the Meta access token secret looks like JSON but does not parse', {
      cause: error,
    });
  }
  const tokens = parsed as Record<string, unknown>;
  const token = channel === 'whatsapp' ? tokens.whatsapp : (tokens[channel] ?? tokens.page);
  if (typeof token !== 'string' || token === '') {
    throw new ConfigurationError(
      `the Meta access token secret has no token for ${channel} ("whatsapp" or "page")`,
    );
  }
  return token;
}

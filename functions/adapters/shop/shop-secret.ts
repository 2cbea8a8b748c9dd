import { ConfigurationError } from '../../core/errors.ts';

/** The secret the shop signs its requests with (HMAC-SHA256, X-Signature-SHA256). */
export interface ShopSecret {
  get(): Promise<string>;
}

/** How long the secret is reused before it is read again: a rotated secret is picked up within this. */
const CACHE_SECONDS = 300;

/** From Secrets Manager (cached by Powertools for the life of the Lambda instance, up to five minutes). */
export class SecretsManagerShopSecret implements ShopSecret {
  constructor(private readonly arn: string) {}

  async get(): Promise<string> {
    // Loaded on the first request (then cached with the secret): only the shop's functions read
    // it, and the module graph that reaches this file should not load Secrets Manager's SDK.
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    const value = await getSecret(this.arn, { maxAge: CACHE_SECONDS });
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigurationError('the shop signing secret is empty; set its value in Secrets Manager');
    }
    return value.trim();
  }
}

/** A fixed value: the sandbox and tests. */
export class StaticShopSecret implements ShopSecret {
  constructor(private readonly value: string) {}

  async get(): Promise<string> {
    return this.value;
  }
}

/** SHOP_SECRET_ARN, set by the CDK stack on the functions behind the shop's routes. */
export function shopSecretFromEnvironment(env: NodeJS.ProcessEnv = process.env): ShopSecret {
  const arn = env.SHOP_SECRET_ARN;
  if (!arn) throw new ConfigurationError('the environment variable SHOP_SECRET_ARN is not set');
  return new SecretsManagerShopSecret(arn);
}

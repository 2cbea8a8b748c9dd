import * as z from 'zod';
import type { ShopSigningKeys } from '../../channels/shop-signature.ts';
import { ConfigurationError } from '../../core/errors.ts';
import type { ShopSecret } from '../../core/ports/secrets.ts';

const rotatingKeysSchema = z.object({
  current: z.string().trim().min(1),
  previous: z.string().trim().min(1).optional(),
});

/**
 * The secret's value: one key as plain text, or `{"current": "…", "previous": "…"}` while the shop
 * moves from the previous key to the current one (both are accepted until `previous` is removed).
 */
export function parseShopSecretValue(value: string): ShopSigningKeys {
  const text = value.trim();
  if (text === '') {
    throw new ConfigurationError('the shop signing secret is empty; set its value in Secrets Manager');
  }
  if (!text.startsWith('{')) return { current: text };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      'the shop signing secret starts with "{" but is not JSON; use one key, or {"current": "…", "previous": "…"}',
      { cause: error },
    );
  }
  const parsed = rotatingKeysSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigurationError(
      'the shop signing secret must be one key, or {"current": "…", "previous": "…"} with a non-empty current key',
    );
  }
  return parsed.data.previous === undefined
    ? { current: parsed.data.current }
    : { current: parsed.data.current, previous: parsed.data.previous };
}

/** How long the secret is reused before it is read again: a rotated secret is picked up within this. */
const CACHE_SECONDS = 300;

/** From Secrets Manager (cached by Powertools for the life of the Lambda instance, up to five minutes). */
export class SecretsManagerShopSecret implements ShopSecret {
  constructor(private readonly arn: string) {}

  async keys(): Promise<ShopSigningKeys> {
    // Loaded on the first request (then cached with the secret): only the shop's functions read
    // it, and the module graph that reaches this file should not load Secrets Manager's SDK.
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    const value = await getSecret(this.arn, { maxAge: CACHE_SECONDS });
    if (typeof value !== 'string') {
      throw new ConfigurationError('the shop signing secret is not text; set its value in Secrets Manager');
    }
    return parseShopSecretValue(value);
  }
}

/** A fixed value: the sandbox and tests. */
export class StaticShopSecret implements ShopSecret {
  private readonly value: ShopSigningKeys;

  constructor(value: string | ShopSigningKeys) {
    this.value = typeof value === 'string' ? { current: value } : value;
  }

  async keys(): Promise<ShopSigningKeys> {
    return this.value;
  }
}

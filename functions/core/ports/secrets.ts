/* The secrets requests are signed with: the shop's and Meta's. */

/** The three Meta credentials switchboard needs. */
export type MetaSecretName = 'appSecret' | 'verifyToken' | 'accessToken';

export interface MetaSecrets {
  get(name: MetaSecretName): Promise<string>;
}

/**
 * The keys the shop signs its requests with (HMAC-SHA256, X-Signature-SHA256): the current one,
 * and during a rotation the previous one too.
 */
export interface ShopSecret {
  keys(): Promise<{ readonly current: string; readonly previous?: string }>;
}

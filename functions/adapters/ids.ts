import { createHash } from 'node:crypto';
import type { Clock, IdSource } from '../core/ports/runtime.ts';

/**
 * Ids derived from what they identify (sha-256, base32, 20 characters = 100 bits), so the
 * same inbound event always produces the same customer, conversation and message ids.
 */
export const derivedIds: IdSource = {
  derive(namespace, ...parts) {
    const digest = createHash('sha256')
      .update(JSON.stringify([namespace, ...parts]))
      .digest();
    return base32(digest).slice(0, 20);
  },
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export const systemClock: Clock = { now: () => new Date() };

import { InvalidInputError } from '../../core/errors.ts';

/**
 * Reply tokens ride in the recipient address (`support+c-<token>@support.example.com`), so a
 * reply threads even when the customer's client drops In-Reply-To and References. The `c-` keeps
 * our tokens apart from any other subaddressing the shop may use.
 */
const TOKEN_MARKER = '+c-';
const REPLY_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

export function isReplyToken(token: string): boolean {
  return REPLY_TOKEN.test(token);
}

function splitSupportAddress(supportAddress: string): { local: string; domain: string } {
  const address = supportAddress.trim();
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at <= 0 || domain === '' || local.includes('+') || /[\s<>@]/.test(local) || /[\s<>@]/.test(domain)) {
    throw new InvalidInputError(
      'the support address must be a plain address like support@support.example.com',
      {
        field: 'supportAddress',
      },
    );
  }
  return { local, domain };
}

/** The address a customer replies to so that the reply lands in the conversation of `token`. */
export function replyTokenAddress(supportAddress: string, token: string): string {
  if (!isReplyToken(token)) {
    throw new InvalidInputError('a reply token is 1 to 64 letters, digits, "-" or "_"', { field: 'token' });
  }
  const { local, domain } = splitSupportAddress(supportAddress);
  return `${local}${TOKEN_MARKER}${token}@${domain}`;
}

/**
 * The first reply token found among `addresses` (bare or `Name <address>`), or undefined.
 * The support part compares case-insensitively (mail systems change the case of addresses); the
 * token keeps its case.
 */
export function extractReplyToken(addresses: readonly string[], supportAddress: string): string | undefined {
  const { local, domain } = splitSupportAddress(supportAddress);
  const prefix = `${local}${TOKEN_MARKER}`.toLowerCase();
  const suffix = `@${domain}`.toLowerCase();
  for (const entry of addresses) {
    const bracketed = /<([^<>]*)>/.exec(entry);
    const address = (bracketed?.[1] ?? entry).trim();
    const lower = address.toLowerCase();
    // Lowercasing some non-ASCII letters changes the length; such an address holds no token of ours.
    if (lower.length !== address.length) continue;
    if (!lower.startsWith(prefix) || !lower.endsWith(suffix)) continue;
    const token = address.slice(prefix.length, address.length - suffix.length);
    if (isReplyToken(token)) return token;
  }
  return undefined;
}

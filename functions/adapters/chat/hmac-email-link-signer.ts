import { signEmailLinkToken, verifyEmailLinkToken } from '../../channels/chat/identity-token.ts';
import type { EmailLinkClaims, EmailLinkSigner } from '../../core/chat/email-link.ts';
import type { ShopSecret } from '../../core/ports/secrets.ts';

/** Confirmation links, signed with the chat identity secret (apart from identity tokens). */
export class HmacEmailLinkSigner implements EmailLinkSigner {
  constructor(private readonly secret: ShopSecret) {}

  async sign(claims: EmailLinkClaims): Promise<string> {
    return signEmailLinkToken(claims, (await this.secret.keys()).current);
  }

  async verify(token: string, now: Date): Promise<EmailLinkClaims | undefined> {
    return verifyEmailLinkToken(token, (await this.secret.keys()).current, now);
  }
}

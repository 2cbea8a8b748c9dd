import type { MailAuthenticationHints, MailVerdicts } from '../model.ts';

/**
 * Whether the From address of a received mail is the sender's own (DMARC's question, RFC 7489).
 * Only such mail may be answered automatically: an acknowledgement to a forged From goes to a
 * bystander and is signed with the shop's domain (backscatter).
 *
 * SES's SPF and DKIM verdicts say that *some* domain vouched for the mail: SPF for the envelope
 * sender's domain, DKIM for a signature's `d=`. An attacker passes both with a domain of their
 * own. They only count here when that domain is aligned with the From domain: relaxed
 * alignment, the same organizational domain (the channel computes those, see the hints).
 */

/** The domain of an address (`a@Shop.Example` → `shop.example`); undefined without one. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const domain = address
    .slice(at + 1)
    .replace(/[<>\s]/g, '')
    .toLowerCase();
  return domain === '' ? undefined : domain;
}

/**
 * DMARC PASS, or an SPF or DKIM pass aligned with the From domain. Without the hints (a message
 * built without its raw headers) only DMARC PASS counts. A DMARC FAIL is never outweighed.
 *
 * DKIM: SES reports one verdict for all signatures, so a pass counts as aligned only when every
 * signature the mail carries is aligned: otherwise the pass may be the attacker's own signature
 * next to a forged one for the victim's domain.
 */
export function isSenderAuthenticated(
  verdicts: MailVerdicts,
  hints: MailAuthenticationHints | undefined,
): boolean {
  if (verdicts.dmarc === 'FAIL') return false;
  if (verdicts.dmarc === 'PASS') return true;
  if (hints === undefined || hints.fromDomain === '') return false;
  const aligned = (domain: string | undefined) => domain !== undefined && domain === hints.fromDomain;
  const spfAligned = verdicts.spf === 'PASS' && aligned(hints.envelopeDomain);
  const dkimAligned =
    verdicts.dkim === 'PASS' && hints.dkimDomains.length > 0 && hints.dkimDomains.every(aligned);
  return spfAligned || dkimAligned;
}

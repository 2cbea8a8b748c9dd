import { getDomain } from 'tldts';
import type { MailAuthenticationHints, MailVerdicts } from './model.ts';

/**
 * Whether the From address of a received mail is the sender's own (DMARC's question, RFC 7489).
 * Only such mail may be answered automatically: an acknowledgement to a forged From goes to a
 * bystander and is signed with the shop's domain (backscatter).
 *
 * SES's SPF and DKIM verdicts say that *some* domain vouched for the mail: SPF for the envelope
 * sender's domain, DKIM for a signature's `d=`. An attacker passes both with a domain of their
 * own. They only count here when that domain is aligned with the From domain.
 */

/**
 * The organizational domain (RFC 7489 §3.2): the registrable domain under the Public Suffix
 * List, private section included, so `victim.github.io` and `attacker.github.io` stay apart.
 * A domain that is itself a public suffix (or not a domain) is its own organizational domain.
 */
export function organizationalDomain(domain: string): string {
  const normalized = domain.trim().toLowerCase().replace(/\.$/, '');
  return getDomain(normalized, { allowPrivateDomains: true }) ?? normalized;
}

/** Relaxed alignment (RFC 7489 §3.1): the same organizational domain. */
export function isAligned(domain: string, fromDomain: string): boolean {
  if (domain.trim() === '' || fromDomain.trim() === '') return false;
  return organizationalDomain(domain) === organizationalDomain(fromDomain);
}

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
  fromAddress: string,
  verdicts: MailVerdicts,
  hints: MailAuthenticationHints | undefined,
): boolean {
  if (verdicts.dmarc === 'FAIL') return false;
  if (verdicts.dmarc === 'PASS') return true;
  const fromDomain = domainOf(fromAddress);
  if (hints === undefined || fromDomain === undefined) return false;
  const spfAligned =
    verdicts.spf === 'PASS' &&
    hints.envelopeDomain !== undefined &&
    isAligned(hints.envelopeDomain, fromDomain);
  const dkimAligned =
    verdicts.dkim === 'PASS' &&
    hints.dkimDomains.length > 0 &&
    hints.dkimDomains.every((domain) => isAligned(domain, fromDomain));
  return spfAligned || dkimAligned;
}

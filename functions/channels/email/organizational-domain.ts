import { getDomain } from 'tldts';

/**
 * The organizational domain of a mail domain (RFC 7489 §3.2): its registrable domain under the
 * Public Suffix List, private section included, so `victim.github.io` and `attacker.github.io`
 * stay apart and `mail.shop.co.uk` belongs to `shop.co.uk`. A domain that is itself a public
 * suffix (or not a domain name) is its own organizational domain. Computed here, with the mail,
 * so only the email function carries the suffix list.
 */
export function organizationalDomain(domain: string): string {
  const normalized = domain.trim().toLowerCase().replace(/\.$/, '');
  return getDomain(normalized, { allowPrivateDomains: true }) ?? normalized;
}

// Email addresses: validation, and the canonical mailbox key that makes one signature per person.
// Mail is always sent to the address as typed; the key only decides identity.
import { domainToASCII } from 'node:url';

/** Providers where dots in the local part are ignored, mapped to one canonical domain. */
const DOTLESS_DOMAINS = new Map([
  ['gmail.com', 'gmail.com'],
  ['googlemail.com', 'gmail.com'],
]);

const LOCAL_PART = /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export interface ParsedEmail {
  /** The address as the person typed it, trimmed. */
  address: string;
  /** Lower-cased local part and ASCII (punycode) domain. */
  normalized: string;
  domain: string;
  key: string;
}

/** Returns null when the input is not a plausible email address. */
export function parseEmail(input: string): ParsedEmail | null {
  const address = input.trim();
  if (address.length < 3 || address.length > 254) return null;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  const local = address.slice(0, at).toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) return null;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  const domain = domainToASCII(address.slice(at + 1).toLowerCase());
  if (!isValidDomain(domain)) return null;
  return { address, normalized: `${local}@${domain}`, domain, key: mailboxKey(local, domain) };
}

/** The canonical key for an address, or null when it is not valid. */
export function emailKey(input: string): string | null {
  return parseEmail(input)?.key ?? null;
}

function isValidDomain(domain: string): boolean {
  if (!domain || domain.length > 253) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1] ?? '';
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) return false;
  return labels.every((label) => LABEL.test(label));
}

function mailboxKey(local: string, domain: string): string {
  // Sub-addressing ("jane+letters@") reaches the same mailbox almost everywhere.
  let mailbox = local.split('+')[0] || local;
  const canonicalDomain = DOTLESS_DOMAINS.get(domain);
  if (canonicalDomain) {
    mailbox = mailbox.replaceAll('.', '');
    return `${mailbox}@${canonicalDomain}`;
  }
  return `${mailbox}@${domain}`;
}

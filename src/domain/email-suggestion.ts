// A likely typo in an email address's domain (gmial.com for gmail.com), caught before a
// confirmation mail goes to nobody. Only the domain is corrected: the part before the @ is kept
// exactly as typed (the library lower-cases and URL-encodes it, which could change the mailbox).
import mailSpellChecker from '@zootools/email-spell-checker';

/** The address with its domain corrected, or null when the domain looks as meant. */
export function suggestEmail(typed: string): string | null {
  const address = typed.trim();
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const suggestion = mailSpellChecker.run({ email: address });
  if (!suggestion || suggestion.domain.toLowerCase() === domain.toLowerCase()) return null;
  return `${local}@${suggestion.domain}`;
}

// Escaping for XML we write by hand (SVG badges, the Atom feed). Pure.

// Characters XML 1.0 forbids outright; dropping them keeps the document well-formed whatever
// an organizer or signer typed.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe for both element content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(INVALID_XML, '').replace(SPECIAL, (c) => ENTITIES[c] ?? c);
}

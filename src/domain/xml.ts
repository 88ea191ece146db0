// Text made fit for XML (SVG badges, the Atom feed): the templates escape markup characters as
// they print; this drops what XML 1.0 forbids outright, which no escaping can express. Pure.

// Characters XML 1.0 forbids outright; dropping them keeps the document well-formed whatever
// an organizer or signer typed.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without the characters XML 1.0 cannot carry (the template escapes the rest). */
export function xmlText(value: string): string {
  return value.replace(INVALID_XML, '');
}

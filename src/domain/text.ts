// Cleaning of free text typed by signers and organizers, before validation and storage.

// Bidi embeddings, overrides and isolates can make a name render backwards ("RTL-override tricks").
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
/** C0 and C1 controls other than tab and newlines: never legitimate in a form field. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value) || hasLoneSurrogate(value) || value.includes('\uFFFD');
}

/** Half of a surrogate pair alone: not a character, and UTF-8 cannot hold it. */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/** One line of text: NFC, invisible tricks removed, whitespace collapsed, trimmed. */
export function cleanLine(value: string): string {
  return value.normalize('NFC').replace(BIDI_CONTROLS, '').replace(ZERO_WIDTH, '').replace(/\s+/g, ' ').trim();
}

/** Multi-line text: like cleanLine but keeps line breaks (normalised to \n). */
export function cleanText(value: string): string {
  return value
    .normalize('NFC')
    .replace(BIDI_CONTROLS, '')
    .replace(ZERO_WIDTH, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .trim();
}

const URL_LIKE = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.|\b[a-z0-9-]+\.(?:com|net|org|io|ru|xyz|info|top|co)\b)/i;

/** Links in names are spam, never a person's name. */
export function looksLikeUrl(value: string): boolean {
  return URL_LIKE.test(value);
}

// The site's mail as MIME: one message with a text part and an HTML part as alternatives, UTF-8,
// quoted-printable bodies (readable in the raw message, and short lines for any relay). nodemailer's composer cost 0.5–0.9 ms of CPU per message here (a stream
// pipeline per part, each with an AbortSignal, a DOMException and random part ids), more than
// the signing that queued it; mail then drained slower than people signed. Our messages have one
// shape, which this writes in a few microseconds. nodemailer still speaks SMTP (pool, dot-stuffing,
// SMTPUTF8, errors), and the tests read every message back with an independent parser.
import { domainToASCII } from 'node:url';

export interface MimeMessage {
  /** `Name <address>` or a bare address. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** With its angle brackets. */
  messageId: string;
  boundary: string;
  date: Date;
  /** Further headers (name → value), e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

const CRLF = '\r\n';
/** RFC 2047: an encoded word is at most 75 characters, so its payload at most 45 bytes. */
const ENCODED_WORD_BYTES = 45;

export function composeMime(message: MimeMessage): Buffer {
  const headers: Array<[string, string]> = [
    ['From', mailbox(message.from)],
    ['To', mailbox(message.to)],
    ['Subject', encodeText(message.subject)],
    ['Date', rfc5322Date(message.date)],
    ['Message-ID', oneLine(message.messageId)],
    ['MIME-Version', '1.0'],
    ...Object.entries(message.headers ?? {}).map(([name, value]): [string, string] => [oneLine(name), oneLine(value)]),
    ['Content-Type', `multipart/alternative; boundary="${message.boundary}"`],
  ];
  const part = (type: string, body: string) =>
    [
      `--${message.boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(body),
    ].join(CRLF);
  const lines = [
    ...headers.map(([name, value]) => `${name}: ${value}`),
    '',
    part('text/plain', message.text),
    part('text/html', message.html),
    `--${message.boundary}--`,
    '',
  ];
  return Buffer.from(lines.join(CRLF), 'utf8');
}

/** The address alone, for the SMTP envelope. */
export function addressOf(mailboxText: string): string {
  return (/<([^<>]+)>\s*$/.exec(mailboxText)?.[1] ?? mailboxText).trim();
}

/** `Name <local@domain>` with the name encoded when it needs to be and the domain in ASCII. */
function mailbox(text: string): string {
  const address = addressOf(oneLine(text));
  const at = address.lastIndexOf('@');
  // A Unicode local part stays UTF-8 (RFC 6532); the domain is always written as ASCII.
  const ascii = at > 0 ? `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1)) || address.slice(at + 1)}` : address;
  const bracketed = /<[^<>]*>\s*$/.exec(oneLine(text));
  const name = bracketed
    ? oneLine(text)
        .slice(0, bracketed.index)
        .trim()
        .replace(/^"(.*)"$/, '$1')
    : '';
  if (!name) return ascii;
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeText(name);
  return `${display} <${ascii}>`;
}

/** Printable ASCII as it is; anything else as RFC 2047 encoded words, never splitting a character. */
function encodeText(value: string): string {
  const text = oneLine(value);
  if (/^[\x20-\x7e]*$/.test(text) && text.length <= 900) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > ENCODED_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  // Folded: each encoded word on its own line keeps every header line short.
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(`${CRLF} `);
}

/** A header value on one line: a line break in a value would start a header of its own. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/** RFC 2045 quoted-printable: lines of at most 76 characters, soft breaks never inside an =XX. */
function quotedPrintable(body: string): string {
  return body
    .split(/\r\n|\r|\n/)
    .map((line) => {
      // Most lines are plain ASCII with nothing to escape: only cut them.
      if (/^[\x21-\x3c\x3e-\x7e \t]*$/.test(line) && !/[ \t]$/.test(line)) return softBreaks(line);
      const bytes = Buffer.from(line, 'utf8');
      let out = '';
      let width = 0;
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i] as number;
        const last = i === bytes.length - 1;
        // Printable ASCII but '=' as itself; a space or tab too, unless it ends the line.
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        const token = literal ? String.fromCharCode(b) : `=${b < 16 ? '0' : ''}${b.toString(16).toUpperCase()}`;
        if (width + token.length > (last ? 76 : 75)) {
          out += `=${CRLF}`;
          width = 0;
        }
        out += token;
        width += token.length;
      }
      return out;
    })
    .join(CRLF);
}

function softBreaks(line: string): string {
  if (line.length <= 76) return line;
  const parts: string[] = [];
  let i = 0;
  for (; line.length - i > 76; i += 75) parts.push(`${line.slice(i, i + 75)}=`);
  parts.push(line.slice(i));
  return parts.join(CRLF);
}

/** `Sun, 06 Dec 2026 05:56:00 +0000`. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

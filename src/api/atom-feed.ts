// The Atom feed of published letters (RFC 4287), written by hand: every text goes through
// escapeXml, so titles and summaries cannot break the document. Pure.
import { escapeXml } from '../domain/xml.js';

export interface FeedEntry {
  url: string;
  title: string;
  summary: string;
  author: string;
  published: Date;
  updated: Date;
  closed: boolean;
}

export interface FeedInput {
  siteUrl: string;
  selfUrl: string;
  title: string;
  entries: FeedEntry[];
  /** Used when there are no entries yet. */
  fallbackUpdated: Date;
}

export function atomFeed(input: FeedInput): string {
  const updated = new Date(Math.max(0, ...input.entries.map((e) => e.updated.getTime())));
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(input.selfUrl)}</id>`,
    `  <title>${escapeXml(input.title)}</title>`,
    `  <updated>${(input.entries.length > 0 ? updated : input.fallbackUpdated).toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(input.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(input.siteUrl)}/"/>`,
    '  <generator>Undersigned</generator>',
  ];
  for (const entry of input.entries) {
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(entry.url)}</id>`,
      `    <title>${escapeXml(entry.closed ? `${entry.title} (closed)` : entry.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(entry.url)}"/>`,
      `    <published>${entry.published.toISOString()}</published>`,
      `    <updated>${entry.updated.toISOString()}</updated>`,
      `    <author><name>${escapeXml(entry.author)}</name></author>`,
      `    <summary type="text">${escapeXml(entry.summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

// The Atom feed of published letters (RFC 4287), rendered by views/feeds/letters.eta: the
// template escapes every text, and xmlText drops what XML cannot carry at all.
import type { Eta } from 'eta';
import { xmlText } from '../domain/xml.js';

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

export function atomFeed(eta: Eta, input: FeedInput): string {
  const newest = Math.max(0, ...input.entries.map((e) => e.updated.getTime()));
  const updated = input.entries.length > 0 ? new Date(newest) : input.fallbackUpdated;
  return eta.render('feeds/letters', { ...input, updated, xml: xmlText });
}

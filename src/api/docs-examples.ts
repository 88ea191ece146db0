// The examples on /api, made from the site itself. Each GET example is a real request to this
// site's own API, made in-process, against its own published letters; the page shows the command
// and what it answered, so the command copied from a site's page and run against that site
// answers what the page shows, cursors and ETags included, as long as nothing has changed since.
// They are kept for a few seconds: a spike of readers of the docs costs one round of requests.
import { STATUS_CODES } from 'node:http';
import { FreshCache } from '../fresh-cache.js';
import type { LetterDetailDto, LetterSummaryDto } from './schemas.js';

/** What an in-process request answered. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Makes a GET request to this site (path from the root, e.g. /api/v1/letters). */
export type SiteRequest = (path: string, headers?: Record<string, string>) => Promise<ApiAnswer>;

/** One command and what it answered, as the page shows them. */
export interface Example {
  command: string;
  answer: string;
}

export interface DocsExamples {
  /** The letter the letter examples are about, or null when the site has published none. */
  slug: string | null;
  letters: Example;
  /** The next page of a list, from the cursor the previous example answered; null with no second page anywhere. */
  nextPage: Example | null;
  letter: Example | null;
  /** The same letter in another language it has a translation into (`?lang=`); null when it has none. */
  translatedLetter: Example | null;
  count: Example | null;
  signatures: Example | null;
  timeseries: Example | null;
  /** The count with its validators (curl -i), and the 304 its ETag gets. */
  countHeaders: Example | null;
  notModified: Example | null;
  error: Example;
}

/** How long examples are kept before they are asked again. */
export const EXAMPLES_MAX_AGE_MS = 5_000;
/** Headers the -i examples show (curl prints them all; these are the ones the page explains). */
const SHOWN_HEADERS = ['etag', 'cache-control'];
const LIST_LIMIT = 2;
const SIGNATURES_LIMIT = 3;
/** Letters looked at to choose the one the examples are about. */
const CANDIDATES = 20;

/** A signing request as partners send it; never run, since it would sign for real. */
export const SIGNING_EXAMPLE = {
  body: { name: 'Maria Lopez', email: 'maria@example.org', country: 'ES', public: true },
  answer: { status: 'pending_verification' as const },
};

export class DocsExampleSource {
  private readonly cache: FreshCache<DocsExamples>;

  constructor(
    private readonly deps: {
      request: SiteRequest;
      /** The site's address as the page shows it (PUBLIC_URL). */
      base: string;
      now: () => Date;
    },
  ) {
    this.cache = new FreshCache({
      changeMark: () => 0,
      maxAgeMs: EXAMPLES_MAX_AGE_MS,
      maxEntries: 1,
      clock: () => deps.now().getTime(),
    });
  }

  examples(): Promise<DocsExamples> {
    return this.cache.get('examples', () => this.build());
  }

  private async build(): Promise<DocsExamples> {
    const letters = await this.run(`/api/v1/letters?limit=${LIST_LIMIT}`);
    const slug = await this.exampleSlug();
    const error = await this.run(`/api/v1/letters/${await this.missingSlug()}`, { include: true });
    if (slug === null) {
      return {
        slug,
        letters,
        nextPage: null,
        letter: null,
        translatedLetter: null,
        count: null,
        signatures: null,
        timeseries: null,
        countHeaders: null,
        notModified: null,
        error,
      };
    }
    const at = `/api/v1/letters/${slug}`;
    const signatures = await this.run(`${at}/signatures?limit=${SIGNATURES_LIMIT}`);
    const countHeaders = await this.run(`${at}/count`, { include: true });
    const letter = await this.run(at);
    const translated = this.translatedLanguage(letter);
    return {
      slug,
      letters,
      nextPage:
        (await this.follow(`/api/v1/letters?limit=${LIST_LIMIT}`, letters)) ??
        (await this.follow(`${at}/signatures?limit=${SIGNATURES_LIMIT}`, signatures)),
      letter,
      translatedLetter: translated ? await this.run(`${at}?lang=${translated}`) : null,
      count: await this.run(`${at}/count`),
      signatures,
      timeseries: await this.run(`${at}/timeseries?interval=day`),
      countHeaders,
      notModified: countHeaders.etag
        ? await this.run(`${at}/count`, { include: true, headers: { 'If-None-Match': countHeaders.etag } })
        : null,
      error,
    };
  }

  /** Runs one example and writes it as the page shows it (with its ETag, for a conditional example after it). */
  private async run(
    path: string,
    options: { include?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Example & { etag: string | null; body: string }> {
    const answer = await this.deps.request(path, options.headers);
    const etag = typeof answer.headers.etag === 'string' ? answer.headers.etag : null;
    const headers = Object.entries(options.headers ?? {}).map(([k, v]) => `-H '${k}: ${v}'`);
    const command = ['curl', ...(options.include ? ['-i'] : []), ...headers, `'${this.deps.base}${path}'`].join(' ');
    const body = answer.body === '' ? '' : JSON.stringify(JSON.parse(answer.body), null, 2);
    if (!options.include) return { command, answer: body, etag, body: answer.body };
    const head = [
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`.trimEnd(),
      ...SHOWN_HEADERS.flatMap((name) => (answer.headers[name] === undefined ? [] : [`${name}: ${String(answer.headers[name])}`])),
    ].join('\n');
    return { command, answer: body === '' ? head : `${head}\n\n${body}`, etag, body: answer.body };
  }

  /** The next page of a list example, from the cursor it answered; null when it has none. */
  private follow(path: string, page: { body: string }): Promise<Example> | null {
    const cursor = (JSON.parse(page.body) as { next_cursor?: string | null }).next_cursor;
    return cursor ? this.run(`${path}&cursor=${encodeURIComponent(cursor)}`) : null;
  }

  /** A language the letter example has a translation into (the first its answer lists), or null. */
  private translatedLanguage(letter: { body: string }): string | null {
    const { languages } = JSON.parse(letter.body) as LetterDetailDto;
    return languages?.[1]?.code ?? null;
  }

  /** Of the newest letters, the one most signed (the newest of equals): its examples show the most. */
  private async exampleSlug(): Promise<string | null> {
    const answer = await this.deps.request(`/api/v1/letters?limit=${CANDIDATES}`);
    const { data } = JSON.parse(answer.body) as { data: LetterSummaryDto[] };
    const best = data.reduce<LetterSummaryDto | null>((a, b) => (a === null || b.signature_count > a.signature_count ? b : a), null);
    return best?.slug ?? null;
  }

  /** A slug no letter has, for the error example (bounded: a site would need all of them taken). */
  private async missingSlug(): Promise<string> {
    for (let n = 1; n <= 5; n++) {
      const slug = n === 1 ? 'no-such-letter' : `no-such-letter-${n}`;
      if ((await this.deps.request(`/api/v1/letters/${slug}/count`)).status === 404) return slug;
    }
    return 'no-such-letter';
  }
}

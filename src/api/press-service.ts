// Read models for the press: the API's answers, badges, the feed and the letter page's chart and
// country breakdown. Drafts do not exist here, exactly as on the pages. Every number comes from
// counters kept in the signing transactions, never from counting signature rows.
import type { Config } from '../config.js';
import { type CumulativeChart, cumulativeChart } from '../domain/cumulative-chart.js';
import { publicStatus } from '../domain/letter-rules.js';
import { searchKey } from '../domain/name-key.js';
import { bucketsOf, type CountryShare, chartInterval, countryShares, DAY_MS, HOUR_MS, lastChangedAt } from '../domain/signature-series.js';
import { BadRequest } from '../errors.js';
import { FreshCache } from '../fresh-cache.js';
import { isLocale, type Locale } from '../i18n/locales.js';
import type { LetterRepo } from '../letters/letter-repo.js';
import { type PublicLetters, publicOrNotFound } from '../letters/public-letters.js';
import type { CursorCodec } from './cursor.js';
import type { CountRow, FeedRow, HeadWithLog, LetterListRow, PressRepo, PressSignature } from './press-repo.js';
import type {
  Interval,
  LetterCountDto,
  LetterDetailDto,
  LetterSummaryDto,
  LogInfoDto,
  PublicSignatureDto,
  TimeseriesDto,
} from './schemas.js';

/** The feed's rows, as the share routes render them. */
export type { FeedRow } from './press-repo.js';

const COUNTRIES_ON_PAGE = 8;
/** Cached answers are re-read at least this often, for writes other processes make. */
export const RECHECK_MS = 1000;
/** Per kind of answer; keys include page cursors, so the caches are bounded. */
const CACHED_ANSWERS = 500;
const FEED_SIZE = 50;

/** What a count looks like at one version of a letter, with a validator that names that version. */
export interface CountSnapshot {
  etag: string;
  head: HeadWithLog;
  data: LetterCountDto;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface PageStats {
  chart: (CumulativeChart & { interval: Interval }) | null;
  countries: CountryShare[];
  otherCountries: number;
  noCountry: number;
}

export interface PressServiceDeps {
  repo: PressRepo;
  letters: LetterRepo;
  publicLetters: PublicLetters;
  cursors: CursorCodec;
  config: Pick<Config, 'PUBLIC_URL'>;
  /** What the API says of a letter's public log (src/log/). */
  log: { summary(letter: { id: number; slug: string }): Promise<LogInfoDto> };
  /** The store's change mark (see FreshCache). */
  changeMark: () => number;
  now: () => Date;
}

export const BAD_CURSOR = 'That cursor is not valid here. Use the next_cursor of the previous page, unchanged.';

export class PressService {
  private readonly counts: FreshCache<CountSnapshot>;
  private readonly details: FreshCache<LetterDetailDto>;
  private readonly letterPages: FreshCache<Page<LetterSummaryDto>>;
  private readonly signaturePages: FreshCache<Page<PublicSignatureDto>>;
  private readonly series: FreshCache<TimeseriesDto>;
  private readonly stats: FreshCache<{ hours: Array<{ hour: number; count: number }>; countries: CountRow[] }>;
  private readonly feeds: FreshCache<FeedRow[]>;

  constructor(private readonly deps: PressServiceDeps) {
    const options = {
      changeMark: deps.changeMark,
      maxAgeMs: RECHECK_MS,
      maxEntries: CACHED_ANSWERS,
      clock: () => deps.now().getTime(),
    };
    this.counts = new FreshCache(options);
    this.details = new FreshCache(options);
    this.letterPages = new FreshCache(options);
    this.signaturePages = new FreshCache(options);
    this.series = new FreshCache(options);
    this.stats = new FreshCache(options);
    this.feeds = new FreshCache({ ...options, maxEntries: 1 });
  }

  letterUrl(slug: string): string {
    return `${this.deps.config.PUBLIC_URL}/letters/${slug}`;
  }

  /**
   * The hot path. While nothing has been written (and for at most a second) the cached snapshot
   * is the answer without a database read; otherwise one indexed read of the letter and its
   * count, and the same snapshot object is kept while neither changed.
   */
  async count(slug: string): Promise<CountSnapshot> {
    return this.counts.get(slug, async (stale) => {
      const head = await this.head(slug);
      const changedAt = lastChangedAt(head);
      if (
        stale &&
        stale.head.id === head.id &&
        stale.head.signatureCount === head.signatureCount &&
        lastChangedAt(stale.head).getTime() === changedAt.getTime() &&
        stale.head.title === head.title &&
        stale.head.logSize === head.logSize
      ) {
        return stale;
      }
      return {
        // Strong: the same letter, change time, count and checkpoint always give the same bytes.
        etag: `"${head.id}-${changedAt.getTime().toString(36)}-${head.signatureCount.toString(36)}-${head.logSize.toString(36)}"`,
        head,
        data: {
          slug: head.slug,
          signature_count: head.signatureCount,
          updated_at: changedAt.toISOString(),
          checkpoint: { size: head.logSize, count: head.logCount },
        },
      };
    });
  }

  /** Answers below are kept while nothing has been written (see FreshCache): the same object, so routes can keep its encoding. */
  async letters(limit: number, cursor?: string): Promise<Page<LetterSummaryDto>> {
    return this.letterPages.get(`${limit}|${cursor ?? ''}`, () => this.loadLetters(limit, cursor));
  }

  private async loadLetters(limit: number, cursor?: string): Promise<Page<LetterSummaryDto>> {
    const after = cursor === undefined ? undefined : this.decode('letters', cursor, 2);
    const rows = await this.deps.repo.publicLetters(limit + 1, after && { key: after[0]!, id: after[1]! });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((row) => this.summary(row)),
      next_cursor: rows.length > limit && last ? this.deps.cursors.encode('letters', [last.key, last.id]) : null,
    };
  }

  /** The letter, its text in `lang` when it has a translation into it (kept per language). */
  async letter(slug: string, lang?: Locale): Promise<LetterDetailDto> {
    return this.details.get(`${slug}|${lang ?? ''}`, () => this.loadLetter(slug, lang));
  }

  private async loadLetter(slug: string, lang?: Locale): Promise<LetterDetailDto> {
    const letter = await this.deps.publicLetters.publicLetter(slug);
    const [notables, countries, log, translations] = await Promise.all([
      this.deps.letters.notables(letter.id),
      this.deps.repo.countries(letter.id),
      this.deps.log.summary(letter),
      this.deps.letters.translations.forLetter(letter.id),
    ]);
    const translation = translations.find((t) => t.language === lang && t.language !== letter.language);
    const text = translation ?? letter;
    return {
      slug: letter.slug,
      title: text.title,
      summary: text.summary,
      addressee: text.addressee,
      body: text.bodyMd,
      text_language: (translation?.language ?? letter.language) as Locale,
      language: letter.language as Locale,
      version: letter.version,
      languages: [
        { code: letter.language as Locale, translates_version: letter.version, current: true },
        ...translations
          .filter((t) => t.language !== letter.language && isLocale(t.language))
          .map((t) => ({
            code: t.language as Locale,
            translates_version: t.translatesVersion,
            current: t.translatesVersion === letter.version,
          })),
      ],
      status: publicStatus(letter.status),
      collective: { slug: letter.collective.slug, name: letter.collective.name },
      signature_count: letter.signatureCount,
      goal: letter.goal,
      published_at: iso(letter.publishedAt),
      closes_at: iso(letter.closesAt),
      updated_at: lastChangedAt(letter).toISOString(),
      url: this.letterUrl(letter.slug),
      milestones: letter.milestones.map((m) => ({ count: m.count, text: m.text, reached: letter.signatureCount >= m.count })),
      notable_signatories: notables.map((n) => ({ name: n.name, description: n.description, verified: n.signatureId !== null })),
      signatures_by_country: Object.fromEntries(countries.map((c) => [c.key, c.count])),
      log: { origin: log.origin, verifier_key: log.verifier_key, checkpoint_url: log.checkpoint_url, size: log.size },
    };
  }

  /** `q`: a name or part of one, folded as names are (searchKey); only names with every word. */
  async signatures(slug: string, limit: number, cursor?: string, q?: string): Promise<Page<PublicSignatureDto>> {
    const words = searchWords(q);
    return this.signaturePages.get(`${slug}|${limit}|${cursor ?? ''}|${words.join(' ')}`, () =>
      this.loadSignatures(slug, limit, cursor, words),
    );
  }

  private async loadSignatures(
    slug: string,
    limit: number,
    cursor: string | undefined,
    words: string[],
  ): Promise<Page<PublicSignatureDto>> {
    const head = await this.head(slug);
    const { rows: page, nextCursor } = await this.listed(head.id, limit, cursor, words);
    return {
      data: page.map((row) => ({
        name: row.name,
        title: row.title,
        organisation: row.organisation,
        country: row.country,
        signed_at: row.verifiedAt.toISOString(),
        // The public fields above are exactly what the salt commits to (a missing one as "").
        log: row.logSig && row.logSalt ? { sig: row.logSig, salt: row.logSalt } : null,
      })),
      next_cursor: nextCursor,
    };
  }

  /**
   * A page of a public letter's listed signatures, newest first (matching `words` when given),
   * and the cursor of the next page (null on the last). The API and the signatories page share
   * it, and their cursors. Throws BadRequest for a cursor not made here for this letter.
   */
  async listed(
    letterId: number,
    limit: number,
    cursor: string | undefined,
    words: readonly string[],
  ): Promise<{ rows: PressSignature[]; nextCursor: string | null }> {
    const scope = `signatures:${letterId}`;
    const after = cursor === undefined ? undefined : this.decode(scope, cursor, 2);
    const rows = await this.deps.repo.publicSignatures(letterId, limit + 1, after && { verifiedAt: after[0]!, id: after[1]! }, words);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? this.deps.cursors.encode(scope, [last.verifiedAt.getTime(), last.id]) : null;
    return { rows: page, nextCursor };
  }

  async timeseries(slug: string, interval: Interval): Promise<TimeseriesDto> {
    return this.series.get(`${slug}|${interval}`, () => this.loadTimeseries(slug, interval));
  }

  private async loadTimeseries(slug: string, interval: Interval): Promise<TimeseriesDto> {
    const head = await this.head(slug);
    const buckets = await this.buckets(head.id, interval);
    return {
      slug: head.slug,
      interval,
      signature_count: head.signatureCount,
      updated_at: lastChangedAt(head).toISOString(),
      buckets: buckets.map((b) => ({ start: new Date(b.start).toISOString(), count: b.count, cumulative: b.cumulative })),
    };
  }

  /** Newest letters for the Atom feed. */
  async feed(): Promise<FeedRow[]> {
    return this.feeds.get('feed', () => this.deps.repo.feedLetters(FEED_SIZE));
  }

  /** The chart and country breakdown on a letter page. */
  async pageStats(letter: { id: number; signatureCount: number }, now: Date): Promise<PageStats> {
    const { hours, countries } = await this.statsOf(letter.id);
    const interval = chartInterval(hours[0]?.hour, now.getTime());
    const buckets = bucketsOf(hours, interval);
    const chart = cumulativeChart(buckets, { bucketMs: interval === 'hour' ? HOUR_MS : DAY_MS, until: now.getTime() });
    return {
      chart: chart && chart.total > 0 ? { ...chart, interval } : null,
      ...countryShares(countries, letter.signatureCount, COUNTRIES_ON_PAGE),
    };
  }

  private async buckets(letterId: number, interval: Interval) {
    return bucketsOf(await this.deps.repo.hours(letterId), interval);
  }

  /**
   * Counted signatures in every country, largest first (for the map): the same cached read as the
   * page's breakdown, and the same array while nothing changed, so a map can be kept per array.
   */
  async countryCounts(letterId: number): Promise<CountRow[]> {
    return (await this.statsOf(letterId)).countries;
  }

  private statsOf(letterId: number) {
    return this.stats.get(String(letterId), async () => ({
      hours: await this.deps.repo.hours(letterId),
      countries: await this.deps.repo.countries(letterId),
    }));
  }

  private async head(slug: string): Promise<HeadWithLog> {
    return publicOrNotFound(await this.deps.repo.head(slug));
  }

  private decode(scope: string, cursor: string, arity: number): number[] {
    const values = this.deps.cursors.decode(scope, cursor, arity);
    if (!values) throw new BadRequest(BAD_CURSOR, 'bad_cursor');
    return values;
  }

  private summary(row: LetterListRow): LetterSummaryDto {
    return {
      slug: row.slug,
      title: row.title,
      status: publicStatus(row.status),
      signature_count: row.signatureCount,
      goal: row.goal,
      url: this.letterUrl(row.slug),
      published_at: iso(row.publishedAt),
      closes_at: iso(row.closesAt),
      updated_at: lastChangedAt(row).toISOString(),
    };
  }
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** The words searched for: folded as names are, at most SEARCH_WORDS of them (a name has few). */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(searchKey(q).split(' ').filter(Boolean))].slice(0, SEARCH_WORDS);
}

const SEARCH_WORDS = 6;

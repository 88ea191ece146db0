// The public letter page: what it shows, its rendering, and its cache, in one place.
//
// The page is rendered once per change instead of once per reader. A spike of readers then
// costs a lookup each; the rendering (Markdown, notables, recent signatures, chart, country
// list, the form with its 250 countries) happens when something on the page changed, checked
// whenever this process has written and at least once a second (FreshCache), which also bounds
// what depends on the time (the deadline, the chart's end).
//
// What makes a page current: the letter's row and count (every change the page shows moves
// one of them: a confirmation, a withdrawal, moderation, an edit, a notable).
//
// The form stamp is the one part that differs between readers. Everyone served within the same
// tenth of a second gets the same bytes, stamped with the end of that tenth (sharedStampTime):
// no HMAC and no copy of the page per reader, and the minimum fill time only ever gets longer.
import type { Eta } from 'eta';
import { CARD_HEIGHT, CARD_WIDTH, cardKey } from '../api/link-card.js';
import type { PressService } from '../api/press-service.js';
import { MAP_HEIGHT, MAP_STEPS, MAP_WIDTH, mapSummary } from '../api/world-map.js';
import { createFormStamp, sharedStampTime } from '../domain/form-stamp.js';
import { languageName, readableLanguages, shownText } from '../domain/letter-language.js';
import { isSignable } from '../domain/letter-rules.js';
import { renderMarkdown } from '../domain/markdown.js';
import { milestoneProgress } from '../domain/milestones.js';
import { shareLinks } from '../domain/share-links.js';
import { FreshCache } from '../fresh-cache.js';
import { currentTranslator } from '../i18n/context.js';
import { directionOf, isLocale, LOCALE_NAMES } from '../i18n/locales.js';
import type { FieldErrors } from '../signatures/signature-input.js';
import { viewHelpers } from '../views.js';
import type { LetterRepo, LetterWithCollective } from './letter-repo.js';
import type { PublicLetters } from './public-letters.js';

export const RECENT_SIGNATURES_ON_PAGE = 20;
/** Readers within one window share a stamp (and the page's bytes). */
const STAMP_WINDOW_MS = 100;
const PAGES_KEPT = 500;

export interface SignFormState {
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  /** A message above the form (e.g. "press the button again"). */
  notice?: string;
  /** The form's stamp to send back (a quick person keeps the one their page load issued). */
  formStamp?: string;
  /** The address's domain looks mistyped: what was typed and what was probably meant. */
  emailSuggestion?: { typed: string; suggested: string };
}

export interface LetterPageDeps {
  letters: LetterRepo;
  publicLetters: PublicLetters;
  press: PressService;
  eta: Eta;
  secret: string;
  publicUrl: string;
  now: () => Date;
  changeMark: () => number;
  /** The letter's public updates to signers, newest first (updates/update-service.ts). */
  publicUpdates: (letterId: number) => Promise<Array<{ id: number; subject: string; html: string; sentAt: Date | null }>>;
}

interface Entry {
  version: string;
  /** The page split at the form stamp, encoded once: joined with a fresh stamp per window. */
  parts: Buffer[];
  /** The page as served in the latest stamp window. */
  stamped: { window: number; page: Buffer } | null;
  /** The app's clock when rendered. */
  renderedAt: number;
}

// Letters and digits only, so escaping leaves it intact wherever the template prints it.
const STAMP_PLACEHOLDER = `FORMSTAMP${Math.random().toString(36).slice(2)}X`;

export class LetterPage {
  private readonly pages: FreshCache<Entry>;
  /** Sanitized HTML by Markdown source: a source always gives the same HTML, so entries never go stale. */
  private readonly bodies: FreshCache<string>;

  constructor(private readonly deps: LetterPageDeps) {
    const clock = () => deps.now().getTime();
    this.pages = new FreshCache({ changeMark: deps.changeMark, maxAgeMs: 1000, maxEntries: PAGES_KEPT, clock });
    this.bodies = new FreshCache({ changeMark: () => 0, maxAgeMs: Number.POSITIVE_INFINITY, maxEntries: PAGES_KEPT, clock });
  }

  /**
   * The page as every reader gets it, as UTF-8 bytes, shared (see the top of this file). Throws
   * NotFound for a draft or a slug that names nothing (never cached).
   */
  async shared(slug: string): Promise<Buffer> {
    const now = this.deps.now().getTime();
    // One page per language: it renders in the language of the request that finds it missing.
    const entry = await this.pages.get(`${currentTranslator().locale}:${slug}`, async (stale) => {
      const letter = await this.deps.publicLetters.publicLetter(slug);
      const version = versionOf(letter);
      // Still the same letter and count, and rendered less than a second ago: keep the bytes.
      if (stale && stale.version === version && now >= stale.renderedAt && now - stale.renderedAt < 1000) return stale;
      const html = await this.html(letter, {}, { formStamp: STAMP_PLACEHOLDER });
      return { version, parts: html.split(STAMP_PLACEHOLDER).map((part) => Buffer.from(part)), stamped: null, renderedAt: now };
    });
    if (entry.parts.length === 1) return entry.parts[0] as Buffer;
    const window = Math.floor(now / STAMP_WINDOW_MS);
    if (entry.stamped?.window !== window) {
      const fresh = Buffer.from(createFormStamp(this.deps.secret, slug, sharedStampTime(now, STAMP_WINDOW_MS)));
      const pieces: Buffer[] = [];
      entry.parts.forEach((part, i) => {
        if (i > 0) pieces.push(fresh);
        pieces.push(part);
      });
      entry.stamped = { window, page: Buffer.concat(pieces) };
    }
    return entry.stamped.page;
  }

  /**
   * The page for one reader: with the form as they sent it (errors, a notice), or with their own
   * data (an organizer's preview and bar, in `locals`).
   */
  async html(
    letter: LetterWithCollective,
    form: SignFormState,
    options: { preview?: boolean; formStamp?: string; locals?: Record<string, unknown> } = {},
  ): Promise<string> {
    const now = this.deps.now();
    const reader = currentTranslator().locale;
    const translations = await this.deps.letters.translations.forLetter(letter.id);
    // The reader's language when the letter has a text in it, else its own (with a note).
    const text = shownText(letter, translations, reader);
    const [notables, recent, stats, bodyHtml, updates, countryCounts] = await Promise.all([
      this.deps.letters.notables(letter.id),
      this.deps.letters.recentPublicSignatures(letter.id, RECENT_SIGNATURES_ON_PAGE),
      this.deps.press.pageStats(letter, now),
      // Rendered once per text, not once per change of the page (every confirmation is one).
      this.bodies.get(text.bodyMd, async () => renderMarkdown(text.bodyMd)),
      this.deps.publicUpdates(letter.id),
      this.deps.press.countryCounts(letter.id),
    ]);
    const preview = options.preview === true;
    const url = `${this.deps.publicUrl}/letters/${letter.slug}`;
    const languages = readableLanguages(letter, translations).filter(isLocale);
    return this.deps.eta.render('letters/show', {
      ...viewHelpers,
      ...options.locals,
      // The letter's words in the language shown; everything else is the letter's own.
      letter: { ...letter, title: text.title, summary: text.summary, addressee: text.addressee, bodyMd: text.bodyMd },
      text: {
        language: text.language,
        dir: isLocale(text.language) ? directionOf(text.language) : 'ltr',
        version: text.version,
        outdated: text.outdated,
        fallback: text.fallback,
        /** The reader's language and the text's, named in the reader's language. */
        readerName: languageName(reader, reader),
        languageName: languageName(text.language, reader),
        originalName: languageName(letter.language, reader),
        original: letter.language,
        /** The letter in the other languages it can be read in, each named in itself. */
        others: languages
          .filter((l) => l !== text.language)
          .map((l) => ({ code: l, name: LOCALE_NAMES[l], href: `/letters/${letter.slug}?lang=${l}` })),
      },
      // hreflang: the languages the letter can be read in, not every language of the interface.
      alternates: languages,
      bodyHtml,
      notables,
      recent,
      stats,
      updates,
      pageTitle: text.title,
      description: text.summary || currentTranslator().t('site.letter.defaultDescription', { collective: letter.collective.name }),
      canonical: url,
      // The same for every reader (the page is shared), and a page GET shows after a form's answer.
      languagePath: `/letters/${letter.slug}`,
      metaTags: previewTags({ ...letter, title: text.title, summary: text.summary }, url),
      shareUrl: url,
      milestones: milestoneProgress(letter.milestones, letter.signatureCount),
      // An image, not inline: its outlines are about 50 KB that every reader of the page would
      // otherwise download again with each count; the file is cached per count and language.
      worldMap:
        countryCounts.length > 0
          ? {
              src: `/letters/${letter.slug}/map.svg?lang=${reader}&legend=none&v=${letter.signatureCount}`,
              alt: mapSummary(countryCounts, currentTranslator()),
            }
          : null,
      mapSteps: MAP_STEPS,
      mapSize: { width: MAP_WIDTH, height: MAP_HEIGHT },
      shareLinks: shareLinks({ title: text.title, summary: text.summary, url }),
      nav: 'letters',
      noindex: preview,
      preview,
      signable: isSignable(letter, now),
      pastDeadline: letter.closesAt !== null && letter.closesAt <= now,
      countries: currentTranslator().countryOptions(),
      formStamp: options.formStamp ?? form.formStamp ?? createFormStamp(this.deps.secret, letter.slug, now.getTime()),
      values: form.values ?? {},
      errors: form.errors ?? {},
      formNotice: form.notice ?? null,
      emailSuggestion: form.emailSuggestion ?? null,
    });
  }
}

function versionOf(letter: LetterWithCollective): string {
  const counted = letter.countChangedAt?.getTime() ?? 0;
  return `${letter.id}:${letter.status}:${letter.version}:${letter.signatureCount}:${letter.updatedAt.getTime()}:${counted}`;
}

/**
 * What a link preview shows (Open Graph, read by most networks and chat apps, and Twitter's
 * card tags): the card image names its count step, so a preview refreshes when the step moves.
 */
function previewTags(letter: LetterWithCollective, url: string): Array<{ property?: string; name?: string; content: string }> {
  const translator = currentTranslator();
  const description = letter.summary || translator.t('site.letter.defaultDescription', { collective: letter.collective.name });
  const image = `${url}/card.png?v=${cardKey(letter)}`;
  const alt = translator.t('site.letter.cardAlt', { title: letter.title, collective: letter.collective.name });
  return [
    { property: 'og:site_name', content: 'Undersigned' },
    { property: 'og:image', content: image },
    { property: 'og:image:type', content: 'image/png' },
    { property: 'og:image:width', content: String(CARD_WIDTH) },
    { property: 'og:image:height', content: String(CARD_HEIGHT) },
    { property: 'og:image:alt', content: alt },
    { name: 'twitter:card', content: 'summary_large_image' },
    { name: 'twitter:title', content: letter.title },
    { name: 'twitter:description', content: description },
    { name: 'twitter:image', content: image },
    { name: 'twitter:image:alt', content: alt },
  ];
}

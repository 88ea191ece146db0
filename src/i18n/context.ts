// The language of what is being rendered, carried by AsyncLocalStorage: a request's hooks enter
// it, the outbox worker enters the signer's language, and every template reads it (views.ts), so
// partials and helpers need no extra arguments.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_LOCALE, type Locale } from './locales.js';
import { type Translator, translatorFor } from './translator.js';

/** Mutable on purpose: a letter page may settle on the letter's language after the hooks ran. */
export interface LocaleScope {
  translator: Translator;
  /** The address being answered, for the language switcher's links (none for mail). */
  path?: string;
}

const storage = new AsyncLocalStorage<LocaleScope>();

/** Runs fn (and everything it awaits) in a language. */
export function withLocale<T>(locale: Locale, fn: () => T): T {
  return storage.run({ translator: translatorFor(locale) }, fn);
}

/** Runs fn in a scope made by the caller (a request's, which it may change later). */
export function withScope<T>(scope: LocaleScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The current translator: English outside any scope (start-up, the CLI, errors before routing). */
export function currentTranslator(): Translator {
  return storage.getStore()?.translator ?? translatorFor(DEFAULT_LOCALE);
}

/** The address of the request being answered, if any. */
export function currentPath(): string | undefined {
  return storage.getStore()?.path;
}

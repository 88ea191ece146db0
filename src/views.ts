// One Eta instance for pages and mail, plus the helpers every template can use.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { countryName } from './domain/countries.js';
import { updateConsentWording } from './domain/update-consent.js';

export const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
export const VIEWS_DIR = join(ROOT_DIR, 'views');
export const STATIC_DIR = join(ROOT_DIR, 'static');

export function createEta(): Eta {
  return new Eta({ views: VIEWS_DIR, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });
}

const numberFormat = new Intl.NumberFormat('en-GB');
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Versioned asset URLs: the content hash changes the URL, so files can be cached for a year. */
function assetUrls(): (path: string) => string {
  const versions = new Map<string, string>();
  return (path: string) => {
    let version = versions.get(path);
    if (!version) {
      version = createHash('sha256')
        .update(readFileSync(join(STATIC_DIR, path)))
        .digest('hex')
        .slice(0, 12);
      versions.set(path, version);
    }
    return `/static/${path}?v=${version}`;
  };
}

export const viewHelpers = {
  asset: assetUrls(),
  format: (n: number) => numberFormat.format(n),
  date: (d: Date) => dateFormat.format(d),
  countryName,
  /** The words beside the signing form's updates box: the ones a signature's consent records. */
  updatesConsentWording: updateConsentWording(),
};

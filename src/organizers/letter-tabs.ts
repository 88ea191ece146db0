// The sub-navigation of a letter's organizer pages, limited to what the role may open.
import { currentTranslator } from '../i18n/context.js';
import type { LetterAccess } from './access.js';

export type TabKey = 'overview' | 'edit' | 'translations' | 'notables' | 'moderation' | 'signatures' | 'updates';

export function tabsFor(entry: LetterAccess, current: TabKey) {
  const base = `/organize/letters/${entry.letter.id}`;
  const tabs: Array<{ key: TabKey; label: string; href: string; allowed: boolean }> = [
    { key: 'overview', label: 'Overview', href: base, allowed: true },
    { key: 'edit', label: 'Edit', href: `${base}/edit`, allowed: entry.can('edit_letter') },
    {
      key: 'translations',
      label: currentTranslator().t('letters.translations.title'),
      href: `${base}/translations`,
      allowed: entry.can('edit_letter'),
    },
    { key: 'notables', label: 'Notable signatories', href: `${base}/notables`, allowed: entry.can('edit_notables') },
    { key: 'moderation', label: 'Moderation', href: `${base}/moderation`, allowed: entry.can('moderate') },
    { key: 'signatures', label: 'Signatures', href: `${base}/signatures`, allowed: entry.can('moderate') },
    { key: 'updates', label: 'Updates', href: `${base}/updates`, allowed: entry.can('edit_letter') },
  ];
  return tabs.filter((t) => t.allowed).map((t) => ({ ...t, current: t.key === current }));
}

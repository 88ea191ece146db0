// The sub-navigation of a letter's organizer pages, limited to what the role may open.
import { currentTranslator } from '../i18n/context.js';
import type { LetterAccess } from './access.js';

export type TabKey = 'overview' | 'edit' | 'translations' | 'notables' | 'moderation' | 'signatures' | 'updates';

export function tabsFor(entry: LetterAccess, current: TabKey) {
  const base = `/organize/letters/${entry.letter.id}`;
  const i18n = currentTranslator();
  const t = (key: string) => i18n.t(key);
  const tabs: Array<{ key: TabKey; label: string; href: string; allowed: boolean }> = [
    { key: 'overview', label: t('organizers.tabs.overview'), href: base, allowed: true },
    { key: 'edit', label: t('organizers.tabs.edit'), href: `${base}/edit`, allowed: entry.can('edit_letter') },
    { key: 'translations', label: t('letters.translations.title'), href: `${base}/translations`, allowed: entry.can('edit_letter') },
    { key: 'notables', label: t('organizers.tabs.notables'), href: `${base}/notables`, allowed: entry.can('edit_notables') },
    { key: 'moderation', label: t('organizers.tabs.moderation'), href: `${base}/moderation`, allowed: entry.can('moderate') },
    { key: 'signatures', label: t('organizers.tabs.signatures'), href: `${base}/signatures`, allowed: entry.can('moderate') },
    { key: 'updates', label: t('organizers.tabs.updates'), href: `${base}/updates`, allowed: entry.can('edit_letter') },
  ];
  return tabs.filter((t) => t.allowed).map((t) => ({ ...t, current: t.key === current }));
}

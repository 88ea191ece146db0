// Translations in the organizer area: write one with a preview, see its state, edit and delete
// it, each audited; the letter's own language while it is a draft; moderators may not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { htmlProblems } from '../helpers/html.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';

let t: TestApp;
let editor: Browser;
let id: number;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off' }, { startBackground: false });
  id = (await seedLetter(t.app)).id;
  editor = (await signedInOrganizer(t, { email: 'ed@example.org', name: 'Ed', collective: 'artists-united', role: 'editor' })).browser;
});

afterEach(async () => {
  await t.close();
});

const FRENCH = {
  title: 'Un salaire juste pour les artistes',
  summary: 'Les artistes demandent à être payés.',
  addressee: 'Example Corp',
  body: 'Nous demandons un **salaire juste**.',
};

const translations = () =>
  t.sql<{ language: string; title: string; version: number }>(
    'SELECT language, title, translates_version AS version FROM letter_translations WHERE letter_id = ? ORDER BY language',
    id,
  );
const audit = async () =>
  (await t.sql<{ action: string }>('SELECT action FROM audit_log WHERE letter_id = ? ORDER BY id', id)).map((r) => r.action);

describe('translations in the editor', () => {
  it('previews without saving, saves tied to the current version, shows its state, edits and deletes', async () => {
    const list = await editor.get(`/organize/letters/${id}/translations`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('No translations yet.');
    // The add form offers the site's languages except the letter's own.
    expect([...list.body.matchAll(/<option value="(\w+)">/g)].map((m) => m[1]).slice(0, 4)).toEqual(['fr', 'de', 'es', 'ar']);
    const chosen = await editor.get(`/organize/letters/${id}/translations/new?language=fr`);
    expect(chosen.statusCode).toBe(303);
    expect(chosen.headers.location).toBe(`/organize/letters/${id}/translations/fr`);
    expect((await editor.get(`/organize/letters/${id}/translations/fr`)).body).toContain('Translation into French');

    // The preview renders the Markdown as the page will, with the same warnings, and saves nothing.
    const preview = await editor.post(`/organize/letters/${id}/translations/fr`, {
      ...FRENCH,
      body: `${FRENCH.body}\n\n![](http://img.example/a.png)`,
      intent: 'preview',
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<strong>salaire juste</strong>');
    expect(preview.body).toContain('Not shown as written');
    expect(await translations()).toEqual([]);
    // An image without a description is refused, as in the letter's own text.
    const refused = await editor.post(`/organize/letters/${id}/translations/fr`, { ...FRENCH, body: '![](https://img.example/a.png)' });
    expect(refused.statusCode).toBe(422);
    expect(await translations()).toEqual([]);

    const saved = await editor.post(`/organize/letters/${id}/translations/fr`, FRENCH);
    expect(saved.statusCode).toBe(303);
    expect(await translations()).toEqual([{ language: 'fr', title: FRENCH.title, version: 1 }]);
    const after = await editor.get(saved.headers.location as string);
    expect(after.body).toContain('Translation saved.');
    // The list, the editor and its preview are valid HTML.
    expect(await htmlProblems(after.body)).toEqual([]);
    expect(await htmlProblems(preview.body)).toEqual([]);
    expect(await htmlProblems((await editor.get(`/organize/letters/${id}/translations/fr`)).body)).toEqual([]);
    expect(after.body).toContain('Up to date (version 1)');
    // Readers see it.
    expect((await t.app.inject('/letters/fair-pay?lang=fr')).body).toContain(`<h1 id="letter-title" dir="auto">${FRENCH.title}</h1>`);

    // The published letter's words change (version 2): the translation says it was made from version 1.
    const edit = await editor.post(`/organize/letters/${id}/edit`, {
      title: 'Fair pay for artists',
      summary: 'Artists ask to be paid.',
      addressee: 'Example Corp',
      body: 'New words.',
      goal: '1000',
      closes_at: '',
      duplicate_names: 'hold',
    });
    expect(edit.statusCode).toBe(303);
    expect((await editor.get(`/organize/letters/${id}/translations`)).body).toContain(
      'Made from version 1; the text has changed since (now version 2)',
    );
    // Editing it again brings it up to date.
    await editor.get(`/organize/letters/${id}/translations/fr`);
    await editor.post(`/organize/letters/${id}/translations/fr`, { ...FRENCH, body: 'De nouveaux mots.' });
    expect(await translations()).toEqual([{ language: 'fr', title: FRENCH.title, version: 2 }]);

    expect((await editor.post(`/organize/letters/${id}/translations/fr/delete`)).statusCode).toBe(303);
    expect(await translations()).toEqual([]);
    expect(await audit()).toEqual([
      'letter.translation_add',
      'letter.new_version',
      'letter.translation_update',
      'letter.translation_delete',
    ]);
  });

  it('refuses the letter’s own language, unknown languages and empty fields with a clear page', async () => {
    expect((await editor.get(`/organize/letters/${id}/translations/en`)).statusCode).toBe(404);
    expect((await editor.get(`/organize/letters/${id}/translations/pt`)).statusCode).toBe(404);
    expect((await editor.get(`/organize/letters/${id}/translations/new?language=pt`)).statusCode).toBe(422);
    await editor.get(`/organize/letters/${id}/translations/de`);
    const empty = await editor.post(`/organize/letters/${id}/translations/de`, { title: '', body: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('error-summary');
    expect(await translations()).toEqual([]);
  });

  it('changes the letter’s own language only while it is a draft, and not to one it is translated into', async () => {
    await seedLetter(t.app, { slug: 'draft-one', title: 'A draft', status: 'draft' });
    const draftId = await t.one<number>("SELECT id FROM letters WHERE slug = 'draft-one'");
    const page = await editor.get(`/organize/letters/${draftId}/translations`);
    expect(page.body).toContain('name="language" aria-describedby="f-main-language-hint"');
    expect((await editor.post(`/organize/letters/${draftId}/language`, { language: 'fr' })).statusCode).toBe(303);
    expect(await t.one("SELECT language FROM letters WHERE slug = 'draft-one'")).toBe('fr');
    await editor.get(`/organize/letters/${draftId}/translations/en`);
    await editor.post(`/organize/letters/${draftId}/translations/en`, { title: 'A draft', body: 'Text.' });
    const taken = await editor.post(`/organize/letters/${draftId}/language`, { language: 'en' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('The letter has a translation into that language');
    expect(await t.one("SELECT language FROM letters WHERE slug = 'draft-one'")).toBe('fr');

    // The published letter's language is fixed.
    const published = await editor.get(`/organize/letters/${id}/translations`);
    expect(published.body).toContain('The letter is written in English. This cannot change now that it has been published.');
    await editor.get(`/organize/letters/${id}/translations`);
    expect((await editor.post(`/organize/letters/${id}/language`, { language: 'fr' })).statusCode).toBe(422);
    expect(await t.one("SELECT language FROM letters WHERE slug = 'fair-pay'")).toBe('en');
    expect((await t.sql('SELECT action FROM audit_log WHERE letter_id = ?', draftId)).map((r) => r.action)).toContain('letter.language');
  });

  it('is for owners and editors: a moderator may not', async () => {
    const moderator = (await signedInOrganizer(t, { email: 'mo@example.org', name: 'Mo', collective: 'artists-united', role: 'moderator' }))
      .browser;
    expect((await moderator.get(`/organize/letters/${id}/translations`)).statusCode).toBe(403);
    expect((await moderator.post(`/organize/letters/${id}/translations/fr`, FRENCH)).statusCode).toBe(403);
    expect(await translations()).toEqual([]);
  });

  it('is in the organizer’s language', async () => {
    const page = await editor.get(`/organize/letters/${id}/translations?lang=fr`);
    expect(page.body).toContain('Aucune traduction pour l’instant.');
    expect(page.body).toContain('<option value="de">allemand</option>');
  });
});

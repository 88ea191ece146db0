// Milestones: set by organizers in the letter editor (also after publishing), shown on the letter
// page as the next one with its bar, and returned by the API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { type Browser, signedInOrganizer } from '../helpers/organizer.js';

let t: TestApp;
let editor: Browser;
let letterId: number;

beforeEach(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  letterId = (await seedLetter(t.app, { goal: 20_000 })).id;
  editor = (await signedInOrganizer(t, { email: 'ed@example.org', name: 'Ed', collective: 'artists-united', role: 'editor' })).browser;
});

afterEach(async () => {
  await t.close();
});

const FORM = {
  title: 'Fair pay for artists',
  slug: 'fair-pay',
  summary: 'Artists ask to be paid.',
  addressee: 'Example Corp',
  body: 'We, the undersigned, ask for **fair pay**.\n\n[Read more](https://example.org/more)',
  goal: '20000',
  closes_at: '',
  duplicate_names: 'hold',
};

async function setCount(count: number) {
  await t.sql(
    'UPDATE letter_count_slots SET count = CASE WHEN slot = 0 THEN ? ELSE 0 END, updated_at = ? WHERE letter_id = ?',
    count,
    new Date(1_780_000_000_000 + count),
    letterId,
  );
  t.clock.advance(1000);
}

async function saveMilestones(milestones: string) {
  await editor.get(`/organize/letters/${letterId}/edit`);
  return editor.post(`/organize/letters/${letterId}/edit`, { ...FORM, milestones });
}

describe('milestones', () => {
  it('are saved from the editor of a published letter without a new version, and read back into it', async () => {
    const res = await saveMilestones('100\n1,000: We deliver the letter to the board\n10000: A hearing');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const [row] = await t.sql<{ version: number; milestones: unknown }>('SELECT version, milestones FROM letters WHERE id = ?', letterId);
    expect(row!.version).toBe(1);
    const stored = typeof row!.milestones === 'string' ? JSON.parse(row!.milestones) : row!.milestones;
    expect(stored).toEqual([
      { count: 100, text: '' },
      { count: 1000, text: 'We deliver the letter to the board' },
      { count: 10000, text: 'A hearing' },
    ]);
    const form = await editor.get(`/organize/letters/${letterId}/edit`);
    expect(form.body).toContain('>100\n1000: We deliver the letter to the board\n10000: A hearing</textarea>');
    // The change is in the audit log with the rest of the letter's edits.
    const audit = await t.sql<{ action: string }>(
      "SELECT action FROM audit_log WHERE letter_id = ? AND action = 'letter.update'",
      letterId,
    );
    expect(audit.length).toBe(1);
  });

  it.each([
    ['1000: a\n100: b', 'Line 2: 100 comes after 1,000: list milestones from smallest to largest.'],
    ['100: a\n100: b', 'Line 2: 100 is listed twice.'],
    ['soon: a', 'Line 1 must start with a number of signatures'],
    ['0', 'Line 1: the number must be between 1 and 1,000,000,000.'],
    [`100: ${'x'.repeat(201)}`, 'Line 1: the text is longer than 200 characters.'],
    [Array.from({ length: 21 }, (_, i) => String((i + 1) * 10)).join('\n'), 'Line 21: at most 20 milestones.'],
  ])('refuse %j with a message beside the field, keeping what was typed', async (typed, message) => {
    const res = await saveMilestones(typed);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(message.replace(/'/g, '&#39;'));
    expect(res.body).toContain('id="f-milestones-error"');
    expect(res.body).toContain(typed.slice(0, 20));
    const [row] = await t.sql<{ milestones: unknown }>('SELECT milestones FROM letters WHERE id = ?', letterId);
    expect(typeof row!.milestones === 'string' ? JSON.parse(row!.milestones) : row!.milestones).toEqual([]);
  });

  it('show the next one with a bar toward it in place of the goal bar, and those reached', async () => {
    await saveMilestones('10\n100: We deliver the letter to the board\n10000');
    await setCount(8);
    let html = (await t.app.inject('/letters/fair-pay')).body;
    expect(html).toContain('Next milestone: <strong>10 signatures</strong>');
    expect(html).toContain('<progress class="goal" max="10" value="8"');
    // The goal stays in words; its nearly empty bar is gone.
    expect(html).toContain('of a goal of 20,000');
    expect(html).not.toContain('max="20000"');
    expect(html).not.toContain('Milestones reached');

    await setCount(42);
    html = (await t.app.inject('/letters/fair-pay')).body;
    expect(html).toContain('Next milestone: <strong>100 signatures</strong> — We deliver the letter to the board');
    expect(html).toContain('58 more to go.');
    expect(html).toMatch(
      /Milestones reached<\/p>\s*<ul>\s*<li><span class="reached-mark" aria-hidden="true">✓<\/span> <strong>10<\/strong><\/li>/,
    );

    // All reached: the goal bar is back.
    await setCount(10_000);
    html = (await t.app.inject('/letters/fair-pay')).body;
    expect(html).not.toContain('Next milestone');
    expect(html).toContain('max="20000" value="10000"');
  });

  it('are in the API with whether each is reached', async () => {
    await saveMilestones('5: First five\n50');
    await setCount(7);
    const body = (await t.app.inject('/api/v1/letters/fair-pay')).json();
    expect(body.milestones).toEqual([
      { count: 5, text: 'First five', reached: true },
      { count: 50, text: '', reached: false },
    ]);
  });

  it('come from a letter file and are left alone when a later import names none', async () => {
    await seedLetter(t.app, { milestones: [{ count: 10, text: 'Ten' }] });
    await seedLetter(t.app, {});
    const body = (await t.app.inject('/api/v1/letters/fair-pay')).json();
    expect(body.milestones).toEqual([{ count: 10, text: 'Ten', reached: false }]);
  });
});

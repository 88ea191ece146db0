// The moderators' digest: when signatures are held, the collective's moderators and owners who
// want it get one mail (through the outbox and the SMTP server), at most once an hour per
// collective, with counts by reason per letter and a link to the queue; nothing when nothing new
// is held; each member can turn it off on their account page. Time is the app's injected clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_SETTLE_MS } from '../../src/domain/hold-digest.js';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { type Browser, createOrganizer, signedInOrganizer } from '../helpers/organizer.js';
import { signAndConfirm } from '../helpers/signers.js';
import { SmtpSink } from '../helpers/smtp-sink.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SUBJECT = /Signatures waiting for review: Artists United/;

let smtp: SmtpSink;
let t: TestApp;
let letterId: number;
let moderator: Browser;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url, RATE_LIMIT: 'off', SPIKE_GUARD: 'off' });
  letterId = (await seedLetter(t.app)).id;
  await createOrganizer(t, { email: 'owner@example.org', name: 'Olga Owner', collective: 'artists-united', role: 'owner' });
  moderator = (
    await signedInOrganizer(t, { email: 'mod@example.org', name: 'Mo Moderator', collective: 'artists-united', role: 'moderator' })
  ).browser;
  await createOrganizer(t, { email: 'ed@example.org', collective: 'artists-united', role: 'editor' });
  await createOrganizer(t, { email: 'elsewhere@example.org', collective: 'writers', role: 'owner' });
  await signAndConfirm(t, 'fair-pay', { name: 'Jane Doe', email: 'jane@example.org' });
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

let signers = 0;
/** A signature held for review: the name of one already counted, from a new address. */
async function hold(name = 'Jane Doe') {
  signers++;
  await signAndConfirm(t, 'fair-pay', { name, email: `twin${signers}@example.org` });
}

const turn = () => t.app.services.jobs.run('moderation-digest');
const digests = () => t.sql<{ to: string }>('SELECT "to" FROM outbox WHERE kind = \'moderation_digest\' ORDER BY id');

describe('the moderators’ digest', () => {
  it('mails each moderator and owner who wants it, once, with counts by reason and a link to the queue', async () => {
    await hold();
    await hold('DOE, jane');
    t.clock.advance(DIGEST_SETTLE_MS);
    expect(await turn()).toBe('ran');
    expect((await digests()).map((d) => d.to)).toEqual(['owner@example.org', 'mod@example.org']);

    const mail = await smtp.waitFor('mod@example.org', SUBJECT);
    expect(mail.text).toContain('Hello Mo Moderator,');
    expect(mail.text).toContain('Fair pay for artists: 2 waiting for review');
    expect(mail.text).toContain('- 2: same name as another signature');
    expect(mail.text).toContain(`Open the moderation queue: http://127.0.0.1:3000/organize/letters/${letterId}/moderation`);
    expect(mail.text).toContain('untick it on your account page: http://127.0.0.1:3000/organize/account');
    expect(mail.html).toContain(`href="http://127.0.0.1:3000/organize/letters/${letterId}/moderation"`);
    await smtp.waitFor('owner@example.org', SUBJECT);
    // Neither the editor, who does not moderate, nor another collective's owner.
    expect(smtp.for('ed@example.org')).toEqual([]);
    expect(smtp.for('elsewhere@example.org')).toEqual([]);
  });

  it('sends at most one an hour per collective, and none when nothing new is held', async () => {
    await hold();
    t.clock.advance(DIGEST_SETTLE_MS);
    expect(await turn()).toBe('ran');
    expect(await digests()).toHaveLength(2);

    // Held again within the hour: it waits for the hour to pass.
    await hold('Jane  Doe');
    for (const minutes of [10, 20, 25]) {
      t.clock.advance(minutes * MINUTE);
      await turn();
      expect(await digests(), `after ${minutes} more minutes`).toHaveLength(2);
    }
    t.clock.advance(HOUR - 55 * MINUTE + DIGEST_SETTLE_MS);
    expect(await turn()).toBe('ran');
    expect(await digests()).toHaveLength(4);
    // The mail sender starts its SMTP thread with the first message: allow it a few seconds.
    await expect.poll(() => smtp.for('mod@example.org').length, { timeout: 10_000 }).toBe(2);
    expect(smtp.for('mod@example.org')[1]!.text).toContain('Fair pay for artists: 2 waiting for review');

    // Hours later with the queue still full but nothing new held: no mail.
    for (let hour = 0; hour < 3; hour++) {
      t.clock.advance(HOUR);
      expect(await turn()).toBe('ran');
    }
    expect(await digests()).toHaveLength(4);
  });

  it('says nothing about a signature already decided, or held on another collective’s letter', async () => {
    await seedLetter(t.app, { slug: 'writers-letter', collective: 'writers', collective_name: 'Writers' });
    await signAndConfirm(t, 'writers-letter', { name: 'Jane Doe', email: 'jane-w@example.org' });
    await hold();
    const held = (await t.sql<{ id: number }>("SELECT id FROM signatures WHERE status = 'held'"))[0]!;
    await t.app.services.organizers.moderation.decideById(held.id, 'approve');
    t.clock.advance(DIGEST_SETTLE_MS);
    await turn();
    expect(await digests()).toEqual([]);

    // Held in the writers' collective: only its owner hears of it.
    await signAndConfirm(t, 'writers-letter', { name: 'Jane Doe', email: 'jane-w2@example.org' });
    t.clock.advance(10 * MINUTE);
    await turn();
    expect((await digests()).map((d) => d.to)).toEqual(['elsewhere@example.org']);
  });

  it('waits for a hold to settle before covering it', async () => {
    const digest = t.app.services.organizers.digest;
    await hold();
    expect(await digest.run()).toBe(0);
    t.clock.advance(DIGEST_SETTLE_MS - 1);
    expect(await digest.run()).toBe(0);
    t.clock.advance(1);
    expect(await digest.run()).toBe(1);
    expect(await digests()).toHaveLength(2);
  });

  it('is sent once when two processes run it at the same moment', async () => {
    const other = await makeTestApp({ RATE_LIMIT: 'off' }, { dir: t.dir, databaseUrl: t.databaseUrl, startBackground: false });
    try {
      other.clock.set(t.clock.now());
      await hold();
      t.clock.advance(DIGEST_SETTLE_MS);
      other.clock.advance(DIGEST_SETTLE_MS);
      // Past the job's once-per-period claim, straight at the digest itself: it still mails once.
      const mailed = await Promise.all([t.app.services.organizers.digest.run(), other.app.services.organizers.digest.run()]);
      expect(mailed.sort()).toEqual([0, 1]);
      expect(await digests()).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it('can be turned off and on by each member on their account page, audited', async () => {
    const page = await moderator.get('/organize/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Mail about held signatures');
    expect(page.body).toMatch(/<input type="checkbox" id="digest-\d+" name="digest" value="\d+" checked>/);

    // Unticked: the form sends no digest field at all.
    expect((await moderator.post('/organize/account/digest', {})).headers.location).toBe('/organize/account?notice=digest_saved');
    expect((await moderator.get('/organize/account?notice=digest_saved')).body).toContain('Mail settings saved.');
    expect(
      await t.sql(
        'SELECT moderation_digest AS on_ FROM memberships m JOIN organizers o ON o.id = m.organizer_id WHERE o.email = ?',
        'mod@example.org',
      ),
    ).toEqual([{ on_: 0 }]);
    expect(await t.sql("SELECT action FROM audit_log WHERE action = 'member.digest_mail'")).toHaveLength(1);

    await hold();
    t.clock.advance(DIGEST_SETTLE_MS);
    await turn();
    expect((await digests()).map((d) => d.to)).toEqual(['owner@example.org']);

    // Ticked again, with a collective that is not theirs sent along (ignored).
    const collective = /name="digest" value="(\d+)"/.exec((await moderator.get('/organize/account')).body)![1]!;
    await moderator.post('/organize/account/digest', { digest: [collective, '999999', 'x'] });
    await hold('Doe Jane');
    t.clock.advance(HOUR);
    await turn();
    expect((await digests()).map((d) => d.to)).toEqual(['owner@example.org', 'owner@example.org', 'mod@example.org']);
    expect(await t.sql("SELECT action FROM audit_log WHERE action = 'member.digest_mail'")).toHaveLength(2);
  });

  it('tells editors it is not for them, and refuses a change without the CSRF token', async () => {
    const editor = (await signedInOrganizer(t, { email: 'ed2@example.org', collective: 'artists-united', role: 'editor' })).browser;
    const page = await editor.get('/organize/account');
    expect(page.body).toContain('editors do not moderate, so this mail is not sent to you there.');
    expect(page.body).not.toContain('name="digest"');
    expect((await moderator.post('/organize/account/digest', { _csrf: '' })).statusCode).toBe(403);
    expect(await t.sql("SELECT action FROM audit_log WHERE action = 'member.digest_mail'")).toEqual([]);
  });

  it('is written in each recipient’s own language, subject included', async () => {
    await moderator.get('/organize/account');
    expect((await moderator.post('/organize/account/language', { language: 'de' })).statusCode).toBe(303);
    await hold();
    await hold('DOE, jane');
    t.clock.advance(DIGEST_SETTLE_MS);
    expect(await turn()).toBe('ran');
    const german = await smtp.waitFor('mod@example.org', /Unterschriften warten auf Prüfung: Artists United/);
    expect(german.text).toContain('Guten Tag Mo Moderator,');
    expect(german.text).toContain('Fair pay for artists: 2 warten auf Prüfung');
    expect(german.text).toContain('- 2: gleicher Name wie eine andere Unterschrift');
    expect(german.html).toContain('<html lang="de" dir="ltr">');
    // The owner chose nothing: English, as before.
    expect((await smtp.waitFor('owner@example.org', SUBJECT)).text).toContain('- 2: same name as another signature');
  });
});

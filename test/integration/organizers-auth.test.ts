// Organizer accounts through HTTP: the CLI's sign-in link, login and logout, sessions, the
// password reset by mail, invitations, throttled failures and CSRF.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/tokens.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../src/plugins/session.js';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { Browser, createOrganizer, signedInOrganizer, TEST_PASSWORD } from '../helpers/organizer.js';
import { type ReceivedMail, SmtpSink } from '../helpers/smtp-sink.js';

let smtp: SmtpSink;
let t: TestApp;

beforeEach(async () => {
  smtp = await new SmtpSink().start();
  t = await makeTestApp({ SMTP_URL: smtp.url, LOGIN_LIMIT_PER_ACCOUNT: '3', LOGIN_LIMIT_PER_IP: '6' });
  await seedLetter(t.app);
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

const sql = <T = Record<string, unknown>>(query: string, ...params: unknown[]) => t.sql<T>(query, ...params);
/** The environment of a CLI command run against this test's database. */
const cliEnv = () => ({ DATABASE_URL: t.databaseUrl, DATA_DIR: t.dir });

function linkIn(mail: ReceivedMail, path: 'reset' | 'invite'): string {
  const match = new RegExp(`https?://[^\\s]+/${path}/([A-Za-z0-9_-]{43})`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return `/${path}/${match[1]}`;
}

describe('access without a session', () => {
  it('redirects every organizer page to the login, remembering where to return', async () => {
    for (const url of [
      '/organize',
      '/organize/letters/1',
      '/organize/letters/1/edit',
      '/organize/letters/1/export.csv',
      '/organize/collectives/artists-united/audit',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    const login = new Browser(t);
    expect((await login.get('/login?next=%2Forganize%2Fletters%2F1')).body).toContain('value="/organize/letters/1"');
    // Somewhere else is not a place to return to.
    expect((await login.get('/login?next=https%3A%2F%2Fevil.example')).body).toContain('name="next" value="/organize"');
  });
});

describe('first sign-in from the CLI', () => {
  it('prints a one-time link valid 24 hours that sets a password and signs in', async () => {
    t.clock.set(new Date());
    const cli = await runCli(
      ['create-organizer', '--email', 'Ana@Example.org', '--name', 'Ana Lima', '--collective', 'artists-united', '--role', 'editor'],
      {
        ...cliEnv(),
        PUBLIC_URL: t.config.PUBLIC_URL,
      },
    );
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const link = /http:\/\/127\.0\.0\.1:3000(\/signin\/[A-Za-z0-9_-]{43})\s/.exec(cli.stdout)?.[1];
    expect(link, cli.stdout).toBeDefined();
    const token = link!.split('/').pop()!;
    // Only the hash is stored.
    expect(await sql<{ token_hash: string }>('SELECT token_hash FROM organizer_tokens')).toEqual([{ token_hash: hashToken(token) }]);

    const browser = new Browser(t);
    const form = await browser.get(link!);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('ana@example.org');

    const short = await browser.post(link!, { password: 'short', confirm: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Use at least 12 characters');
    const mismatch = await browser.post(link!, { password: TEST_PASSWORD, confirm: `${TEST_PASSWORD}!` });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('The two passwords are not the same.');

    const done = await browser.post(link!, { password: TEST_PASSWORD, confirm: TEST_PASSWORD });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/organize?notice=signed_in');
    const dashboard = await browser.get('/organize');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('Signed in as <strong>Ana Lima</strong>');
    expect(dashboard.body).toContain('Fair pay for artists');
    expect((await sql<{ hash: string }>('SELECT password_hash AS hash FROM organizers'))[0]?.hash).toMatch(/^scrypt\$32768\$8\$3\$/);

    // Used once: the link is dead, and so is a second link after 24 hours.
    expect((await new Browser(t).get(link!)).statusCode).toBe(410);
    const again = await runCli(['create-organizer', '--email', 'ana@example.org', '--name', 'Ana Lima'], {
      ...cliEnv(),
    });
    const second = /(\/signin\/[A-Za-z0-9_-]{43})\s/.exec(again.stdout)![1]!;
    expect(again.stdout).toContain('Updated organizer');
    t.clock.advance(24 * 3600_000 + 60_000);
    const expired = await new Browser(t).get(second);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect((await new Browser(t).get('/signin/not-a-token')).statusCode).toBe(404);
  });

  it.each([
    ['PUBLIC_URL unset, a wildcard HOST', { PUBLIC_URL: '', HOST: '0.0.0.0', PORT: '4123' }, 'http://127.0.0.1:4123'],
    ['PUBLIC_URL unset, an IPv6 HOST', { PUBLIC_URL: '', HOST: '::1', PORT: '8080' }, 'http://[::1]:8080'],
    [
      'PUBLIC_URL with a trailing slash',
      { PUBLIC_URL: 'https://letters.example/', HOST: '127.0.0.1', PORT: '3000' },
      'https://letters.example',
    ],
  ])('links to the address the server links to, from the same variables (%s)', async (_, variables, origin) => {
    // The server, configured by these variables (on a database of its own, so no other app's
    // mail sender renders its mail), mails a reset link...
    const server = await makeTestApp({ SMTP_URL: smtp.url, ...variables });
    try {
      const email = `same-${variables.PORT}@example.org`;
      await createOrganizer(server, { email, collective: 'artists-united' });
      const browser = new Browser(server);
      await browser.get('/reset');
      expect((await browser.post('/reset', { email })).statusCode).toBe(200);
      const mailed = /(https?:\/\/\S+)\/reset\/[A-Za-z0-9_-]{43}/.exec((await smtp.waitFor(email, /Reset/)).text)?.[1];
      // ...and the CLI, given the same ones, prints a sign-in link at the same address.
      const cli = await runCli(['create-organizer', '--email', email, '--name', 'Same'], {
        DATABASE_URL: server.databaseUrl,
        DATA_DIR: server.dir,
        ...variables,
      });
      expect(cli.code, cli.stderr).toBe(0);
      const printed = /(https?:\/\/\S+)\/signin\/[A-Za-z0-9_-]{43}\n/.exec(cli.stdout)?.[1];
      expect(mailed).toBe(origin);
      expect(printed).toBe(origin);
      // Without PUBLIC_URL the CLI says where the address came from.
      if (variables.PUBLIC_URL === '') expect(cli.stderr).toContain(`PUBLIC_URL is not set, so the link uses ${origin} (HOST and PORT)`);
      else expect(cli.stderr).toBe('');
    } finally {
      await server.close();
    }
  });

  it('refuses bad arguments with a message', async () => {
    const env = cliEnv();
    const bad = await runCli(['create-organizer', '--email', 'nope', '--name', 'X', '--role', 'king'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--email');
    expect(bad.stderr).toContain('--role');
    expect((await runCli(['create-organizer'], env)).code).toBe(2);
  });
});

describe('login and logout', () => {
  it('signs in with a session cookie that is signed, HttpOnly and SameSite=Lax, stored hashed, and signs out', async () => {
    const ana = await createOrganizer(t, { email: 'ana@example.org', name: 'Ana', collective: 'artists-united' });
    const browser = new Browser(t);
    await browser.get('/login');
    const wrong = await browser.post('/login', { email: 'ana@example.org', password: 'wrong password!!' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('That email address and password do not match an account.');
    expect(wrong.body).toContain('value="ana@example.org"');
    expect(wrong.body).not.toContain('wrong password!!');

    const ok = await browser.post('/login', { email: 'ANA@example.org ', password: ana.password, next: '/organize/letters/1' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/organize/letters/1');
    const cookie = [ok.headers['set-cookie']].flat().find((c) => c?.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const value = browser.cookies().find((c) => c.name === SESSION_COOKIE)!.value;
    const [token] = value.split('.');
    expect(await sql<{ id: string }>('SELECT id FROM sessions')).toEqual([{ id: hashToken(token!) }]);

    // A forged or tampered cookie is nobody.
    const forged = await t.app.inject({ method: 'GET', url: '/organize', headers: { cookie: `${SESSION_COOKIE}=${token}.AAAA` } });
    expect(forged.statusCode).toBe(303);

    expect((await browser.get('/organize')).statusCode).toBe(200);
    // Signing in again replaces the session instead of leaving the old one alive.
    expect((await browser.post('/login', { email: ana.email, password: ana.password })).statusCode).toBe(303);
    expect(await sql('SELECT id FROM sessions')).toHaveLength(1);
    await browser.get('/organize');
    const out = await browser.post('/logout');
    expect(out.statusCode).toBe(303);
    expect(await sql('SELECT id FROM sessions')).toEqual([]);
    expect((await browser.get('/organize')).statusCode).toBe(303);
    // The old cookie is worthless after logout.
    const replay = await t.app.inject({ method: 'GET', url: '/organize', headers: { cookie: `${SESSION_COOKIE}=${value}` } });
    expect(replay.statusCode).toBe(303);
    expect(
      (await sql<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'organizer.%' ORDER BY id")).map((r) => r.action),
    ).toEqual(['organizer.login', 'organizer.login', 'organizer.logout', 'organizer.logout']);
  });

  it('expires sessions', async () => {
    const { browser } = await signedInOrganizer(t, { email: 'ana@example.org', collective: 'artists-united' });
    t.clock.advance(6 * 24 * 3600_000);
    expect((await browser.get('/organize')).statusCode).toBe(200);
    t.clock.advance(2 * 24 * 3600_000);
    expect((await browser.get('/organize')).statusCode).toBe(303);
  });

  it('marks the cookie Secure when the site is served over https', async () => {
    const secure = await makeTestApp({ PUBLIC_URL: 'https://letters.example.org' });
    try {
      const ana = await createOrganizer(secure, { email: 'ana@example.org', collective: 'artists-united' });
      const browser = new Browser(secure);
      const page = await browser.get('/login');
      expect([page.headers['set-cookie']].flat().join()).toMatch(new RegExp(`${CSRF_COOKIE}=.*Secure`));
      const ok = await browser.post('/login', { email: ana.email, password: ana.password });
      expect([ok.headers['set-cookie']].flat().join()).toMatch(new RegExp(`${SESSION_COOKIE}=.*Secure`));
    } finally {
      await secure.close();
    }
  });

  it('throttles failed logins per account, even with the right password, until the window passes', async () => {
    const ana = await createOrganizer(t, { email: 'ana@example.org', collective: 'artists-united' });
    const browser = new Browser(t);
    await browser.get('/login');
    for (let i = 0; i < 3; i++)
      expect((await browser.post('/login', { email: ana.email, password: `guess number ${i}` })).statusCode).toBe(401);
    const blocked = await browser.post('/login', { email: ana.email, password: ana.password });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect(blocked.body).toContain('Too many failed attempts');
    expect(await sql('SELECT id FROM sessions')).toEqual([]);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await browser.post('/login', { email: ana.email, password: ana.password })).statusCode).toBe(303);
  });

  it('throttles failed logins per IP across accounts', async () => {
    const ana = await createOrganizer(t, { email: 'ana@example.org', collective: 'artists-united' });
    const browser = new Browser(t);
    await browser.get('/login');
    for (let i = 0; i < 6; i++) await browser.post('/login', { email: `nobody${i}@example.org`, password: 'a guess at it' });
    expect((await browser.post('/login', { email: ana.email, password: ana.password })).statusCode).toBe(429);
  });

  it('cannot be used to lock the owner out: guessing blocks the guesser, not the owner', async () => {
    const ana = await createOrganizer(t, { email: 'ana@example.org', collective: 'artists-united' });
    const attacker = new Browser(t, '203.0.113.9');
    await attacker.get('/login');
    for (let i = 0; i < 5; i++) await attacker.post('/login', { email: ana.email, password: `guess number ${i}` });
    expect((await attacker.post('/login', { email: ana.email, password: ana.password })).statusCode).toBe(429);
    // Ana, from her own address, is not affected.
    const own = new Browser(t, '198.51.100.1');
    await own.get('/login');
    expect((await own.post('/login', { email: ana.email, password: ana.password })).statusCode).toBe(303);
  });

  it('slows guessing from many addresses for new devices, never for a browser the owner used before', async () => {
    await t.close();
    t = await makeTestApp({ SMTP_URL: smtp.url, LOGIN_LIMIT_PER_ACCOUNT_GLOBAL: '20' });
    const ana = await createOrganizer(t, { email: 'ana@example.org', collective: 'artists-united' });
    const laptop = new Browser(t, '198.51.100.1');
    await laptop.login(ana.email, ana.password);
    await laptop.post('/logout');
    for (let i = 0; i < 25; i++) {
      const bot = new Browser(t, `203.0.113.${i + 1}`);
      await bot.get('/login');
      await bot.post('/login', { email: ana.email, password: `guess number ${i}` });
    }
    const newPhone = new Browser(t, '192.0.2.50');
    await newPhone.get('/login');
    const slowed = await newPhone.post('/login', { email: ana.email, password: ana.password });
    expect(slowed.statusCode).toBe(429);
    expect(slowed.body).toContain('reset your password');
    await laptop.get('/login');
    expect((await laptop.post('/login', { email: ana.email, password: ana.password })).statusCode).toBe(303);
  });

  it('does not throttle with RATE_LIMIT=off', async () => {
    const open = await makeTestApp({ RATE_LIMIT: 'off', LOGIN_LIMIT_PER_ACCOUNT: '1' });
    try {
      const ana = await createOrganizer(open, { email: 'ana@example.org' });
      const browser = new Browser(open);
      await browser.get('/login');
      for (let i = 0; i < 3; i++)
        expect((await browser.post('/login', { email: ana.email, password: 'wrong again!' })).statusCode).toBe(401);
      expect((await browser.post('/login', { email: ana.email, password: ana.password })).statusCode).toBe(303);
    } finally {
      await open.close();
    }
  });

  it('answers bad login input with the form, not a 500', async () => {
    const browser = new Browser(t);
    await browser.get('/login');
    const inputs: Array<Record<string, string | string[]>> = [
      {},
      { email: ['a@x.org', 'b@x.org'], password: 'x' },
      { email: '', password: '' },
      { email: 'a'.repeat(5000), password: 'p' },
    ];
    for (const fields of inputs) {
      const res = await browser.post('/login', fields);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('error-summary');
    }
    const json = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: browser.jar.header(), 'content-type': 'application/json', 'x-csrf-token': browser.csrf },
      payload: '[1,2,3]',
    });
    expect(json.statusCode).toBe(422);
  });
});

describe('password reset', () => {
  it('answers the same whether or not the account exists, and mails a one-time link', async () => {
    const ana = await createOrganizer(t, { email: 'ana@example.org', name: 'Ana', collective: 'artists-united' });
    const other = await signedInOrganizer(t, { email: 'ana2@example.org', collective: 'artists-united' });
    // Ana is signed in elsewhere too: a reset ends that session.
    const elsewhere = new Browser(t);
    await elsewhere.login(ana.email);

    const browser = new Browser(t);
    await browser.get('/reset');
    const known = await browser.post('/reset', { email: 'Ana@example.org' });
    const unknown = await browser.post('/reset', { email: 'nobody@example.org' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    const neutral = (html: string) => html.replace(/<strong>[^<]*<\/strong>/, '').replace(/name="_csrf" value="[^"]*"/g, '');
    expect(neutral(known.body)).toBe(neutral(unknown.body));

    const mail = await smtp.waitFor('ana@example.org', /Reset your Undersigned password/);
    const link = linkIn(mail, 'reset');
    expect(smtp.for('nobody@example.org')).toEqual([]);
    // Asking again within a minute sends nothing more.
    await browser.post('/reset', { email: 'ana@example.org' });

    const reset = new Browser(t);
    expect((await reset.get(link)).statusCode).toBe(200);
    const saved = await reset.post(link, { password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    expect(saved.statusCode).toBe(303);
    expect((await reset.get('/organize')).statusCode).toBe(200);
    expect((await elsewhere.get('/organize')).statusCode).toBe(303);
    expect((await other.browser.get('/organize')).statusCode).toBe(200);
    expect((await new Browser(t).get(link)).statusCode).toBe(410);

    const login = new Browser(t);
    await login.get('/login');
    expect((await login.post('/login', { email: ana.email, password: ana.password })).statusCode).toBe(401);
    expect((await login.post('/login', { email: ana.email, password: 'a brand new passphrase' })).statusCode).toBe(303);
    expect(smtp.for('ana@example.org')).toHaveLength(1);
  });

  it('ends every older reset and sign-in link once a password is set', async () => {
    await createOrganizer(t, { email: 'ana@example.org', collective: 'artists-united' });
    const cli = await runCli(['create-organizer', '--email', 'ana@example.org', '--name', 'Ana'], {
      ...cliEnv(),
      PUBLIC_URL: t.config.PUBLIC_URL,
      SESSION_SECRET: t.config.SESSION_SECRET,
    });
    expect(cli.code).toBe(0);
    const signin = `/signin/${/\/signin\/([A-Za-z0-9_-]{43})/.exec(cli.stdout)?.[1]}`;
    const browser = new Browser(t);
    await browser.get('/reset');
    await browser.post('/reset', { email: 'ana@example.org' });
    const older = linkIn(await smtp.waitFor('ana@example.org', /Reset/), 'reset');
    t.clock.advance(61_000);
    await browser.post('/reset', { email: 'ana@example.org' });
    await expect.poll(() => smtp.for('ana@example.org').length).toBe(2);
    const newer = linkIn(smtp.for('ana@example.org')[1] as ReceivedMail, 'reset');
    expect(newer).not.toBe(older);

    const reset = new Browser(t);
    await reset.get(newer);
    expect((await reset.post(newer, { password: 'a brand new passphrase', confirm: 'a brand new passphrase' })).statusCode).toBe(303);
    for (const link of [older, signin]) {
      const stale = new Browser(t);
      expect((await stale.get(link)).statusCode).toBe(410);
    }
  });

  it('validates the address', async () => {
    const browser = new Browser(t);
    await browser.get('/reset');
    const res = await browser.post('/reset', { email: 'not an address' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Please enter a valid email address');
    expect(res.body).toContain('value="not an address"');
  });
});

describe('invitations', () => {
  it('lets an owner invite a new member by mail, who creates an account and sees the collective’s letters', async () => {
    const owner = await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united', role: 'owner' });
    await owner.browser.get('/organize/collectives/artists-united/members');
    const bad = await owner.browser.post('/organize/collectives/artists-united/members', { email: 'nope', role: 'boss' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Please enter a valid email address');
    expect(bad.body).toContain('value="nope"');
    const sent = await owner.browser.post('/organize/collectives/artists-united/members', { email: 'Mo@Example.org', role: 'moderator' });
    expect(sent.statusCode).toBe(303);

    const mail = await smtp.waitFor('mo@example.org', /invites you to Artists United on Undersigned/);
    const link = linkIn(mail, 'invite');
    const invitee = new Browser(t);
    const page = await invitee.get(link);
    expect(page.body).toContain('Create your organizer account');
    const missing = await invitee.post(link, { name: '', password: 'short', confirm: 'x' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Please enter your name.');
    const joined = await invitee.post(link, { name: 'Mo Reyes', password: TEST_PASSWORD, confirm: TEST_PASSWORD });
    expect(joined.statusCode).toBe(303);
    const dashboard = await invitee.get('/organize');
    expect(dashboard.body).toContain('Fair pay for artists');
    expect(dashboard.body).toContain('Moderator');
    expect(
      await sql('SELECT role FROM memberships m JOIN organizers o ON o.id = m.organizer_id WHERE o.email = ?', 'mo@example.org'),
    ).toEqual([{ role: 'moderator' }]);
    expect((await new Browser(t).get(link)).statusCode).toBe(410);
    expect(
      (await sql<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'member.%' ORDER BY id")).map((r) => r.action),
    ).toEqual(['member.invite', 'member.join']);
  });

  it('adds an existing account to another collective', async () => {
    await seedLetter(t.app, { slug: 'other', collective: 'writers', collective_name: 'Writers' });
    const owner = await signedInOrganizer(t, { email: 'owner@example.org', collective: 'writers' });
    const ana = await signedInOrganizer(t, { email: 'ana@example.org', collective: 'artists-united', role: 'editor' });
    await owner.browser.get('/organize/collectives/writers/members');
    await owner.browser.post('/organize/collectives/writers/members', { email: 'ana@example.org', role: 'editor' });
    const link = linkIn(await smtp.waitFor('ana@example.org', /invites you/), 'invite');
    const page = await ana.browser.get(link);
    expect(page.body).toContain('You already have an organizer account');
    const accepted = await ana.browser.post(link);
    expect(accepted.headers.location).toBe('/organize?notice=joined');
    const dashboard = await ana.browser.get('/organize');
    expect(dashboard.body).toContain('Writers');
    // Inviting a member again is refused with a message.
    const again = await owner.browser.post('/organize/collectives/writers/members', { email: 'ana@example.org', role: 'owner' });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('already a member');
  });

  it('ends the invitations a member issued when they are removed or stop being an owner', async () => {
    const ana = await signedInOrganizer(t, { email: 'ana@example.org', collective: 'artists-united' });
    const bea = await signedInOrganizer(t, { email: 'bea@example.org', collective: 'artists-united' });
    const members = '/organize/collectives/artists-united/members';
    await bea.browser.get(members);
    await bea.browser.post(members, { email: 'new1@example.org', role: 'owner' });
    await ana.browser.get(members);
    await ana.browser.post(members, { email: 'new2@example.org', role: 'editor' });
    const fromBea = linkIn(await smtp.waitFor('new1@example.org', /invites you/), 'invite');
    const fromAna = linkIn(await smtp.waitFor('new2@example.org', /invites you/), 'invite');

    expect((await ana.browser.post(`${members}/${bea.id}/remove`)).statusCode).toBe(303);
    expect((await new Browser(t).get(fromBea)).statusCode).toBe(410);
    expect((await new Browser(t).get(fromAna)).statusCode).toBe(200);
    const audit = await sql<{ action: string; organizer_id: number }>(
      "SELECT action, organizer_id FROM audit_log WHERE action = 'member.invite_revoked'",
    );
    expect(audit).toEqual([{ action: 'member.invite_revoked', organizer_id: ana.id }]);

    // Demoted from owner: the same.
    const cy = await signedInOrganizer(t, { email: 'cy@example.org', collective: 'artists-united' });
    await cy.browser.get(members);
    await cy.browser.post(members, { email: 'new3@example.org', role: 'moderator' });
    const fromCy = linkIn(await smtp.waitFor('new3@example.org', /invites you/), 'invite');
    await ana.browser.get(members);
    expect((await ana.browser.post(`${members}/${cy.id}/role`, { role: 'editor' })).statusCode).toBe(303);
    expect((await new Browser(t).get(fromCy)).statusCode).toBe(410);
  });

  it('keeps at least one owner and lets owners change roles', async () => {
    const owner = await signedInOrganizer(t, { email: 'owner@example.org', collective: 'artists-united' });
    const ed = await createOrganizer(t, { email: 'ed@example.org', collective: 'artists-united', role: 'editor' });
    await owner.browser.get('/organize/collectives/artists-united/members');
    const last = await owner.browser.post(`/organize/collectives/artists-united/members/${owner.id}/role`, { role: 'editor' });
    expect(last.statusCode).toBe(409);
    expect(last.body).toContain('at least one owner');
    expect((await owner.browser.post(`/organize/collectives/artists-united/members/${ed.id}/role`, { role: 'moderator' })).statusCode).toBe(
      303,
    );
    expect((await owner.browser.post(`/organize/collectives/artists-united/members/${ed.id}/remove`)).statusCode).toBe(303);
    expect(await sql('SELECT organizer_id FROM memberships ORDER BY organizer_id')).toEqual([{ organizer_id: owner.id }]);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without the right token with 403, changing nothing', async () => {
    const { browser } = await signedInOrganizer(t, { email: 'ana@example.org', collective: 'artists-united' });
    const letter = { title: 'Forged letter', body: 'Text', collective: '1' };
    const cases: Array<Record<string, string>> = [{ _csrf: '' }, { _csrf: 'wrong-token' }];
    // A token from another person's session does not work either.
    const mallory = await signedInOrganizer(t, { email: 'mallory@example.org', collective: 'artists-united' });
    cases.push({ _csrf: mallory.browser.csrf });
    for (const token of cases) {
      const res = await browser.post('/organize/letters/new', { ...letter, ...token });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('This form has expired or did not come from this site');
      const out = await browser.post('/logout', token);
      expect(out.statusCode).toBe(403);
    }
    expect(await sql("SELECT id FROM letters WHERE title = 'Forged letter'")).toEqual([]);
    expect(await sql('SELECT id FROM sessions')).toHaveLength(2);
    expect((await browser.get('/organize')).statusCode).toBe(200);
    // Without the CSRF cookie at all.
    const bare = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=ana%40example.org&password=x',
    });
    expect(bare.statusCode).toBe(403);
  });
});

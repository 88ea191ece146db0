// Organizer accounts for tests: create one (with a cheap hash, so suites stay fast), sign in
// through the real /login form, and act as a browser would: cookies kept, CSRF token sent.
// The e2e suite can reuse `cookies()` to seed a browser context.

import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/db/vocabulary.js';
import { hashPassword } from '../../src/domain/passwords.js';
import type { TestApp } from './app.js';

export const TEST_PASSWORD = 'correct horse battery staple';
/** Far below production cost: the parameters travel in the hash, so login verifies with these. */
const CHEAP = { N: 1024, r: 8, p: 1 };

export interface NewOrganizer {
  email: string;
  name?: string;
  /** Collective slug; created if missing. */
  collective?: string;
  role?: Role;
  password?: string;
}

/** Inserts an organizer with a password (and a membership), straight into the database. */
export async function createOrganizer(t: TestApp, input: NewOrganizer): Promise<{ id: number; email: string; password: string }> {
  const password = input.password ?? TEST_PASSWORD;
  const passwordHash = await hashPassword(password, CHEAP);
  const { organizers, collectives, memberships } = t.store.tables;
  const id = await t.store.unitOfWork(async (tx) => {
    const [organizer] = await tx
      .insert(organizers)
      .values({ email: input.email.toLowerCase(), name: input.name ?? input.email.split('@')[0] ?? 'Organizer', passwordHash })
      .returning();
    if (!organizer) throw new Error('organizer not created');
    if (input.collective) {
      const slug = input.collective;
      const [existing] = await tx.select().from(collectives).where(eq(collectives.slug, slug)).limit(1);
      const collectiveId = existing?.id ?? (await tx.insert(collectives).values({ slug, name: slug }).returning())[0]?.id;
      if (collectiveId === undefined) throw new Error('collective not created');
      await tx.insert(memberships).values({ organizerId: organizer.id, collectiveId, role: input.role ?? 'owner' });
    }
    return organizer.id;
  });
  return { id, email: input.email.toLowerCase(), password };
}

/** Keeps cookies between injected requests, like a browser (path and expiry ignored). */
export class CookieJar {
  private readonly jar = new Map<string, string>();

  update(response: LightMyRequestResponse): void {
    for (const c of response.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      // Expiry follows the app's injected clock, not this machine's: only a deletion (an epoch
      // date, max-age 0 or an empty value) removes a cookie here.
      const expired = (c.expires && c.expires.getTime() < 86_400_000) || c.maxAge === 0 || c.value === '';
      if (expired) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
  }

  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  has(name: string): boolean {
    return this.jar.has(name);
  }

  entries(): Array<{ name: string; value: string }> {
    return [...this.jar].map(([name, value]) => ({ name, value }));
  }
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/** A browser-like client: cookies kept, the latest page's CSRF token remembered and sent. */
export class Browser {
  readonly jar = new CookieJar();
  csrf = '';

  /** remoteAddress: the address this browser connects from (inject's default is 127.0.0.1). */
  constructor(
    readonly t: TestApp,
    readonly remoteAddress?: string,
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.t.app.inject({
      method: 'GET',
      url,
      remoteAddress: this.remoteAddress,
      headers: { cookie: this.jar.header() },
    });
    this.jar.update(response);
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    return response;
  }

  /** Posts a form; `_csrf` is added unless given (pass `_csrf: ''` to leave it out). */
  async post(url: string, fields: Record<string, string | string[]> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    const all = { _csrf: this.csrf, ...fields };
    for (const [key, value] of Object.entries(all)) {
      if (key === '_csrf' && value === '') continue;
      for (const v of [value].flat()) body.append(key, v);
    }
    const response = await this.t.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: { cookie: this.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.jar.update(response);
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    return response;
  }

  /** Signs in through /login and loads the dashboard (for a CSRF token bound to the session). */
  async login(email: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const response = await this.post('/login', { email, password });
    if (response.statusCode !== 303) throw new Error(`login failed for ${email}: ${response.statusCode}`);
    await this.get('/organize');
    return response;
  }

  cookies(): Array<{ name: string; value: string }> {
    return this.jar.entries();
  }
}

/** Creates an organizer and returns a signed-in browser for them. */
export async function signedInOrganizer(t: TestApp, input: NewOrganizer) {
  const organizer = await createOrganizer(t, input);
  const browser = new Browser(t);
  await browser.login(organizer.email, organizer.password);
  return { ...organizer, browser };
}

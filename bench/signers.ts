// Unique signers for the write phases, and a record of every signing the app accepted (2xx): by
// tag (the letter's token pool, and the correctness check at the end) and, through the mail
// ledger, the moment it was accepted (the start of its mail's latency).
import type { RequestSpec } from 'autocannon';
import type { MailLedger } from './mail.js';
import { person, prng } from './names.js';

export class Signers {
  private readonly rand = prng(20260601);
  private next = 0;
  readonly accepted = new Map<string, string[]>();
  refused = 0;

  constructor(private readonly mail: MailLedger) {}

  /**
   * A signing on `slug` by a new person each time. `tag` names the pool the confirmation tokens
   * go to; `group` the set of signings whose mail latency is reported together.
   */
  request(slug: string, tag: string, group: string = tag): RequestSpec {
    return {
      method: 'POST',
      path: `/api/v1/letters/${slug}/signatures`,
      headers: { 'content-type': 'application/json' },
      setupRequest: (request, context) => {
        const p = person(this.rand);
        const email = `s-${tag}-${this.next++}-${p.first}.${p.last}@bench.example.org`.toLowerCase();
        context.email = email;
        const body = JSON.stringify({ name: p.name, email, country: p.country, title: p.title, public: p.isPublic });
        return { ...request, body };
      },
      onResponse: (status, _body, context) => {
        if (status >= 200 && status < 300) {
          const email = context.email as string;
          this.mail.signed(email, group);
          const list = this.accepted.get(tag);
          if (list) list.push(email);
          else this.accepted.set(tag, [email]);
        } else {
          this.refused++;
        }
      },
    };
  }

  count(tag?: string): number {
    if (tag) return this.accepted.get(tag)?.length ?? 0;
    let n = 0;
    for (const list of this.accepted.values()) n += list.length;
    return n;
  }
}

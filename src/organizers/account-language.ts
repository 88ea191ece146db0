// Organizer pages speak the language chosen on the account page: once the session is read, the
// account's language replaces what the browser asked for (cookie, Accept-Language). Only an
// explicit ?lang=xx on the address still wins, for that page.
import type { FastifyInstance } from 'fastify';
import { preferLanguage } from '../plugins/i18n.js';

export function followAccountLanguage(area: FastifyInstance): void {
  // Registered after the session plugin's hook, so request.organizer is known here.
  area.addHook('onRequest', (request, _reply, done) => {
    if (request.organizer) preferLanguage(request, request.organizer.language);
    done();
  });
}

// What the organizer area's routes are given: one service per concern (built in services.ts).
import type { Access } from './access.js';
import type { AuthService } from './auth-service.js';
import type { ExportService } from './export-service.js';
import type { LetterService } from './letter-service.js';
import type { MemberService } from './member-service.js';
import type { ModerationDigest } from './moderation-digest.js';
import type { ModerationService } from './moderation-service.js';
import type { NotableService } from './notable-service.js';
import type { TranslationService } from './translation-service.js';

export interface OrganizerServices {
  auth: AuthService;
  access: Access;
  letters: LetterService;
  /** A letter's translations and its own language. */
  translations: TranslationService;
  notables: NotableService;
  moderation: ModerationService;
  members: MemberService;
  exports: ExportService;
  /** The moderators' hourly mail about held signatures, and each member's choice. */
  digest: ModerationDigest;
}

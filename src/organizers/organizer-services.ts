// The organizer area's services, built from the app's shared Deps (one place to read the wiring).
import type { Deps } from '../deps.js';
import { Access } from './access.js';
import { AuditRepo } from './audit-repo.js';
import { AuthService } from './auth-service.js';
import { ExportService } from './export-service.js';
import { LetterAdminRepo } from './letter-admin-repo.js';
import { LetterService } from './letter-service.js';
import { LoginThrottle, MemoryFailureStore } from './login-throttle.js';
import { MemberService } from './member-service.js';
import { ModerationService } from './moderation-service.js';
import { NotableRepo } from './notable-repo.js';
import { NotableService } from './notable-service.js';
import { OrganizerRepo } from './organizer-repo.js';
import { SignatureAdminRepo } from './signature-admin-repo.js';

export interface OrganizerServices {
  auth: AuthService;
  access: Access;
  letters: LetterService;
  notables: NotableService;
  moderation: ModerationService;
  members: MemberService;
  exports: ExportService;
}

export function createOrganizerServices(deps: Deps): OrganizerServices {
  const { config, db, now } = deps;
  const audit = new AuditRepo(db);
  const repo = new OrganizerRepo(db, audit, deps.outbox);
  const mailQueued = () => deps.worker.wake();
  const throttle =
    config.RATE_LIMIT === 'off'
      ? null
      : new LoginThrottle(new MemoryFailureStore(), {
          perAccountAndIp: config.LOGIN_LIMIT_PER_ACCOUNT,
          perIp: config.LOGIN_LIMIT_PER_IP,
          perAccount: config.LOGIN_LIMIT_PER_ACCOUNT_GLOBAL,
          windowMs: config.LOGIN_LIMIT_WINDOW,
        });
  const access = new Access(deps.letters);
  return {
    auth: new AuthService({ config, repo, now, generateToken: deps.generateToken, mailQueued, throttle }),
    access,
    letters: new LetterService({ repo: new LetterAdminRepo(db, deps.letters, audit), access, now }),
    notables: new NotableService(new NotableRepo(db, audit), now),
    moderation: new ModerationService({ signatures: deps.signatures, admin: new SignatureAdminRepo(db, audit), now }),
    members: new MemberService({ repo, audit, now, generateToken: deps.generateToken, mailQueued }),
    exports: new ExportService(config, audit, now),
  };
}

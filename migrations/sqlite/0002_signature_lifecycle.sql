-- Every signer link expires: withdrawal links issued before had none, and now get a year from
-- when they were issued (a signer who signs again receives a fresh one).
UPDATE `signature_tokens` SET `expires_at` = `created_at` + 31536000000 WHERE `expires_at` IS NULL;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_signature_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`signature_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`signature_id`) REFERENCES `signatures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_signature_tokens`("id", "signature_id", "purpose", "token_hash", "expires_at", "used_at", "created_at") SELECT "id", "signature_id", "purpose", "token_hash", "expires_at", "used_at", "created_at" FROM `signature_tokens`;--> statement-breakpoint
DROP TABLE `signature_tokens`;--> statement-breakpoint
ALTER TABLE `__new_signature_tokens` RENAME TO `signature_tokens`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `signature_tokens_token_hash_unique` ON `signature_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `signature_tokens_signature_idx` ON `signature_tokens` (`signature_id`);--> statement-breakpoint
ALTER TABLE `organizer_tokens` ADD `issued_by` integer REFERENCES organizers(id);--> statement-breakpoint
ALTER TABLE `outbox` ADD `data` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `signatures` ADD `previously_refused` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Signatures an organizer rejected or marked fraudulent, and did not approve since, stay refused
-- whatever their signer did afterwards (a withdrawal and a new signature used to clear it).
UPDATE `signatures` SET `previously_refused` = 1 WHERE EXISTS (
  SELECT 1 FROM `signature_events` r
   WHERE r.`signature_id` = `signatures`.`id` AND r.`type` IN ('rejected', 'fraudulent')
     AND NOT EXISTS (SELECT 1 FROM `signature_events` a WHERE a.`signature_id` = r.`signature_id` AND a.`type` = 'approved' AND a.`id` > r.`id`)
);--> statement-breakpoint
-- Who issued each open invitation, from the audit entry written with it (same collective, address and time).
UPDATE `organizer_tokens` SET `issued_by` = (
  SELECT a.`organizer_id` FROM `audit_log` a
   WHERE a.`action` = 'member.invite' AND a.`collective_id` = `organizer_tokens`.`collective_id`
     AND a.`at` = `organizer_tokens`.`created_at` AND json_extract(a.`after`, '$.email') = `organizer_tokens`.`email`
   ORDER BY a.`id` LIMIT 1
) WHERE `purpose` = 'invite';
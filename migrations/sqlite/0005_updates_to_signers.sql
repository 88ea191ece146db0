CREATE TABLE `email_suppressions` (
	`email_key` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `letter_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`letter_id` integer NOT NULL,
	`subject` text NOT NULL,
	`body_md` text DEFAULT '' NOT NULL,
	`signers_only` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_by` integer,
	`sent_at` integer,
	`recipient_total` integer,
	`last_signature_id` integer,
	`cursor` integer DEFAULT 0 NOT NULL,
	`queued_count` integer DEFAULT 0 NOT NULL,
	`sent_count` integer DEFAULT 0 NOT NULL,
	`unsent_count` integer DEFAULT 0 NOT NULL,
	`queued_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sent_by`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `letter_updates_letter_idx` ON `letter_updates` (`letter_id`,`id`);--> statement-breakpoint
CREATE INDEX `letter_updates_status_idx` ON `letter_updates` (`status`);--> statement-breakpoint
DROP INDEX `outbox_due_idx`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `priority` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `update_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `signature_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_update_signature_uq` ON `outbox` (`update_id`,`signature_id`) WHERE update_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`priority`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `signatures` ADD `updates_consent_at` integer;--> statement-breakpoint
ALTER TABLE `signatures` ADD `updates_consent_wording` text;--> statement-breakpoint
ALTER TABLE `signatures` ADD `updates_unsubscribed_at` integer;--> statement-breakpoint
CREATE INDEX `signatures_update_recipients_idx` ON `signatures` (`letter_id`,`status`,`id`) WHERE status = 'verified' AND updates_consent_at IS NOT NULL AND updates_unsubscribed_at IS NULL;
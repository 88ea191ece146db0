CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collective_id` integer,
	`letter_id` integer,
	`organizer_id` integer,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` integer,
	`before` text,
	`after` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_collective_idx` ON `audit_log` (`collective_id`,`id`);--> statement-breakpoint
CREATE TABLE `collectives` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `collectives_slug_unique` ON `collectives` (`slug`);--> statement-breakpoint
CREATE TABLE `letter_country_counts` (
	`letter_id` integer NOT NULL,
	`country` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`letter_id`, `country`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `letter_hour_counts` (
	`letter_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`letter_id`, `hour`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `letter_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`letter_id` integer NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`addressee` text DEFAULT '' NOT NULL,
	`body_md` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `letter_versions_letter_version_uq` ON `letter_versions` (`letter_id`,`version`);--> statement-breakpoint
CREATE TABLE `letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collective_id` integer NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`addressee` text DEFAULT '' NOT NULL,
	`body_md` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`goal` integer,
	`closes_at` integer,
	`published_at` integer,
	`closed_at` integer,
	`duplicate_names` text DEFAULT 'hold' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`edited_at` integer,
	`signature_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`collective_id`) REFERENCES `collectives`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `letters_slug_unique` ON `letters` (`slug`);--> statement-breakpoint
CREATE INDEX `letters_status_published_idx` ON `letters` (`status`,`published_at`,`id`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`organizer_id` integer NOT NULL,
	`collective_id` integer NOT NULL,
	`role` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`organizer_id`, `collective_id`),
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`collective_id`) REFERENCES `collectives`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `notable_signatories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`letter_id` integer NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`signature_id` integer,
	`position` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`signature_id`) REFERENCES `signatures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notable_letter_position_idx` ON `notable_signatories` (`letter_id`,`position`);--> statement-breakpoint
CREATE INDEX `notable_letter_name_idx` ON `notable_signatories` (`letter_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `organizer_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`purpose` text NOT NULL,
	`token_hash` text NOT NULL,
	`organizer_id` integer,
	`email` text,
	`collective_id` integer,
	`role` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`collective_id`) REFERENCES `collectives`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizer_tokens_token_hash_unique` ON `organizer_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `organizers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizers_email_unique` ON `organizers` (`email`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_organizer_idx` ON `sessions` (`organizer_id`);--> statement-breakpoint
CREATE TABLE `signature_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`signature_id` integer NOT NULL,
	`letter_id` integer NOT NULL,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`count_delta` integer DEFAULT 0 NOT NULL,
	`organizer_id` integer,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `signature_events_letter_idx` ON `signature_events` (`letter_id`,`id`);--> statement-breakpoint
CREATE TABLE `signature_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`signature_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`signature_id`) REFERENCES `signatures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signature_tokens_token_hash_unique` ON `signature_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `signature_tokens_signature_idx` ON `signature_tokens` (`signature_id`);--> statement-breakpoint
CREATE TABLE `signatures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`letter_id` integer NOT NULL,
	`letter_version` integer DEFAULT 1 NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`name_head` text NOT NULL,
	`name_tail` text NOT NULL,
	`name_len` integer NOT NULL,
	`email` text NOT NULL,
	`email_key` text NOT NULL,
	`title` text,
	`organisation` text,
	`country` text,
	`is_public` integer DEFAULT true NOT NULL,
	`hidden` integer DEFAULT false NOT NULL,
	`comment` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`hold_reason` text,
	`matched_signature_id` integer,
	`matched_notable_id` integer,
	`possible_duplicate_of` integer,
	`ip` text,
	`last_mail_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`verified_at` integer,
	`updated_at` integer,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signatures_letter_email_uq` ON `signatures` (`letter_id`,`email_key`);--> statement-breakpoint
CREATE INDEX `signatures_letter_name_idx` ON `signatures` (`letter_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `signatures_letter_head_idx` ON `signatures` (`letter_id`,`name_head`,`name_len`);--> statement-breakpoint
CREATE INDEX `signatures_letter_tail_idx` ON `signatures` (`letter_id`,`name_tail`,`name_len`);--> statement-breakpoint
CREATE INDEX `signatures_letter_status_idx` ON `signatures` (`letter_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `signatures_public_list_idx` ON `signatures` (`letter_id`,`verified_at`,`id`) WHERE status = 'verified' AND is_public = 1 AND hidden = 0;
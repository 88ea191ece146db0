CREATE TABLE `letter_count_slots` (
	`letter_id` integer NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`letter_id`, `slot`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`window_ends_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_limits_window_idx` ON `rate_limits` (`window_ends_at`);--> statement-breakpoint
CREATE TABLE `spike_counts` (
	`letter_id` integer NOT NULL,
	`minute` integer NOT NULL,
	`source` text NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`letter_id`, `minute`, `source`, `slot`)
);
--> statement-breakpoint
DROP INDEX `signatures_public_list_idx`;--> statement-breakpoint
CREATE INDEX `signatures_public_list_idx` ON `signatures` (`letter_id`,`is_public`,`hidden`,`verified_at`,`id`) WHERE status = 'verified';--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_letter_country_counts` (
	`letter_id` integer NOT NULL,
	`country` text NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`letter_id`, `country`, `slot`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_letter_country_counts`("letter_id", "country", "slot", "count") SELECT "letter_id", "country", 0, "count" FROM `letter_country_counts`;--> statement-breakpoint
DROP TABLE `letter_country_counts`;--> statement-breakpoint
ALTER TABLE `__new_letter_country_counts` RENAME TO `letter_country_counts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_letter_hour_counts` (
	`letter_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`letter_id`, `hour`, `slot`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_letter_hour_counts`("letter_id", "hour", "slot", "count") SELECT "letter_id", "hour", 0, "count" FROM `letter_hour_counts`;--> statement-breakpoint
DROP TABLE `letter_hour_counts`;--> statement-breakpoint
ALTER TABLE `__new_letter_hour_counts` RENAME TO `letter_hour_counts`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_until` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `claim` text;--> statement-breakpoint
-- Each letter's count moves into its first slot, stamped with when the letter last changed.
INSERT INTO `letter_count_slots` (`letter_id`, `slot`, `count`, `updated_at`) SELECT `id`, 0, `signature_count`, `updated_at` FROM `letters`;--> statement-breakpoint
ALTER TABLE `letters` DROP COLUMN `signature_count`;
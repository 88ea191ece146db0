CREATE TABLE `log_checkpoints` (
	`letter_id` integer NOT NULL,
	`size` integer NOT NULL,
	`root` text NOT NULL,
	`count` integer NOT NULL,
	`frontier` text NOT NULL,
	`note` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`letter_id`, `size`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `log_entries` (
	`letter_id` integer NOT NULL,
	`idx` integer NOT NULL,
	`sig` text NOT NULL,
	`kind` text NOT NULL,
	`entry` text NOT NULL,
	PRIMARY KEY(`letter_id`, `idx`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `log_entries_sig_idx` ON `log_entries` (`letter_id`,`sig`,`idx`);--> statement-breakpoint
CREATE TABLE `log_hashes` (
	`letter_id` integer NOT NULL,
	`level` integer NOT NULL,
	`idx` integer NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`letter_id`, `level`, `idx`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `log_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`letter_id` integer NOT NULL,
	`sig` text NOT NULL,
	`kind` text NOT NULL,
	`entry` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `log_queue_sig_idx` ON `log_queue` (`letter_id`,`sig`);--> statement-breakpoint
ALTER TABLE `signatures` ADD `log_sig` text;--> statement-breakpoint
ALTER TABLE `signatures` ADD `log_salt` text;--> statement-breakpoint
ALTER TABLE `signatures` ADD `log_commitment` text;--> statement-breakpoint
CREATE INDEX `signatures_unlogged_idx` ON `signatures` (`id`) WHERE log_sig IS NULL;
CREATE TABLE `letter_translations` (
	`letter_id` integer NOT NULL,
	`language` text NOT NULL,
	`title` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`addressee` text DEFAULT '' NOT NULL,
	`body_md` text NOT NULL,
	`translates_version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`letter_id`, `language`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `letters` ADD `language` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `signatures` ADD `language` text DEFAULT 'en' NOT NULL;
CREATE TABLE `signature_name_words` (
	`letter_id` integer NOT NULL,
	`word` text NOT NULL,
	`verified_at` integer NOT NULL,
	`signature_id` integer NOT NULL,
	PRIMARY KEY(`letter_id`, `word`, `verified_at`, `signature_id`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`signature_id`) REFERENCES `signatures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `signature_name_words_signature_idx` ON `signature_name_words` (`signature_id`,`word`);--> statement-breakpoint
-- Every signature listed before this table existed: the words of its name_key (folded, separated by single spaces).
INSERT OR IGNORE INTO `signature_name_words` (`letter_id`, `word`, `verified_at`, `signature_id`)
WITH RECURSIVE `split`(`letter_id`, `verified_at`, `signature_id`, `word`, `rest`) AS (
	SELECT `letter_id`, `verified_at`, `id`, '', `name_key` || ' ' FROM `signatures`
	WHERE `status` = 'verified' AND `is_public` = 1 AND `hidden` = 0 AND `verified_at` IS NOT NULL
	UNION ALL
	SELECT `letter_id`, `verified_at`, `signature_id`, substr(`rest`, 1, instr(`rest`, ' ') - 1), substr(`rest`, instr(`rest`, ' ') + 1)
	FROM `split` WHERE `rest` <> ''
)
SELECT `letter_id`, `word`, `verified_at`, `signature_id` FROM `split` WHERE `word` <> '';

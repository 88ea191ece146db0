DROP INDEX `signatures_letter_head_idx`;--> statement-breakpoint
DROP INDEX `signatures_letter_tail_idx`;--> statement-breakpoint
CREATE INDEX `signatures_letter_head_idx` ON `signatures` (`letter_id`,`name_head`,`name_len`,`status`,`name_key`);--> statement-breakpoint
CREATE INDEX `signatures_letter_tail_idx` ON `signatures` (`letter_id`,`name_tail`,`name_len`,`status`,`name_key`);
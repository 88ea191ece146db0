ALTER TABLE `collectives` ADD `digested_at` integer;--> statement-breakpoint
ALTER TABLE `collectives` ADD `digested_event_id` integer;--> statement-breakpoint
ALTER TABLE `memberships` ADD `moderation_digest` integer DEFAULT true NOT NULL;
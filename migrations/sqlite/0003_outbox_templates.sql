-- Mail queued before templates were rendered by the worker keeps its rendered parts in `data`.
UPDATE `outbox` SET `data` = json_object('subject', `subject`, 'text', `text`, 'html', `html`, 'kind', `kind`), `kind` = 'rendered'
 WHERE `status` <> 'sent';--> statement-breakpoint
ALTER TABLE `outbox` DROP COLUMN `subject`;--> statement-breakpoint
ALTER TABLE `outbox` DROP COLUMN `text`;--> statement-breakpoint
ALTER TABLE `outbox` DROP COLUMN `html`;